"""Chao's lower bounds: hand-computed small tables and two values Rcapture publishes.

Published checks (Rcapture's Examples output, printed to 0.1, so ±0.05):
* illegal immigrants (van der Heijden et al. 2003), f = 1645, 183, 37, 13, 1, 1 (n = 1,880):
  "Mh Chao (LB)" in continuous time = n + f1²/(2 f2) = 9,273.5, SE 662.6;
* snowshoe hares, 6 occasions, f = 25, 22, 13, 5, 1, 2 (n = 68, from ``descriptive(hare)``):
  "Mh Chao (LB)" = n + (5/6)·f1²/(2 f2) = 79.8, SE 6.4.
The Mth bound is checked only for consistency (equal to Mh when lists are exchangeable).
"""

from __future__ import annotations

import itertools
import math

import pytest

from recount.errors import InvalidValueError
from recount.estimate import chao
from recount.estimate.methods import estimator
from recount.estimate.table import CaptureTable, from_csv, from_pattern_counts
from tests.conftest import MSE_DATA


def small() -> CaptureTable:
    """Three lists: f1 = 6 + 3 + 1 = 10, f2 = 2 + 2 + 1 = 5, f3 = 1, n = 16."""
    return from_pattern_counts(
        ("A", "B", "C"),
        {
            (1, 0, 0): 6,
            (0, 1, 0): 3,
            (0, 0, 1): 1,
            (1, 1, 0): 2,
            (1, 0, 1): 2,
            (0, 1, 1): 1,
            (1, 1, 1): 1,
        }.items(),
    )


def by_frequency(n_lists: int, frequencies: list[int]) -> CaptureTable:
    """A table with the given f_k, spreading each f_k over the patterns with k lists."""
    names = tuple(f"L{i + 1}" for i in range(n_lists))
    pairs = []
    for k, f_k in enumerate(frequencies, start=1):
        combos = list(itertools.combinations(range(n_lists), k))
        for i in range(f_k):
            pattern = [0] * n_lists
            for j in combos[i % len(combos)]:
                pattern[j] = 1
            pairs.append((tuple(pattern), 1))
    return from_pattern_counts(names, pairs)


def test_capture_frequencies() -> None:
    assert chao.capture_frequencies(small()).tolist() == [0, 10, 5, 1]


def test_classic_bound_by_hand() -> None:
    # f0 = f1²/(2 f2) = 100/10 = 10; Var = f2 (r²/2 + r³ + r⁴/4) with r = 2: 5·14 = 70
    bound = chao.table_lower_bound(small())
    assert bound.form == "classic" and bound.factor == 1
    assert bound.estimate == pytest.approx(26.0)
    assert bound.variance == pytest.approx(70.0)
    # C = exp(1.959964·√ln 1.7) = 4.16919…; [16 + 10/C, 16 + 10·C]
    spread = math.exp(1.959963985 * math.sqrt(math.log(1.7)))
    low, high = bound.interval()
    assert low == pytest.approx(16 + 10 / spread, rel=1e-9)
    assert high == pytest.approx(16 + 10 * spread, rel=1e-9)
    assert (low, high) == pytest.approx((18.3985, 57.6919), abs=1e-4)


def test_finite_list_factor_by_hand() -> None:
    # c = 2/3: f0 = 20/3; Var = f2 (c r²/2 + c² r³ + c² r⁴/4) = 5 (4/3 + 32/9 + 16/9) = 100/3
    bound = chao.table_lower_bound(small(), finite_lists=True)
    assert bound.estimate == pytest.approx(16 + 20 / 3)
    assert bound.variance == pytest.approx(100 / 3)


def test_bias_corrected_bound_by_hand() -> None:
    # f0 = f1(f1 − 1)/(2(f2 + 1)) = 90/12 = 7.5; Var (Chao 2005, EstimateS)
    # = 7.5 + f1(2f1 − 1)²/(4(f2 + 1)²) + f1² f2 (f1 − 1)²/(4(f2 + 1)⁴)
    # = 7.5 + 3610/144 + 40500/5184 = 40.38194…
    bound = chao.table_lower_bound(small(), form="bias-corrected")
    assert bound.estimate == pytest.approx(23.5)
    assert bound.variance == pytest.approx(7.5 + 3610 / 144 + 40500 / 5184)


