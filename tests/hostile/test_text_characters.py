"""Class 3 of issue 12: characters that are not text.

Control characters, lone surrogates, U+FFFE/U+FFFF (and the other noncharacters) reached the
documents through YAML escapes and crashed Graphviz, Word and GraphML or made SVG/GEXF that is not
XML. They are refused when loading, with file:line, in any field; and every XML writer makes
well-formed XML whatever text it is given.
"""

from __future__ import annotations

import io
import itertools
import zipfile

import networkx as nx
import pytest
from lxml import etree

from basket.documents.docx_writer import html_to_docx
from basket.foundation.characters import xml_safe
from basket.graph.export_formats import export_graph
from tests.hostile.conftest import MINIMAL_FILES, assert_clean, program_dir, run

ESCAPES = {
    "NUL": "\\0", "BEL": "\\a", "escape \\x1b": "\\x1b", "vertical tab": "\\v", "form feed": "\\f",
    "DEL": "\\x7f", "NEL": "\\N", "C1 \\x9b": "\\x9b", "U+FFFE": "\\uFFFE", "U+FFFF": "\\uFFFF",
    "lone high surrogate": "\\uD800", "lone low surrogate": "\\uDFFF", "surrogate, long form": "\\U0000DC80",
    "U+FDD0": "\\uFDD0",
    "U+1FFFE": "\\U0001FFFE", "U+10FFFF": "\\U0010FFFF",
}
# where the text goes: (file, original text, replacement with {text}, line of the replacement's value, field)
PLACES = {
    "umbrella title": ("umbrella.yaml", "  sponsor: Test sponsor\n", '  sponsor: "Test {text} sponsor"\n', 0,
                       "umbrella.sponsor"),
    "variant source": ("variants.yaml", "    source: NEJM 2025;392:2235-43\n  - id",
                       '    source: "NEJM {text}"\n  - id', 0, "variants[0].source"),
    "list item": ("disease.yaml", "    genes: [CPS1]\n", '    genes: [CPS1, "X{text}"]\n', 0, "diseases[0].genes[1]"),
    "mapping key": ("patients.yaml", "    source: NEJM 2025;392:2235-43, Table S3\n",
                    '    source: NEJM 2025;392:2235-43, Table S3\n    measures: {{"edit{text}": 1}}\n', 1,
                    "evidence[0].measures"),
    "editor notes": ("platform.yaml", "    spacer_length: 20\n", '    spacer_length: 20\n    notes: "a{text}b"\n',
                     1, "editors[0].notes"),
}


@pytest.mark.parametrize("escape, place", list(zip(sorted(ESCAPES), itertools.cycle(sorted(PLACES)))))  # every place
def test_text_that_is_not_text_is_refused_with_its_line(escape: str, place: str):
    file, old, new, offset, field = PLACES[place]
    assert old in MINIMAL_FILES[file]
    text = MINIMAL_FILES[file].replace(old, new.format(text=ESCAPES[escape]), 1)
    line = MINIMAL_FILES[file][: MINIMAL_FILES[file].index(old)].count("\n") + 1 + offset
    with program_dir({file: text}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2, result.output
        if "surrogate" in escape:  # libyaml refuses these escapes itself
            assert f"{file}:{line}: invalid YAML: found invalid Unicode character escape" in result.stderr
        else:
            assert f"{file}:{line}: {field}" in result.stderr and "which is not text" in result.stderr, result.stderr


@pytest.mark.parametrize("char", ["\ufdd0", "\U0001fffe", "\U000efffe"])
def test_a_noncharacter_written_as_such_is_refused(char: str):
    text = MINIMAL_FILES["umbrella.yaml"].replace("  sponsor: Test sponsor", f"  sponsor: Test {char} sponsor")
    with program_dir({"umbrella.yaml": text}) as program:
        result = run("validate", str(program))
        assert result.exit_code == 2 and "umbrella.yaml:6: the file holds U+" in result.stderr, result.stderr


def test_real_text_in_any_script_is_fine():
    """Tabs, line breaks, U+2028, accents, CJK, right-to-left and emoji are text."""
    text = MINIMAL_FILES["umbrella.yaml"].replace(
        "  sponsor: Test sponsor", '  sponsor: "Test\\tsponsor\\nHôpital 東京 مستشفى \\u2028 🧬"')
    with program_dir({"umbrella.yaml": text}) as program:
        result = run("validate", str(program))
        assert result.exit_code == 0, result.output


def test_a_file_name_that_is_not_text_is_refused(tmp_path):
    with program_dir({}) as program:
        (program / b"bad\xff.yaml".decode("utf-8", "surrogateescape")).write_text("genes: []\n")
        (program / "line\nbreak.yaml").write_text("genes: []\n")
        result = run("validate", str(program))
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "bad\\xff.yaml: the file name is not valid UTF-8 text" in result.stderr, result.stderr
        assert "the file name holds U+000A" in result.stderr, result.stderr


# --- every XML writer makes well-formed XML whatever it is given -------------------------------

HOSTILE = "a\x00b\x07c\x1bd\ud800e\ufffef\uffffg<h>&i\"j'k\x85l\U0001fffe"


def hostile_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name=HOSTILE)
    graph.add_node(f"variant:{HOSTILE}", kind="variant", label=HOSTILE, notes=HOSTILE)
    graph.add_node("gene:CPS1", kind="gene", label="CPS1")
    graph.add_edge(f"variant:{HOSTILE}", "gene:CPS1", rel="in_gene", note=HOSTILE)
    return graph


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_xml_is_well_formed_whatever_the_text(fmt: str):
    data = export_graph(hostile_graph(), fmt)
    root = etree.fromstring(data)
    assert "\ufffd" in etree.tostring(root, encoding="unicode")


