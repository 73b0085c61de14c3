"""The text of a file that claims are extracted from: plain text (UTF-8) or a PDF's text layer.

The offsets of saved claims index this text, so it is read the same way every time: UTF-8 with
an optional byte-order mark, line endings as written; for a PDF, pypdf's text of each page
joined by a blank line. A file that is neither is refused with the reason.
"""

from __future__ import annotations

from pathlib import Path

from recount.errors import InputFileError


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read it ({exc.strerror})") from None
    if data.startswith(b"%PDF"):
        return _pdf_text(path)
    if b"\x00" in data[:4096]:
        raise InputFileError(str(path), "a binary file; give a plain text (UTF-8) or a PDF")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            str(path),
            f"not UTF-8 text (byte {exc.start}: "
            f"{data[exc.start : exc.start + 1]!r}); save it as "
            "UTF-8",
        ) from None
    if not text.strip():
        raise InputFileError(str(path), "the file is empty")
    return text


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    except (PdfReadError, ValueError, OSError) as exc:
        raise InputFileError(str(path), f"cannot read the PDF ({exc})") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise InputFileError(
            str(path), "the PDF has no text layer (a scan?); recount does not read text from images"
        )
    return text
