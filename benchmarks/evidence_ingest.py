"""Benchmark: evidence ingest — MB/s for one large file, photos/s for many small JPEGs.

Targets (issue 5): hashing at least 300 MB/s, and at least 50 photos/s with metadata (EXIF
date, device and GPS, a thumbnail, a perceptual hash and near-duplicate search), on a 2-core
machine.

Measured:
* ``hash``: sha256 of the 2 GB file in this process (the streaming reader ``add`` uses);
* ``add``: ``recount evidence add`` of the same file in a child process — hash, copy, fsync,
  rename, commit — with the child's peak resident memory;
* ``add protected``: the same, encrypted with AES-256-GCM as it is stored;
* ``photos``: ``recount evidence add FOLDER`` of 10,000 generated JPEGs (640×480, EXIF), as a
  user runs it, with peak memory.

    python benchmarks/evidence_ingest.py [--size-mb 2048] [--photos 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from recount.evidence.crypto import new_key_file
from recount.evidence.store import hash_file

HERE = Path(__file__).parent
MB = 1 << 20


def write_large(path: Path, size: int) -> None:
    """Incompressible data: a random 4 MiB block with a counter in each copy."""
    block = bytearray(os.urandom(4 * MB))
    with path.open("wb") as handle:
        written = 0
        counter = 0
        while written < size:
            block[:8] = counter.to_bytes(8, "big")
            piece = bytes(block[: min(len(block), size - written)])
            handle.write(piece)
            written += len(piece)
            counter += 1


def write_photos(folder: Path, count: int) -> None:
    from PIL import Image, ImageDraw

    rng = random.Random(5)
    start = datetime(1992, 2, 26, 5, 0)
    for number in range(count):
        sub = folder / f"roll-{number // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        image = Image.new("RGB", (640, 480), tuple(rng.randint(0, 255) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(6):
            x, y = rng.randint(0, 600), rng.randint(0, 440)
            draw.rectangle(
                [x, y, x + rng.randint(20, 200), y + rng.randint(20, 200)],
                fill=tuple(rng.randint(0, 255) for _ in range(3)),
            )
        draw.text((8, 460), f"SYNTHETIC benchmark photo {number}", fill=(255, 255, 255))
        exif = Image.Exif()
        exif[271], exif[272] = "BenchCam", f"Model {number % 7}"
        exif.get_ifd(0x8769)[36867] = (start + timedelta(seconds=number * 7)).strftime(
            "%Y:%m:%d %H:%M:%S"
        )
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = "N", (40.0, float(number % 60), 12.5)
        gps[3], gps[4] = "E", (47.0, float(number % 59), 3.25)
        image.save(sub / f"IMG_{number:05d}.jpg", "JPEG", quality=85, exif=exif)


def run(case: Path, *args: str) -> tuple[float, float, str]:
    """Seconds and peak RSS (MB) of `recount ARGS` in a child process."""
    env = {**os.environ, "RECOUNT_CASE": str(case)}
    # Output goes to files, not pipes: a child blocked on a full pipe would never exit.
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "recount.cli", *args],
            env=env,
            stdout=stdout,
            stderr=stderr,
            text=True,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read(), stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"recount {' '.join(args)} failed:\n{err}")
    return seconds, usage.ru_maxrss / 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=2048)
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "evidence_ingest.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="recount-evidence-bench-"))
    rows: list[dict] = []
    try:
        case = work / "case"
        subprocess.run(
            [sys.executable, "-m", "recount.cli", "init", str(case)],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "recount.cli",
                "--case",
                str(case),
                "source",
                "add",
                "bench",
                "--name",
                "Benchmark",
                "--kind",
                "other",
            ],
            check=True,
            capture_output=True,
        )
        large = work / "large.bin"
        size = args.size_mb * MB
        write_large(large, size)
        started = time.perf_counter()
        hash_file(large)
        seconds = time.perf_counter() - started
        rows.append(
            {
                "what": f"hash {args.size_mb} MB (sha256, streaming)",
                "seconds": seconds,
                "rate": size / MB / seconds,
                "unit": "MB/s",
                "peak_rss_mb": None,
            }
        )
        seconds, peak, _ = run(case, "evidence", "add", str(large), "--source", "bench")
        rows.append(
            {
                "what": f"evidence add {args.size_mb} MB file",
                "seconds": seconds,
                "rate": size / MB / seconds,
                "unit": "MB/s",
                "peak_rss_mb": peak,
            }
        )
        key = work / "bench.key"
        new_key_file(key)
        seconds, peak, _ = run(
            case,
            "evidence",
            "add",
            str(large),
            "--source",
            "bench",
            "--sensitivity",
            "protected",
            "--key-file",
            str(key),
            "--new-key",
            "--caption",
            "encrypted copy",
        )
        rows.append(
            {
                "what": f"evidence add {args.size_mb} MB file, protected (AES-256-GCM)",
                "seconds": seconds,
                "rate": size / MB / seconds,
                "unit": "MB/s",
                "peak_rss_mb": peak,
            }
        )
        large.unlink()
        shutil.rmtree(case / "evidence" / "objects")
        photos = work / "photos"
        started = time.perf_counter()
        write_photos(photos, args.photos)
        made = time.perf_counter() - started
        seconds, peak, out = run(
            case, "evidence", "add", str(photos), "--source", "bench", "--json"
        )
        result = json.loads(out)
        rows.append(
            {
                "what": f"evidence add {args.photos:,} JPEGs (EXIF, thumbnail, dHash, "
                "near duplicates)",
                "seconds": seconds,
                "rate": args.photos / seconds,
                "unit": "photos/s",
                "peak_rss_mb": peak,
                "added": result["added"],
                "generated_in_s": round(made, 1),
            }
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'what':<70} {'seconds':>8} {'rate':>12} {'peak RSS':>9}")
    for row in rows:
        peak = f"{row['peak_rss_mb']:.0f} MB" if row["peak_rss_mb"] else ""
        print(
            f"{row['what']:<70} {row['seconds']:>8.1f} {row['rate']:>8.1f} {row['unit']:<4}"
            f"{peak:>9}"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "note": "shared machine: other work ran at the same time",
                },
                "targets": {"hash_mb_s": 300, "photos_s": 50},
                "results": [
                    {k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()}
                    for row in rows
                ],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
