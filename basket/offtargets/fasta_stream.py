"""Reading a reference FASTA front to back, one contig at a time, and hashing the file as it is read.

A genome is not held in memory: only the contig being searched is. The file may be plain or gzip /
bgzip-compressed (recognised by its first bytes); its sha256 (of the bytes on disk) and size identify
the reference in the output. A file that is not FASTA is bad input with its line:
`file:line: message`, exit 2 — checked as the file streams, before anything is written.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from basket.foundation.problems import InputError, Problem

CHUNK_BYTES = 8 << 20
GZIP_MAGIC = b"\x1f\x8b"
# Letters are bases (anything but A, C, G, T reads as N); '*' and '-' are tolerated as gaps (read as N).
_SEQUENCE_BYTES = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1)) + b"*-\r\n"


@dataclass(frozen=True)
class ReferenceIdentity:
    """What identifies the reference a search ran on; printed in every output header."""

    file_name: str
    sha256: str
    size_bytes: int
    contigs: int
    bases: int
    build: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"build": self.build, "file_name": self.file_name, "sha256": self.sha256,
                "size_bytes": self.size_bytes, "contigs": self.contigs, "bases": self.bases}


class _HashingReader:
    """Reads the raw file, hashing and counting every byte (the compressed bytes for a gzip file)."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.hash = hashlib.sha256()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.hash.update(data)
        self.count += len(data)
        return data

    def drain(self) -> None:
        while self.read(CHUNK_BYTES):
            pass


class FastaStream:
    """Iterate ``(name, sequence bytes)`` per contig; afterwards ``identity`` describes the whole file.

    ``position`` is how many bytes of the file have been read (for progress against ``size``).
    """

    def __init__(self, path: Path, build: str | None = None):
        self.path = Path(path)
        self.build = build
        if not self.path.is_file():  # a named pipe would be read forever
            raise InputError([Problem(str(self.path), 0, "", "the reference FASTA is not a regular file")])
        self.size = self.path.stat().st_size
        self._reader: _HashingReader | None = None
        self._contigs = 0
        self._bases = 0
        self.identity: ReferenceIdentity | None = None

    @property
    def position(self) -> int:
        return self._reader.count if self._reader else 0

    def __iter__(self) -> Iterator[tuple[str, bytearray]]:
        try:
            with self.path.open("rb") as raw:
                self._reader = _HashingReader(raw)
                compressed = raw.read(2) == GZIP_MAGIC
                raw.seek(0)
                source = gzip.GzipFile(fileobj=self._reader, mode="rb") if compressed else self._reader
                yield from self._contigs_of(source)
                self._reader.drain()
        except (OSError, EOFError, zlib.error) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise InputError([Problem(str(self.path), 0, "", f"cannot read the reference FASTA: {reason}")]) from None
        if self._contigs == 0:
            raise InputError([Problem(str(self.path), 0, "", "no sequence: a FASTA starts with a '>name' line")])
        self.identity = ReferenceIdentity(self.path.name, self._reader.hash.hexdigest(), self.size, self._contigs,
                                          self._bases, self.build)

    def _contigs_of(self, source) -> Iterator[tuple[str, bytearray]]:
        name: str | None = None
        sequence = bytearray()
        line = 1  # the line number of the first line in `pending`
        pending = b""
        seen: set[str] = set()
        while True:
            data = source.read(CHUNK_BYTES)
            pending += data
            cut = pending.rfind(b"\n") + 1 if data else len(pending)
            lines, pending = pending[:cut], pending[cut:]
            for header_line, header, body in _split_headers(lines, line):
                if header is not None:
                    if name is not None:
                        yield name, sequence
                        sequence = bytearray()
                    name = self._contig_name(header, header_line, seen)
                if body:
                    self._check_body(body, header_line + (header is not None), name)
                    sequence += body.translate(None, b"\r\n")
            line += lines.count(b"\n")
            if not data:
                break
        if name is not None:
            yield name, sequence

    def _contig_name(self, header: bytes, line: int, seen: set[str]) -> str:
        text = header.decode("utf-8", "replace").strip()
        name = text.split(maxsplit=1)[0] if text else ""
        if not name:
            raise InputError([Problem(str(self.path), line, "", "a '>' line without a contig name")])
        if name in seen:
            raise InputError([Problem(str(self.path), line, "", f"contig {name!r} appears twice")])
        seen.add(name)
        self._contigs += 1
        return name

    def _check_body(self, body: bytes, line: int, name: str | None) -> None:
        if name is None and body.strip():
            raise InputError([Problem(str(self.path), line, "", "sequence before the first '>name' line: "
                                      "not a FASTA file")])
        bad = body.translate(None, _SEQUENCE_BYTES)
        if bad:
            index = body.index(bad[:1])
            where = line + body.count(b"\n", 0, index)
            raise InputError([Problem(str(self.path), where, "", f"{bytes(bad[:1])!r} is not a base "
                                      f"(contig {name})")])
        self._bases += len(body) - body.count(b"\n") - body.count(b"\r")


def _split_headers(lines: bytes, first_line: int) -> Iterator[tuple[int, bytes | None, bytes]]:
    """(line of the header or of the body's first line, header text or None, sequence lines after it)."""
    position = 0
    line = first_line
    while position < len(lines):
        if lines.startswith(b">", position):
            end = lines.find(b"\n", position)
            end = len(lines) if end < 0 else end + 1
            header_end = lines.find(b">", end)
            while header_end > 0 and lines[header_end - 1] != ord("\n"):
                header_end = lines.find(b">", header_end + 1)
            body_end = len(lines) if header_end < 0 else header_end
            yield line, lines[position + 1:end], lines[end:body_end]
            line += lines.count(b"\n", position, body_end)
            position = body_end
        else:
            header_start = lines.find(b"\n>", position)
            body_end = len(lines) if header_start < 0 else header_start + 1
            yield line, None, lines[position:body_end]
            line += lines.count(b"\n", position, body_end)
            position = body_end
