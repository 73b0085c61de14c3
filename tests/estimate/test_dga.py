"""dga: decomposable graphs and the exact model-averaged posterior, against dga's own numbers."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from scipy.special import gammaln

from recount.errors import InvalidValueError
from recount.estimate.dga import (
    PRIORS,
    DgaSettings,
    estimate_dga,
    inverse_cdf,
    log_prior_madigan_york,
    posterior_weights,
)
from recount.estimate.graphs import decomposable_graphs, is_chordal
from recount.estimate.table import CaptureTable, from_csv, from_pattern_counts
from tests.conftest import MSE_DATA


def table(name: str) -> CaptureTable:
    return from_csv(MSE_DATA / name)


# --- graphs --------------------------------------------------------------------------------


@pytest.mark.parametrize(("p", "count"), [(3, 8), (4, 61), (5, 822)])
def test_graph_counts_match_dga(p: int, count: int) -> None:
    assert len(decomposable_graphs(p)) == count


@pytest.mark.parametrize("p", [3, 4, 5])
def test_graphs_are_chordal_with_cliques_covering_vertices(p: int) -> None:
    graphs = decomposable_graphs(p)
    assert len({g.edges for g in graphs}) == len(graphs)
    for g in graphs:
        assert is_chordal(p, g.edges)
        assert set().union(*map(set, g.cliques)) == set(range(p))
        # The cliques are maximal and their edges are exactly the graph's edges.
        assert not any(set(a) < set(b) for a in g.cliques for b in g.cliques)
        assert {e for c in g.cliques for e in combinations(c, 2)} == set(g.edges)
        # A junction forest: one separator fewer than cliques per connected component.
        assert all(s for s in g.separators)
        assert len(g.cliques) - len(g.separators) == _components(p, g.edges)


def test_chordality_test() -> None:
    square = ((0, 1), (1, 2), (2, 3), (0, 3))
    assert not is_chordal(4, square)
    assert is_chordal(4, (*square, (0, 2)))
    assert not is_chordal(5, ((0, 1), (1, 2), (2, 3), (3, 4), (0, 4)))


def test_separators_of_a_known_graph() -> None:
    # Two triangles sharing an edge, plus a pendant vertex: cliques 012, 123, 34.
    edges = ((0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (3, 4))
    (graph,) = [g for g in decomposable_graphs(5) if g.edges == edges]
    assert graph.cliques == ((0, 1, 2), (1, 2, 3), (3, 4))
    assert graph.separators == ((1, 2), (3,))


def _components(p: int, edges: tuple[tuple[int, int], ...]) -> int:
    parent = list(range(p))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for u, v in edges:
        parent[root(u)] = root(v)
    return len({root(i) for i in range(p)})


# --- the exact posterior -------------------------------------------------------------------


def test_weights_sum_to_one_and_match_closed_forms() -> None:
    """Independence and saturated models against their Dirichlet-multinomial closed forms."""
    t = table("spina_bifida_dga.csv")
    y, n, delta = t.full().astype(float), t.observed, 0.7
    n_missing = np.arange(0, 400)
    graphs = decomposable_graphs(3)
    weights = posterior_weights(y, n_missing, delta, graphs)
    assert weights.shape == (8, 400)
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)

    big_n = n + n_missing
    cells = np.tile(y, (len(n_missing), 1))
    cells[:, 0] = n_missing
    multinomial = gammaln(big_n + 1) - gammaln(cells + 1).sum(axis=1)

    def dirichlet_multinomial(counts: np.ndarray, alpha: float) -> np.ndarray:
        k = counts.shape[1]
        return (
            gammaln(k * alpha)
            - gammaln(counts.sum(axis=1) + k * alpha)
            + (gammaln(counts + alpha) - gammaln(alpha)).sum(axis=1)
        )

    saturated = dirichlet_multinomial(cells, delta)
    codes = np.arange(8)
    independence = sum(
        dirichlet_multinomial(
            np.stack([cells[:, (codes >> bit & 1) == v].sum(axis=1) for v in (0, 1)], axis=1),
            4 * delta,
        )
        for bit in range(3)
    )
    expected = np.stack([independence, saturated]) + multinomial - np.log(big_n)
    ratio = np.log(weights[[0, -1]]) - expected
    assert np.allclose(ratio, ratio[0, 0], atol=1e-8)


def test_spina_bifida_as_in_dgas_own_test() -> None:
    """dga's test: Madigan & York's prior, δ = 1, n0 = 1..300."""
    t = table("spina_bifida_dga.csv")
    n_missing = np.arange(1, 301)
    big_n = t.observed + n_missing
    weights = posterior_weights(
        t.full(),
        n_missing,
        1.0,
        decomposable_graphs(3),
        log_prior_madigan_york(big_n.astype(float)),
    )
    models = weights.sum(axis=1)
    top = weights[np.argmax(models)]
    averaged = weights.sum(axis=0)

    def bayes(w: np.ndarray) -> float:
        return float((w / big_n).sum() / (w / big_n**2.0).sum())

    assert round(top.sum(), 2) == 0.37
    assert round(bayes(top)) == 731
    assert big_n[np.argmax(top)] == 729
    assert round(bayes(averaged)) == 731
    assert big_n[np.argmax(averaged)] == 728


def test_spina_bifida_estimate() -> None:
    est = estimate_dga(
        table("spina_bifida_dga.csv"), DgaSettings(delta=1, prior="madigan-york", grid_max=300)
    )
    d = est.diagnostics
    assert round(d["bayes_estimate"]) == 731
    assert d["posterior_mode"] == 728
    assert round(d["top_models"][0]["probability"], 2) == 0.37
    assert d["top_models"][0]["cliques"] == "[birth_cert], [death_cert·rehab]"
    assert d["top_models"][0]["edges"] == ["death_cert–rehab"]
    assert d["n_models"] == 8
    assert est.settings["prior"] == {"name": "madigan-york", "a": 13.14, "b": 55.17}
    assert est.settings["delta"] == 1
    assert est.settings["model_prior"] == "uniform"
    # The posterior mean is not dga's "Bayes estimate" (that is E[1/N] / E[1/N²]).
    assert 731.5 < d["posterior_mean"] < 735


def test_kosovo_reference_run() -> None:
    est = estimate_dga(table("kosovo.csv"), DgaSettings(delta=2**-4, grid_max=30_000))
    assert est.method == "dga"
    assert est.estimate == 12_595
    assert est.interval == (9_827, 16_544)
    assert est.observed == 4_400
    assert est.diagnostics["n_models"] == 61
    assert not est.warnings


def test_kosovo_default_settings_match_reference() -> None:
    # δ defaults to 2^-4 for four lists and the default grid (0..5n) holds the posterior.
    est = estimate_dga(table("kosovo.csv"))
    assert est.settings["delta"] == 2**-4
    assert est.settings["grid_max"] == 22_000
    assert (est.estimate, est.interval) == (12_595, (9_827, 16_544))


def test_kosovo_delta_one_collapses_to_the_saturated_model() -> None:
    est = estimate_dga(table("kosovo.csv"), DgaSettings(delta=1, grid_max=30_000))
    assert abs(est.estimate - 4_600) < 100
    top = est.diagnostics["top_models"][0]
    assert top["cliques"] == "[EXH·ABA·OSCE·HRW]"
    assert top["probability"] > 0.9


def test_madigan_york_five_lists() -> None:
    est = estimate_dga(table("madigan_york_5list_dga.csv"), DgaSettings(delta=0.5))
    assert est.estimate == 616
    assert est.interval == (588, 655)
    assert est.diagnostics["n_models"] == 822
    assert len(est.diagnostics["top_models"]) == 5


def test_inverse_cdf_convention() -> None:
    values = np.array([10, 11, 12, 13])
    probabilities = np.array([0.25, 0.25, 0.25, 0.25])
    assert inverse_cdf(values, probabilities, 0.5) == 11  # CDF reaches 0.5 at 11
    assert inverse_cdf(values, probabilities, 0.51) == 12
    assert inverse_cdf(values, probabilities, 0.975) == 13


# --- draws, warnings, errors ---------------------------------------------------------------


def test_draws_reproducible_with_seed() -> None:
    t = table("spina_bifida_dga.csv")
    a = estimate_dga(t, DgaSettings(seed=7))
    b = estimate_dga(t, DgaSettings(seed=7))
    c = estimate_dga(t, DgaSettings(seed=8, samples=500))
    assert a.draws is not None and b.draws is not None and c.draws is not None
    assert a.draws.dtype == np.int64 and len(a.draws) == 1000 and len(c.draws) == 500
    assert np.array_equal(a.draws, b.draws)
    assert not np.array_equal(a.draws[:500], c.draws)
    assert a.seed == 7
    assert a.draws.min() >= t.observed
    assert abs(np.median(a.draws) - a.estimate) < 15
    assert a.to_dict()["draws"][:3] == [int(v) for v in a.draws[:3]]


def test_warns_on_grid_truncation() -> None:
    est = estimate_dga(table("kosovo.csv"), DgaSettings(grid_max=8_000))
    assert any("cut off by the grid" in w and "grid_max" in w for w in est.warnings)
    assert est.diagnostics["grid_tail_mass"] > 1e-4


def test_warns_on_list_without_overlap_and_small_list() -> None:
    t = from_pattern_counts(
        ("A", "B", "C"), [((1, 0, 0), 50), ((0, 1, 0), 40), ((1, 1, 0), 30), ((0, 0, 1), 7)]
    )
    est = estimate_dga(t)
    assert any("list C overlaps no other list" in w for w in est.warnings)
    assert any("list C has only 7 records" in w and "caution" in w for w in est.warnings)
    assert not any("list A" in w or "list B" in w for w in est.warnings)


@pytest.mark.parametrize("n_lists", [2, 6])
def test_refuses_fewer_than_three_or_more_than_five_lists(n_lists: int) -> None:
    names = tuple("ABCDEF"[:n_lists])
    pairs = [(tuple(int(i == j) for i in range(n_lists)), 20) for j in range(n_lists)]
    pairs.append(((1,) * n_lists, 5))
    with pytest.raises(InvalidValueError, match="3 to 5 lists"):
        estimate_dga(from_pattern_counts(names, pairs))


@pytest.mark.parametrize(
    "settings",
    [
        DgaSettings(prior="uniform"),
        DgaSettings(delta=0),
        DgaSettings(grid_max=0),
        DgaSettings(samples=0),
        DgaSettings(prior="madigan-york", prior_b=-1),
    ],
)
def test_refuses_bad_settings(settings: DgaSettings) -> None:
    with pytest.raises(InvalidValueError):
        estimate_dga(table("spina_bifida_dga.csv"), settings)


def test_prior_names() -> None:
    assert set(PRIORS) == {"1/N", "madigan-york"}
    big_n = np.array([500.0, 725.0, 1000.0])
    assert np.allclose(PRIORS["1/N"](big_n), -np.log(big_n))
    # The negative binomial of size a and mean a·b, normalised over N = 0, 1, ...
    whole = np.exp(log_prior_madigan_york(np.arange(20_000.0)))
    assert whole.sum() == pytest.approx(1.0, abs=1e-9)
    assert (whole * np.arange(20_000.0)).sum() == pytest.approx(13.14 * 55.17, rel=1e-9)
