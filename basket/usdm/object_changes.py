"""Which USDM objects differ between two exports of a program (for `basket diff`).

Ids are derived from program ids (`basket.usdm.objects`), so an object keeps its id between two
versions and objects are compared by id. Named objects (designs, objectives, criteria, encounters,
interventions ...) and titles and identifiers are reported; unnamed values inside them (codes,
quantities, notes) count as part of their owner, so a changed code shows as a change of the object
that carries it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

REPORTED_WITHOUT_NAME = {"StudyTitle", "StudyIdentifier", "EligibilityCriterionItem"}


@dataclass(frozen=True)
class UsdmChange:
    action: str  # added | removed | modified
    klass: str  # USDM class (instanceType)
    id: str
    name: str
    fields: list[str]  # the attributes that differ (modified objects)

    def __str__(self) -> str:
        what = f"{self.klass} {self.id}" + (f" ({self.name})" if self.name else "")
        return f"{what} {self.action}" + (f": {', '.join(self.fields)}" if self.fields else "")


def usdm_changes(old: bytes, new: bytes) -> list[UsdmChange]:
    before, after = usdm_objects(json.loads(old)), usdm_objects(json.loads(new))
    changes = []
    for identifier in sorted(set(before) | set(after)):
        if identifier not in after:
            klass, name, _ = before[identifier]
            changes.append(UsdmChange("removed", klass, identifier, name, []))
        elif identifier not in before:
            klass, name, _ = after[identifier]
            changes.append(UsdmChange("added", klass, identifier, name, []))
        else:
            (klass, name, a), (_, _, b) = before[identifier], after[identifier]
            differing = sorted(key for key in set(a) | set(b) if a.get(key) != b.get(key))
            if differing:
                changes.append(UsdmChange("modified", klass, identifier, name, differing))
    return changes


def usdm_objects(data: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """id -> (class, name, own content) for every reported object; a reported child is replaced by its id."""
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    _walk(data["study"], found)
    return found


def _reported(value: Any) -> bool:
    return isinstance(value, dict) and "instanceType" in value and (
        "name" in value or value["instanceType"] in REPORTED_WITHOUT_NAME)


def _walk(value: Any, found: dict) -> Any:
    """The value with reported objects replaced by their ids, recording each reported object."""
    if isinstance(value, list):
        return [_walk(item, found) for item in value]
    if not isinstance(value, dict):
        return value
    content = {key: _walk(item, found) for key, item in value.items()}
    if _reported(value):
        found[str(value["id"])] = (value["instanceType"], str(value.get("name", "")), content)
        return {"ref": str(value["id"])}
    return content
