"""The background writer: every file written with its sha256, big files in pieces, failures raised."""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.documents.template_environment import render_chunks
from basket.foundation import background_writer as writer
from basket.foundation.background_writer import BackgroundWriter
from basket.foundation.characters import xml_safe


def test_files_and_pieces_are_written_with_their_hashes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(writer, "MAX_PENDING", 2)  # the queue fills and drains
    files = {f"d{i % 3}/f{i}.md": f"file {i}\n".encode() * i for i in range(20)}
    with BackgroundWriter(tmp_path) as out:
        for path, data in files.items():
            out.write(path, data)
        out.write_pieces("big.html", (b"piece %d\n" % i for i in range(1000)))
        hashes = out.hashes()
    files["big.html"] = b"".join(b"piece %d\n" % i for i in range(1000))
    assert hashes == {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    assert all((tmp_path / path).read_bytes() == data for path, data in files.items())


def test_a_failed_write_is_raised(tmp_path: Path, monkeypatch):
    def fails(target: Path, data: bytes) -> str:
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(writer, "_write", fails)
    with pytest.raises(OSError, match="No space left"), BackgroundWriter(tmp_path) as out:
        out.write("a.md", b"a")
        out.hashes()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=40), st.integers(1, 64))
def test_rendering_in_pieces_gives_the_rendered_bytes(items: list[str], size: int):
    template = jinja2.Environment(autoescape=True).from_string("{% for i in items %}<li>{{ i }}</li>{% endfor %}")
    pieces = list(render_chunks(template, {"items": items}, size))
    assert b"".join(pieces) == xml_safe(template.render(items=items)).encode("utf-8")
    assert all(len(piece.decode("utf-8")) < size + 200 for piece in pieces)
