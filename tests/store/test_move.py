"""`recount store move --to postgresql://...`: an SQLite case moved into PostgreSQL, every row
proven identical; on any failure the case stays on SQLite as it was and the target stays empty.

The target of a move is always PostgreSQL, so every test here needs the test server; the source
is an SQLite case, except where a PostgreSQL case is refused."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert

import recount.store.move
from recount.case.folder import SETTINGS_FILE, Case, init_case, open_case
from recount.case.keeping import move_case
from recount.case.sources import add_source
from recount.errors import (
    ForeignDatabaseError,
    IntegrityError,
    InvalidValueError,
    StoreUnavailableError,
    TamperError,
    UsageError,
)
from recount.store.tables import events, users
from tests.conftest import run_cli, table_counts
from tests.store.keeping_helpers import (
    check_case,
    database_name,
    fill,
    new_database,
    pg_tables,
    state,
    tamper,
    tree,
    unreachable_url,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def sqlite_case(tmp_path: Path) -> Iterator[Case]:
    case = init_case(tmp_path / "case")
    add_source(case, "registry", "A registry", "government")
    fill(case, tmp_path)
    yield case
    case.close()


@pytest.fixture
def target(request: pytest.FixtureRequest) -> str:
    return new_database(request)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def kept_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("recount.db.moved-"))


def test_a_moved_case_holds_every_row_and_verifies(sqlite_case: Case, target: str) -> None:
    root = sqlite_case.root
    expected = state(sqlite_case)
    steps: list[tuple[str, int, int | None]] = []
    result = move_case(sqlite_case, target, lambda *step: steps.append(step))
    assert ("rows of sources", 1, None) in steps and ("rows of events", 2, None) in steps
    assert result["to"] == target and result["rows"] == sum(d.rows for d in expected[0].values())
    assert result["tables"] == {n: d.to_dict() for n, d in expected[0].items()}
    assert result["evidence"]["ok"] and result["evidence"]["items"] == 2
    assert f'url = "{target}"' in (root / SETTINGS_FILE).read_text(encoding="utf-8")
    assert not (root / "recount.db").exists() and kept_files(root) == [Path(result["kept"]).name]
    check_case(root, expected)
    # New rows follow the copied ids: the sequences were set past them.
    with open_case(root) as moved:
        assert moved.store.dialect == "postgresql"
        assert add_source(moved, "later", "Later", "media").id == 2
        with moved.writing() as conn:
            new_id = conn.execute(
                insert(events).values(slug="later", name="Later", created_at="2024")
            ).inserted_primary_key[0]
        assert new_id == 8


def test_move_through_the_cli_and_undo_it_by_hand(sqlite_case: Case, target: str) -> None:
    root = sqlite_case.root
    sqlite_case.close()
    with open_case(root) as before:
        counts, expected = table_counts(root), state(before)
    settings = (root / SETTINGS_FILE).read_text(encoding="utf-8")
    result = run_cli("store", "move", "--to", target, "--json", case=root)
    assert result.returncode == 0, result.stderr
    moved = json.loads(result.stdout)
    assert moved["tables"]["custody_log"] == expected[0]["custody_log"].to_dict()
    assert table_counts(root) == counts
    verify = run_cli("evidence", "verify", "--json", "--no-record", case=root)
    assert verify.returncode == 0 and json.loads(verify.stdout)["head"] == expected[1]["head"]
    again = run_cli("store", "move", "--to", target, case=root)
    assert again.returncode == 2 and "already stored in" in one_line(again)
    # Undo: the old settings and the kept database, renamed back.
    (root / SETTINGS_FILE).write_text(settings, encoding="utf-8")
    Path(moved["kept"]).rename(root / "recount.db")
    with open_case(root) as back:
        assert back.store.dialect == "sqlite" and state(back) == expected


# --- failures: the case stays on SQLite as it was --------------------------------------------


def files_and_rows(root: Path) -> tuple[dict[str, str], tuple]:
    """The case's files (the database's by its rows: SQLite rewrites its file as it likes)."""
    files = {n: sha for n, sha in tree(root).items() if not n.startswith("recount.db")}
    with open_case(root) as case:
        assert case.store.dialect == "sqlite" and (root / "recount.db").is_file()
        return files, state(case)


def unchanged(root: Path, before: tuple[dict[str, str], tuple]) -> None:
    assert files_and_rows(root) == before and kept_files(root) == []


@pytest.mark.parametrize(
    ("url", "error", "code", "words"),
    [
        (unreachable_url(), StoreUnavailableError, 1, "cannot connect"),
        ("mysql://someone@host/db", UsageError, 2, "only PostgreSQL"),
        ("postgresql://someone:secret@host/db", UsageError, 2, "password"),
    ],
    ids=["unreachable", "not-postgresql", "password"],
)
def test_a_bad_url(
    sqlite_case: Case, url: str, error: type[Exception], code: int, words: str
) -> None:
    root = sqlite_case.root
    before = files_and_rows(root)
    with pytest.raises(error, match=words):
        move_case(sqlite_case, url)
    result = run_cli("store", "move", "--to", url, case=root)
    assert result.returncode == code and words in one_line(result)
    assert "secret" not in result.stderr
    unchanged(root, before)


def test_a_database_that_does_not_exist(
    sqlite_case: Case, target: str, request: pytest.FixtureRequest
) -> None:
    root = sqlite_case.root
    before = files_and_rows(root)
    missing = target.replace(database_name(target), "no_such_database")
    with pytest.raises(StoreUnavailableError, match="does not exist"):
        move_case(sqlite_case, missing)
    result = run_cli("store", "move", "--to", missing, case=root)
    assert result.returncode == 1 and "no_such_database" in one_line(result)
    unchanged(root, before)


def test_a_database_of_another_application(
    sqlite_case: Case, target: str, request: pytest.FixtureRequest
) -> None:
    root = sqlite_case.root
    before = files_and_rows(root)
    server = request.getfixturevalue("postgres_server")
    server.psql("CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (1)",
                database=database_name(target))  # fmt: skip
    with pytest.raises(ForeignDatabaseError, match="not empty"):
        move_case(sqlite_case, target)
    result = run_cli("store", "move", "--to", target, case=root)
    assert result.returncode == 1 and "invoices" in one_line(result)
    assert pg_tables(request, target) == "invoices"
    assert server.psql("SELECT count(*) FROM invoices", database=database_name(target)) == "1\n"
    unchanged(root, before)


def test_tampered_evidence_stops_the_move(
    sqlite_case: Case, target: str, request: pytest.FixtureRequest
) -> None:
    root = sqlite_case.root
    obj = next(p for p in sorted((root / "evidence" / "objects").rglob("*")) if p.is_file())
    tamper(obj)
    before = files_and_rows(root)
    with pytest.raises(TamperError, match="not moved"):
        move_case(sqlite_case, target)
    assert pg_tables(request, target) == ""
    result = run_cli("store", "move", "--to", target, case=root)
    assert result.returncode == 3 and "FAILED" in result.stderr
    assert pg_tables(request, target) == ""
    unchanged(root, before)


@pytest.mark.parametrize("failure", ["sequences", "digests", "refused"])
def test_a_failure_during_the_copy_leaves_both_sides_as_they_were(
    sqlite_case: Case,
    target: str,
    failure: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = sqlite_case.root
    if failure == "refused":
        # A value SQLite kept but PostgreSQL refuses: text in an integer column.
        with sqlite_case.writing() as conn:
            conn.execute(
                insert(users).values(
                    name="cy", role="viewer", password_hash="z", failed_logins="many", created_at=""
                )
            )
    before = files_and_rows(root)
    if failure == "sequences":

        def broken(_conn: object) -> None:
            raise RuntimeError("the server went away")

        monkeypatch.setattr(recount.store.move, "reset_sequences", broken)
        expected: type[Exception] = RuntimeError
    elif failure == "digests":
        monkeypatch.setattr(
            recount.store.move, "first_difference", lambda *_: "table sources has 0 rows"
        )
        expected = IntegrityError
    else:
        expected = InvalidValueError
    with pytest.raises(expected):
        move_case(sqlite_case, target)
    assert pg_tables(request, target) == ""
    unchanged(root, before)


def test_a_postgresql_case_is_not_moved(case: Case, target: str) -> None:
    if case.store.dialect == "sqlite":
        assert move_case(case, target)["evidence"]["ok"]
        return
    with pytest.raises(UsageError, match="already stored in"):
        move_case(case, target)
    result = run_cli("store", "move", "--to", target, case=case.root)
    assert result.returncode == 2 and "already stored in" in one_line(result)
