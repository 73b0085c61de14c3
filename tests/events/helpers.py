"""A small case for event tests: two sources, three records, a war with a town inside it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recount.case.folder import Case, init_case, open_case
from recount.case.sources import add_source
from recount.events.event import add_event
from recount.ingest.importer import import_file
from recount.store import tables
from tests import postgres
from tests.conftest import write_csv


def event_case(root: Path, database: str | None = None) -> Case:
    case = init_case(root / "case", database=database)
    add_source(case, "registry", "A registry", "government")
    add_source(case, "ngo", "An NGO", "ngo")
    import_file(
        case,
        "registry",
        write_csv(
            root / "registry.csv", "full_name,fate\nAli Hasanov,killed\nAshot Petrosyan,missing\n"
        ),
    )
    import_file(case, "ngo", write_csv(root / "ngo.csv", "full_name,fate\nHasanov Ali,killed\n"))
    add_event(case, "war", "The war", start="1991", end="1994-05")
    add_event(case, "town", "Attack on the town", place="Town", start="1992-02-26", parent="war")
    return case


def row_counts(root: Path, names: Iterable[str]) -> dict[str, int]:
    """Rows per table of the case in ``root``, read through a connection of its own."""
    with open_case(root) as case, case.reading() as conn:
        return {
            name: conn.execute(
                select(func.count()).select_from(tables.metadata.tables[name])
            ).scalar_one()
            for name in names
        }


@contextmanager
def module_database(engine: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """``database_url`` for a fixture wider than one test: None for SQLite, else a database of
    its own on the run's PostgreSQL server, dropped when the fixture ends."""
    if engine == "sqlite":
        yield None
        return
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)
