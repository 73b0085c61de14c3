"""`recount evidence export`: a BagIt bag that validates, logged in every item's chain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import bagit
import pytest

from recount.case.folder import Case
from recount.evidence.crypto import new_key_file
from recount.evidence.keys import KeySource
from tests.conftest import run_cli
from tests.evidence.helpers import add, photo, report, sql


@pytest.mark.slow
def test_export_writes_a_valid_bag_and_logs_it(case: Case, tmp_path: Path) -> None:
    add(case, photo(tmp_path / "p.jpg", 1), report(tmp_path / "r.pdf"))
    key = tmp_path / "k.key"
    new_key_file(key)
    secret = tmp_path / "secret.txt"
    secret.write_text("protected words\n", encoding="utf-8")
    add(case, secret, sensitivity="protected", key=KeySource(key_file=key), new_key=True)

    bag_dir = tmp_path / "bag"
    result = run_cli(
        "evidence", "export", str(bag_dir), "--note", "for the court", "--json", case=case.root
    )
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    assert exported["items"] == [1, 2] and exported["skipped_protected"] == [3]
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # bagit's own full validation: manifests, Payload-Oxum, every checksum
    assert bag.info["Recount-Custody-Head"] == exported["head"]
    original = bag_dir / "data" / "items" / "000001" / "original" / "p.jpg"
    assert original.read_bytes() == (tmp_path / "p.jpg").read_bytes()
    chain = (bag_dir / "data" / "items" / "000001" / "custody.jsonl").read_text().splitlines()
    assert [json.loads(line)["action"] for line in chain] == ["ingest", "export"]
    assert not (bag_dir / "data" / "items" / "000003").exists()
    for item in (1, 2):
        log = json.loads(run_cli("evidence", "log", str(item), "--json", case=case.root).stdout)
        assert log[-1]["action"] == "export" and log[-1]["note"] == "for the court"
    checker = subprocess.run(
        [sys.executable, str(bag_dir / "data" / "check_custody.py"), str(bag_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checker.returncode == 0 and "2 item(s) checked: intact" in checker.stdout

    # A protected item leaves only when asked for explicitly, and with the key.
    refused = run_cli("evidence", "export", str(tmp_path / "b2"), "--items", "3", case=case.root)
    assert refused.returncode == 2 and "--include-protected" in refused.stderr
    keyless = run_cli(
        "evidence",
        "export",
        str(tmp_path / "b2"),
        "--items",
        "3",
        "--include-protected",
        case=case.root,
    )
    assert keyless.returncode == 1 and "--key-file" in keyless.stderr
    done = run_cli(
        "evidence",
        "export",
        str(tmp_path / "b2"),
        "--items",
        "3",
        "--include-protected",
        "--key-file",
        str(key),
        case=case.root,
    )
    assert done.returncode == 0, done.stderr
    assert "protected items in the clear" in done.stdout
    assert (
        tmp_path / "b2" / "data" / "items" / "000003" / "original" / "secret.txt"
    ).read_text() == "protected words\n"
    bagit.Bag(str(tmp_path / "b2")).validate()
    again = run_cli("evidence", "export", str(bag_dir), case=case.root)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_tampered_case_is_not_exported(case: Case, tmp_path: Path) -> None:
    add(case, photo(tmp_path / "p.jpg", 1))
    sql(case.root, "UPDATE evidence_items SET file_name = '../../../etc/cron.d/x'")
    result = run_cli("evidence", "export", str(tmp_path / "bag"), case=case.root)
    assert result.returncode == 3
    assert "file_name" in result.stderr and "nothing was exported" in result.stderr
    assert not (tmp_path / "bag").exists() and not (tmp_path / "bag.partial").exists()
    assert sql(case.root, "SELECT count(*) FROM custody_log WHERE action = 'export'") == [(0,)]
