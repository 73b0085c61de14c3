"""Numba kernels of the LCMCR sampler, 2: the discrete draws (binomial, Poisson, categorical,
multinomial), from the stream of ``_lcmcr_random``."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from recount.estimate._lcmcr_random import (
    FASTMATH,
    TWO_53,
    U64,
    next_u64,
    uniform,
)

SMALL_CELL = 8  # once this few people are left, each draws a class (no more binomials)
BERNOULLI_MAX = 8  # binomials with at most this many trials count Bernoulli trials
RECIPROCAL = 1.0 / np.arange(64).astype(np.float64).clip(1.0)  # RECIPROCAL[k] = 1/k, k ≥ 1
STIRLING_TAIL = np.array(
    [  # log k! − [(k + ½) log(k + 1) − (k + 1) + ½ log 2π], k = 0..9
        0.0810614667953272,
        0.0413406959554092,
        0.0276779256849983,
        0.0207906721037650,
        0.0166446911898211,
        0.0138761288230707,
        0.0118967099458917,
        0.0104112652619720,
        0.0092554621827127,
        0.0083305634333594,
    ]
)


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def _stirling_tail(k: float) -> float:
    if k < 10.0:
        return STIRLING_TAIL[int(k)]
    k1 = k + 1.0
    k1sq = k1 * k1
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / k1sq) / k1sq) / k1


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def _power(x: float, n: int) -> float:
    """x^n by squaring (n ≥ 0)."""
    out = 1.0
    while n > 0:
        out *= 1.0 + (x - 1.0) * (n & 1)  # no branch on the bits of n
        n >>= 1
        x *= x
    return out


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def _binomial_inversion(s, n: int, p: float) -> int:
    """Bin(n, p) by sequential search from 0 (n p < 10, p ≤ ½).

    Zero, the likeliest outcome, is usually decided without computing P(0) = q^n: with
    x = n p (1 + 2p) ≥ n p/q, q^n ≥ e^(−x) ≥ 1 − x + x²/2 − x³/6, so u below that returns 0.
    """
    u = uniform(s)
    x = n * p * (1.0 + 2.0 * p)
    if u < 1.0 - x * (1.0 - x * (0.5 - x * (1.0 / 6.0))):
        return 0
    q = 1.0 - p
    ratio = p / q
    g = ratio * (n + 1)
    f0 = _power(q, n) if n < 64 else math.exp(n * math.log1p(-p))
    while True:
        f = f0
        k = 0
        while u >= f and k < n:
            u -= f
            k += 1
            f *= g * (RECIPROCAL[k] if k < 64 else 1.0 / k) - ratio
        if u < f:
            return k
        u = uniform(s)  # rounding left u beyond the last term (probability ~1e-16): redraw


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def _binomial_btrd(s, n: int, p: float) -> int:
    """Bin(n, p) for n p ≥ 10, p ≤ ½: Hörmann's (1993) BTRD, transformed rejection with
    decomposition. Most draws take one uniform and no log (step 1); near the mode the density
    ratio is a short product (step 3.1); only far from it are logs needed (steps 3.2–3.4)."""
    nf = float(n)
    q = 1.0 - p
    npq = nf * p * q
    spq = math.sqrt(npq)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = nf * p + 0.5
    bu = 0.7912 * b - 3.612  # v ≤ 0.86 v_r  ⇔  v b ≤ 0.86 (0.92 b − 4.2)
    v = uniform(s)
    if v * b <= bu:  # step 1, taken by most draws: inside the box
        u = v * b / (0.92 * b - 4.2) - 0.43
        return int(np.floor((2.0 * a / (0.5 - abs(u)) + b) * u + c))
    m = np.floor((nf + 1.0) * p)
    r = p / q
    nr = (nf + 1.0) * r
    inv_v_r = b / (0.92 * b - 4.2)  # 1/v_r with v_r = 0.92 − 4.2/b
    redraw = False  # the first v, outside the box, goes on to step 2
    while True:
        if redraw:
            v = uniform(s)
            if v * b <= bu:  # step 1
                u = v * inv_v_r - 0.43
                return int(np.floor((2.0 * a / (0.5 - abs(u)) + b) * u + c))
        redraw = True
        inv_b = 1.0 / b
        alpha = (2.83 + 5.1 * inv_b) * spq
        v_r = 0.92 - 4.2 * inv_b
        if v >= v_r:  # step 2
            u = uniform(s) - 0.5
        else:
            u = v * inv_v_r - 0.93
            u = math.copysign(0.5, u) - u
            v = v_r * uniform(s)
        us = 0.5 - abs(u)  # step 3.0
        k = np.floor((2.0 * a / us + b) * u + c)
        if k < 0.0 or k > nf:
            continue
        v *= alpha / (a / (us * us) + b)
        km = abs(k - m)
        if km <= 15.0:  # step 3.1: f(k)/f(m) = Π (nr/i − r), without dividing
            num = 1.0
            den = 1.0
            i = min(k, m)
            top = max(k, m)
            while i < top:
                i += 1.0
                num *= nr - r * i
                den *= i
            if (v * den <= num) if m < k else (v * num <= den):
                return int(k)
            continue
        v = math.log(v)  # step 3.2: squeeze
        rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5)
        t = -km * km / (2.0 * npq)
        if v < t - rho:
            return int(k)
        if v > t + rho:
            continue
        nm = nf - m + 1.0  # steps 3.3–3.4: the exact bound
        h = (m + 0.5) * math.log((m + 1.0) / (r * nm)) + _stirling_tail(m) + _stirling_tail(nf - m)
        nk = nf - k + 1.0
        if v <= (
            h
            + (nf + 1.0) * math.log(nm / nk)
            + (k + 0.5) * math.log(nk * r / (k + 1.0))
            - _stirling_tail(k)
            - _stirling_tail(nf - k)
        ):
            return int(k)


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def _binomial_bernoulli(s, n: int, p: float) -> int:
    """Bin(n, p) as the number of n uniforms below p, compared as 53-bit integers: exactly
    ``uniform(s) < p`` n times, without a branch per trial (fastest for small n)."""
    threshold = U64(p * TWO_53)
    k = 0
    for _ in range(n):
        k += (next_u64(s) >> U64(11)) < threshold
    return k


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def binomial(s, n: int, p: float) -> int:
    """Bin(n, p). With q = min(p, 1 − p): n Bernoulli trials when n ≤ BERNOULLI_MAX and
    n q ≥ ½ (for smaller n q inversion usually returns 0 after one uniform); inversion when
    n q < 10; BTRD above."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    flip = p > 0.5
    q = 1.0 - p if flip else p
    nq = n * q
    if n <= BERNOULLI_MAX and nq >= 0.5:
        k = _binomial_bernoulli(s, n, q)
    elif nq < 10.0:
        k = _binomial_inversion(s, n, q)
    else:
        k = _binomial_btrd(s, n, q)
    return n - k if flip else k


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def poisson(s, lam: float) -> int:
    """Poisson(lam): multiplication for lam < 10, PTRS (Hörmann 1993) above."""
    if lam <= 0.0:
        return 0
    if lam < 10.0:
        limit = math.exp(-lam)
        k = 0
        prod = uniform(s)
        while prod > limit:
            k += 1
            prod *= uniform(s)
        return k
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = uniform(s) - 0.5
        v = uniform(s)
        us = 0.5 - abs(u)
        k = np.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= vr:
            return int(k)
        if k < 0.0 or (us < 0.013 and v > us):
            continue
        if math.log(v) + math.log(invalpha) - math.log(
            a / (us * us) + b
        ) <= -lam + k * loglam - math.lgamma(k + 1.0):
            return int(k)


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def categorical(s, w, K: int, total: float) -> int:
    """k with probability w_k / total (w: pointer to K weights ≥ 0 summing to total > 0)."""
    u = uniform(s) * total
    last = K - 1
    k = 0
    acc = w[0]
    while acc <= u and k < last:
        k += 1
        acc += w[k]
    while w[k] == 0.0:  # rounding ran past the last positive weight
        k -= 1
    return k


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def multinomial(s, n: int, w, K: int, total: float, cnt) -> None:
    """cnt ~ Multinomial(n, w / total) by conditional binomials: the heaviest class first, then
    the others in order; once few people are left (≤ SMALL_CELL) each draws its class.
    w, cnt: pointers to K values; w is overwritten."""
    top = 0
    for k in range(K):
        cnt[k] = 0
        if w[k] > w[top]:
            top = k
    c = binomial(s, n, w[top] / total)
    cnt[top] = c
    n -= c
    left = total - w[top]
    w[top] = 0.0
    last = K - 1
    while last >= 0 and w[last] == 0.0:
        last -= 1
    for k in range(last + 1):
        if n == 0:
            return
        if k == last or w[k] >= left:
            cnt[k] += n
            return
        if n <= SMALL_CELL:
            for _ in range(n):
                u = uniform(s) * left
                j = k
                acc = w[k]
                while acc <= u and j < last:
                    j += 1
                    acc += w[j]
                while w[j] == 0.0:
                    j -= 1
                cnt[j] += 1
            return
        if w[k] > 0.0:
            c = binomial(s, n, w[k] / left)
            cnt[k] = c
            n -= c
            left -= w[k]
    if n > 0:  # rounding: nobody may be left unassigned
        cnt[top] += n
