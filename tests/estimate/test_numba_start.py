"""Numba's implementations load without SciPy's linear algebra, and nothing else changes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Run in a fresh interpreter: this one may have imported scipy.linalg already.
CHECK = textwrap.dedent(
    """
    import sys
    import numpy as np
    import numba

    import recount.estimate.lcmcr  # the kernels: Numba's implementations are loaded
    import numba.np.arraymath

    assert numba.np.arraymath._HAVE_BLAS, "Numba must still see BLAS"
    assert "scipy.linalg" not in sys.modules, "SciPy's linalg package was imported"
    assert "scipy.linalg.cython_blas" not in sys.modules, "the shortcut was left registered"

    import scipy.linalg
    import scipy.linalg.cython_blas

    assert len(scipy.linalg.cython_blas.__pyx_capi__) > 100

    @numba.njit
    def solve(a, b):
        return np.dot(a, b), np.linalg.inv(a)

    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    product, inverse = solve(a, a)
    assert np.allclose(product, a @ a) and np.allclose(inverse, np.linalg.inv(a))
    assert np.allclose(scipy.linalg.solve(a, np.ones(2)), [0.4, 0.2])
    print("ok")
    """
)


def test_numba_sees_blas_without_scipy_linalg_and_both_work_afterwards() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
