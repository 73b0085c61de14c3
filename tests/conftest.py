"""Shared fixtures: real case folders on disk, and the real CLI in a child process.

Every test that touches the store runs on both engines: a test that takes ``case`` or
``database_url`` is parametrised over SQLite and a real PostgreSQL server (``tests/postgres.py``,
started once per run and marked ``postgres``, so ``-m 'not postgres'`` leaves it out).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from recount.case.folder import SETTINGS_FILE, Case, init_case, store_location
from recount.case.sources import add_source
from recount.store.engine import make_engine
from tests import postgres

TABLES = ("sources", "events", "imports", "persons", "records")
# The MSE tables of shared/data/mse (public data with published or reference results; see their
# README), kept beside the tests so that a clean clone finds them wherever it is checked out.
MSE_DATA = Path(__file__).parent / "data" / "mse"


ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer]:
    """One throwaway PostgreSQL cluster for the whole run (outside pytest's 0700 temp root,
    so that the unprivileged server user can reach its folder)."""
    root = Path(tempfile.mkdtemp(prefix="recount-pg-"))
    try:
        server = postgres.start(root)
    except postgres.PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    postgres.stop(server)


@pytest.fixture(params=ENGINES)
def store_engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(store_engine: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """``None`` for an SQLite case; else the URL of an empty PostgreSQL database of its own."""
    if store_engine == "sqlite":
        yield None
        return
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def case(tmp_path: Path, database_url: str | None) -> Iterator[Case]:
    """A fresh case with two sources, ``registry`` and ``ngo``, on each engine."""
    opened = init_case(tmp_path / "case", database=database_url)
    add_source(opened, "registry", "A registry", "government")
    add_source(opened, "ngo", "An NGO", "ngo")
    yield opened
    opened.close()


def init_args(database_url: str | None) -> list[str]:
    """Extra arguments for ``recount init`` that put the case on the test's engine."""
    return ["--database", database_url] if database_url else []


def table_counts(case_root: Path) -> dict[str, int]:
    """Rows per table, read through a fresh connection of its own (as a new process would)."""
    settings = tomllib.loads((case_root / SETTINGS_FILE).read_text(encoding="utf-8"))
    engine = make_engine(store_location(case_root, settings))
    try:
        with engine.connect() as connection:
            return {
                t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in TABLES
            }
    finally:
        engine.dispose()


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
