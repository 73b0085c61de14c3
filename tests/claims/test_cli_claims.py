"""`recount claims` and `recount export claims`, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.events.event import add_event
from tests.conftest import run_cli

CONTRACT = {
    "quote",
    "count",
    "low",
    "high",
    "qualifier",
    "kind",
    "group",
    "attributed_to",
    "place",
    "date",
}
TEXT = (
    "On 26 February 1992 at least 400 people were killed in Town, according to the "
    "ministry. The town had 7,000 inhabitants.\n"
)


def test_extract_needs_no_case_and_prints_the_contract(tmp_path: Path) -> None:
    text = tmp_path / "report.txt"
    text.write_text(TEXT, encoding="utf-8")
    result = run_cli("claims", "extract", str(text), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (claim,) = json.loads(result.stdout)
    assert set(claim) >= CONTRACT
    assert (claim["count"], claim["qualifier"], claim["kind"]) == (400, "at least", "killed")
    assert "ministry" in claim["attributed_to"]


def test_extract_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    result = run_cli("claims", "extract", str(binary), cwd=tmp_path)
    assert result.returncode == 1 and f"{binary}: a binary file" in result.stderr
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9: 12 people were killed.".encode("latin-1"))
    result = run_cli("claims", "extract", str(latin), cwd=tmp_path)
    assert result.returncode == 1 and "not UTF-8 text (byte 3" in result.stderr
    result = run_cli("claims", "extract", str(latin), "--save", cwd=tmp_path)
    assert result.returncode == 2 and "--save needs --source" in result.stderr


@pytest.mark.slow
def test_save_review_list_and_export(case: Case, tmp_path: Path) -> None:
    add_event(case, "town-1992", "Town", place="Town", start="1992-02-26")
    case.close()
    text = tmp_path / "report.txt"
    text.write_text(TEXT, encoding="utf-8")
    saved = run_cli(
        "claims",
        "extract",
        str(text),
        "--source",
        "ngo",
        "--event",
        "town-1992",
        "--save",
        "--json",
        case=case.root,
    )
    assert saved.returncode == 0, saved.stderr
    result = json.loads(saved.stdout)
    (claim_id,) = result["saved"]
    assert result["events"] == {str(claim_id): "town-1992"}

    added = run_cli(
        "claims",
        "add",
        "--kind",
        "killed",
        "--count",
        "613",
        "--source",
        "registry",
        "--event",
        "town-1992",
        "--json",
        case=case.root,
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["status"] == "accepted"
    accepted = run_cli(
        "claims", "accept", str(claim_id), "--actor", "reviewer-1", "--json", case=case.root
    )
    assert json.loads(accepted.stdout)[0]["reviewed_by"] == "reviewer-1"

    listed = json.loads(
        run_cli("claims", "list", "--event", "town-1992", "--json", case=case.root).stdout
    )
    assert sorted((c["figure"], c["speaker"]) for c in listed) == [
        ("613", "registry"),
        ("at least 400", "ministry (per ngo)"),
    ]
    exported = run_cli("export", "claims", "--format", "csv", case=case.root)
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    extracted = next(r for r in rows if r["count"] == "400")
    assert extracted["evidence_sha256"] and extracted["source"] == "ngo"
    assert extracted["quote"].startswith("On 26 February 1992")


@pytest.mark.slow
def test_bad_claims_are_refused_with_one_line(case: Case) -> None:
    case.close()
    for args, message in (
        (("--kind", "bombed", "--count", "3", "--source", "ngo"), "claim kind 'bombed'"),
        (("--kind", "killed", "--source", "ngo"), "needs --count"),
        (("--kind", "killed", "--low", "9", "--high", "3", "--source", "ngo"), "low is above high"),
        (("--kind", "killed", "--count", "3"), "never states a figure unattributed"),
    ):
        result = run_cli("claims", "add", *args, case=case.root)
        assert result.returncode == 1, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    listed = run_cli("claims", "list", "--json", case=case.root)
    assert json.loads(listed.stdout) == []