def test_no_one_on_two_lists_uses_the_bias_corrected_form() -> None:
    # f1 = 9, f2 = 0, f3 = 1: f0 = 9·8/2 = 36; Var = 36 + (17/2)²·9 = 686.25
    table = from_pattern_counts(
        ("A", "B", "C"), {(1, 0, 0): 4, (0, 1, 0): 3, (0, 0, 1): 2, (1, 1, 1): 1}.items()
    )
    result = chao.estimate_chao(table)
    assert result.diagnostics["form"] == "bias-corrected"
    assert result.estimate == pytest.approx(46.0)
    assert result.diagnostics["se"] == pytest.approx(math.sqrt(686.25))
    assert any("only 0 people are on exactly two lists" in w for w in result.warnings)
    with pytest.raises(InvalidValueError, match="needs f2 > 0"):
        chao.estimate_chao(table, form="classic")


def test_published_illegal_immigrants_value() -> None:
    bound = chao.chao_lower_bound(1645, 183, 1880)
    assert bound.estimate == pytest.approx(9273.5, abs=0.05)
    assert bound.se == pytest.approx(662.6, abs=0.05)


def test_published_hare_value_and_rcapture_loglinear_model() -> None:
    bound = chao.chao_lower_bound(25, 22, 68, lists=6)
    assert bound.estimate == pytest.approx(79.8, abs=0.05)
    assert bound.se == pytest.approx(6.4, abs=0.05)
    hares = by_frequency(6, [25, 22, 13, 5, 1, 2])
    assert chao.capture_frequencies(hares).tolist() == [0, 25, 22, 13, 5, 1, 2]
    mh = chao.heterogeneity_lower_bound(hares, list_effects=False)
    assert mh.estimate == pytest.approx(bound.estimate, rel=1e-9)
    assert mh.se == pytest.approx(bound.se, rel=1e-6)


def test_mth_equals_mh_when_lists_are_exchangeable() -> None:
    counts = {1: 50, 2: 10, 3: 3, 4: 2}  # every pattern with k lists holds counts[k] people
    pairs = [(p, counts[sum(p)]) for p in itertools.product((0, 1), repeat=4) if any(p)]
    table = from_pattern_counts(("A", "B", "C", "D"), pairs)
    mth = chao.heterogeneity_lower_bound(table)
    mh = chao.heterogeneity_lower_bound(table, list_effects=False)
    assert mth.estimate == pytest.approx(mh.estimate, rel=1e-7)
    # f = 200, 60, 12, 2 and no η < 0: n + (3/4)·200²/120 = 274 + 250
    assert mh.dropped == () and mh.estimate == pytest.approx(524.0, rel=1e-9)
    assert mth.df == 15 - 4 - 1 - 2


def test_lower_bounds_beside_every_estimate() -> None:
    kosovo = from_csv(MSE_DATA / "kosovo.csv")
    bounds = chao.lower_bounds(kosovo)
    assert set(bounds) == {"chao", "chao_finite", "mth"}
    assert bounds["chao"] == pytest.approx(4400 + 3218**2 / (2 * 882))
    assert bounds["chao_finite"] == pytest.approx(4400 + 0.75 * 3218**2 / (2 * 882))
    assert 4400 < bounds["mth"] < bounds["chao"]
    two = from_pattern_counts(("A", "B"), {(1, 0): 5, (0, 1): 4, (1, 1): 2}.items())
    assert set(chao.lower_bounds(two)) == {"chao", "chao_finite"}  # no Mth with two lists


def test_chao_as_a_method() -> None:
    kosovo = from_csv(MSE_DATA / "kosovo.csv")
    result = estimator("chao", {}, 1)(kosovo)
    assert result.method == "chao" and result.draws is None and result.seed is None
    assert result.estimate == pytest.approx(4400 + 3218**2 / 1764)
    low, high = result.interval
    assert 4400 < low < result.estimate < high
    assert result.diagnostics["frequencies"] == [3218, 882, 273, 27]
    assert any("lower bound" in w for w in result.warnings)


@pytest.mark.parametrize(
    "call",
    [
        lambda: chao.chao_lower_bound(-1, 2, 10),
        lambda: chao.chao_lower_bound(5, 6, 10),
        lambda: chao.chao_lower_bound(5, 2, 10, form="jackknife"),
        lambda: chao.estimate_chao(small(), level=1.0),
    ],
)
def test_bad_inputs_are_refused(call) -> None:
    with pytest.raises(InvalidValueError):
        call()
