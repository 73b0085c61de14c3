"""The demo, run as a new user runs it: a case from four simulated sources, end to end."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from recount.case.folder import init_case
from recount.demo.run import clear_earlier_demo
from recount.errors import CaseExistsError, ForeignDatabaseError
from recount.store import schema
from recount.store.engine import make_engine, parse_database_url
from tests import postgres
from tests.conftest import init_args, run_cli, table_counts


@dataclass
class DemoRun:
    """The demo built in ``target``, then built again over itself (``rerun``, as JSON)."""

    target: Path
    result: subprocess.CompletedProcess[str]
    elapsed: float
    rerun: subprocess.CompletedProcess[str]


@dataclass
class Demos:
    """At most one demo case per engine for the whole module: each takes a minute or more."""

    root: Path
    runs: dict[str, DemoRun] = field(default_factory=dict)
    databases: list[tuple[postgres.PostgresServer, str]] = field(default_factory=list)

    def get(self, engine: str, server: postgres.PostgresServer | None) -> DemoRun:
        if engine not in self.runs:
            database_url = None
            if server is not None:
                name = server.create_database("demo")
                self.databases.append((server, name))
                database_url = server.url(name)
            self.runs[engine] = self._run(self.root / engine / "demo", database_url)
        return self.runs[engine]

    @staticmethod
    def _run(target: Path, database_url: str | None) -> DemoRun:
        started = time.monotonic()
        result = run_cli("demo", str(target), *init_args(database_url), timeout=600)
        elapsed = time.monotonic() - started
        # Run again into the same folder and database: the earlier demo case is replaced.
        rerun = run_cli("demo", str(target), *init_args(database_url), "--json", timeout=600)
        return DemoRun(target, result, elapsed, rerun)

    def close(self) -> None:
        for server, name in self.databases:
            server.drop_database(name)


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demos]:
    built = Demos(tmp_path_factory.mktemp("demos"))
    yield built
    built.close()


def _demo(demos: Demos, engine: str, request: pytest.FixtureRequest) -> DemoRun:
    server = request.getfixturevalue("postgres_server") if engine == "postgresql" else None
    return demos.get(engine, server)


@pytest.mark.slow
def test_demo_builds_a_case_that_matches_the_simulated_truth(
    demos: Demos, store_engine: str, request: pytest.FixtureRequest
) -> None:
    run = _demo(demos, store_engine, request)
    target, result, elapsed = run.target, run.result, run.elapsed
    assert result.returncode == 0, result.stderr
    assert elapsed < 120  # includes Numba compiling the sampler on a fresh machine
    assert "fictional" in result.stdout and "Try next" in result.stdout
    assert "The simulated truth, 2,000, is" in result.stdout
    assert f"recount --case {target} status" in result.stdout

    with (target / "demo-lists" / "truth.csv").open(encoding="utf-8") as handle:
        truth = {(r["source"], int(r["row_number"])) for r in csv.DictReader(handle)}
    links = run_cli("export", "links", "--format", "csv", case=target)
    exported = [
        (r["source"], int(r["row_number"])) for r in csv.DictReader(io.StringIO(links.stdout))
    ]
    assert len(exported) == len(set(exported)) == len(truth)
    assert set(exported) == truth
    counts = table_counts(target)
    # Four lists, the family register, the photo archive and the bulletin; two events.
    assert counts["sources"] == 7 and counts["events"] == 2 and counts["imports"] == 5

    status = json.loads(run_cli("status", "--json", case=target).stdout)
    assert status["persons"] < status["records"]  # the demo links its lists
    assert status["persons"] == len(
        {r["person_id"] for r in csv.DictReader(io.StringIO(links.stdout))}
    )
    assert {s["slug"]: s["kind"] for s in status["sources"]} == {
        "registry": "government",
        "ngo": "ngo",
        "press": "media",
        "testimonies": "witness",
        "demo-photo-archive": "media",
        "demo-family-register": "ngo",
        "demo-regional-monitor": "media",
    }
    evidence = json.loads(run_cli("evidence", "verify", "--json", case=target).stdout)
    assert evidence["ok"] is True and evidence["items"] >= 4
    ngo = next(i for i in status["imports"] if i["source"] == "ngo")
    assert ngo["encoding"] == "cp1251"

    records = json.loads(
        run_cli("records", "--source", "ngo", "--limit", "5", "--json", case=target).stdout
    )
    assert len(records) == 5 and all(r["sex"] in ("M", "F", None) for r in records)
    assert any("\u0400" <= ch <= "\u04ff" for ch in records[0]["family_name"])

    # Run again: the earlier demo case is replaced, not duplicated.
    again = run.rerun
    assert again.returncode == 0, again.stderr
    rerun = json.loads(again.stdout)
    assert rerun["summary"]["records"] == len(truth)
    # The estimate of the whole event, stored with its chart, beside the simulated truth.
    estimate = rerun["estimate"]
    assert estimate["method"] == "lcmcr" and estimate["event"] == "vendara-1994"
    # Everyone on a victims' list; relatives known only from the family register are not.
    sources_of: dict[str, set[str]] = {}
    for r in csv.DictReader(io.StringIO(links.stdout)):
        sources_of.setdefault(r["person_id"], set()).add(r["source"])
    assert estimate["observed"] == sum(
        1 for s in sources_of.values() if s != {"demo-family-register"}
    )
    low, high = estimate["interval"]
    assert estimate["observed"] <= low <= estimate["estimate"] <= high
    assert rerun["true_size"] == 2000 and rerun["true_listed"] <= estimate["observed"] * 1.1
    assert all(Path(chart).exists() for chart in estimate["charts"])
    assert table_counts(target)["records"] == len(truth)
    _assert_story(target, rerun["story"])


def _assert_story(target: Path, story: dict) -> None:
    """Events, acts, families, statuses and the bulletin's claims, as the figures show them."""
    assert story["acts"] == 16 and story["interventions"] == 3 and story["relations"] > 50
    tables = {t["event"]: t for t in json.loads(run_cli("figures", "--json", case=target).stdout)}
    rows = {(r["kind"], r["group"]): r for r in tables["vendara-1994"]["rows"]}
    killed = rows[("killed", None)]
    government = next(c for c in killed["claims"] if c["count"] == 2150)
    assert "provincial government" in government["attributed_to"].lower()
    assert government["source"] == "demo-regional-monitor" and government["evidence_item_id"]
    assert killed["documented"] > 500 and len(killed["documented_persons"]) == killed["documented"]
    assert rows[("killed", "families")]["documented"] == 8
    assert rows[("orphaned", "children")]["documented"] >= 10
    earlier = [c["count"] for r in tables["oskelu-1991"]["rows"] for c in r["claims"]]
    assert earlier == [23]  # the bulletin's figure about the 1991 shelling, not the attack
    assert 23 not in [c["count"] for r in rows.values() for c in r["claims"]]


