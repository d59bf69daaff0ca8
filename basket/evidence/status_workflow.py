"""The variant status workflow, and writing a new status back into the program's YAML.

Workflow: proposed → assessed → appendix_drafted → submitted → cleared → dosed → follow_up.

* Forward: one step at a time. Skipping is refused with what must come first.
* Back: one step, and only before submission is answered: assessed → proposed (re-assessment),
  appendix_drafted → assessed (appendix revised), submitted → appendix_drafted (submission
  withdrawn or returned for revision). Clearance and dosing are facts: nothing goes back from
  cleared, dosed or follow_up.
* Entering `submitted` requires the readiness entry gate (elements 1-4 met, platform-correctable,
  disease covered, adequate natural history); a refusal lists why.

Writing touches only the status: ruamel.yaml (round-trip mode) finds the variant's mapping in the
file the loader's locator names and the exact line and column of its `status` value, and that
token alone is replaced (or one `status:` line is inserted when the key is absent). So comments,
quoting, folding and key order are kept byte for byte. Before writing, the new text is parsed and
must equal the old data with only that status changed; the file is replaced atomically (same
permissions); afterwards the whole program must still load, else the old bytes are put back.

Concurrent runs on one program are serialized by a lock on the program directory held from
loading to the final check (`basket.foundation.directory_lock`): each run reads what the previous
one wrote, so every edit is kept. A program file that is a symbolic link (to a file inside the
program, as the loader requires) is edited where it points, and the link stays a link.
"""

from __future__ import annotations

import copy
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from basket.foundation.problems import InputError, Problem
from basket.program.checked_edit import editing_program, read_unchanged, replace_checked
from basket.program.load import LoadedProgram, load_program
from basket.program.model import VARIANT_STATUSES
from basket.program.yaml_source import parse_yaml

# Going back one step is allowed only from these statuses (to the previous one).
BACK_ALLOWED = {
    "assessed": "re-assessment",
    "appendix_drafted": "appendix revised",
    "submitted": "submission withdrawn or returned for revision",
}
GATED = "submitted"
INSERT_BEFORE = ("submit", "notes", "source")  # where a missing `status:` line goes, first found


class TransitionRefused(Exception):
    """The workflow does not allow the change; the message says why."""


def transition_refusal(current: str, new: str) -> str | None:
    """Why `current` → `new` is not allowed, or None when it is (ignores the readiness gate)."""
    order = VARIANT_STATUSES
    a, b = order.index(current), order.index(new)
    if b == a + 1:
        return None
    if b > a + 1:
        between = list(order[a + 1 : b])
        steps = " and ".join(between) if len(between) <= 2 else ", ".join(between[:-1]) + " and " + between[-1]
        return (f"cannot go from {current} to {new}: the variant must first pass through {steps} "
                f"(one step at a time; next is {order[a + 1]})")
    if b == a - 1 and current in BACK_ALLOWED:
        return None
    if current not in BACK_ALLOWED:
        return (f"cannot go back from {current} to {new}: {_fact(current)} is a fact of record; "
                "record changes as an amendment instead")
    return (f"cannot go back from {current} to {new}: go back one step at a time "
            f"({current} → {order[a - 1]})")


def _fact(status: str) -> str:
    return {"cleared": "the clearance", "dosed": "dosing", "follow_up": "dosing and follow-up"}.get(status, status)


@dataclass(frozen=True)
class StatusChange:
    variant: str
    old: str
    new: str
    file: str
    line: int
    changed: bool
    written: bool
    diff: str


def set_status(directory: Path, variant_id: str, new_status: str, dry_run: bool = False) -> StatusChange:
    """Move a variant to `new_status` and write it to its YAML file.

    InputError: the program or the request is invalid (nothing written).
    TransitionRefused: the workflow or the readiness gate refuses (nothing written).
    """
    with editing_program(directory) as folder:  # read, edit and write as one step: no other run's edit is lost
        return _set_status(folder, variant_id, new_status, dry_run)


