"""Numba kernels of the LCMCR sampler, 3: the Gibbs sweep (the model is described in
``lcmcr.py``), and the kernels Python calls.

State of a chain (K classes, J lists, M observed cells), arrays owned by the caller:

- ``ones_ptr (M+1,)``, ``ones_idx``: the lists each cell is on (CSR); ``counts (M,)``;
- ``odds (J, K)``: λ/(1 − λ); ``log0 (K,)``: Σ_j log(1 − λ_jk); ``log_pi (K,)``: log π;
- ``base (K,)``: π_k Π_j (1 − λ_jk) divided by its largest value (the weight of the all-zero
  pattern in each class, up to a constant); ``n0k (K,)``: unobserved people per class;
- ``scal (2,)``: [α, n0]; work arrays ``nk (K,)``, ``c1 (J, K)``, ``w (K,)``, ``cnt (K,)``.

A cell's class weights are then base_k Π_{j on} odds_jk: products, no exp or log per cell. A
cell whose weights leave [1e-250, 1e250] is redone in log space. A run split into blocks gives
the same draws as one long run: everything carries over in the arrays.

The kernels Python calls (``run_sweeps``, ``initial_pi``, ``set_base``) release the GIL, so that
chains run in parallel threads. Numba caches each of them on disk keyed by its own file, but not
by the files of the helpers compiled into it (numba issue #1833): they close over a digest of
the helper modules' sources, which Numba's cache key does include, so that a change to a helper
compiles them anew instead of loading a stale cache.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numba import njit

from recount.estimate import _lcmcr_discrete, _lcmcr_random
from recount.estimate._lcmcr_discrete import categorical, multinomial, poisson
from recount.estimate._lcmcr_random import (
    FASTMATH,
    TINY,
    data_pointer,
    gamma,
    gamma_int,
    log_gamma,
    uniform_pos,
)
from recount.estimate._numba_start import load_numba_implementations

HUGE = 1e300
SAFE_LOW = 1e-250
SAFE_HIGH = 1e250
NB_TRIES = 20  # negative-binomial proposals before switching to the envelope sampler

load_numba_implementations()  # before the first kernel is loaded, sparing SciPy's linalg


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def sample_classes(s, ones_ptr, ones_idx, counts, odds, log0, log_pi, base, nk, c1, w, cnt):
    """Step 1: split each observed cell's people among the classes (totals into nk, c1).

    A cell's class weights are base_k Π_{j on} odds_jk; a cell whose total leaves
    [SAFE_LOW, SAFE_HIGH] is redone in log space.
    """
    K = w.size
    wp = data_pointer(w)
    cp = data_pointer(cnt)
    for k in range(K):
        nk[k] = 0
        for j in range(c1.shape[0]):
            c1[j, k] = 0
    for m in range(counts.size):
        lo = ones_ptr[m]
        hi = ones_ptr[m + 1]
        for k in range(K):
            w[k] = base[k]
        for t in range(lo, hi):
            j = ones_idx[t]
            for k in range(K):
                w[k] *= odds[j, k]
        total = 0.0
        for k in range(K):
            total += w[k]
        if not SAFE_LOW < total < SAFE_HIGH:
            top = -np.inf
            for k in range(K):
                lw = log_pi[k] + log0[k]
                for t in range(lo, hi):
                    lw += math.log(odds[ones_idx[t], k])
                w[k] = lw
                top = max(top, lw)
            total = 0.0
            for k in range(K):
                w[k] = math.exp(w[k] - top)
                total += w[k]
        f = counts[m]
        if f == 1:
            k = categorical(s, wp, K, total)
            nk[k] += 1
            for t in range(lo, hi):
                c1[ones_idx[t], k] += 1
            continue
        multinomial(s, f, wp, K, total, cp)
        for k in range(K):
            nk[k] += cnt[k]
        for t in range(lo, hi):
            j = ones_idx[t]
            for k in range(K):
                c1[j, k] += cnt[k]


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def sample_lambda(s, nk, n0k, c1, odds, log0) -> None:
    """Step 2: λ_jk ~ Beta(1 + on list j, 1 + not on list j), kept as odds and Σ log(1 − λ).

    λ = X/(X + Y) with X ~ Gamma(a), Y ~ Gamma(b), so odds = X/Y and 1 − λ = Y/(X + Y), both
    accurate near 0 and 1. A class nobody is in draws λ ~ U(0, 1) directly (Beta(1, 1)).
    """
    J, K = c1.shape
    for k in range(K):
        size = nk[k] + n0k[k]
        prod = 1.0
        for j in range(J):
            on = c1[j, k]
            if size == 0:
                x = uniform_pos(s)
                y = 1.0 - x
            else:
                x = gamma_int(s, 1 + on)
                y = gamma_int(s, 1 + size - on)
            x = max(x, TINY)
            y = max(y, TINY)
            odds[j, k] = min(x / y, HUGE)
            prod *= y / (x + y)
        if prod > SAFE_LOW:
            log0[k] = math.log(prod)
        else:
            total = 0.0
            for j in range(J):
                total -= math.log1p(odds[j, k])
            log0[k] = total


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def sample_pi(s, nk, n0k, alpha, log_pi) -> None:
    """Step 3: stick-breaking V_k ~ Beta(1 + N_k, α + Σ_{l>k} N_l), in log space.

    An empty class (N_k = 0) has V_k ~ Beta(1, b): 1 − V_k = U^(1/b) exactly. Otherwise
    V = X/(X + Y) from Gamma draws, with log Y drawn in log space when b < 1.
    """
    K = log_pi.size
    rest = 0
    for k in range(K):
        rest += nk[k] + n0k[k]
    acc = 0.0
    for k in range(K - 1):
        size = nk[k] + n0k[k]
        rest -= size
        b = alpha + rest
        if size == 0:
            log_1mv = math.log(uniform_pos(s)) / b
            log_v = math.log(max(-math.expm1(log_1mv), TINY))
        elif b >= 1.0:
            x = gamma_int(s, 1 + size)
            y = max(gamma(s, b), TINY)
            log_s = math.log(x + y)
            log_v = math.log(x) - log_s
            log_1mv = math.log(y) - log_s
        else:
            gx = math.log(gamma_int(s, 1 + size))
            gy = log_gamma(s, b)
            top = max(gx, gy)
            log_s = top + math.log1p(math.exp(min(gx, gy) - top))
            log_v = gx - log_s
            log_1mv = gy - log_s
        log_pi[k] = log_v + acc
        acc += log_1mv
    log_pi[K - 1] = acc


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def refresh_base(log_pi, log0, base) -> float:
    """base_k = π_k Π_j (1 − λ_jk) / max_k(...); returns the log of that max."""
    K = base.size
    top = -np.inf
    for k in range(K):
        top = max(top, log_pi[k] + log0[k])
    for k in range(K):
        base[k] = math.exp(log_pi[k] + log0[k] - top)
    return top


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def _nb_envelope(s, n, cap, log_p0) -> int:
    """n0 ~ NegBin(n, 1 − p0) given n0 ≤ cap, by rejection from a geometric envelope.

    Going down from the cap, P(k − 1)/P(k) = k / (p0 (n + k − 1)) grows with k, so its value ρ
    at k = cap bounds every ratio below: P(cap − d) ≤ P(cap) ρ^d. Requires ρ < 1.
    """
    log_rho = math.log(cap) - log_p0 - math.log(n + cap - 1.0)
    head = math.lgamma(n + cap) - math.lgamma(cap + 1.0)
    while True:
        d = np.floor(math.log(uniform_pos(s)) / log_rho)  # P(d) ∝ ρ^d
        if d > cap:
            continue
        k = cap - int(d)
        log_ratio = math.lgamma(n + k) - math.lgamma(k + 1.0) - head - d * (log_p0 + log_rho)
        if math.log(uniform_pos(s)) <= log_ratio:
            return k


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def sample_n0(s, n, cap, p0, q0) -> int:
    """Step 5: n0 ~ NegBin(size n, success 1 − p0), redrawn while n0 > cap (= 20 n).

    NegBin as a Poisson–Gamma mixture, n0 ~ Poisson(G p0/q0) with G ~ Gamma(n) and q0 = 1 − p0
    computed apart so that it stays accurate when p0 is close to 1. After NB_TRIES draws over
    the cap, draw from the truncated law directly (same distribution, bounded time).
    """
    if p0 <= 0.0:
        return 0
    scale = p0 / max(q0, TINY)
    far = 2.0 * cap + 1000.0  # P(Poisson(far) ≤ cap) < e^-150: certain rejection
    tries = 0
    log_p0 = math.log(p0)
    rising = math.log(cap) - log_p0 - math.log(n + cap - 1.0) >= 0.0
    while True:
        tries += 1
        if tries > NB_TRIES and not rising:
            return _nb_envelope(s, n, cap, log_p0)
        mean = gamma(s, float(n)) * scale
        if mean > far:
            continue
        n0 = poisson(s, mean)
        if n0 <= cap:
            return n0


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def sweep(
    s,
    ones_ptr,
    ones_idx,
    counts,
    n,
    cap,
    a_alpha,
    b_alpha,
    update_alpha,
    odds,
    log0,
    log_pi,
    base,
    n0k,
    scal,
    nk,
    c1,
    w,
    cnt,
) -> None:
    """One Gibbs sweep, in the order of the reference code (CNPLCM_CR_Basic_Freq::Update).

    On entry ``base`` matches ``log_pi`` and ``log0``; on exit it matches the new ones.
    """
    K = log_pi.size
    sample_classes(s, ones_ptr, ones_idx, counts, odds, log0, log_pi, base, nk, c1, w, cnt)
    sample_lambda(s, nk, n0k, c1, odds, log0)
    sample_pi(s, nk, n0k, scal[0], log_pi)
    # Step 4: p0 = Σ_k π_k Π_j (1 − λ_jk), and q0 = 1 − p0 without cancellation.
    top = refresh_base(log_pi, log0, base)
    total = 0.0
    for k in range(K):
        total += base[k]
    p0 = total * math.exp(top)
    q0 = 1.0 - p0
    if p0 > 0.99:
        q0 = 0.0
        for k in range(K):
            q0 -= math.exp(log_pi[k]) * math.expm1(log0[k])
    n0 = sample_n0(s, n, cap, p0, q0)
    scal[1] = n0
    # Step 6: the classes of the n0 unobserved people.
    for k in range(K):
        w[k] = base[k]
    multinomial(s, n0, data_pointer(w), K, total, data_pointer(cnt))
    for k in range(K):
        n0k[k] = cnt[k]
    # Step 7: α ~ Gamma(a + K − 1, rate b − log π_K).
    if update_alpha:
        scal[0] = gamma(s, a_alpha + K - 1.0) / (b_alpha - log_pi[K - 1])


def _helpers_digest() -> str:
    """SHA-256 of the sources of the helper modules compiled into the kernels."""
    digest = hashlib.sha256()
    for module in (_lcmcr_random, _lcmcr_discrete):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def _python_kernels(helpers: str) -> tuple[Callable, Callable, Callable]:
    """The kernels Python calls; ``helpers`` (a digest) is in their closure for Numba's cache."""

    @njit(cache=True, nogil=True, error_model="numpy", fastmath=FASTMATH)
    def run_sweeps(
        state,
        ones_ptr,
        ones_idx,
        counts,
        n,
        cap,
        a_alpha,
        b_alpha,
        update_alpha,
        odds,
        log0,
        log_pi,
        base,
        n0k,
        scal,
        nk,
        c1,
        w,
        cnt,
        sweeps,
        thin,
        out,
    ) -> None:
        """``sweeps`` sweeps; or, when ``out`` is not empty, len(out) × thin sweeps storing
        N = n + n0 after every ``thin``-th. ``state`` is the chain's SFC64 state (4 uint64)."""
        helpers  # noqa: B018 (read, so that it is in the closure Numba's cache key hashes)
        s = data_pointer(state)
        if out.size == 0:
            for _ in range(sweeps):
                sweep(
                    s,
                    ones_ptr,
                    ones_idx,
                    counts,
                    n,
                    cap,
                    a_alpha,
                    b_alpha,
                    update_alpha,
                    odds,
                    log0,
                    log_pi,
                    base,
                    n0k,
                    scal,
                    nk,
                    c1,
                    w,
                    cnt,
                )
            return
        for d in range(out.size):
            for _ in range(thin):
                sweep(
                    s,
                    ones_ptr,
                    ones_idx,
                    counts,
                    n,
                    cap,
                    a_alpha,
                    b_alpha,
                    update_alpha,
                    odds,
                    log0,
                    log_pi,
                    base,
                    n0k,
                    scal,
                    nk,
                    c1,
                    w,
                    cnt,
                )
            out[d] = n + np.int64(scal[1])

    @njit(cache=True, nogil=True, error_model="numpy", fastmath=FASTMATH)
    def initial_pi(state, log_pi) -> None:
        """log π from a stick-breaking with V_k ~ Beta(1, 1) (the reference's random start)."""
        helpers  # noqa: B018
        K = log_pi.size
        zeros = np.zeros(K, np.int64)
        sample_pi(data_pointer(state), zeros, zeros, 1.0, log_pi)

    @njit(cache=True, nogil=True, error_model="numpy", fastmath=FASTMATH)
    def set_base(log_pi, log0, base) -> float:
        """``refresh_base`` for Python: base from log π and log0 (see the module docstring)."""
        helpers  # noqa: B018
        return refresh_base(log_pi, log0, base)

    return run_sweeps, initial_pi, set_base


run_sweeps, initial_pi, set_base = _python_kernels(_helpers_digest())
