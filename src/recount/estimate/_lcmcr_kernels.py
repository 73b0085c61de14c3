"""Numba kernels of the LCMCR Gibbs sampler (the model is described in ``lcmcr.py``).

Random numbers. Each chain has its own SFC64 stream, seeded by NumPy
(``np.random.SFC64(SeedSequence(seed).spawn(chains)[c])``), whose 4-word state is stepped here
in-line: the uniforms are bit for bit those of ``np.random.Generator(np.random.SFC64(...))
.random()``. The distributions are written out below (ziggurat normal, Marsaglia–Tsang gamma,
Bernoulli counting, inversion and Hörmann's BTRD binomial, PTRS Poisson) because calling
NumPy's generator from Numba goes through a function pointer per uniform; measured on this
project's 2-core machine:
≈ 7 ns per uniform, 27 ns per Gamma and 50–220 ns per binomial that way, against ≈ 1.5, 14
and 7–70 ns here. Helpers receive the state, and the scratch vectors of the cell loop, as raw
pointers (``data_pointer``): an array argument costs two atomic reference-count updates per
call.

State of a chain (K classes, J lists, M observed cells), arrays owned by the caller:

- ``ones_ptr (M+1,)``, ``ones_idx``: the lists each cell is on (CSR); ``counts (M,)``;
- ``odds (J, K)``: λ/(1 − λ); ``log0 (K,)``: Σ_j log(1 − λ_jk); ``log_pi (K,)``: log π;
- ``base (K,)``: π_k Π_j (1 − λ_jk) divided by its largest value (the weight of the all-zero
  pattern in each class, up to a constant); ``n0k (K,)``: unobserved people per class;
- ``scal (2,)``: [α, n0]; work arrays ``nk (K,)``, ``c1 (J, K)``, ``w (K,)``, ``cnt (K,)``.

A cell's class weights are then base_k Π_{j on} odds_jk: products, no exp or log per cell. A
cell whose weights leave [1e-250, 1e250] is redone in log space. A run split into blocks gives
the same draws as one long run: everything carries over in the arrays.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

# No nnan/ninf: -inf and 0 must behave as IEEE says.
FASTMATH = {"nsz", "arcp", "contract", "reassoc"}
TINY = 1e-300
HUGE = 1e300
SAFE_LOW = 1e-250
SAFE_HIGH = 1e250
SMALL_CELL = 8  # once this few people are left, each draws a class (no more binomials)
NB_TRIES = 20  # negative-binomial proposals before switching to the envelope sampler
U64 = np.uint64
TWO_53 = 9007199254740992.0
TO_DOUBLE = 1.0 / TWO_53  # 2^-53
BERNOULLI_MAX = 8  # binomials with at most this many trials count Bernoulli trials


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Marsaglia & Tsang (2000) 256-layer ziggurat for the normal, with 52-bit integers."""
    r = 3.6541528853610088
    v = r * math.exp(-0.5 * r * r) + math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2))
    m = 2.0**52
    ki = np.zeros(256, np.uint64)
    wi = np.zeros(256)
    fi = np.zeros(256)
    dn = tn = r
    q = v / math.exp(-0.5 * dn * dn)
    ki[0] = int(dn / q * m)
    wi[0], wi[255] = q / m, dn / m
    fi[0], fi[255] = 1.0, math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2 * math.log(v / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = int(dn / tn * m)
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / m
    return ki, wi, fi, r


ZIG_K, ZIG_W, ZIG_F, ZIG_R = _ziggurat_tables()
ZIG_INV_R = 1.0 / ZIG_R
GAMMA_TABLE = 4096
GAMMA_C = 1.0 / np.sqrt(9.0 * (np.arange(GAMMA_TABLE) - 1.0 / 3.0).clip(2.0 / 3.0))
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


# --------------------------------------------------------------------------------------------
# Random numbers


@intrinsic
def data_pointer(typingctx, array):
    """Raw pointer to the data of a C-contiguous array (which must outlive the pointer).

    Inner helpers take pointers rather than arrays: each array argument of a call costs two
    atomic reference-count updates, which in the cell loop cost more than the arithmetic.
    """
    if not isinstance(array, types.Array):
        return None
    sig = types.CPointer(array.dtype)(array)

    def codegen(context, builder, signature, args):
        return context.make_array(signature.args[0])(context, builder, args[0]).data

    return sig, codegen


@njit(cache=True, error_model="numpy", inline="always")
def next_u64(s) -> np.uint64:
    """SFC64 (Chris Doty-Humphrey), the same step as NumPy's ``SFC64``."""
    a, b, c, ctr = s[0], s[1], s[2], s[3]
    out = a + b + ctr
    s[3] = ctr + U64(1)
    s[0] = b ^ (b >> U64(11))
    s[1] = c + (c << U64(3))
    s[2] = ((c << U64(24)) | (c >> U64(40))) + out
    return out


@njit(cache=True, error_model="numpy", inline="always")
def uniform(s) -> float:
    """U[0, 1) with 53 random bits (NumPy's ``random()``)."""
    return float(next_u64(s) >> U64(11)) * TO_DOUBLE


@njit(cache=True, error_model="numpy", inline="always")
def uniform_pos(s) -> float:
    """U(0, 1]: safe to take the log of."""
    return 1.0 - uniform(s)


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def normal(s) -> float:
    """Standard normal by the ziggurat (Marsaglia & Tsang 2000)."""
    while True:
        r = next_u64(s)
        idx = np.int64(r & U64(0xFF))
        r >>= U64(8)
        sign = 1.0 - 2.0 * float(r & U64(1))
        rabs = (r >> U64(1)) & U64(0x000FFFFFFFFFFFFF)
        x = sign * float(rabs) * ZIG_W[idx]
        if rabs < ZIG_K[idx]:
            return x
        if idx == 0:  # the tail beyond R (Marsaglia 1964)
            while True:
                xx = -ZIG_INV_R * math.log(uniform_pos(s))
                yy = -math.log(uniform_pos(s))
                if yy + yy > xx * xx:
                    return sign * (ZIG_R + xx)
        elif (ZIG_F[idx - 1] - ZIG_F[idx]) * uniform(s) + ZIG_F[idx] < math.exp(-0.5 * x * x):
            return x


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def exponential(s) -> float:
    return -math.log(uniform_pos(s))


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def _gamma_mt(s, d: float, c: float) -> float:
    """Marsaglia & Tsang (2000): Gamma(d + 1/3) for d ≥ 2/3, with c = 1/√(9d)."""
    while True:
        x = normal(s)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = uniform(s)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v
        if math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v


@njit(cache=True, error_model="numpy", fastmath=FASTMATH, inline="always")
def gamma_int(s, a: int) -> float:
    """Gamma(a, 1) for a whole a ≥ 1 (the λ draws), with 1/√(9d) from a table."""
    if a == 1:
        return exponential(s)
    c = GAMMA_C[a] if a < GAMMA_TABLE else 1.0 / math.sqrt(9.0 * (a - 1.0 / 3.0))
    return _gamma_mt(s, a - 1.0 / 3.0, c)


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def gamma(s, shape: float) -> float:
    """Gamma(shape, 1), shape > 0: Marsaglia & Tsang, boosted by U^(1/shape) below 1."""
    if shape == 1.0:
        return exponential(s)
    boost = shape < 1.0
    a = shape + 1.0 if boost else shape
    d = a - 1.0 / 3.0
    g = _gamma_mt(s, d, 1.0 / math.sqrt(9.0 * d))
    if boost:
        g *= math.exp(math.log(uniform_pos(s)) / shape)
    return g


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def log_gamma(s, shape: float) -> float:
    """log of a Gamma(shape, 1) draw that never underflows: G(a) = G(a + 1)·U^(1/a) for a < 1."""
    if shape >= 1.0:
        return math.log(max(gamma(s, shape), TINY))
    return math.log(max(gamma(s, shape + 1.0), TINY)) + math.log(uniform_pos(s)) / shape


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


# --------------------------------------------------------------------------------------------
# The sweep


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


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
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


@njit(cache=True, error_model="numpy", fastmath=FASTMATH)
def initial_pi(state, log_pi) -> None:
    """log π from a stick-breaking with V_k ~ Beta(1, 1) (the reference's random start)."""
    K = log_pi.size
    zeros = np.zeros(K, np.int64)
    sample_pi(data_pointer(state), zeros, zeros, 1.0, log_pi)
