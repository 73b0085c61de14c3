"""What a file says about itself: EXIF date, device and GPS of photos; PDF information and text;
a thumbnail and a perceptual hash (dHash) for images.

Extraction never fails an ingest: a file whose metadata cannot be read is still evidence, and
the reason is kept in its metadata (``extraction_error``). Memory stays bounded: JPEGs are
decoded at reduced scale (``draft``), and PDF text is taken from at most ``PDF_PAGES`` pages.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from recount.evidence.sniff import extension_type, is_image

log = logging.getLogger(__name__)

THUMBNAIL = 256
PDF_PAGES = 200
PDF_TEXT_CHARS = 2_000_000
PDF_MAX_BYTES = 256 << 20

# EXIF tags (TIFF/EXIF 2.3 numbers) kept under readable names.
_BASE = {
    271: "make",
    272: "model",
    305: "software",
    306: "datetime",
    274: "orientation",
    315: "artist",
    33432: "copyright",
    270: "description",
}
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_EXIF = {
    36867: "datetime_original",
    36868: "datetime_digitized",
    36881: "offset_original",
    42033: "body_serial",
    42036: "lens_model",
    42016: "image_unique_id",
    37510: "user_comment",
}


# EXIF orientation → the transpose that makes the picture upright (as ImageOps.exif_transpose).
_ORIENTATION = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}  # Image.Transpose values


@dataclass
class Derived:
    kind: str  # thumbnail | text
    media_type: str
    data: bytes
    method: str


@dataclass
class Extracted:
    metadata: dict[str, Any] = field(default_factory=dict)
    captured_at: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    phash: str | None = None
    derived: list[Derived] = field(default_factory=list)


def extract(path: Path, media_type: str, name: str, size: int) -> Extracted:
    result = Extracted()
    claimed = extension_type(name)
    if claimed and claimed != media_type:
        result.metadata["extension_type"] = claimed
        result.metadata["extension_mismatch"] = True
    try:
        if is_image(media_type):
            _image(path, result)
        elif media_type == "application/pdf":
            _pdf(path, size, result)
    except Exception as exc:  # any decoder error: keep the file, record why
        log.info("%s: metadata not read: %s", name, exc)
        result.metadata["extraction_error"] = f"{type(exc).__name__}: {exc}"
    return result


def _image(path: Path, result: Extracted) -> None:
    from PIL import Image

    with Image.open(path) as image:
        result.metadata.update(format=image.format, width=image.width, height=image.height)
        exif = image.getexif()
        tags = {name: _plain(exif[tag]) for tag, name in _BASE.items() if tag in exif}
        sub = exif.get_ifd(_EXIF_IFD)
        tags.update({name: _plain(sub[tag]) for tag, name in _EXIF.items() if tag in sub})
        gps = _gps(exif.get_ifd(_GPS_IFD))
        if tags:
            result.metadata["exif"] = tags
        if gps:
            result.metadata["gps"] = gps
            result.latitude, result.longitude = gps.get("latitude"), gps.get("longitude")
        result.captured_at = _exif_time(
            tags.get("datetime_original") or tags.get("datetime"), tags.get("offset_original")
        )
        # JPEG: decode at 1/2-1/8 scale; enough for a thumbnail, far less memory and time.
        image.draft("RGB", (THUMBNAIL, THUMBNAIL))
        image.thumbnail((THUMBNAIL, THUMBNAIL))
        upright = image if image.mode == "RGB" else image.convert("RGB")
        transpose = _ORIENTATION.get(exif.get(274, 1))
        if transpose is not None:  # the camera was turned: store the thumbnail upright
            upright = upright.transpose(transpose)
    result.phash = dhash(upright)
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", quality=80)
    result.derived.append(
        Derived(
            "thumbnail",
            "image/jpeg",
            buffer.getvalue(),
            f"Pillow thumbnail {THUMBNAIL}px, JPEG q80",
        )
    )


def dhash(image: Any) -> str:
    """64-bit difference hash: is each pixel of a 9×8 greyscale copy brighter than its left
    neighbour. Resized, recompressed or slightly edited photos differ in a few bits."""
    from PIL import Image

    small = np.asarray(image.convert("L").resize((9, 8), Image.Resampling.LANCZOS), dtype=np.int16)
    bits = (small[:, 1:] > small[:, :-1]).flatten()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _gps(ifd: Any) -> dict:
    if not ifd:
        return {}
    out: dict[str, Any] = {}
    for ref_tag, value_tag, name in ((1, 2, "latitude"), (3, 4, "longitude")):
        if value_tag in ifd:
            degrees, minutes, seconds = (float(v) for v in ifd[value_tag])
            value = degrees + minutes / 60 + seconds / 3600
            if str(ifd.get(ref_tag, "")).upper() in ("S", "W"):
                value = -value
            out[name] = round(value, 7)
    if 6 in ifd:
        altitude = float(ifd[6])
        out["altitude"] = -altitude if ifd.get(5) in (1, b"\x01") else altitude
    if 29 in ifd:
        out["datestamp"] = str(ifd[29])
    return out


def _exif_time(value: Any, offset: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.strptime(value.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    text = moment.isoformat()
    if isinstance(offset, str) and re.fullmatch(r"[+-]\d\d:\d\d", offset.strip("\x00 ")):
        return text + offset.strip("\x00 ")
    return text  # local time of the camera, zone unknown: kept without one, not guessed


def _plain(value: Any) -> Any:
    """EXIF values as JSON: rationals to floats, bytes to text (or hex), tuples to lists."""
    if isinstance(value, bytes):
        text = value.rstrip(b"\x00")
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError:
            return text.hex()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, int | str):
        return value.strip("\x00") if isinstance(value, str) else value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _pdf(path: Path, size: int, result: Extracted) -> None:
    from pypdf import PdfReader

    if size > PDF_MAX_BYTES:
        result.metadata["pdf_note"] = f"larger than {PDF_MAX_BYTES >> 20} MB: text not extracted"
        return
    reader = PdfReader(path)
    info = reader.metadata or {}
    fields = {
        key.lstrip("/").lower(): str(value) for key, value in info.items() if isinstance(key, str)
    }
    result.metadata["pdf"] = {
        "pages": len(reader.pages),
        "encrypted": reader.is_encrypted,
        **fields,
    }
    if reader.is_encrypted:
        return
    parts: list[str] = []
    total = 0
    for page in reader.pages[:PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total > PDF_TEXT_CHARS:
            break
    text = "\n\f\n".join(parts)[:PDF_TEXT_CHARS]
    if text.strip():
        result.derived.append(
            Derived(
                "text",
                "text/plain; charset=utf-8",
                text.encode("utf-8"),
                f"pypdf text extraction, first {PDF_PAGES} pages",
            )
        )
