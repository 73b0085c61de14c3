"""A crash mid-import: the import process is killed with SIGKILL while writing.

SQLite's write-ahead log keeps the unfinished transaction out of the database, and PostgreSQL
rolls back the transaction of a client that went away; either way the case must reopen with
exactly its earlier contents, and the same file must then import normally.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recount.case.folder import Case, open_case
from recount.ingest.importer import import_file
from tests.conftest import table_counts, write_csv

ROWS = 250_000


def _large_list(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("full_name,sex,age,date,fate\n")
        handle.writelines(
            f"Person Number {i},M,{i % 90},1992-02-{1 + i % 28:02d},killed\n" for i in range(ROWS)
        )
    return path


def _bytes_written(case: Case) -> int:
    """How much the store has grown, committed or not: the WAL file of an SQLite case, the
    records table's files (uncommitted rows included) of a PostgreSQL one."""
    if case.store.dialect == "sqlite":
        wal = case.root / "recount.db-wal"
        return wal.stat().st_size if wal.exists() else 0
    with case.reading() as conn:
        return conn.execute(select(func.pg_total_relation_size("records"))).scalar_one()


@pytest.mark.slow
def test_sigkill_mid_import_leaves_the_case_as_it_was(case: Case, tmp_path: Path) -> None:
    import_file(
        case,
        "registry",
        write_csv(tmp_path / "small.csv", "full_name\nAli Hasanov\nAshot Petrosyan\n"),
    )
    before = table_counts(case.root)
    big = _large_list(tmp_path / "big.csv")
    written_before = _bytes_written(case)
    child = subprocess.Popen(
        [sys.executable, "-m", "recount.cli", "--case", str(case.root), "import", "ngo", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        # Kill once the child has written a few megabytes of its transaction.
        while time.monotonic() < deadline and child.poll() is None:
            if _bytes_written(case) > written_before + 4_000_000:
                break
            time.sleep(0.02)
        assert child.poll() is None, "the import finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    assert table_counts(case.root) == before
    if case.store.dialect == "sqlite":  # PostgreSQL has no whole-file check to ask for
        connection = sqlite3.connect(case.root / "recount.db")
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.close()
    reopened = open_case(case.root)
    try:
        result = import_file(reopened, "ngo", big)  # not "already imported": nothing was kept
        assert result.imported == ROWS
        assert table_counts(case.root)["records"] == before["records"] + ROWS
    finally:
        reopened.close()
