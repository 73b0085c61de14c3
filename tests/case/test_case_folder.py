"""A case folder: creation, opening, the current-case rules, and migrations with a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from recount.case.folder import init_case, open_case
from recount.case.sources import add_source, list_sources
from recount.errors import CaseExistsError, CaseVersionError, NotACaseError
from recount.store import schema
from recount.store.engine import make_engine, sqlite_location
from recount.store.tables import SCHEMA_REVISION
from tests.conftest import run_cli, table_counts


def test_init_creates_database_evidence_and_settings(tmp_path: Path) -> None:
    case = init_case(tmp_path / "c", name="Test case")
    case.close()
    assert (tmp_path / "c" / "recount.db").is_file()
    assert (tmp_path / "c" / "evidence").is_dir()
    assert 'name = "Test case"' in (tmp_path / "c" / "recount.toml").read_text()
    reopened = open_case(tmp_path / "c")
    with reopened.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert schema.current_revision(reopened.engine) == schema.head_revision()
    reopened.close()


def test_schema_revision_constant_matches_the_newest_migration() -> None:
    assert schema.head_revision() == SCHEMA_REVISION


def test_migrations_build_exactly_the_tables_the_code_describes(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from recount.store.tables import metadata

    case = init_case(tmp_path / "c")
    with case.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    case.close()
    assert differences == []


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    case = init_case(tmp_path / "c")
    with pytest.raises(Exception, match="FOREIGN KEY"), case.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO imports (source_id, file_name, sha256, size_bytes, format,"
                " row_count, rejected_count, imported_at, recount_version) VALUES "
                "(99, 'f', 'x', 1, 'csv', 0, 0, 'now', '0')"
            )
        )
    case.close()


def test_init_refuses_an_existing_case(tmp_path: Path) -> None:
    init_case(tmp_path / "c").close()
    with pytest.raises(CaseExistsError):
        init_case(tmp_path / "c")


def test_a_folder_that_is_not_a_case_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotACaseError, match="is not a recount case"):
        open_case(tmp_path)
    with pytest.raises(NotACaseError, match="no such folder"):
        open_case(tmp_path / "missing")


def test_a_corrupt_database_is_not_a_case(tmp_path: Path) -> None:
    init_case(tmp_path / "c").close()
    (tmp_path / "c" / "recount.db").write_bytes(b"this is not sqlite at all" * 10)
    with pytest.raises(NotACaseError, match="not an SQLite database"):
        open_case(tmp_path / "c")


def test_cli_not_a_case_exits_1_without_traceback(tmp_path: Path) -> None:
    result = run_cli("source", "list", cwd=tmp_path)
    assert result.returncode == 1
    assert "is not a recount case" in result.stderr
    assert "Traceback" not in result.stderr


def test_case_is_found_by_option_environment_and_current_folder(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "c")).returncode == 0
    add = run_cli(
        "--case",
        str(tmp_path / "c"),
        "source",
        "add",
        "reg",
        "--name",
        "Registry",
        "--kind",
        "government",
    )
    assert add.returncode == 0, add.stderr
    by_env = run_cli("source", "list", "--json", case=tmp_path / "c")
    by_cwd = run_cli("source", "list", "--json", cwd=tmp_path / "c")
    assert '"slug": "reg"' in by_env.stdout
    assert by_env.stdout == by_cwd.stdout


def test_old_case_is_migrated_after_a_backup(tmp_path: Path) -> None:
    """A case at revision 0001 (before events) opens migrated, its data intact, a backup kept."""
    root = tmp_path / "old"
    root.mkdir()
    engine = make_engine(sqlite_location(root / "recount.db"))
    schema.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (slug, name, kind, created_at) "
                "VALUES ('reg', 'Registry', 'government', '2020-01-01')"
            )
        )
    engine.dispose()
    (root / "recount.toml").write_text('[case]\nname = "old"\n')

    case = open_case(root)
    assert case.backup is not None and case.backup.is_file()
    assert schema.current_revision(case.engine) == schema.head_revision()
    assert [s.slug for s in list_sources(case)] == ["reg"]
    assert table_counts(root)["events"] == 0  # the new table exists
    case.close()
    backup = sqlite3.connect(case.backup)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT slug FROM sources").fetchall() == [("reg",)]
    backup.close()
    # Opening again does not migrate or back up again.
    again = open_case(root)
    assert again.backup is None
    again.close()


def test_a_case_from_a_newer_recount_is_refused(tmp_path: Path) -> None:
    case = init_case(tmp_path / "c")
    add_source(case, "reg", "Registry", "government")
    with case.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    case.close()
    with pytest.raises(CaseVersionError, match="newer recount"):
        open_case(tmp_path / "c")
    assert table_counts(tmp_path / "c")["sources"] == 1
