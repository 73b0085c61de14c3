"""`recount evidence add`: metadata from content, duplicates, folders, and clear refusals."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.events.event import add_event
from recount.evidence.store import hash_file
from tests.conftest import run_cli
from tests.evidence.helpers import add, photo, report, sql


@pytest.mark.slow
def test_add_reads_exif_pdf_and_the_media_type_from_content(case: Case, tmp_path: Path) -> None:
    add_event(case, "town-1992", "A fictional event")
    files = [photo(tmp_path / "p.jpg", 1), report(tmp_path / "r.pdf")]
    disguised = tmp_path / "notes.jpg"  # a PDF under a photo's name
    shutil.copyfile(files[1], disguised)
    disguised.write_bytes(disguised.read_bytes() + b"\n%")  # different bytes, same type
    result = run_cli(
        "evidence",
        "add",
        *map(str, [*files, disguised]),
        "--source",
        "registry",
        "--caption",
        "Street, morning",
        "--event",
        "town-1992",
        "--json",
        case=case.root,
    )
    assert result.returncode == 0, result.stderr
    added = json.loads(result.stdout)
    assert [i["media_type"] for i in added["items"]] == [
        "image/jpeg",
        "application/pdf",
        "application/pdf",
    ]
    assert added["items"][0]["derived"] == ["thumbnail"]
    assert added["items"][1]["derived"] == ["text"]
    assert added["items"][0]["sha256"] == hash_file(files[0])[0]

    shown = json.loads(run_cli("evidence", "show", "1", "--json", case=case.root).stdout)
    assert shown["captured_at"] == "1992-02-26T05:30:00+04:00"
    assert shown["captured_at_source"] == "exif"
    assert shown["metadata"]["exif"]["make"] == "recount-demo"
    assert shown["metadata"]["exif"]["body_serial"] == "DEMO-0001"
    assert abs(shown["latitude"] - 40.1239) < 1e-3 and abs(shown["longitude"] - 49.8772) < 1e-3
    assert shown["links"] == [{"event": "town-1992"}] and shown["caption"] == "Street, morning"
    pdf = json.loads(run_cli("evidence", "show", "3", "--json", case=case.root).stdout)
    assert pdf["metadata"]["extension_mismatch"] is True
    assert pdf["metadata"]["pdf"]["title"] == "Fictional field report - recount demo"
    text_sha = pdf["derived"][0]["sha256"]
    text = (case.evidence_dir / "derived" / text_sha[:2] / text_sha).read_text(encoding="utf-8")
    assert "SYNTHETIC - FICTIONAL DEMO" in text
    # The original is stored byte for byte and read-only; the derived copy lives apart.
    stored = (
        case.evidence_dir
        / "objects"
        / added["items"][0]["sha256"][:2]
        / added["items"][0]["sha256"]
    )
    assert stored.read_bytes() == files[0].read_bytes()
    assert stored.stat().st_mode & 0o222 == 0


def test_exact_and_near_duplicates(case: Case, tmp_path: Path) -> None:
    original = photo(tmp_path / "a.jpg", 3)
    [first] = add(case, original)
    assert add(case, original) == [first]  # the same file from the same source: nothing new
    from PIL import Image

    with Image.open(original) as image:
        image.resize((400, 266)).save(tmp_path / "small.jpg", quality=60)
    result = run_cli(
        "evidence",
        "add",
        str(original),
        str(tmp_path / "small.jpg"),
        str(photo(tmp_path / "other.jpg", 9)),
        "--source",
        "ngo",
        case=case.root,
    )
    assert result.returncode == 0, result.stderr
    assert f"duplicate item 2: a.jpg (image/jpeg), same content as item {first}" in result.stdout
    assert "item 3: small.jpg (image/jpeg), looks like item(s) 1 (distance" in result.stdout
    near = sql(case.root, "SELECT item_id, other_id FROM evidence_near_duplicates")
    assert (3, 1) in near and all(4 not in pair for pair in near)
    assert sql(case.root, "SELECT count(*) FROM evidence_items") == [(4,)]
    # Two items, one object: content is stored once.
    assert (
        len(list((case.evidence_dir / "objects").rglob("*")))
        - len(list((case.evidence_dir / "objects").glob("*")))
        == 3
    )


def test_a_folder_is_added_recursively_with_relative_names(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "press"
    (folder / "day2").mkdir(parents=True)
    photo(folder / "one.jpg", 1)
    photo(folder / "day2" / "two.jpg", 2)
    report(folder / "day2" / "report.pdf")
    result = run_cli(
        "evidence", "add", str(folder), "--source", "registry", "--json", case=case.root
    )
    assert result.returncode == 0, result.stderr
    names = [i["file"] for i in json.loads(result.stdout)["items"]]
    assert names == ["press/one.jpg", "press/day2/report.pdf", "press/day2/two.jpg"]


def test_bad_files_are_refused_by_name_and_nothing_is_added(case: Case, tmp_path: Path) -> None:
    good = photo(tmp_path / "good.jpg", 1)
    (tmp_path / "link.jpg").symlink_to(good)
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "..\\..\\evil.jpg").write_bytes(b"x")
    (tmp_path / "line\nbreak.txt").write_bytes(b"x")
    names = [
        "good.jpg",
        "link.jpg",
        "empty.jpg",
        "..\\..\\evil.jpg",
        "line\nbreak.txt",
        "missing.jpg",
    ]
    result = run_cli(
        "evidence",
        "add",
        *(str(tmp_path / n) for n in names),
        "--source",
        "registry",
        case=case.root,
    )
    assert result.returncode == 1
    err = result.stderr
    assert "5 files cannot be added; nothing was added." in err
    assert "link.jpg: is a symbolic link" in err
    assert "empty.jpg: is empty (0 bytes)" in err
    assert "evil.jpg: its name contains a backslash" in err and "path traversal" in err
    assert "break.txt: its name contains a control character" in err
    assert "missing.jpg: no such file" in err
    assert "Traceback" not in err
    assert sql(case.root, "SELECT count(*) FROM evidence_items") == [(0,)]
    assert not list((case.evidence_dir / "objects").rglob("*.*"))


def test_an_unreadable_file_is_refused(case: Case, tmp_path: Path) -> None:
    secret = photo(tmp_path / "secret.jpg", 1)
    secret.chmod(0o000)
    command = [
        sys.executable,
        "-m",
        "recount.cli",
        "evidence",
        "add",
        str(secret),
        "--source",
        "registry",
    ]
    if os.geteuid() == 0:
        # Root reads any file; without the capabilities that let it, root obeys modes too.
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to drop root's read override"
        drop = "-dac_override,-dac_read_search"
        command = [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
    env = {**os.environ, "RECOUNT_CASE": str(case.root)}
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 1, result.stderr
    assert f"{secret}: cannot be read: permission denied; nothing was added." in result.stderr
    assert "Traceback" not in result.stderr
