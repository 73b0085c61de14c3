"""Convergence diagnostics against cases whose answer is known.

Tolerances: for C·S iid draws the ESS estimator has a relative standard deviation of a few
per cent at these sizes, so ±15% is several standard deviations wide; R-hat of iid chains
exceeds 1.01 with negligible probability at 4 × 2,000 draws.
"""

from __future__ import annotations

import numpy as np
import pytest

from recount.estimate.diagnostics import (
    ess,
    ess_bulk,
    ess_tail,
    mcse_mean,
    mcse_quantile,
    rank_normalise,
    rhat_basic,
    split_chains,
    split_rhat,
)


def ar1(rng: np.random.Generator, phi: float, chains: int, draws: int) -> np.ndarray:
    """Stationary AR(1) chains x_t = φ x_{t−1} + e_t (unit stationary variance)."""
    noise = rng.standard_normal((chains, draws)) * np.sqrt(1 - phi**2)
    x = np.empty((chains, draws))
    x[:, 0] = rng.standard_normal(chains)
    for t in range(1, draws):
        x[:, t] = phi * x[:, t - 1] + noise[:, t]
    return x


def test_split_chains_halves_each_chain() -> None:
    chains = np.arange(14).reshape(2, 7)
    assert split_chains(chains).tolist() == [[0, 1, 2], [7, 8, 9], [4, 5, 6], [11, 12, 13]]


def test_rank_normalise_is_standard_normal_and_handles_ties() -> None:
    z = rank_normalise(np.random.default_rng(1).exponential(size=(4, 1000)))
    assert abs(z.mean()) < 1e-9
    assert abs(z.std() - 1) < 0.01
    tied = rank_normalise(np.array([[1, 1, 2, 2]]))
    assert tied[0, 0] == tied[0, 1] < tied[0, 2] == tied[0, 3]


def test_iid_draws_have_rhat_near_one_and_ess_near_n() -> None:
    draws = np.random.default_rng(2).standard_normal((4, 2000))
    assert split_rhat(draws) < 1.01
    assert rhat_basic(draws) < 1.01
    for value in (ess(draws), ess_bulk(draws), ess_tail(draws)):
        assert 0.85 * draws.size < value < 1.15 * draws.size


@pytest.mark.parametrize("phi", [0.5, 0.9])
def test_ar1_ess_matches_theory(phi: float) -> None:
    """ESS of an AR(1) chain is n (1 − φ)/(1 + φ)."""
    draws = ar1(np.random.default_rng(3), phi, chains=4, draws=20_000)
    expected = draws.size * (1 - phi) / (1 + phi)
    assert 0.85 * expected < ess(draws) < 1.15 * expected
    assert 0.85 * expected < ess_bulk(draws) < 1.15 * expected
    assert split_rhat(draws) < 1.01


def test_antithetic_chain_has_ess_above_n() -> None:
    draws = ar1(np.random.default_rng(4), -0.3, chains=4, draws=5000)
    expected = draws.size * 1.3 / 0.7
    assert 0.85 * expected < ess(draws) < 1.15 * expected


def test_shifted_chain_gives_large_rhat() -> None:
    draws = np.random.default_rng(5).standard_normal((4, 1000))
    draws[0] += 2.0
    assert split_rhat(draws) > 1.2


def test_chain_with_another_scale_is_caught_by_the_folded_rhat() -> None:
    draws = np.random.default_rng(6).standard_normal((4, 2000))
    draws[0] *= 3.0
    assert rhat_basic(rank_normalise(split_chains(draws))) < 1.05  # same location: bulk is blind
    assert split_rhat(draws) > 1.05


def test_drifting_single_chain_is_caught_by_splitting() -> None:
    rng = np.random.default_rng(7)
    draws = rng.standard_normal(4000) + np.linspace(0, 3, 4000)
    assert split_rhat(draws) > 1.1


def test_constant_draws() -> None:
    draws = np.full((2, 100), 7.0)
    assert split_rhat(draws) == 1.0
    assert ess(draws) == 200
    stuck = np.array([np.full(100, 1.0), np.full(100, 2.0)])
    assert rhat_basic(stuck) == float("inf")


def test_monte_carlo_errors_of_iid_normal_draws() -> None:
    """se(mean) = 1/√n; se(median) = √(1/4n)/φ(0) = 1.2533/√n."""
    draws = np.random.default_rng(8).standard_normal((4, 5000))
    n = draws.size
    assert 0.85 < mcse_mean(draws) * np.sqrt(n) < 1.15
    assert 0.8 < mcse_quantile(draws, 0.5) * np.sqrt(n) / 1.2533 < 1.2
