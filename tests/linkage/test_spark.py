"""The Spark backend (real Spark, local mode) against DuckDB on the same simulated lists.

Needs pyspark and Java, which `make test` installs. The same stored model gives the same
pairs and persons on both backends. A model trained on
each differs a little, because Splink's sampling of random pairs for u is not the same on the
two engines; the persons still agree closely. Without the spark extra, asking for Spark is one
line naming the extra to install.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recount.case.folder import Case, init_case, open_case
from recount.case.sources import add_source
from recount.ingest.importer import import_file
from recount.linkage.evaluate import pairwise_accuracy
from recount.linkage.run import link_case
from recount.store.tables import linkage_runs
from tests.conftest import ENGINES, write_csv
from tests.linkage.helpers import case_with_lists, module_database, person_of, stored_pairs

# `make test` installs the spark extra and, when missing, a Java runtime: no skipping here.
LISTS = ["registry", "ngo", "press", "testimonies"]


# Spark changes only where Splink computes. What linkage reads from and writes to the store is
# the same code on either backend, and tests/linkage/test_link.py runs it on both engines (and
# checks that the engine does not change the persons); so Spark's minutes are spent once, on
# SQLite.
@pytest.fixture(scope="module", params=[p for p in ENGINES if p.id == "sqlite"])
def duckdb_case(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Case]:
    with module_database(request.param, request) as database_url:
        case, _ = case_with_lists(
            tmp_path_factory.mktemp("duck"), LISTS, size=250, database=database_url
        )
        link_case(case)
        yield case
        case.close()


@pytest.mark.spark
@pytest.mark.slow
def test_the_same_model_gives_the_same_persons_on_spark(duckdb_case: Case) -> None:
    on_duckdb, persons = stored_pairs(duckdb_case), person_of(duckdb_case)
    result = link_case(duckdb_case, backend="spark", rescore=True)
    assert result.mode == "rescore" and result.backend == "spark"
    on_spark = stored_pairs(duckdb_case)
    assert on_spark.keys() == on_duckdb.keys()
    assert max(abs(on_spark[k] - on_duckdb[k]) for k in on_duckdb) < 1e-6
    assert person_of(duckdb_case) == persons


@pytest.mark.spark
@pytest.mark.slow
def test_training_on_spark_agrees_with_duckdb(
    duckdb_case: Case, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # On the engine of ``duckdb_case``: one run per engine, not one per pair of engines.
    with module_database(duckdb_case.store.dialect, request) as database_url:
        case, _ = case_with_lists(tmp_path, LISTS, size=250, database=database_url)
        try:
            result = link_case(case, backend="spark")
            assert result.mode == "full" and result.backend == "spark"
            agreement = pairwise_accuracy(person_of(case), person_of(duckdb_case))
            assert agreement.f1 >= 0.97
        finally:
            case.close()


# The CLI with pyspark made unimportable: a None in sys.modules makes every `import pyspark`
# (and `import pyspark.sql`) raise ImportError, exactly as when the package is not installed.
WITHOUT_PYSPARK = (
    "import runpy, sys; sys.modules['pyspark'] = None; sys.argv[0] = 'recount'; "
    "runpy.run_module('recount.cli', run_name='__main__')"
)


def _recount_without_pyspark(*args: str, case: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECOUNT_CASE": str(case)}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PYSPARK, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_spark_without_pyspark_is_one_line_naming_the_extra(
    tmp_path: Path, database_url: str | None
) -> None:
    root = tmp_path / "case"
    with init_case(root, database=database_url) as case:
        add_source(case, "registry", "Registry", "government")
        import_file(case, "registry", write_csv(tmp_path / "r.csv", "full_name\nAli\nAla\n"))
    result = _recount_without_pyspark("link", "--backend", "spark", case=root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: the Spark backend (`recount link --backend spark`) needs recount's optional "
        "'spark' part: pip install 'recount[spark]'"
    ]
    assert result.stdout == ""
    with open_case(root) as case, case.reading() as conn:
        runs = conn.execute(select(func.count()).select_from(linkage_runs)).scalar_one()
    assert runs == 0  # refused before any work
    # pyspark is installed here (`make test`): only the hiding above made the command fail.
    assert importlib.util.find_spec("pyspark") is not None
