"""Shared fixtures: real case folders on disk, and the real CLI in a child process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from recount.case.folder import Case, init_case
from recount.case.sources import add_source

TABLES = ("sources", "events", "imports", "persons", "records")
# The MSE tables of shared/data/mse (public data with published or reference results; see their
# README), kept beside the tests so that a clean clone finds them wherever it is checked out.
MSE_DATA = Path(__file__).parent / "data" / "mse"


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    """A fresh case with two sources, ``registry`` and ``ngo``."""
    opened = init_case(tmp_path / "case")
    add_source(opened, "registry", "A registry", "government")
    add_source(opened, "ngo", "An NGO", "ngo")
    yield opened
    opened.close()


def table_counts(case_root: Path) -> dict[str, int]:
    """Rows per table, read through a fresh SQLite connection (as a new process would)."""
    connection = sqlite3.connect(case_root / "recount.db")
    try:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        connection.close()


def run_cli(
    *args: str, case: Path | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``recount ARGS`` as a user would, in a child process."""
    env = {k: v for k, v in os.environ.items() if k != "RECOUNT_CASE"}
    if case is not None:
        env["RECOUNT_CASE"] = str(case)
    return subprocess.run(
        [sys.executable, "-m", "recount.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
