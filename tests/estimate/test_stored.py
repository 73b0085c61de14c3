"""Estimates kept in a case, and capture tables read from a case's records, on both engines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from recount.case.folder import Case
from recount.errors import InvalidValueError, NotFoundError
from recount.estimate.from_case import person_lists
from recount.estimate.run import EstimateRequest, gather_inputs
from recount.estimate.stored import list_estimates, load_estimate, rerun_estimate, run_estimate
from recount.events.event import add_event
from recount.ingest.importer import import_file
from recount.store.tables import records, sources
from tests.conftest import MSE_DATA, write_csv

HEADER = "full_name,sex,age,date,place,fate\n"
REGISTRY = (
    HEADER
    + "Ali Aydin,M,30,1992-02-26,Village A,killed\n"
    + "Bora Aydin,F,10,1992-02-26,Village A,killed\n"
    + "Cem Kaya,M,70,1992-02-26,Village B,missing\n"
)
NGO = (
    HEADER
    + "Ali Aydin,M,34,1992-02-26,Village A,killed\n"
    + "Cem Kaya,F,72,1992-02-26,Village B,missing\n"
    + "Dua Kaya,F,,1992-02-26,Village B,killed\n"
)


def import_lists(case: Case, tmp_path: Path, event: str | None = None) -> None:
    for slug, text in (("registry", REGISTRY), ("ngo", NGO)):
        import_file(case, slug, write_csv(tmp_path / f"{slug}.csv", text), event=event)


def same_name_same_person(case: Case) -> dict[int, int]:
    """A clustering by full name: record id → the smallest record id with that name."""
    with case.reading() as conn:
        rows = conn.execute(select(records.c.id, records.c.full_name).order_by(records.c.id))
        first: dict[str, int] = {}
        return {row.id: first.setdefault(row.full_name, row.id) for row in rows}


def test_person_lists_and_strata_from_the_records(case: Case, tmp_path: Path) -> None:
    add_event(case, "vendara-1992", "Vendara, 1992")
    import_lists(case, tmp_path, event="vendara-1992")
    person_of = same_name_same_person(case)
    with case.reading() as conn:
        people = person_lists(conn, "vendara-1992", person_of=person_of)
    assert people.lists == ("ngo", "registry")  # every source with records, in slug order
    by_lists = sorted(sorted(on) for on in people.on_lists.values())
    assert by_lists == [["ngo"], ["ngo", "registry"], ["ngo", "registry"], ["registry"]]
    values = sorted(people.values.values(), key=lambda v: (v["age_group"], v["sex"]))
    # Ali (M, 30 and 34), Cem (M and F: a tie), Bora (F, 10), Dua (F, no age).
    assert [(v["sex"], v["age_group"]) for v in values] == [
        ("M", "adult"),
        ("F", "child"),
        ("unknown", "elderly"),
        ("F", "unknown"),
    ]
    assert {v["event"] for v in values} == {"vendara-1992"}
    table = people.tables()[()]
    assert table.observed == 4 and sorted(table.counts.tolist()) == [1, 1, 2]
    by_place = people.tables(["place"])
    assert set(by_place) == {("Village A",), ("Village B",)}


def test_person_lists_refuse_unknown_lists_and_events(case: Case, tmp_path: Path) -> None:
    import_lists(case, tmp_path)
    with case.reading() as conn:
        with pytest.raises(InvalidValueError, match="no records from list"):
            person_lists(conn, lists=["registry", "nowhere"])
        with pytest.raises(NotFoundError, match="no event 'nowhere'"):
            person_lists(conn, event="nowhere")


def test_an_unlinked_case_counts_each_record_as_a_person(case: Case, tmp_path: Path) -> None:
    import_lists(case, tmp_path)
    inputs = gather_inputs(case, EstimateRequest(method="chao"))
    assert inputs.linkage_run_id is None and inputs.reference_threshold is None
    table = inputs.clusterings[0].tables[()]
    assert table.observed == 6 and table.patterns.sum(axis=1).max() == 1
    with pytest.raises(InvalidValueError, match="needs a linked case"):
        gather_inputs(case, EstimateRequest(method="chao", linkage_thresholds=(0.3,)))


def test_an_estimate_is_stored_read_back_and_rerun_exactly(case: Case) -> None:
    counts = str(MSE_DATA / "kosovo.csv")
    chao = run_estimate(case, EstimateRequest(method="chao", counts_file=counts))
    request = EstimateRequest(
        method="lcmcr",
        counts_file=counts,
        seed=11,
        options={"burn_in": 200, "samples": 50, "thin": 2, "chains": 2},
    )
    lcmcr = run_estimate(case, request)
    assert (chao.id, lcmcr.id) == (1, 2)
    assert all(Path(p).is_file() for p in lcmcr.charts)
    stored = load_estimate(case, lcmcr.id)
    assert stored.request == request and stored.created_at == lcmcr.created_at
    assert stored.inputs.counts_sha256 and stored.inputs.linkage_run_id is None
    assert stored.result["draws"] == lcmcr.result.draws.tolist()
    assert stored.result["lower_bounds"] == lcmcr.lower_bounds
    assert [row["id"] for row in list_estimates(case)] == [2, 1]
    assert list_estimates(case)[0]["estimate"] == lcmcr.result.estimate
    again = rerun_estimate(case, lcmcr.id)
    assert again.identical and again.differences == []
    assert np.array_equal(again.report.result.draws, lcmcr.result.draws)
    with pytest.raises(NotFoundError, match="no estimate 99"):
        load_estimate(case, 99)


def test_sources_without_records_are_not_lists(case: Case, tmp_path: Path) -> None:
    import_file(case, "registry", write_csv(tmp_path / "r.csv", REGISTRY))
    with case.reading() as conn:
        assert conn.execute(select(sources.c.slug).order_by(sources.c.slug)).scalars().all() == [
            "ngo",
            "registry",
        ]
        assert person_lists(conn).lists == ("registry",)
