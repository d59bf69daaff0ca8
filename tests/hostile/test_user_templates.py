"""Class 9 of issue 12: user templates (`--templates DIR`) are bounded in everything.

Recursion, huge format widths, `center`, %-formatting, string doubling, huge integers and endless
loops produced tracebacks, a 1 GB file or a hang. Each is now exit 2 with `template:line`, quickly,
and the previous output is left as it was. Templates read only regular files inside their folder,
and PDF rendering fetches nothing but what the document embeds.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, copy_program
from tests.hostile.conftest import run

NAMESPACE = "{% set ns = namespace(s='x', n=3, l=[1]) %}"
HOSTILE = {
    # name: (overview.md.j2, the line the problem is on, words of the message)
    "recursive macro": ("{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}\n{{ r(0) }}\n", None, "RecursionError"),
    "self include": ("# title\n{% include 'overview.md.j2' %}\n", None, "RecursionError"),
    "percent width": ("\n{{ '%999999999d' % 1 }}\n", 2, "format width"),
    "percent star width": ("\n\n{{ '%*d' % (999999999, 1) }}\n", 3, "width of 999999999"),
    "format width": ("{{ '{:>999999999}'.format('') }}\n", 1, "format width"),
    "nested format width": ("{{ '{:{w}}'.format('x', w=999999999) }}\n", 1, "width of 999999999"),
    "format filter width": ("{{ '%0999999999d'|format(1) }}\n", 1, "format width"),
    "center filter": ("{{ 'x'|center(999999999) }}\n", 1, "width 999999999"),
    "center method": ("{{ 'x'.center(999999999) }}\n", 1, "width of 999999999"),
    "zfill method": ("{{ 'x'.zfill(999999999) }}\n", 1, "width of 999999999"),
    "expandtabs": ("{{ ('\\t' * 1000).expandtabs(10000) }}\n", 1, "expanding tabs"),
    "indent": ("{{ ('x\\n' * 100000)|indent(10000) }}\n", 1, "indenting"),
    "indent with text": ("{{ ('x\\n' * 100000)|indent('y' * 1000) }}\n", 1, "indenting"),
    "wordwrap": ("{{ ('x ' * 5000)|wordwrap(1, wrapstring='y' * 10000) }}\n", 1, "wrapping"),
    "replace filter": ("{{ ('x' * 1000000)|replace('x', 'x' * 100) }}\n", 1, "replacement"),
    "replace method": ("{{ ('x' * 1000000).replace('x', 'x' * 100) }}\n", 1, "replacement"),
    "join": ("{{ range(1000)|join('x' * 1000000) }}\n", 1, "joining"),
    "join method": ("{{ ('x' * 1000000).join(range(1000)|map('string')|list) }}\n", 1, "joining"),
    "repeat": ("{{ 'x' * 999999999 }}\n", 1, "repetition"),
    "doubling with ~": (NAMESPACE + "\n{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}\n",
                        2, "characters or items"),
    "doubling with +": (NAMESPACE + "\n{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}\n",
                        2, "characters or items"),
    "list doubling": (NAMESPACE + "\n{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l }}\n",
                      2, "characters or items"),
    "huge power": ("{{ 9 ** 9999 }}\n", 1, "bits"),
    "power of a power": ("{{ (10 ** 400) ** 50 }}\n", 1, "bits"),
    "squaring": (NAMESPACE + "\n{% for i in range(64) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n }}\n", 2,
                 "bits"),
    "huge literal": ("{{ " + "9" * 5000 + " }}\n", 1, "cannot be compiled"),
    "deep brackets": ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}\n", 1, ""),
    "tojson indent": ("{{ umbrella|tojson(indent=100000) }}\n", 1, "indent"),
    "division by zero": ("\n\n{{ 1 / 0 }}\n", 3, "ZeroDivisionError"),
    "lipsum": ("{{ lipsum(1000000) }}\n", 1, "lipsum"),
    "random": ("{{ [1, 2]|random }}\n", 1, "random"),
    "list append": ("{% set l = [] %}{{ l.append(1) }}\n", 1, "unsafe"),
    "huge output": ("{% for i in range(100000) %}{{ 'x' * 1000000 }}{% endfor %}\n", 1, "document is longer than"),
    "captured output": ("{% set big %}{% for i in range(100000) %}{{ 'x' * 1000000 }}{% endfor %}{% endset %}\n",
                        1, "document is longer than"),
}


def render_with(tmp_path: Path, templates: dict[str, str | bytes], *extra: str):
    program = copy_program(MINIMAL, tmp_path / "program")
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    for name, text in templates.items():
        (folder / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    out = tmp_path / "out"
    start = time.perf_counter()
    result = run("render", str(program), "-o", str(out), "--templates", str(folder), *extra)
    return result, folder, out, time.perf_counter() - start


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_template_is_exit_2_with_its_line(tmp_path: Path, case: str):
    source, line, words = HOSTILE[case]
    result, folder, out, elapsed = render_with(tmp_path, {"overview.md.j2": source})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    where = f"{folder / 'overview.md.j2'}:{line}:" if line else f"{folder / 'overview.md.j2'}:"
    assert where in result.stderr and words in result.stderr, result.stderr
    assert not out.exists()
    assert elapsed < 20


def test_an_endless_loop_stops_at_the_time_bound(tmp_path: Path, monkeypatch):
    import basket.documents.template_sandbox as sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 1.0)
    loops = {
        "nested ranges": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        "over a long text": "{% set s = 'x' * 100000 %}\n{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}\n",
    }
    for name, source in loops.items():
        result, folder, out, elapsed = render_with(tmp_path / name.replace(" ", "-"), {"appendix.md.j2": source})
        assert result.exit_code == 2, result.output
        assert f"{folder / 'appendix.md.j2'}:" in result.stderr and "ran longer than 1 seconds" in result.stderr
        assert elapsed < 60 and not out.exists()  # unbounded, either loop runs for hours


def test_a_hostile_template_leaves_the_previous_output(tmp_path: Path):
    program = copy_program(MINIMAL, tmp_path / "program")
    out = tmp_path / "out"
    assert run("render", str(program), "-o", str(out)).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "appendix.md.j2").write_text("{{ 'x'|center(999999999) }}\n")
    result = run("render", str(program), "-o", str(out), "--templates", str(folder))
    assert result.exit_code == 2
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("how", ["template is a link out", "include of a link out", "folder linked out"])
def test_templates_read_nothing_outside_their_folder(tmp_path: Path, how: str):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.txt").write_text("hunter2\n")
    folder = tmp_path / "templates"
    folder.mkdir()
    if how == "template is a link out":
        os.symlink(secret / "passwords.txt", folder / "overview.md.j2")
    elif how == "include of a link out":
        os.symlink(secret / "passwords.txt", folder / "part.j2")
        (folder / "overview.md.j2").write_text("{% include 'part.j2' %}\n")
    else:
        os.symlink(secret, folder / "parts")
        (folder / "overview.md.j2").write_text("{% include 'parts/passwords.txt' %}\n")
    result, _, out, _ = render_with(tmp_path, {})
    assert result.exit_code == 2 and "outside the templates folder" in result.stderr, result.output
    assert "hunter2" not in result.output and not out.exists()


@pytest.mark.parametrize("kind", ["named pipe", "too large", "NUL character", "not UTF-8"])
def test_templates_that_are_not_template_files_are_refused(tmp_path: Path, kind: str):
    folder = tmp_path / "templates"
    folder.mkdir()
    if kind == "named pipe":
        os.mkfifo(folder / "overview.md.j2")
        expected = "is not a regular file"
    elif kind == "too large":
        (folder / "overview.md.j2").write_text("x" * (2 << 20))
        expected = "is larger than"
    elif kind == "NUL character":
        (folder / "overview.md.j2").write_text("# title\nbad \x00 byte\n")
        expected = "overview.md.j2:2: template error (TemplateSyntaxError): the template holds U+0000"
    else:
        (folder / "overview.md.j2").write_bytes("# café\n".encode("latin-1"))
        expected = "not valid UTF-8"
    start = time.perf_counter()
    result, _, out, _ = render_with(tmp_path, {})
    assert result.exit_code == 2 and expected in result.stderr, result.output
    assert time.perf_counter() - start < 20 and not out.exists()


@pytest.mark.parametrize("template, text", [
    ("document.css", '@import url("file:///etc/hostname");\n'),
    ("document.css", 'body { background: url("file:///etc/passwd"); }\n'),
    ("document.html.j2", '<html><body><img src="http://192.0.2.1/x.png">{{ body }}</body></html>\n'),
    ("document.html.j2", ('<html><head><link rel="stylesheet" href="file:///etc/passwd"></head>'
                          '<body>{{ body }}</body></html>\n')),
])
def test_pdf_rendering_fetches_no_file_and_no_url(tmp_path: Path, template: str, text: str):
    pytest.importorskip("weasyprint")
    result, _, out, elapsed = render_with(tmp_path, {template: text}, "--format", "pdf")
    assert result.exit_code == 2, result.output
    assert "refers to" in result.stderr and "never from local files or the network" in result.stderr, result.stderr
    assert not out.exists() and elapsed < 60


def test_an_ordinary_user_template_still_renders(tmp_path: Path):
    source = ("# {{ umbrella.title }}\n\n{% for v in roster %}- {{ v.variant }}{% endfor %}\n"
              "{{ '%5.1f'|format(2.25) }} {{ '{:,}'.format(1234567) }} {{ 'x'|center(9) }} {{ 2 ** 64 }}\n")
    result, _, out, _ = render_with(tmp_path, {"overview.md.j2": source})
    assert result.exit_code == 0, result.output
    text = (out / "overview.md").read_text()
    assert "1,234,567" in text and "18446744073709551616" in text