def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("precious")
    result = run_cli("demo", str(tmp_path))
    assert result.returncode == 1 and "is not an earlier demo case" in result.stderr
    assert (tmp_path / "mine.txt").read_text() == "precious"


@pytest.mark.slow
@pytest.mark.postgres
def test_the_demo_on_postgresql_counts_what_it_counts_on_sqlite(
    demos: Demos, postgres_server: postgres.PostgresServer
) -> None:
    """The same seed gives the same case on both engines: sources, records, persons, estimate."""
    on_sqlite = json.loads(demos.get("sqlite", None).rerun.stdout)
    on_postgresql = json.loads(demos.get("postgresql", postgres_server).rerun.stdout)

    def counts(demo: dict) -> dict:
        summary, estimate = demo["summary"], demo["estimate"]
        return {
            "sources": [
                (s["slug"], s["kind"], s["imports"], s["records"]) for s in summary["sources"]
            ],
            "records": summary["records"],
            "persons": summary["persons"],
            "events": summary["events"],
            "estimate": (estimate["observed"], estimate["estimate"], estimate["interval"]),
        }

    assert counts(on_postgresql) == counts(on_sqlite)
    assert on_postgresql["linkage"]["persons"] == on_sqlite["linkage"]["persons"]
    assert on_postgresql["story"] == on_sqlite["story"]


DEMO_SETTINGS = {"demo": {"synthetic": True, "seed": 1, "size": 10, "note": "test"}}


def _tables(database_url: str) -> list[str]:
    engine = make_engine(parse_database_url(database_url))
    try:
        return schema.table_names(engine)
    finally:
        engine.dispose()


def test_an_earlier_demo_is_replaced_and_its_tables_dropped_in_the_same_database(
    tmp_path: Path, database_url: str | None
) -> None:
    target = tmp_path / "demo"
    init_case(target, extra_settings=DEMO_SETTINGS, database=database_url).close()
    clear_earlier_demo(target, database_url)
    assert not target.exists()
    if database_url is not None:
        assert _tables(database_url) == []
    # The folder and the database take a new case.
    init_case(target, extra_settings=DEMO_SETTINGS, database=database_url).close()
    assert table_counts(target)["sources"] == 0


@pytest.mark.postgres
def test_tables_are_dropped_only_in_the_database_the_run_names(
    tmp_path: Path, postgres_server: postgres.PostgresServer
) -> None:
    first, other = (postgres_server.create_database("demo") for _ in range(2))
    try:
        kept = postgres_server.url(first)
        init_case(tmp_path / "demo", extra_settings=DEMO_SETTINGS, database=kept).close()
        clear_earlier_demo(tmp_path / "demo", postgres_server.url(other))
        assert not (tmp_path / "demo").exists()
        assert "records" in _tables(kept)  # another database named: the old tables stay
        init_case(tmp_path / "plain", database=postgres_server.url(other)).close()
        with pytest.raises(CaseExistsError, match="not an earlier demo case"):
            clear_earlier_demo(tmp_path / "plain", postgres_server.url(other))
        assert "records" in _tables(postgres_server.url(other))  # not a demo: nothing dropped
    finally:
        for name in (first, other):
            postgres_server.drop_database(name)


@pytest.mark.postgres
def test_a_database_with_foreign_tables_is_refused_and_left_alone(
    tmp_path: Path, postgres_server: postgres.PostgresServer
) -> None:
    name = postgres_server.create_database("demo")
    try:
        url = postgres_server.url(name)
        init_case(tmp_path / "demo", extra_settings=DEMO_SETTINGS, database=url).close()
        postgres_server.psql("CREATE TABLE their_notes (note text)", database=name)
        with pytest.raises(ForeignDatabaseError, match="their_notes"):
            clear_earlier_demo(tmp_path / "demo", url)
        assert (tmp_path / "demo").is_dir()
        assert {"records", "their_notes"} <= set(_tables(url))
    finally:
        postgres_server.drop_database(name)
