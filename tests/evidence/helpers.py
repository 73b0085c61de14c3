"""Files and cases for the evidence tests: real JPEGs with EXIF, PDFs, a case with evidence."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime
from pathlib import Path

from recount.case.folder import Case
from recount.demo.evidence_items import write_photo, write_report
from recount.evidence.ingest import AddOptions, add_files
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


def sql(case_root: Path, statement: str, *params: object) -> list[tuple]:
    """Change or read the database directly, as someone with access to the files could."""
    connection = sqlite3.connect(case_root / "recount.db")
    try:
        rows = connection.execute(statement, params).fetchall()
        connection.commit()
        return rows
    finally:
        connection.close()


def verify_json(case_root: Path, *extra: str) -> tuple[int, dict, str]:
    result = run_cli("evidence", "verify", "--json", "--no-record", *extra, case=case_root)
    return result.returncode, json.loads(result.stdout), result.stderr
