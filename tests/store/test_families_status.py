"""Persons asked for in chunks (SQLite caps a statement's parameters): none lost, none twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.families.status import add_status
from recount.store import dialect, families_status
from tests.families.helpers import HOUSEHOLD, imported


def test_chunked_persons_read_what_one_statement_reads(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(case, tmp_path, HOUSEHOLD)
    add_status(case, "registry:1", "killed", "1992-02-26")
    add_status(case, "registry:7", "remains identified", "1999")
    with case.reading() as conn:
        records = families_status.person_records(conn)
        changes = families_status.status_change_rows(conn)
    persons = [r["person_id"] for r in records]
    assert len(set(persons)) == 7 and len(changes) == 2

    # Seven persons in chunks of two: four statements each, the last one short.
    monkeypatch.setattr(dialect, "IDS_PER_STATEMENT", 2)
    with case.reading() as conn:
        chunked = families_status.person_records(conn, reversed(persons))
        chunked_changes = families_status.status_change_rows(conn, persons)
        some = families_status.person_records(conn, persons[5:])
        assert families_status.person_records(conn, []) == []
    assert sorted(chunked, key=lambda r: r["id"]) == records
    assert sorted(chunked_changes) == sorted(changes)
    assert [r["person_id"] for r in some] == persons[5:]
