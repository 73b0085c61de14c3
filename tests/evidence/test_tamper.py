"""Every kind of tampering with stored evidence or its custody log is found by the real
`recount evidence verify`, reported with item, entry, expected and found, and exits 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.evidence import actions
from recount.evidence.signing import Actor
from recount.evidence.store import ObjectStore
from tests.conftest import run_cli
from tests.evidence.helpers import add, photo, report, sql, verify_json

ANA = Actor("ana")


@pytest.fixture
def evidence(case: Case, tmp_path: Path) -> Case:
    """Three items; item 1's chain has four entries: ingest, transfer, annotate, view."""
    add(case, photo(tmp_path / "p1.jpg", 1), report(tmp_path / "r.pdf"), actor="ana")
    (tmp_path / "t.txt").write_text("A short statement.\n", encoding="utf-8")
    add(case, tmp_path / "t.txt", source="ngo", actor="ana")
    actions.transfer(case, ["1"], "analyst team", ANA, "handed over")
    actions.annotate(case, "1", ANA, "checked the shadows", {})
    actions.open_item(case, "1", tmp_path / "copy.jpg", None, ANA)
    return case


def object_path(case: Case, item: int) -> Path:
    (sha,) = sql(case.root, "SELECT stored_sha256 FROM evidence_items WHERE id = ?", item)[0]
    return ObjectStore(case.evidence_dir).path(sha)


def findings(case: Case, *extra: str) -> list[dict]:
    code, report_, stderr = verify_json(case.root, *extra)
    assert code == 3, stderr
    assert report_["ok"] is False
    return report_["findings"]


def test_an_untouched_case_verifies_and_records_it(evidence: Case) -> None:
    result = run_cli("evidence", "verify", "--actor", "ana", case=evidence.root)
    assert result.returncode == 0, result.stderr
    assert "Evidence intact: 3 item(s)" in result.stdout
    log = json.loads(run_cli("evidence", "log", "1", "--json", case=evidence.root).stdout)
    assert [e["action"] for e in log] == ["ingest", "transfer", "annotate", "view", "verify"]


def test_a_flipped_byte_in_an_object(evidence: Case) -> None:
    path = object_path(evidence, 1)
    expected = path.name
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    (found,) = findings(evidence)
    assert (found["kind"], found["item"], found["expected"]) == ("object-changed", 1, expected)
    assert found["found"] not in (None, expected)


def test_a_missing_object(evidence: Case) -> None:
    path = object_path(evidence, 2)
    path.unlink()
    (found,) = findings(evidence)
    assert (found["kind"], found["item"], found["expected"]) == ("object-missing", 2, path.name)


def test_an_extra_object(evidence: Case) -> None:
    stray = evidence.evidence_dir / "objects" / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"planted")
    (found,) = findings(evidence)
    assert found["kind"] == "object-extra"
    assert found["found"].endswith(stray.name)


def test_an_edited_log_entry(evidence: Case) -> None:
    (stored,) = sql(
        evidence.root, "SELECT entry_hash FROM custody_log WHERE subject = 'item:1' AND seq = 3"
    )[0]
    sql(
        evidence.root,
        "UPDATE custody_log SET note = 'nothing to see' WHERE subject = 'item:1' AND seq = 3",
    )
    (found,) = findings(evidence)
    assert (found["kind"], found["item"], found["entry"]) == ("entry-edited", 1, 3)
    assert found["expected"] == stored and found["found"] != stored


def test_a_deleted_log_entry(evidence: Case) -> None:
    sql(evidence.root, "DELETE FROM custody_log WHERE subject = 'item:1' AND seq = 2")
    found = findings(evidence)
    item_level = [f for f in found if f["chain"] == "item:1"]
    assert [(f["kind"], f["item"], f["entry"]) for f in item_level] == [("entry-deleted", 1, 2)]
    assert "entry 2 deleted" in item_level[0]["message"]


