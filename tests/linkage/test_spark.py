"""The Spark backend (real Spark, local mode) against DuckDB on the same simulated lists.

Needs pyspark and Java, which `make test` installs. The same stored model gives the same
pairs and persons on both backends. A model trained on
each differs a little, because Splink's sampling of random pairs for u is not the same on the
two engines; the persons still agree closely.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.linkage.evaluate import pairwise_accuracy
from recount.linkage.run import link_case
from tests.linkage.test_link import _case_with_lists, _person_of

# `make test` installs the spark extra and, when missing, a Java runtime: no skipping here.
LISTS = ["registry", "ngo", "press", "testimonies"]


def _pairs(case: Case) -> dict[tuple[int, int], float]:
    import sqlite3

    connection = sqlite3.connect(case.db_path)
    try:
        return {
            (a, b): p
            for a, b, p in connection.execute("SELECT record_l, record_r, probability FROM pairs")
        }
    finally:
        connection.close()


@pytest.fixture(scope="module")
def duckdb_case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    case, _ = _case_with_lists(tmp_path_factory.mktemp("duck"), LISTS, size=250)
    link_case(case)
    return case


def test_the_same_model_gives_the_same_persons_on_spark(duckdb_case: Case) -> None:
    on_duckdb, persons = _pairs(duckdb_case), _person_of(duckdb_case)
    result = link_case(duckdb_case, backend="spark", rescore=True)
    assert result.mode == "rescore" and result.backend == "spark"
    on_spark = _pairs(duckdb_case)
    assert on_spark.keys() == on_duckdb.keys()
    assert max(abs(on_spark[k] - on_duckdb[k]) for k in on_duckdb) < 1e-6
    assert _person_of(duckdb_case) == persons


def test_training_on_spark_agrees_with_duckdb(duckdb_case: Case, tmp_path: Path) -> None:
    case, _ = _case_with_lists(tmp_path, LISTS, size=250)
    result = link_case(case, backend="spark")
    assert result.mode == "full" and result.backend == "spark"
    agreement = pairwise_accuracy(_person_of(case), _person_of(duckdb_case))
    assert agreement.f1 >= 0.97
