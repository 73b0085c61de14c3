"""The Python API (``recount.Case``): a notebook session from init to estimate, on both engines.

The facade must give what the command line gives — the same persons, the same links, the same
estimate dict — raise the errors of ``recount.errors``, keep ``import recount`` light, and run
from a plain script with no ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import recount
from recount.errors import NotACaseError, NotFoundError
from tests.conftest import run_cli, table_counts, write_csv

# Two lists of one fictional event. Five people are on both (the same name, sex, birth year
# and place), three only on the registry, two only on the NGO's list: ten people, 15 records.
REGISTRY = """full_name,sex,birth_year,place,fate
Amina Karimova,F,1958,North Village,killed
Bakhtiyar Aliyev,M,1941,North Village,killed
Celik Dursun,M,1973,River Farm,missing
Dilara Suleymanova,F,1985,River Farm,killed
Emin Rashidov,M,1926,Hill Road,killed
Farida Nasirova,F,1950,Hill Road,injured
Gasan Tagiyev,M,1964,North Village,missing
Hokuma Mammadli,F,1919,River Farm,killed
"""
NGO = """full_name,sex,birth_year,place,fate
Emin Rashidov,M,1926,Hill Road,killed
Ilkin Babayev,M,1977,Hill Road,killed
Amina Karimova,F,1958,North Village,killed
Dilara Suleymanova,F,1985,River Farm,killed
Javid Orujov,M,1954,River Farm,missing
Bakhtiyar Aliyev,M,1941,North Village,killed
Gasan Tagiyev,M,1964,North Village,missing
"""
# (registry row, ngo row) of the people on both lists; rows count from 1 after the header.
BOTH = {(1, 3), (2, 6), (4, 4), (5, 1), (7, 7)}
PERSONS = 10
LCMCR = {"burn_in": 200, "samples": 100, "thin": 2, "chains": 1}
HEAVY = ("pandas", "sqlalchemy", "numpy", "splink", "duckdb", "scipy", "numba", "statsmodels")


def _lists(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(exist_ok=True)
    return write_csv(folder / "registry.csv", REGISTRY), write_csv(folder / "ngo.csv", NGO)


def _session(root: Path, database_url: str | None) -> recount.Case:
    registry, ngo = _lists(root / "lists")
    case = recount.Case.init(root / "case", database=database_url)
    case.add_source("registry", name="A civil registry", kind="government")
    case.add_source("ngo", name="A human-rights group", kind="ngo")
    assert case.import_list("registry", registry).imported == 8
    assert case.import_list("ngo", ngo).imported == 7
    return case


def test_a_session_from_init_to_linked_persons(tmp_path: Path, database_url: str | None) -> None:
    case = _session(tmp_path, database_url)
    again = case.import_list("ngo", tmp_path / "lists" / "ngo.csv")
    assert again.already_imported and again.imported == 0
    assert table_counts(case.root)["records"] == 15
    assert [(s.slug, s.records) for s in case.sources()] == [("ngo", 7), ("registry", 8)]

    linked = case.link()
    assert (linked.records, linked.persons) == (15, PERSONS)

    links = case.links()
    assert {"source", "row_number", "person_id"} <= set(links.columns)
    assert len(links) == 15 and links["person_id"].nunique() == PERSONS
    person = {(r.source, r.row_number): r.person_id for r in links.itertuples()}
    assert all(person["registry", a] == person["ngo", b] for a, b in BOTH)
    assert len(case.links(source="ngo")) == 7

    persons = case.persons()
    assert {"person_id", "source", "row_number", "sources", "records"} <= set(persons.columns)
    assert len(persons) == PERSONS and persons["person_id"].is_unique
    assert persons["records"].sum() == 15
    on_both = persons[persons["source"].map(lambda s: sorted(s) == ["ngo", "registry"])]
    assert len(on_both) == len(BOTH)
    for row in persons.itertuples():
        assert len(row.source) == len(row.row_number) == row.records
        refs = zip(row.source, row.row_number, strict=True)
        assert all(person[s, n] == row.person_id for s, n in refs)

    records = case.records(source="registry")
    assert len(records) == 8 and list(records["row_number"]) == list(range(1, 9))
    assert case.summary().persons == PERSONS
    case.close()

    with recount.Case.open(tmp_path / "case") as reopened:
        pd.testing.assert_frame_equal(reopened.links(), links)


def test_the_estimate_object_is_the_cli_json(tmp_path: Path, database_url: str | None) -> None:
    case = _session(tmp_path, database_url)
    case.link()
    result = case.estimate(seed=7, **LCMCR)
    data = result.to_dict()
    assert {"method", "observed", "estimate", "interval", "seed", "draws", "warnings"} <= set(data)
    assert (result.method, result.observed, result.seed) == ("lcmcr", PERSONS, 7)
    assert (data["method"], data["observed"], data["seed"]) == ("lcmcr", PERSONS, 7)
    assert result.estimate == data["estimate"] and list(result.interval) == data["interval"]
    assert result.draws is not None and len(result.draws) == LCMCR["samples"]
    assert [int(d) for d in result.draws] == data["draws"]
    assert result.warnings == data["warnings"]
    low, high = result.interval
    assert PERSONS <= low <= result.estimate <= high
    assert result.id is not None and f"estimate {result.id}" in result.summary()

    repeated = case.estimate(seed=7, **LCMCR)
    assert repeated.id != result.id and repeated.draws.tolist() == result.draws.tolist()
    case.close()

    flags = ["--burn-in", "200", "--samples", "100", "--thin", "2", "--chains", "1"]
    cli = run_cli("estimate", "--seed", "7", *flags, "--json", case=tmp_path / "case")
    assert cli.returncode == 0, cli.stderr
    unstored = {"id", "created_at", "charts"}
    printed = {k: v for k, v in json.loads(cli.stdout).items() if k not in unstored}
    assert printed == {k: v for k, v in json.loads(json.dumps(data)).items() if k not in unstored}


def test_estimates_from_a_counts_file_without_a_case(tmp_path: Path) -> None:
    counts = write_csv(tmp_path / "counts.csv", "a,b,count\n1,0,30\n0,1,20\n1,1,10\n")
    result = recount.estimate_counts(counts, method="chao")
    assert result.id is None and result.observed == 60
    assert result.to_dict()["observed"] == 60 and result.draws is None
    assert result.estimate >= 60


def test_errors_are_recounts_own(tmp_path: Path, database_url: str | None) -> None:
    with pytest.raises(NotACaseError):
        recount.Case.open(tmp_path)
    with pytest.raises(NotACaseError):
        recount.Case.open(tmp_path / "nowhere")
    registry, _ = _lists(tmp_path / "lists")
    with recount.Case.init(tmp_path / "case", database=database_url) as case:
        with pytest.raises(NotFoundError, match="unknown source 'nobody'"):
            case.import_list("nobody", registry)
        with pytest.raises(NotFoundError):
            case.links(source="nobody")
        assert table_counts(case.root)["records"] == 0


def test_the_public_names_are_declared_and_load_on_first_use() -> None:
    assert set(recount.__all__) == {"Case", "EstimateResult", "estimate_counts", "__version__"}
    assert {"Case", "EstimateResult", "estimate_counts"} <= set(dir(recount))
    from recount import api

    assert recount.Case is api.Case and recount.EstimateResult is api.EstimateResult
    with pytest.raises(AttributeError):
        recount.NoSuchThing  # noqa: B018


def test_import_recount_loads_no_heavy_package() -> None:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import recount"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if "|" in line}
    assert "recount" in loaded
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert not heavy, f"`import recount` loads {heavy}"


SCRIPT = """\
import recount

case = recount.Case.init({case!r}, database={database!r})
case.add_source("registry", name="A civil registry", kind="government")
case.add_source("ngo", name="A human-rights group", kind="ngo")
case.import_list("registry", {registry!r})
case.import_list("ngo", {ngo!r})
case.link()
result = case.estimate(seed=3, burn_in=200, samples=100, thin=2)
print("SCRIPT-RESULT", result.observed, result.estimate)
"""


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path, database_url: str | None) -> None:
    registry, ngo = _lists(tmp_path / "lists")
    script = tmp_path / "session.py"
    script.write_text(
        textwrap.dedent(SCRIPT).format(
            case=str(tmp_path / "case"), database=database_url, registry=str(registry), ngo=str(ngo)
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("SCRIPT-RESULT") == 1, run.stdout
    assert run.stdout.startswith(f"SCRIPT-RESULT {PERSONS} ")