def test_an_inserted_log_entry(evidence: Case) -> None:
    # A forged "transfer" that claims to follow the ingest entry, as the real transfer does.
    ingest_hash, case_max = sql(
        evidence.root,
        "SELECT (SELECT entry_hash FROM custody_log WHERE "
        "subject = 'item:1' AND seq = 1), (SELECT max(case_seq) FROM "
        "custody_log)",
    )[0]
    sql(
        evidence.root,
        "INSERT INTO custody_log (subject, item_id, seq, case_seq, action, actor, "
        "at, recount_version, note, details, prev_hash, case_prev_hash, "
        "entry_hash) VALUES ('item:1', 1, 5, ?, 'transfer', 'mallory', "
        "'2024-01-01T00:00:00.000000Z', '0.1.0', NULL, '{}', ?, ?, ?)",
        case_max + 1,
        ingest_hash,
        "f" * 64,
        "e" * 64,
    )
    found = findings(evidence)
    kinds = {(f["kind"], f["item"], f["entry"]) for f in found}
    assert ("entry-inserted", 1, 5) in kinds
    inserted = next(f for f in found if f["kind"] == "entry-inserted" and f["chain"] == "item:1")
    assert "claims to follow entry 1" in inserted["message"]


def test_reordered_log_entries(evidence: Case) -> None:
    sql(evidence.root, "UPDATE custody_log SET seq = -2 WHERE subject = 'item:1' AND seq = 2")
    sql(evidence.root, "UPDATE custody_log SET seq = 2 WHERE subject = 'item:1' AND seq = 3")
    sql(evidence.root, "UPDATE custody_log SET seq = 3 WHERE subject = 'item:1' AND seq = -2")
    found = findings(evidence)
    assert [f["kind"] for f in found] == ["entry-reordered"]
    assert found[0]["item"] == 1 and found[0]["entry"] in (2, 3)


def test_a_changed_row_is_compared_with_its_chain(evidence: Case) -> None:
    sql(evidence.root, "UPDATE evidence_items SET caption = 'forged' WHERE id = 2")
    (found,) = findings(evidence)
    assert (found["kind"], found["item"], found["found"]) == ("row-changed", 2, "forged")
    assert "caption" in found["message"]


def test_an_object_swapped_with_its_row(evidence: Case) -> None:
    # Replace item 3's file and update its row to match: the chain still knows the original.
    path = object_path(evidence, 3)
    store = ObjectStore(evidence.evidence_dir)
    fake = b"A different statement.\n"
    import hashlib

    sha = hashlib.sha256(fake).hexdigest()
    store.path(sha).parent.mkdir(exist_ok=True)
    store.path(sha).write_bytes(fake)
    path.chmod(0o644)
    path.unlink()
    sql(
        evidence.root,
        "UPDATE evidence_items SET stored_sha256 = ?, sha256 = ? WHERE id = 3",
        sha,
        sha,
    )
    found = findings(evidence)
    kinds = {(f["kind"], f["item"]) for f in found}
    assert {("row-changed", 3), ("object-missing", 3)} <= kinds
    assert any(f["expected"] == path.name and f["found"] == sha for f in found)


def test_a_whole_item_removed_with_its_log(evidence: Case) -> None:
    path = object_path(evidence, 3)
    for table in ("custody_log", "evidence_links", "evidence_derived", "evidence_items"):
        column = "id" if table == "evidence_items" else "item_id"
        sql(evidence.root, f"DELETE FROM {table} WHERE {column} = 3")
    path.chmod(0o644)
    path.unlink()
    found = findings(evidence)
    assert [(f["kind"], f["chain"]) for f in found] == [("entry-deleted", "case")]
    assert "entry 3 deleted" in found[0]["message"]


def test_removing_the_newest_entries_is_found_against_a_written_down_head(evidence: Case) -> None:
    _, before, _ = verify_json(evidence.root)
    sql(
        evidence.root,
        "DELETE FROM custody_log WHERE case_seq = (SELECT max(case_seq) FROM custody_log)",
    )
    (found,) = findings(evidence, "--head", before["head"])
    assert (found["kind"], found["expected"]) == ("head-missing", before["head"])


def test_the_cli_prints_findings_and_exits_3_without_a_traceback(evidence: Case) -> None:
    sql(
        evidence.root,
        "UPDATE custody_log SET actor = 'someone else' WHERE subject = 'item:2' AND seq = 1",
    )
    result = run_cli("evidence", "verify", case=evidence.root)
    assert result.returncode == 3
    assert "[entry-edited] item 2: entry 1 (ingest) was edited" in result.stderr
    assert "Traceback" not in result.stderr
    # A failed verification writes nothing: the case stays as it was found.
    assert sql(evidence.root, "SELECT count(*) FROM custody_log WHERE action = 'verify'") == [(0,)]
