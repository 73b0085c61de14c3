"""Evidence for the demo case: generated photographs (with EXIF date, device and GPS), a
resized copy of one (a near duplicate), and a PDF report, all about the demo's fictional event.

Everything here is synthetic and says so — in the pictures, in their EXIF descriptions, in the
captions and in the report's text. Nothing depicts or describes a real place or person.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from recount.case.folder import Case
from recount.case.sources import add_source, get_source
from recount.errors import NotFoundError
from recount.evidence.ingest import AddedItem, AddOptions, add_files

DEMO_SOURCE = "demo-photo-archive"
LABEL = "SYNTHETIC - FICTIONAL DEMO"
# A fictional spot (open sea, far from any town): GPS in the demo is illustrative only.
LATITUDE, LONGITUDE = 40.1234, 49.8765


def add_demo_evidence(
    case: Case, folder: Path, event: str | None = None, seed: int = 1992
) -> list[AddedItem]:
    """Write the demo's files into ``folder`` and add them to ``case`` (linked to ``event``)."""
    folder.mkdir(parents=True, exist_ok=True)
    with case.reading() as conn:
        try:
            get_source(conn, DEMO_SOURCE)
            exists = True
        except NotFoundError:
            exists = False
    if not exists:
        add_source(case, DEMO_SOURCE, "Photo archive (fictional, synthetic demo)", "media")
    rng = random.Random(seed)
    start = datetime(1992, 2, 26, 5, 10)
    files: list[tuple[Path, str]] = []
    for number in range(1, 4):
        taken = start + timedelta(minutes=17 * number)
        path = folder / f"demo-photo-{number}.jpg"
        write_photo(path, rng, taken, number)
        files.append((path, f"Synthetic photograph {number} of the fictional demo event"))
    copy = folder / "demo-photo-1-resized.jpg"
    _resized_copy(files[0][0], copy)
    files.append((copy, "Resized copy of synthetic photograph 1 (a near duplicate)"))
    report = folder / "demo-report.pdf"
    write_report(report, start)
    files.append((report, "Fictional field report on the demo event"))
    added: list[AddedItem] = []
    for path, caption in files:
        options = AddOptions(
            source=DEMO_SOURCE,
            caption=caption,
            credit="recount demo (synthetic)",
            sensitivity="public",
            events=[event] if event else [],
            actor="recount-demo",
            note="generated for the demo; fictional",
        )
        added += add_files(case, [path], options).items
    return added


def write_photo(path: Path, rng: random.Random, taken: datetime, number: int) -> None:
    """A generated street scene with its label drawn in, and EXIF as a phone would write."""
    from PIL import Image, ImageDraw

    width, height = 960, 640
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):  # sky
        shade = 150 + y * 80 // (height // 2)
        draw.line([(0, y), (width, y)], fill=(shade - 60, shade - 30, shade))
    draw.rectangle([0, height // 2, width, height], fill=(90, 85, 80))
    x = 0
    while x < width:  # buildings of random widths and heights
        w, h = rng.randint(60, 160), rng.randint(120, 300)
        grey = rng.randint(70, 170)
        draw.rectangle(
            [x, height // 2 - h, x + w, height // 2 + 40], fill=(grey, grey - 10, grey - 20)
        )
        for wx in range(x + 10, x + w - 15, 25):
            for wy in range(height // 2 - h + 15, height // 2, 35):
                lit = rng.random() < 0.3 + 0.1 * number
                draw.rectangle(
                    [wx, wy, wx + 12, wy + 18], fill=(230, 210, 120) if lit else (40, 40, 50)
                )
        x += w + rng.randint(5, 30)
    smoke = rng.randint(200, 760)
    for ring in range(12):
        r = 20 + ring * 9
        draw.ellipse(
            [smoke - r, 120 - ring * 8 - r // 2, smoke + r, 120 - ring * 8 + r // 2],
            fill=(60 + ring * 6,) * 3,
        )
    draw.rectangle([0, height - 36, width, height], fill=(0, 0, 0))
    draw.text((12, height - 28), f"{LABEL} - photo {number}", fill=(255, 255, 0))
    exif = Image.Exif()
    exif[271] = "recount-demo"  # Make
    exif[272] = "Synthetic Camera 1"  # Model
    exif[270] = "Synthetic image generated for the recount demo; depicts nothing real"
    exif[305] = "recount demo"  # Software
    sub = exif.get_ifd(0x8769)
    sub[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    sub[36881] = "+04:00"  # OffsetTimeOriginal
    sub[42033] = f"DEMO-{number:04d}"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", _dms(LATITUDE + number * 0.0005)
    gps[3], gps[4] = "E", _dms(LONGITUDE + number * 0.0007)
    image.save(path, "JPEG", quality=88, exif=exif)


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return (float(degrees), float(minutes), seconds)


def _resized_copy(source: Path, target: Path) -> None:
    from PIL import Image

    with Image.open(source) as image:
        exif = image.getexif()
        image.resize((480, 320)).save(target, "JPEG", quality=70, exif=exif)


def write_report(path: Path, date: datetime) -> None:
    """A one-page PDF (hand-built, PDF 1.4) with a title, an author and a creation date."""
    lines = [
        LABEL,
        "",
        "Field report (fictional)",
        "",
        "This report was generated by recount's demo. The event, the town, the people",
        "and every figure in it are invented for demonstration purposes.",
        "",
        f"Date of the fictional event: {date:%d %B %Y}.",
        "A fictional team documented damage to houses and collected testimonies.",
        "The synthetic photographs in this case are attached to the same event.",
    ]
    body = (
        "BT /F1 12 Tf 16 TL 72 740 Td "
        + " ".join(f"({_pdf_text(line)}) Tj T*" for line in lines)
        + " ET"
    )
    stamp = date.strftime("D:%Y%m%d%H%M%S+04'00'")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title (Fictional field report - recount demo) /Author (recount demo, synthetic) "
        f"/Subject ({LABEL}) /CreationDate ({stamp}) /Producer (recount) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{text}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(out))


def _pdf_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
