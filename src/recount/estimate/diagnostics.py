"""MCMC convergence diagnostics: split-R-hat, effective sample size, Monte-Carlo error.

Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), "Rank-normalization, folding, and
localization: an improved R-hat for assessing convergence of MCMC", *Bayesian Analysis* 16(2).

Every function takes ``chains``, an array of draws with one row per chain (``C × S``); a 1-D
array is one chain. Chains are split in half (the first and second halves of a chain that has
not converged disagree), so one chain gives two.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

PROBS_TAIL = (0.05, 0.95)


def as_chains(draws: np.ndarray) -> np.ndarray:
    """Draws as a float ``C × S`` array."""
    chains = np.asarray(draws, dtype=np.float64)
    return chains[None, :] if chains.ndim == 1 else chains


def split_chains(chains: np.ndarray) -> np.ndarray:
    """Each chain cut in two halves (``2C × ⌊S/2⌋``; the middle draw of an odd chain dropped)."""
    chains = as_chains(chains)
    half = chains.shape[1] // 2
    return np.concatenate([chains[:, :half], chains[:, chains.shape[1] - half :]])


def rank_normalise(chains: np.ndarray) -> np.ndarray:
    """z_i = Φ⁻¹((r_i − 3/8) / (S + 1/4)), r_i the rank of draw i among all S draws (ties averaged).

    Makes R-hat and ESS work for heavy tails and for discrete draws such as N.
    """
    chains = as_chains(chains)
    probabilities = (average_ranks(chains.reshape(-1)) - 0.375) / (chains.size + 0.25)
    return normal_quantiles(probabilities).reshape(chains.shape)


def normal_quantiles(probabilities: np.ndarray) -> np.ndarray:
    """Φ⁻¹ of each probability in (0, 1), by the standard library (Wichura's AS 241, accurate to
    double precision): importing SciPy's special functions for this took longer than a short
    LCMCR run. Each distinct value is computed once (draws of N are integers: many ties)."""
    distinct, where = np.unique(probabilities, return_inverse=True)
    inverse = NormalDist().inv_cdf
    return np.array([inverse(float(p)) for p in distinct])[where].reshape(probabilities.shape)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``values``, ties sharing the mean of their ranks."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], ordered.size]
    ranks = np.empty(values.size)
    ranks[order] = np.repeat((starts + ends + 1) / 2, ends - starts)
    return ranks


def rhat_basic(chains: np.ndarray) -> float:
    """Gelman–Rubin R-hat of the chains as given (no split, no ranks).

    With C chains of S draws, W = mean within-chain variance, B/S = variance of the chain
    means; var⁺ = (S − 1)/S · W + B/S and R-hat = √(var⁺ / W). Identical draws give 1; chains
    each constant but different give ∞.
    """
    chains = as_chains(chains)
    S = chains.shape[1]
    within = chains.var(axis=1, ddof=1).mean()
    between = chains.mean(axis=1).var(ddof=1) if chains.shape[0] > 1 else 0.0
    if within == 0:
        return 1.0 if between == 0 else float("inf")
    return float(np.sqrt(((S - 1) / S * within + between) / within))


def split_rhat(chains: np.ndarray) -> float:
    """Rank-normalised split-R-hat (Vehtari et al. 2021): max of bulk and tail (folded) R-hat.

    Bulk: R-hat of the rank-normalised split chains. Tail: the same for |x − median(x)|, which
    catches chains that agree in location but not in scale. Values above 1.01 (strict) or
    1.05 (lenient) mean the chains have not mixed.
    """
    split = split_chains(chains)
    if np.ptp(split) == 0:
        return 1.0
    folded = np.abs(split - np.median(split))
    return max(rhat_basic(rank_normalise(split)), rhat_basic(rank_normalise(folded)))


def autocovariance(x: np.ndarray) -> np.ndarray:
    """Biased autocovariance γ_t = (1/S) Σ_i (x_i − x̄)(x_{i+t} − x̄) of one chain, by FFT."""
    S = x.size
    centred = x - x.mean()
    size = 1 << (2 * S - 1).bit_length()
    spectrum = np.fft.rfft(centred, size)
    return np.fft.irfft(spectrum * np.conj(spectrum), size)[:S] / S


def ess(chains: np.ndarray) -> float:
    """Effective sample size of the chains as given (no split, no ranks).

    Multi-chain autocorrelation ρ_t = 1 − (W − mean_c γ_{c,t}) / var⁺ (W the mean within-chain
    variance, var⁺ as in ``rhat_basic``), summed with Geyer's initial monotone sequence:
    pairs ρ_{2t} + ρ_{2t+1} are added while positive and forced non-increasing;
    τ = −1 + 2 Σ ρ_t, ESS = C·S / τ, with τ ≥ 1/log10(C·S). iid draws give ESS ≈ C·S;
    an AR(1) chain with coefficient φ gives ESS ≈ C·S (1 − φ)/(1 + φ).
    Identical draws give C·S (there is no Monte-Carlo error to speak of).
    """
    chains = as_chains(chains)
    C, S = chains.shape
    if np.ptp(chains) == 0:
        return float(C * S)
    if S < 4:
        return float("nan")
    acov = np.stack([autocovariance(c) for c in chains])
    mean_var = acov[:, 0].mean() * S / (S - 1)
    var_plus = mean_var * (S - 1) / S + (chains.mean(axis=1).var(ddof=1) if C > 1 else 0.0)
    rho = 1 - (mean_var - acov.mean(axis=0)) / var_plus
    rho_t = np.zeros(S)
    rho_t[0], rho_t[1] = 1.0, rho[1]
    even, odd = 1.0, rho[1]
    t = 1
    while t < S - 3 and even + odd > 0:  # initial positive sequence
        even, odd = rho[t + 1], rho[t + 2]
        if even + odd >= 0:
            rho_t[t + 1], rho_t[t + 2] = even, odd
        t += 2
    last = t - 2
    if even > 0:
        rho_t[last + 1] = even
    t = 1
    while t <= last - 2:  # initial monotone sequence
        if rho_t[t + 1] + rho_t[t + 2] > rho_t[t - 1] + rho_t[t]:
            rho_t[t + 1] = rho_t[t + 2] = (rho_t[t - 1] + rho_t[t]) / 2
        t += 2
    tau = -1 + 2 * rho_t[: last + 1].sum() + rho_t[last + 1 : last + 2].sum()
    tau = max(tau, 1 / np.log10(C * S))
    return float(C * S / tau)


def ess_bulk(chains: np.ndarray) -> float:
    """ESS of the rank-normalised split chains: efficiency for the centre of the posterior."""
    return ess(rank_normalise(split_chains(chains)))


def ess_quantile(chains: np.ndarray, prob: float) -> float:
    """ESS for the ``prob`` quantile: ESS of the split chains of the indicator x ≤ q_prob."""
    chains = as_chains(chains)
    return ess(split_chains(chains <= np.quantile(chains, prob)))


def ess_tail(chains: np.ndarray) -> float:
    """min of the ESS of the 5% and 95% quantiles: efficiency for interval ends."""
    return min(ess_quantile(chains, p) for p in PROBS_TAIL)


def mcse_mean(chains: np.ndarray) -> float:
    """Monte-Carlo standard error of the mean: sd / √ESS (ESS of the split chains)."""
    chains = as_chains(chains)
    return float(chains.std(ddof=1) / np.sqrt(ess(split_chains(chains))))


def mcse_quantile(chains: np.ndarray, prob: float) -> float:
    """Monte-Carlo standard error of the ``prob`` quantile (Vehtari et al. 2021, §4.3).

    With S_eff = ``ess_quantile``, the share of draws below the true quantile is about
    Beta(S_eff·p + 1, S_eff·(1 − p) + 1); its 15.9% and 84.1% points a₁, a₂ (±1 sd) are mapped
    through the sorted draws, and the MCSE is half the distance between x_(a₁S) and x_(a₂S).
    """
    from scipy.special import betaincinv

    chains = as_chains(chains)
    S_eff = ess_quantile(chains, prob)
    a = betaincinv(S_eff * prob + 1, S_eff * (1 - prob) + 1, np.array([0.1586553, 0.8413447]))
    ordered = np.sort(chains.reshape(-1))
    S = ordered.size
    low = ordered[max(int(np.floor(a[0] * S)), 1) - 1]
    high = ordered[min(int(np.ceil(a[1] * S)), S) - 1]
    return float((high - low) / 2)