@pytest.mark.parametrize("fmt", ["json", "cyjs", "dot", "mermaid"])
def test_other_graph_formats_encode_whatever_the_text(fmt: str):
    text = export_graph(hostile_graph(), fmt).decode("utf-8")  # a lone surrogate could not be encoded
    assert xml_safe(text) == text


def test_graphviz_svg_is_well_formed_whatever_the_text():
    from basket.documents.graphviz_pictures import graph_picture
    from tests.site.browser import require_tool

    require_tool("Graphviz", "dot")
    etree.fromstring(graph_picture(hostile_graph(), "svg"))


def test_word_document_is_well_formed_whatever_the_text():
    title = HOSTILE * 40  # 760 characters: longer than Word's 255-character core properties
    body = f"<h1>{HOSTILE}</h1><p>{HOSTILE}</p><table><tr><th>{HOSTILE}</th></tr><tr><td>x</td></tr></table>"
    data = html_to_docx(body, title, {"running_header": HOSTILE, "version": HOSTILE * 30}, {})
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                etree.fromstring(package.read(name))
        core = etree.fromstring(package.read("docProps/core.xml"))
    title_text = core.find("{http://purl.org/dc/elements/1.1/}title").text
    assert len(title_text) == 255 and title_text.endswith("…")


def test_html_pages_hold_only_xml_characters(minimal):
    """A value that slipped past the loader (here: set on the loaded program) still makes HTML and
    Markdown that encode and hold no forbidden character (Word: the writer test above)."""
    from basket.documents.rendering import RenderOptions, render_documents
    from basket.plan.umbrella_decision import checked_plan
    from basket.program.load import load_program

    loaded = load_program(minimal)
    umbrella = loaded.program.umbrella.model_copy(update={"title": HOSTILE, "sponsor": HOSTILE})
    program = loaded.program.model_copy(update={"umbrella": umbrella})
    loaded = type(loaded)(program, loaded.root, loaded.inputs, loaded.locator)
    result = render_documents(loaded, checked_plan(loaded), RenderOptions(("md", "html"), pictures=False))
    assert len(result.outputs) > 3
    for path, data in result.outputs.items():
        assert xml_safe(data.decode("utf-8")) == data.decode("utf-8"), path


def test_viewer_and_streamed_pages_hold_only_xml_characters():
    import jinja2

    from basket.documents.graph_viewer import viewer_html
    from basket.documents.template_environment import render_chunks

    page = viewer_html(hostile_graph(), title=HOSTILE).decode("utf-8")
    assert xml_safe(page) == page
    template = jinja2.Environment(autoescape=True).from_string("{% for i in items %}<li>{{ i }}</li>{% endfor %}")
    streamed = b"".join(render_chunks(template, {"items": [HOSTILE] * 50}, size=64)).decode("utf-8")
    assert xml_safe(streamed) == streamed and streamed.count("<li>") == 50
