"""Capture tables: reading counts files, refusing bad ones, building tables from memberships."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recount.errors import InputFileError, InvalidValueError, ValidationError
from recount.estimate.table import from_csv, from_memberships, read_counts
from tests.conftest import MSE_DATA


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted(MSE_DATA.glob("*.csv")), ids=lambda p: p.name)
def test_every_shared_table_reads_with_its_published_observed_count(path: Path) -> None:
    table = from_csv(path)
    table.check()
    rows = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
    assert table.observed == rows[:, -1].sum()
    assert table.n_lists == rows.shape[1] - 1
    assert (table.counts > 0).all() and (table.patterns.sum(axis=1) > 0).all()


def test_kosovo_matches_the_published_list_sizes() -> None:
    table = from_csv(MSE_DATA / "kosovo.csv")
    assert table.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert table.observed == 4400
    full = table.full()
    assert full.shape == (16,) and full[0] == 0 and full.sum() == 4400
    # Cell index puts the first list in the most significant bit: EXH only = 0b1000.
    exh_only = table.counts[(table.patterns == [1, 0, 0, 0]).all(axis=1)][0]
    assert full[8] == exh_only


def test_select_drops_people_on_none_of_the_kept_lists() -> None:
    table = from_memberships(["a", "b", "c"], {1: {"a"}, 2: {"a", "b"}, 3: {"c"}, 4: {"b", "c"}})
    reduced = table.select(["a", "b"])
    assert reduced.observed == 3
    assert reduced.list_totals() == {"a": 2, "b": 2}
    with pytest.raises(InvalidValueError, match="unknown list"):
        table.select(["a", "z"])


def test_stratified_file_gives_one_table_per_stratum() -> None:
    path = MSE_DATA / "stratified" / "scot_pwid_conting_by_region_gender_age.csv"
    tables = read_counts(path, ["Region", "Gender", "Age"])
    assert len(tables) == 8
    assert (
        sum(t.observed for t in tables.values())
        == from_csv(MSE_DATA / "scot_pwid_conting.csv").observed
    )
    assert all(t.lists[0] == "S1_social_enquiry" for t in tables.values())


def test_an_unnamed_stratum_column_is_reported_once_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        read_counts(MSE_DATA / "stratified" / "spina_bifida_conting_by_eth.csv")
    assert caught.value.total == 1
    assert "--strata eth" in str(caught.value)
    assert "nothing was estimated" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "row", "column", "value", "expected"),
    [
        ("a,b,count\n1,0,5\n0,2,3\n", 2, "b", "2", "0 or 1"),
        ("a,b,count\n1,0,-1\n0,1,3\n", 1, "count", "-1", "whole number"),
        ("a,b,count\n1,0,2.5\n0,1,3\n", 1, "count", "2.5", "whole number"),
        ("a,b,count\n1,0,x\n", 1, "count", "x", "whole number"),
        ("a,b,count\n1,1,3\n0,0,4\n", 2, "count", "4", "all-zero pattern"),
    ],
)
def test_bad_cells_name_row_column_and_value(
    tmp_path: Path, text: str, row: int, column: str, value: str, expected: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        from_csv(write(tmp_path, text))
    problem = caught.value.problems[0]
    assert (problem.row, problem.line, problem.column, problem.value) == (
        row,
        row + 1,
        column,
        value,
    )
    assert expected in problem.expected


def test_a_file_without_count_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no 'count' column"):
        from_csv(write(tmp_path, "a,b,n\n1,0,3\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,count\n1,5\n", "at least 2 lists"),
        ("a,b,c,count\n1,0,0,5\n1,1,0,2\n", "no records: c"),
        ("a,b,count\n1,0,5\n0,1,3\n", "no one is on more than one list"),
        ("a,b,count\n1,0,5\n", "no records: b"),
    ],
)
def test_tables_no_method_can_use_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        from_csv(write(tmp_path, text)).check()


def test_zero_count_rows_are_allowed_and_dropped(tmp_path: Path) -> None:
    table = from_csv(write(tmp_path, "a,b,count\n1,0,5\n0,1,0\n1,1,2\n0,0,0\n"))
    assert table.observed == 7 and len(table.counts) == 2
