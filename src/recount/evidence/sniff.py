"""Media types from content, not from file names: the magic numbers of the formats evidence
comes in (photos, video, audio, documents). A name's extension is recorded beside the type the
content shows, so a renamed file (``report.pdf`` that is really a JPEG) is noticed.
"""

from __future__ import annotations

import mimetypes

OCTET_STREAM = "application/octet-stream"

# (offset, magic bytes, media type); the first match wins, so longer magics come first.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"BM", "image/bmp"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"fLaC", "audio/flac"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\x1aE\xdf\xa3", "video/x-matroska"),
    (0, b"#!AMR", "audio/amr"),
    (0, b"{\\rtf", "application/rtf"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\x37\x7a\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
)

# ISO base media (MP4, MOV, HEIC, M4A): ``ftyp`` at offset 4, then a brand.
_FTYP_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
    b"avif": "image/avif",
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4",
    b"M4V ": "video/mp4",
    b"3gp4": "video/3gpp",
    b"3gp5": "video/3gpp",
    b"3g2a": "video/3gpp2",
}

_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}


def sniff(head: bytes) -> str:
    """The media type of a file whose first bytes (at least 512 if it has them) are ``head``."""
    for offset, magic, media_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if media_type == "application/zip":
                return _zip_type(head)
            return media_type
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "video/mp4")
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    return _text_type(head)


def _zip_type(head: bytes) -> str:
    # Office and OpenDocument files are ZIP archives; their first member tells which.
    if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
        return "application/vnd.oasis.opendocument.text"
    if b"word/" in head:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if b"xl/" in head:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "application/zip"


def _text_type(head: bytes) -> str:
    if _utf16(head):
        return "text/plain"
    if not head or b"\x00" in head:
        return OCTET_STREAM
    # A cut at the end of the sample may split a multi-byte character: allow 3 bytes of it.
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    else:
        return OCTET_STREAM
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return OCTET_STREAM
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return "text/html"
    if lowered.startswith("<?xml"):
        return "application/xml"
    return "text/plain"


def _utf16(head: bytes) -> bool:
    return head[:2] in (b"\xff\xfe", b"\xfe\xff")


def extension_type(name: str) -> str | None:
    """What the file name's extension claims, for comparison with the content."""
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed


def is_image(media_type: str) -> bool:
    return media_type in {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/tiff",
        "image/bmp",
        "image/webp",
    }
