"""Stratified estimation: which strata are estimated, and how the total is formed."""

from __future__ import annotations

import numpy as np
import pytest

from recount.errors import InvalidValueError
from recount.estimate.dga import DgaSettings, estimate_dga
from recount.estimate.result import Estimate
from recount.estimate.strata import estimate_strata, summed_points
from recount.estimate.table import CaptureTable, from_memberships, read_counts
from tests.conftest import MSE_DATA


def fake(table: CaptureTable) -> Estimate:
    """A stand-in method: draws observed + 0..9, so sums are easy to check by hand."""
    draws = table.observed + np.arange(10)
    return Estimate(
        "fake",
        table.lists,
        table.observed,
        float(np.median(draws)),
        (float(draws[0]), float(draws[-1])),
        seed=1,
        draws=draws,
    )


def people(patterns: list[set[str]]) -> dict[int, set[str]]:
    return dict(enumerate(patterns))


def test_strata_without_three_lists_are_skipped_and_named() -> None:
    good = people([{"a", "b"}, {"b", "c"}, {"a"}, {"c"}, {"a", "c"}])
    thin = people([{"a"}, {"a", "b"}])  # records on two lists only
    tables = {("F",): from_memberships("abc", good), ("M",): from_memberships("abc", thin)}
    result = estimate_strata(tables, ["sex"], lambda label: fake)
    by_sex = {s.values["sex"]: s for s in result.strata}
    assert by_sex["F"].estimate is not None and by_sex["M"].estimate is None
    assert "records on 2 list(s) (a, b)" in by_sex["M"].skipped
    total = result.total
    # Summed draws: F's draws plus M's 2 observed people, each draw.
    assert list(total.draws) == list(5 + np.arange(10) + 2)
    assert total.observed == 7
    assert any("not estimated" in w and "2 observed" in w for w in total.warnings)


def test_a_list_empty_in_a_stratum_is_left_out_there_only() -> None:
    four = people([{"a", "b"}, {"b", "c"}, {"a", "c"}, {"c"}])  # no one on d
    tables = {
        ("x",): from_memberships("abcd", four),
        ("y",): from_memberships("abcd", people([{"a", "d"}, {"b", "c"}, {"c", "d"}])),
    }
    result = estimate_strata(tables, ["place"], lambda label: fake)
    assert [s.lists for s in result.strata] == [("a", "b", "c"), ("a", "b", "c", "d")]


def test_no_estimable_stratum_is_an_error_with_every_reason() -> None:
    tables = {
        ("F",): from_memberships("abc", people([{"a"}, {"a", "b"}])),
        ("M",): from_memberships("abc", people([{"c"}])),
    }
    with pytest.raises(InvalidValueError, match=r"no stratum can be estimated.*sex=F.*sex=M"):
        estimate_strata(tables, ["sex"], lambda label: fake)


def test_points_without_draws_add_up_with_an_approximate_interval() -> None:
    a = Estimate("loglinear", ("x",), 100, 150.0, (130.0, 170.0))
    b = Estimate("loglinear", ("x",), 50, 80.0, (71.0, 89.0))
    point, (low, high) = summed_points([a, b], floor=5)
    assert point == 235.0
    spread = np.hypot(20, 9)  # half-widths add in quadrature
    assert low == pytest.approx(235 - spread) and high == pytest.approx(235 + spread)


def test_real_strata_total_is_the_sum_of_the_strata_posteriors() -> None:
    tables = read_counts(
        MSE_DATA / "stratified" / "scot_pwid_conting_by_region_gender_age.csv",
        ["Region", "Gender", "Age"],
    )
    settings = DgaSettings(samples=2000, seed=7)
    result = estimate_strata(
        tables, ["Region", "Gender", "Age"], lambda label: lambda t: estimate_dga(t, settings)
    )
    parts = [s.estimate for s in result.strata]
    assert all(p is not None for p in parts)
    total = result.total
    assert total.observed == sum(t.observed for t in tables.values()) == 5670
    assert np.array_equal(total.draws, np.sum([p.draws for p in parts], axis=0))
    # The median of a sum lies between the sum of the strata's 25% and 75% points.
    lows = sum(np.quantile(p.draws, 0.25) for p in parts)
    highs = sum(np.quantile(p.draws, 0.75) for p in parts)
    assert lows < total.estimate < highs
