"""Files and cases for the evidence tests: real JPEGs with EXIF, PDFs, a case with evidence, and
direct access to a case's database (SQLite or PostgreSQL) as someone with its files could."""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, MetaData

from recount.case.folder import SETTINGS_FILE, Case, store_location
from recount.demo.evidence_items import write_photo, write_report
from recount.evidence.ingest import AddOptions, add_files
from recount.store.engine import make_engine
from tests.conftest import run_cli


def photo(path: Path, seed: int = 1, when: datetime = datetime(1992, 2, 26, 5, 30)) -> Path:
    write_photo(path, random.Random(seed), when, seed)
    return path


def report(path: Path) -> Path:
    write_report(path, datetime(1992, 2, 27, 9, 0))
    return path


def add(case: Case, *paths: Path, source: str = "registry", **options: object) -> list[int]:
    result = add_files(case, list(paths), AddOptions(source=source, **options))  # type: ignore[arg-type]
    return [item.item_id for item in result.items if item.item_id is not None]


@contextmanager
def database(case_root: Path) -> Iterator[Connection]:
    """A connection of its own to the case's database, committed at the end (as another
    process, or someone with the database's files, would have it)."""
    settings = tomllib.loads((case_root / SETTINGS_FILE).read_text(encoding="utf-8"))
    engine = make_engine(store_location(case_root, settings))
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def sql(case_root: Path, statement: str, *params: object) -> list[tuple]:
    """Change or read the database directly, as someone with access to it could. ``?`` marks
    a parameter, on either engine."""
    with database(case_root) as connection:
        if connection.dialect.name == "postgresql":
            statement = statement.replace("?", "%s")
        result = connection.exec_driver_sql(statement, tuple(params) if params else None)
        return [tuple(row) for row in result] if result.returns_rows else []


def stored_bytes(case: Case) -> bytes:
    """Everything the case keeps, as someone who copied it would have it: every file in the
    folder, and every value in every table of its database (wherever that is)."""
    parts = [p.read_bytes() for p in sorted(case.root.rglob("*")) if p.is_file()]
    with database(case.root) as connection:
        tables = MetaData()
        tables.reflect(connection)
        for table in tables.sorted_tables:
            for row in connection.execute(table.select()):
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        parts.append(bytes(value))
                    elif value is not None:
                        parts.append(str(value).encode("utf-8"))
    return b"\n".join(parts)


def verify_json(case_root: Path, *extra: str) -> tuple[int, dict, str]:
    result = run_cli("evidence", "verify", "--json", "--no-record", *extra, case=case_root)
    return result.returncode, json.loads(result.stdout), result.stderr
