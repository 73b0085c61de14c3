"""`recount link` on real DuckDB: accuracy against simulated truth, stable ids, incremental
runs, review labels, explanations, thresholds, and cases too small or too odd to link."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recount.case.folder import Case, init_case
from recount.case.sources import add_source
from recount.demo.run import linkage_accuracy
from recount.errors import InvalidValueError, LinkageError, UsageError
from recount.export.tables import export_rows
from recount.ingest.importer import import_file
from recount.linkage.explain import explain_person
from recount.linkage.review import add_label, candidates, export_labels, import_labels
from recount.linkage.run import apply_labels, link_case, persons_at_threshold
from recount.linkage.settings import LinkageSettings
from recount.simulate.simulation import SimulationFiles, simulate
from recount.store import linkage as linkage_store
from recount.store.tables import linkage_runs
from tests import postgres
from tests.conftest import ENGINES, run_cli, write_csv
from tests.linkage.helpers import case_with_lists as _case_with_lists
from tests.linkage.helpers import module_database
from tests.linkage.helpers import person_of as _person_of


# Tests on the linked case are marked slow: whichever runs first links it (about 12 s).
@pytest.fixture(scope="module", params=ENGINES)
def linked(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[Case, SimulationFiles]]:
    """Four simulated lists linked once per engine."""
    with module_database(request.param, request) as database_url:
        case, files = _case_with_lists(
            tmp_path_factory.mktemp("linked"),
            ["registry", "ngo", "press", "testimonies"],
            database=database_url,
        )
        link_case(case)
        yield case, files
        case.close()


@pytest.mark.slow
def test_linkage_recovers_the_simulated_persons(linked: tuple[Case, SimulationFiles]) -> None:
    case, files = linked
    accuracy = linkage_accuracy(case, files.truth)
    assert accuracy.precision >= 0.97
    assert accuracy.recall >= 0.9
    assert accuracy.f1 >= 0.94


@pytest.mark.slow
def test_a_full_rerun_keeps_every_person_id(linked: tuple[Case, SimulationFiles]) -> None:
    case, _ = linked
    before = _person_of(case)
    result = link_case(case, full=True)
    assert result.mode == "full" and result.merges == result.splits == 0
    assert _person_of(case) == before


@pytest.mark.slow
def test_each_run_is_stored_with_settings_model_counts_and_duration(
    linked: tuple[Case, SimulationFiles],
) -> None:
    case, _ = linked
    query = (
        select(
            linkage_runs.c.settings,
            linkage_runs.c.model,
            linkage_runs.c.match_threshold,
            linkage_runs.c.counts,
            linkage_runs.c.seconds,
            linkage_runs.c.backend,
        )
        .where(linkage_runs.c.mode == "full")
        .order_by(linkage_runs.c.id)
        .limit(1)
    )
    with case.reading() as conn:
        settings, model, threshold, counts, seconds, backend = conn.execute(query).one()
    assert json.loads(settings)["match_threshold"] == threshold == 0.5
    assert json.loads(model)["comparisons"][0]["output_column_name"] == "name"
    assert json.loads(counts)["persons"] > 0 and seconds > 0 and backend == "duckdb"


@pytest.mark.slow
def test_incremental_run_scores_only_new_records_and_keeps_ids(
    tmp_path: Path, database_url: str | None
) -> None:
    case, files = _case_with_lists(tmp_path, ["registry", "ngo", "press"], database=database_url)
    first = link_case(case)
    before = _person_of(case)
    import_file(case, "testimonies", files.lists["testimonies"])
    new_records = sum(1 for r in export_rows(case, "links") if r["source"] == "testimonies")
    second = link_case(case)
    assert (first.mode, second.mode) == ("full", "incremental")
    assert second.scored_records == new_records
    after = _person_of(case)
    kept = sum(after[key] == person for key, person in before.items())
    assert kept / len(before) >= 0.98  # a few persons merge when a witness bridges them
    assert linkage_accuracy(case, files.truth).f1 >= 0.93


@pytest.mark.slow
def test_review_labels_split_and_join_persons(tmp_path: Path, database_url: str | None) -> None:
    case, _ = _case_with_lists(tmp_path, ["registry", "ngo"], size=300, database=database_url)
    link_case(case)
    person = _records_by_person(case)
    together = next(ids for ids in person.values() if len(ids) >= 2)
    add_label(case, together[0], together[1], "non-match", "reviewer-a")
    apply_labels(case)
    now = _records_by_person(case)
    assert _person_of_record(now, together[0]) != _person_of_record(now, together[1])
    apart = [ids[0] for ids in list(now.values())[:2]]
    add_label(case, apart[0], apart[1], "match", "reviewer-a")
    result = apply_labels(case)
    assert result.mode == "review"
    assert _person_of_record(_records_by_person(case), apart[0]) == _person_of_record(
        _records_by_person(case), apart[1]
    )
    # Labels survive export and import, keyed by source and row.
    out = io.StringIO()
    assert export_labels(case, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["label"] for r in rows} == {"match", "non-match"} and rows[0]["reviewer"]
    labels_file = tmp_path / "labels.csv"
    labels_file.write_text(out.getvalue(), encoding="utf-8")
    assert import_labels(case, labels_file) == 2
    # A full run trains with the labels and still honours them.
    retrained = link_case(case, full=True)
    assert retrained.mode == "full"
    final = _records_by_person(case)
    assert _person_of_record(final, together[0]) != _person_of_record(final, together[1])
    assert _person_of_record(final, apart[0]) == _person_of_record(final, apart[1])


@pytest.mark.slow
def test_review_session_in_the_terminal(linked: tuple[Case, SimulationFiles]) -> None:
    case, _ = linked
    pending = candidates(case, 0.05, 0.99, limit=2)
    assert pending and all(0.05 <= p.probability < 0.99 for p in pending)
    result = subprocess_review(case.root, "n\ns\nq\n")
    assert result.returncode == 0, result.stderr
    assert "Pair 1/" in result.stdout and "as compared" in result.stdout
    assert "Recorded 1 label(s)" in result.stdout


def subprocess_review(root: Path, answers: str):
    import subprocess
    import sys

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "recount.cli",
            "--case",
            str(root),
            "review",
            "--reviewer",
            "tester",
            "--low",
            "0.05",
            "--high",
            "0.99",
            "--limit",
            "3",
        ],
        input=answers,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _records_by_person(case: Case) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for row in export_rows(case, "links"):
        result.setdefault(row["person_id"], []).append(row["record_id"])
    return result


def _person_of_record(by_person: dict[int, list[int]], record: int) -> int:
    return next(p for p, ids in by_person.items() if record in ids)


@pytest.mark.slow
def test_explain_shows_the_weights_behind_a_person(
    linked: tuple[Case, SimulationFiles], tmp_path: Path
) -> None:
    case, _ = linked
    person = next(p for p, ids in _records_by_person(case).items() if len(ids) >= 3)
    explanation = explain_person(case, person, tmp_path / "why.html")
    assert len(explanation.pairs) == 3
    strongest = max(explanation.pairs, key=lambda p: p.probability)
    assert strongest.probability >= 0.5
    assert strongest.weights["name"] > 0 and strongest.levels["name"]
    html = (tmp_path / "why.html").read_text(encoding="utf-8")
    assert "vega" in html.lower()
    cli = run_cli("link", "--explain", str(person), "--json", case=case.root)
    assert json.loads(cli.stdout)["person_id"] == person


@pytest.mark.slow
def test_links_at_other_thresholds(linked: tuple[Case, SimulationFiles]) -> None:
    case, _ = linked
    strict = len(set(persons_at_threshold(case, 0.99).values()))
    default = len(set(persons_at_threshold(case, 0.5).values()))
    loose = len(set(persons_at_threshold(case, 0.1).values()))
    assert loose <= default <= strict and loose < strict
    # Pairs were kept from keep_threshold: clustering exactly there is allowed, although the
    # least likely pair stored sits above it.
    keep = LinkageSettings().keep_threshold
    with case.reading() as conn:
        lowest = min(p for _, _, p in linkage_store.pairs_from(conn, 0.0))
    assert lowest > keep
    at_keep = len(set(persons_at_threshold(case, keep).values()))
    assert at_keep <= loose
    with pytest.raises(InvalidValueError, match=f"pairs were kept only from {keep:g}"):
        persons_at_threshold(case, keep / 2)
    cli = run_cli("export", "links", "--threshold", "0.99", case=case.root)
    rows = list(csv.DictReader(io.StringIO(cli.stdout)))
    assert len({r["person_id"] for r in rows}) == strict


@pytest.mark.slow
def test_cli_link_json_contract(tmp_path: Path, database_url: str | None) -> None:
    case, _ = _case_with_lists(tmp_path, ["registry", "press"], size=200, database=database_url)
    case.close()
    result = run_cli("link", "--json", case=case.root)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["mode"] == "full" and report["records"] > report["persons"] > 0
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.postgres
def test_the_store_engine_does_not_change_the_persons(
    tmp_path: Path, postgres_server: postgres.PostgresServer
) -> None:
    """Splink runs in DuckDB either way; records read from and persons written to PostgreSQL
    must give exactly the persons an SQLite case gets."""
    lists = ["registry", "ngo", "press"]
    on_sqlite, _ = _case_with_lists(tmp_path / "sqlite", lists, size=250)
    with module_database("postgresql", postgres_server) as url:
        on_postgresql, _ = _case_with_lists(tmp_path / "pg", lists, size=250, database=url)
        try:
            first = (link_case(on_sqlite), link_case(on_postgresql))
            assert _person_of(on_postgresql) == _person_of(on_sqlite)
            assert first[0].pairs == first[1].pairs and first[0].persons == first[1].persons
            again = (link_case(on_sqlite, full=True), link_case(on_postgresql, full=True))
            assert again[0].merges == again[1].merges == 0
            assert again[0].splits == again[1].splits == 0
            assert _person_of(on_postgresql) == _person_of(on_sqlite)
        finally:
            on_postgresql.close()
            on_sqlite.close()


# --- cases too small or too odd to link -----------------------------------------------------


def _tiny_case(
    tmp_path: Path, database_url: str | None, text: str, sources: tuple[str, ...] = ("registry",)
) -> Case:
    case = init_case(tmp_path / "case", database=database_url)
    for slug in sources:
        add_source(case, slug, slug, "other")
        import_file(case, slug, write_csv(tmp_path / f"{slug}.csv", text))
    return case


def test_a_case_without_records_says_why(tmp_path: Path, database_url: str | None) -> None:
    case = init_case(tmp_path / "case", database=database_url)
    with pytest.raises(LinkageError, match="no records to link"):
        link_case(case)
    assert run_cli("link", case=case.root).returncode == 1


def test_one_record_links_trivially(tmp_path: Path, database_url: str | None) -> None:
    case = _tiny_case(tmp_path, database_url, "full_name\nAli Hasanov\n")
    result = link_case(case)
    assert result.persons == 1 and "nothing to compare" in result.notes[0]


def test_records_without_usable_names_stay_their_own_persons(
    tmp_path: Path, database_url: str | None
) -> None:
    case = _tiny_case(
        tmp_path, database_url, "full_name,sex\n☃ ✝,M\n☃ ✝,M\nAli Hasanov,M\nHasanov Ali,M\n"
    )
    result = link_case(case)
    assert result.unlinkable == 2
    persons = _records_by_person(case)
    assert sorted(len(ids) for ids in persons.values()) == [1, 1, 2]


def test_names_and_nothing_else_still_link(tmp_path: Path, database_url: str | None) -> None:
    case = _tiny_case(
        tmp_path,
        database_url,
        "full_name\nMəmmədov Əli\nМамедов Али\nPetrosyan Ashot\nAliyeva Gulnara\n",
    )
    result = link_case(case)
    assert result.records == 4 and result.unlinkable == 0
    assert 3 <= result.persons <= 4 and result.notes  # untrainable steps are reported


def test_one_source_deduplicates(tmp_path: Path, database_url: str | None) -> None:
    people = simulate(size=300, seed=9).population
    distinct = list({(p.given, p.family): p for p in people}.values())[:200]
    rows = "".join(f"{p.given} {p.family},{p.sex},{p.age},{p.date}\n" for p in distinct)
    twin = distinct[3]
    duplicate = f"{twin.family} {twin.given},{twin.sex},{twin.age},{twin.date}\n"
    case = _tiny_case(tmp_path, database_url, "full_name,sex,age,date\n" + rows + duplicate)
    result = link_case(case)
    assert result.records == 201 and result.persons == 200


def test_full_and_rescore_together_are_refused_before_any_work(case: Case) -> None:
    with pytest.raises(UsageError, match="choose one"):
        link_case(case, full=True, rescore=True)
    with case.reading() as conn:
        assert conn.execute(select(linkage_runs.c.id)).first() is None
