"""The study as JSON bytes, and back through usdm4.

Same program, same bytes: ids and the study's UUID are derived from the program, nothing carries
a time, and keys keep usdm4's field order. Written atomically by `basket.api.export_usdm`.
"""

from __future__ import annotations

import json

from usdm4.api.wrapper import Wrapper


def study_json(wrapper: Wrapper) -> bytes:
    """UTF-8 JSON, two-space indented, by pydantic's serializer (Python's json module with an indent
    took four times as long as building the study)."""
    return wrapper.model_dump_json(indent=2, by_alias=True).encode("utf-8") + b"\n"


def load_study(data: bytes) -> Wrapper:
    """Read an exported study back into usdm4's model (raises pydantic's ValidationError if it does not fit)."""
    return Wrapper.model_validate(json.loads(data))
