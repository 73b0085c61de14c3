"""Tell how a text file is encoded, or that it is not a text file at all.

Order of evidence: a byte-order mark (UTF-8, UTF-16); NUL bytes (UTF-16 without a mark, or a
binary file); the whole file decoding as UTF-8; otherwise a single-byte code page, cp1251
(Cyrillic) or cp1252 (Western European), chosen by charset-normalizer on the file's start.
A file that is UTF-8 in one place and something else in another is refused with the line where
the encoding changes, because any single guess would corrupt part of it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer

from recount.errors import InputFileError

SINGLE_BYTE_CANDIDATES = ["cp1251", "cp1252"]
SUPPORTED = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "cp1252")
_CHUNK = 1 << 20

_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an XLSX workbook is one: give it the .xlsx extension)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office document (XLS): save it as XLSX or CSV",
    b"SQLite format 3": "an SQLite database",
    b"\x1f\x8b": "a gzip archive",
}


def detect_encoding(path: Path) -> str:
    """The encoding to read ``path`` with; raises ``InputFileError`` for binary or mixed files."""
    with path.open("rb") as handle:
        start = handle.read(64 * 1024)
    if not start:
        raise InputFileError(str(path), "the file is empty (0 bytes)")
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for magic, what in _MAGIC.items():
        if start.startswith(magic):
            raise InputFileError(str(path), f"this is {what}, not a text file of records")
    if b"\x00" in start:
        return _utf16_without_mark(path, start)
    if _is_utf8(path):
        return "utf-8"
    best = charset_normalizer.from_bytes(start, cp_isolation=SINGLE_BYTE_CANDIDATES).best()
    if best is None:
        raise InputFileError(
            str(path),
            "cannot tell the text encoding; convert the file to UTF-8, or give the "
            'encoding in the mapping file ([options] encoding = "cp1251")',
        )
    return best.encoding


def _utf16_without_mark(path: Path, start: bytes) -> str:
    sample = start[: len(start) - len(start) % 2]
    half = max(len(sample) // 2, 1)
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    if nul_odd > 0.3 * half and nul_even < 0.05 * half:
        return "utf-16-le"
    if nul_even > 0.3 * half and nul_odd < 0.05 * half:
        return "utf-16-be"
    raise InputFileError(str(path), "the file holds binary data (NUL bytes), not text records")


def _is_utf8(path: Path) -> bool:
    """Whether the whole file is UTF-8; raises if it is UTF-8 only up to some line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    seen_multibyte = False
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                seen_multibyte = seen_multibyte or not chunk[: exc.start].isascii()
                if seen_multibyte:
                    _raise_mixed(path, offset + exc.start, chunk[exc.start : exc.start + 4])
                return False
            seen_multibyte = seen_multibyte or not chunk.isascii()
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _raise_mixed(path: Path, offset: int, found: bytes) -> None:
    line = _line_of_offset(path, offset)
    raise InputFileError(
        str(path),
        f"line {line}: bytes {found.hex(' ')} are not UTF-8, though earlier lines are UTF-8; "
        "the file mixes encodings. Convert it to one encoding (UTF-8) and import it again",
    )


def _line_of_offset(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1
