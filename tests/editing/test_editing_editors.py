from __future__ import annotations

import pytest
from pydantic import ValidationError

from basket.editing.editors import Editor

BASE = {
    "name": "X",
    "deaminase": "ABE",
    "cas_variant": "SpCas9 nickase",
    "pams": ["NGG"],
    "core_window": (4, 8),
    "source": "a paper",
}


def test_catalogue_has_the_required_editors_with_citations(catalogue: dict[str, Editor]) -> None:
    for name in ("ABE7.10", "ABE8e", "NG-ABE8e", "SpRY-ABE8e", "BE4max", "VRQR-ABE8e"):
        assert name in catalogue
    assert catalogue["BE4max"].deaminase == "CBE"
    assert catalogue["VRQR-ABE8e"].pams == ["NGA"]
    assert catalogue["ABE8e"].core_window == (4, 8)
    for editor in catalogue.values():
        assert "doi:10." in editor.source, editor.name
        assert editor.window_of(editor.core_window[0]) == "core"


def test_custom_editor_and_window_lookup(ngc_editor: Editor) -> None:
    assert ngc_editor.edited_base == "A"
    assert ngc_editor.outer_window == (3, 9)
    assert [ngc_editor.window_of(p) for p in (2, 3, 4, 8, 9, 10)] == [
        None,
        "extended",
        "core",
        "core",
        "extended",
        None,
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extended_window": (5, 9)}, "must contain core_window"),
        ({"core_window": (0, 8)}, "1 <= start <= end"),
        ({"core_window": (8, 4)}, "1 <= start <= end"),
        ({"core_window": (4, 21)}, "spacer_length"),
        ({"pams": ["NGX"]}, "not an IUPAC"),
        ({"pams": []}, "at least one PAM"),
        ({"deaminase": "GBE"}, "ABE"),
        ({"colour": "red"}, "Extra inputs"),
        ({"spacer_length": 5}, "outside 10..40"),
    ],
)
def test_editor_validation_messages(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Editor.model_validate({**BASE, **change})


def test_editor_is_frozen_and_pams_upper_cased() -> None:
    editor = Editor.model_validate({**BASE, "pams": ["ngc"]})
    assert editor.pams == ["NGC"]
    with pytest.raises(ValidationError):
        editor.name = "Y"  # type: ignore[misc]
