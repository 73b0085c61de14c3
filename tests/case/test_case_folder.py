"""A case folder: creation, opening, the current-case rules, and migrations with a backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import column, insert, select, table, text, update
from sqlalchemy.exc import IntegrityError

from recount.case.folder import init_case, open_case
from recount.case.sources import add_source, list_sources
from recount.errors import CaseExistsError, CaseVersionError, NotACaseError
from recount.store import schema
from recount.store.engine import make_engine, parse_database_url, sqlite_location
from recount.store.tables import SCHEMA_REVISION, imports
from recount.store.transactions import reading, writing
from tests.conftest import init_args, run_cli, table_counts

# Tables as an older schema or Alembic has them, named without the current ``tables.py``.
OLD_SOURCES = table("sources", column("slug"), column("name"), column("kind"), column("created_at"))
ALEMBIC_VERSION = table("alembic_version", column("version_num"))


def test_init_creates_database_evidence_and_settings(
    tmp_path: Path, database_url: str | None
) -> None:
    case = init_case(tmp_path / "c", name="Test case", database=database_url)
    case.close()
    assert (tmp_path / "c" / "recount.db").is_file() == (database_url is None)
    assert (tmp_path / "c" / "evidence").is_dir()
    settings = (tmp_path / "c" / "recount.toml").read_text()
    assert 'name = "Test case"' in settings
    assert (f'url = "{database_url}"' in settings) == (database_url is not None)
    reopened = open_case(tmp_path / "c")
    if database_url is None:
        # The SQLite engine's own settings, which only PRAGMAs can show.
        with reopened.reading() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert schema.current_revision(reopened.engine) == schema.head_revision()
    reopened.close()


def test_schema_revision_constant_matches_the_newest_migration() -> None:
    assert schema.head_revision() == SCHEMA_REVISION


def test_migrations_build_exactly_the_tables_the_code_describes(
    tmp_path: Path, database_url: str | None
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from recount.store.tables import metadata

    case = init_case(tmp_path / "c", database=database_url)
    with case.reading() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    case.close()
    assert differences == []


def test_foreign_keys_are_enforced(tmp_path: Path, database_url: str | None) -> None:
    case = init_case(tmp_path / "c", database=database_url)
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), case.writing() as conn:
        conn.execute(
            insert(imports).values(
                source_id=99,
                file_name="f",
                sha256="x",
                size_bytes=1,
                format="csv",
                row_count=0,
                rejected_count=0,
                imported_at="now",
                recount_version="0",
            )
        )
    case.close()
    assert table_counts(tmp_path / "c")["imports"] == 0


def test_init_refuses_an_existing_case(tmp_path: Path, database_url: str | None) -> None:
    init_case(tmp_path / "c", database=database_url).close()
    with pytest.raises(CaseExistsError):
        init_case(tmp_path / "c", database=database_url)


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


def test_case_is_found_by_option_environment_and_current_folder(
    tmp_path: Path, database_url: str | None
) -> None:
    assert run_cli("init", str(tmp_path / "c"), *init_args(database_url)).returncode == 0
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


def test_old_case_is_migrated_after_a_backup(tmp_path: Path, database_url: str | None) -> None:
    """A case at revision 0001 (before events) opens migrated, its data intact; on SQLite a
    backup is kept (PostgreSQL migrates in one transaction instead)."""
    root = tmp_path / "old"
    root.mkdir()
    location = (
        parse_database_url(database_url) if database_url else sqlite_location(root / "recount.db")
    )
    engine = make_engine(location)
    schema.upgrade(engine, "0001")
    with writing(engine) as conn:
        conn.execute(
            insert(OLD_SOURCES).values(
                slug="reg", name="Registry", kind="government", created_at="2020-01-01"
            )
        )
    engine.dispose()
    store = f'[store]\nurl = "{database_url}"\n' if database_url else ""
    (root / "recount.toml").write_text(f'[case]\nname = "old"\n{store}')

    case = open_case(root)
    assert schema.current_revision(case.engine) == schema.head_revision()
    assert [s.slug for s in list_sources(case)] == ["reg"]
    assert table_counts(root)["events"] == 0  # the new table exists
    case.close()
    if database_url is None:
        assert case.backup is not None and case.backup.is_file()
        backup = make_engine(sqlite_location(case.backup))
        with reading(backup) as conn:
            assert conn.execute(select(ALEMBIC_VERSION)).all() == [("0001",)]
            assert conn.execute(select(OLD_SOURCES.c.slug)).all() == [("reg",)]
        backup.dispose()
    else:
        assert case.backup is None
    # Opening again does not migrate or back up again.
    again = open_case(root)
    assert again.backup is None
    again.close()


def test_a_case_from_a_newer_recount_is_refused(tmp_path: Path, database_url: str | None) -> None:
    case = init_case(tmp_path / "c", database=database_url)
    add_source(case, "reg", "Registry", "government")
    with case.writing() as conn:
        conn.execute(update(ALEMBIC_VERSION).values(version_num="9999"))
    case.close()
    with pytest.raises(CaseVersionError, match="newer recount"):
        open_case(tmp_path / "c")
    assert table_counts(tmp_path / "c")["sources"] == 1