def _set_status(directory: Path, variant_id: str, new_status: str, dry_run: bool) -> StatusChange:
    loaded = load_program(directory)
    program = loaded.program
    if new_status not in VARIANT_STATUSES:
        hint = difflib.get_close_matches(new_status, VARIANT_STATUSES, n=1)
        raise InputError([Problem("NEW_STATUS", 0, "", f"unknown status {new_status!r}"
                                  + (f"; did you mean {hint[0]!r}?" if hint else "")
                                  + f" (statuses: {' → '.join(VARIANT_STATUSES)})")])
    ids = [v.id for v in program.variants]
    if variant_id not in ids:
        hint = difflib.get_close_matches(variant_id, ids, n=3)
        raise InputError([Problem(str(directory), 0, "VARIANT", f"unknown variant {variant_id!r}"
                                  + (f"; did you mean {', '.join(hint)}?" if hint else ""))])
    index = ids.index(variant_id)
    current = program.variants[index].status
    origin = loaded.locator.origins[("variants", index)]
    path = Path(origin.document.file)
    line = origin.document.line_of(origin.path)
    if new_status == current:
        return StatusChange(variant_id, current, new_status, str(path), line, False, False, "")
    refusal = transition_refusal(current, new_status)
    if refusal:
        raise TransitionRefused(refusal)
    if new_status == GATED:
        _require_gate(loaded, variant_id)
    original = read_unchanged(loaded, path, "the status was being set")
    updated = rewrite_status(original, origin.path, new_status, str(path))
    diff = "".join(difflib.unified_diff(original.decode("utf-8").splitlines(keepends=True),
                                        updated.decode("utf-8").splitlines(keepends=True),
                                        str(path), str(path)))
    if dry_run:
        return StatusChange(variant_id, current, new_status, str(path), line, True, False, diff)
    replace_checked(directory, {path: (original, updated)})
    return StatusChange(variant_id, current, new_status, str(path), line, True, True, diff)


def _require_gate(loaded: LoadedProgram, variant_id: str) -> None:
    from basket.evidence.readiness_rules import assess
    from basket.plan.umbrella_decision import checked_plan

    one = checked_plan(loaded).only([variant_id])
    verdict = assess(loaded, one).get(variant_id)
    if not verdict.gate.passed:
        raise TransitionRefused(
            f"cannot enter submitted: {variant_id} fails the readiness entry gate: "
            + "; ".join(verdict.gate.failures) + " (see `basket readiness`)"
        )


def rewrite_status(original: bytes, path: tuple[object, ...], new_status: str, display: str) -> bytes:
    """The file's bytes with the mapping at `path` given `status: new_status`, nothing else touched."""
    text = original.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    mapping = _round_trip_mapping(body, path, display)
    lines = body.splitlines(keepends=True)
    if "status" in mapping:
        row, col = mapping.lc.value("status")
        lines[row] = _replace_token(lines[row], col, str(mapping["status"]), new_status, display, row)
    else:
        lines = _insert_status(lines, mapping, new_status, display)
    new_text = bom + "".join(lines)
    _check_only_status_changed(text, new_text, path, new_status, display)
    return new_text.encode("utf-8")


def _round_trip_mapping(body: str, path: tuple[object, ...], display: str):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        node = YAML(typ="rt").load(io.StringIO(body))
    except YAMLError as error:  # the loader accepted the file, so this is ruamel being stricter
        raise InputError([Problem(display, 0, "status", f"cannot edit this file safely: {error}")]) from None
    for part in path:
        node = node[part]
    return node


_TOKEN = re.compile(r"""(?P<q>["']?)(?P<value>[A-Za-z_]+)(?P=q)""")


def _replace_token(line: str, col: int, current: str, new: str, display: str, row: int) -> str:
    match = _TOKEN.match(line, col)
    if match is None or match.group("value") != current:
        raise InputError([Problem(display, row + 1, "status", "cannot locate the status value to replace; "
                                  "edit it by hand")])
    return line[: match.start("value")] + new + line[match.end("value"):]


def _insert_status(lines: list[str], mapping, new_status: str, display: str) -> list[str]:
    if mapping.fa.flow_style():
        raise InputError([Problem(display, mapping.lc.line + 1, "status",
                                  "the variant is written in flow style ({...}) without `status:`; add it by hand")])
    keys = list(mapping.keys())
    candidates = [k for k in INSERT_BEFORE if k in mapping] + keys[1:]
    for key in candidates:
        row, col = mapping.lc.key(key)
        if lines[row][:col].strip() == "":  # the key starts its line: insert a sibling line above it
            ending = "\r\n" if lines[row].endswith("\r\n") else "\n"
            return lines[:row] + [" " * col + f"status: {new_status}{ending}"] + lines[row:]
    raise InputError([Problem(display, mapping.lc.line + 1, "status",
                              "cannot find where to insert `status:`; add it by hand")])


def _check_only_status_changed(old_text: str, new_text: str, path: tuple[object, ...], new_status: str,
                               display: str) -> None:
    before = parse_yaml(old_text.lstrip("\ufeff"), display).data
    after = parse_yaml(new_text.lstrip("\ufeff"), display).data
    expected = copy.deepcopy(before)
    node = expected
    for part in path:
        node = node[part]
    node["status"] = new_status
    if after != expected:
        raise InputError([Problem(display, 0, "status", "refusing to write: the edit would change more than the "
                                  "status (please report this); edit it by hand")])
