"""Linked cases for the linkage tests, on either engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from recount.case.folder import Case, init_case
from recount.case.sources import add_source
from recount.export.tables import export_rows
from recount.ingest.importer import import_file
from recount.simulate.simulation import SimulationFiles, simulate, write_simulation
from recount.store.tables import pairs
from tests import postgres


@contextmanager
def module_database(
    engine: str, server: pytest.FixtureRequest | postgres.PostgresServer
) -> Iterator[str | None]:
    """``database_url`` for a fixture wider than one test: None for SQLite, else a database of
    its own on the run's PostgreSQL server (given, or from the request), dropped at the end."""
    if engine == "sqlite":
        yield None
        return
    if isinstance(server, pytest.FixtureRequest):
        server = server.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


def case_with_lists(
    root: Path,
    slugs: list[str],
    size: int = 700,
    seed: int = 4,
    database: str | None = None,
) -> tuple[Case, SimulationFiles]:
    """A case with the simulated lists ``slugs`` imported (all sources registered)."""
    sim = simulate(size=size, seed=seed)
    files = write_simulation(sim, root / "lists")
    case = init_case(root / "case", database=database)
    for spec in sim.specs:
        add_source(case, spec.slug, spec.name, spec.kind)
    for slug in slugs:
        import_file(case, slug, files.lists[slug], mapping_path=files.mappings.get(slug))
    return case, files


def person_of(case: Case) -> dict[tuple[str, int], int]:
    """(source, row number) → person id, from the links export."""
    return {(r["source"], r["row_number"]): r["person_id"] for r in export_rows(case, "links")}


def stored_pairs(case: Case) -> dict[tuple[int, int], float]:
    with case.reading() as conn:
        query = select(pairs.c.record_l, pairs.c.record_r, pairs.c.probability)
        return {(a, b): p for a, b, p in conn.execute(query)}
