"""Numba kernels of the LCMCR sampler, 1: the random stream and the continuous draws.

Each chain has its own SFC64 stream, seeded by NumPy
(``np.random.SFC64(SeedSequence(seed).spawn(chains)[c])``), whose 4-word state is stepped here
in-line: the uniforms are bit for bit those of ``np.random.Generator(np.random.SFC64(...))
.random()``. The distributions are written out (ziggurat normal, Marsaglia–Tsang gamma here;
binomial and Poisson in ``_lcmcr_discrete``) because calling NumPy's generator from Numba goes
through a function pointer per uniform; measured on this project's 2-core machine:
≈ 7 ns per uniform, 27 ns per Gamma and 50–220 ns per binomial that way, against ≈ 1.5, 14
and 7–70 ns here. Helpers receive the state, and the scratch vectors of the cell loop, as raw
pointers (``data_pointer``): an array argument costs two atomic reference-count updates per
call.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

# No nnan/ninf: -inf and 0 must behave as IEEE says.
FASTMATH = {"nsz", "arcp", "contract", "reassoc"}
TINY = 1e-300
U64 = np.uint64
TWO_53 = 9007199254740992.0
TO_DOUBLE = 1.0 / TWO_53  # 2^-53


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
