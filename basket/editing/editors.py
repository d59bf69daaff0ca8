"""Base editors as data, and the built-in catalogue shipped in ``editors.yaml``.

Window positions are 1-based on the protospacer, counted from its PAM-distal (5') end,
so position 20 of a 20-nt protospacer is the base next to the PAM.
"""

from __future__ import annotations

from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from basket.editing.sequence import SequenceError, validate_iupac

Deaminase = Literal["ABE", "CBE"]
WindowName = Literal["core", "extended"]

# The base each deaminase chemically converts, read on the protospacer strand.
EDITED_BASE: dict[str, str] = {"ABE": "A", "CBE": "C"}
PRODUCT_BASE: dict[str, str] = {"ABE": "G", "CBE": "T"}


class Editor(BaseModel):
    """A base editor: deaminase + Cas variant (PAMs) + editing windows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    deaminase: Deaminase
    cas_variant: str
    pams: list[str]
    noncanonical_pams: list[str] = Field(default_factory=list)
    noncanonical_pams_source: str | None = None
    core_window: tuple[StrictInt, StrictInt]
    extended_window: tuple[StrictInt, StrictInt] | None = None
    spacer_length: StrictInt = 20
    source: str
    notes: str | None = None

    @field_validator("pams", "noncanonical_pams")
    @classmethod
    def _pams_are_iupac(cls, pams: list[str], info) -> list[str]:
        if not pams and info.field_name == "pams":
            raise ValueError("an editor needs at least one PAM")
        try:
            return [validate_iupac(pam, "PAM") for pam in pams]
        except SequenceError as error:
            raise ValueError(str(error)) from None

    @field_validator("spacer_length")
    @classmethod
    def _spacer_length_is_plausible(cls, length: int) -> int:
        if not 10 <= length <= 40:
            raise ValueError(f"spacer_length {length} is outside 10..40 nt")
        return length

    @model_validator(mode="after")
    def _noncanonical_pams_sourced(self) -> Editor:
        if self.noncanonical_pams and not self.noncanonical_pams_source:
            raise ValueError("noncanonical_pams need noncanonical_pams_source: where the weaker PAMs were reported")
        return self

    @model_validator(mode="after")
    def _windows_fit(self) -> Editor:
        _check_window("core_window", self.core_window, self.spacer_length)
        if self.extended_window is not None:
            _check_window("extended_window", self.extended_window, self.spacer_length)
            (core_lo, core_hi), (ext_lo, ext_hi) = self.core_window, self.extended_window
            if not (ext_lo <= core_lo and core_hi <= ext_hi):
                raise ValueError(f"extended_window {self.extended_window} must contain core_window {self.core_window}")
        return self

    @property
    def edited_base(self) -> str:
        """The base the deaminase converts, on the protospacer strand (A for ABE, C for CBE)."""
        return EDITED_BASE[self.deaminase]

    @property
    def product_base(self) -> str:
        return PRODUCT_BASE[self.deaminase]

    @property
    def outer_window(self) -> tuple[int, int]:
        """The widest window at which this editor acts (extended if given, else core)."""
        return self.extended_window or self.core_window

    def window_of(self, position: int) -> WindowName | None:
        """Which window a protospacer position falls in, if any."""
        lo, hi = self.core_window
        if lo <= position <= hi:
            return "core"
        if self.extended_window and self.extended_window[0] <= position <= self.extended_window[1]:
            return "extended"
        return None


def _check_window(field: str, window: tuple[int, int], spacer_length: int) -> None:
    lo, hi = window
    if not 1 <= lo <= hi <= spacer_length:
        raise ValueError(
            f"{field} {window} must satisfy 1 <= start <= end <= spacer_length ({spacer_length}); "
            "positions are 1-based from the PAM-distal end of the protospacer"
        )


def load_catalogue() -> dict[str, Editor]:
    """The built-in editors, by name, from the packaged ``editors.yaml``."""
    text = resources.files("basket.editing").joinpath("editors.yaml").read_text(encoding="utf-8")
    entries = yaml.safe_load(text)["editors"]
    editors = [Editor.model_validate(entry) for entry in entries]
    return {editor.name: editor for editor in editors}
