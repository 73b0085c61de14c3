"""Loading Numba's implementations without importing all of SciPy's linear algebra.

Before its first compilation, or the first load of a kernel from its on-disk cache, Numba
initialises its CPU target: it imports its implementations of NumPy and registers them. One of
them (``numba.np.arraymath``) checks that BLAS is there by importing ``scipy.linalg.cython_blas``,
and that import runs ``scipy.linalg``'s package, which imports much of SciPy (and, through
SciPy's array-API layer, NumPy's ``f2py`` and ``testing``): about 0.12 s of a tiny estimate's
second, for kernels that use no BLAS at all.

``load_numba_implementations`` initialises the target now, when the kernels are imported (so
that a caller can load everything in one go: ``recount estimate`` does so with the garbage
collector paused), and loads that one extension module by itself for the check, taking it out
of ``sys.modules`` again once Numba has looked: whoever imports ``scipy.linalg`` later gets the
package as SciPy builds it (the extension module, initialised once per process, is the same
object either way). Where the shortcut does not apply — SciPy's linear algebra already imported,
Numba's implementations already loaded, a SciPy laid out otherwise — Numba imports as it always
does; nothing but the time differs.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from types import ModuleType

BLAS_MODULE = "scipy.linalg.cython_blas"
CHECKS_BLAS = "numba.np.arraymath"


def load_numba_implementations() -> None:
    """Initialise Numba's CPU target (as its first dispatch would), with the BLAS check served
    by the extension alone."""
    if CHECKS_BLAS in sys.modules:
        return  # initialised already, or under way: the first dispatch completes it
    from numba.core.registry import cpu_target

    blas = None if BLAS_MODULE in sys.modules else _blas_alone()
    try:
        cpu_target.target_context.refresh()
    finally:
        if blas is not None:
            _put_back(blas)


def _put_back(blas: ModuleType) -> None:
    """Leave ``sys.modules`` as a plain import would: the module belongs there only under its
    package, so it stays only if another thread imported ``scipy.linalg`` in the meantime."""
    package = sys.modules.get("scipy.linalg")
    if package is None:
        if sys.modules.get(BLAS_MODULE) is blas:
            del sys.modules[BLAS_MODULE]
    elif not hasattr(package, "cython_blas"):
        package.cython_blas = blas


def _blas_alone() -> ModuleType | None:
    """SciPy's ``cython_blas`` extension module, loaded without its package, and registered."""
    try:
        import scipy

        folder = [f"{scipy.__path__[0]}/linalg"]
        spec = importlib.machinery.PathFinder.find_spec(BLAS_MODULE, folder)
        if spec is None or not isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
            return None
        module = importlib.util.module_from_spec(spec)
        sys.modules[BLAS_MODULE] = module
        spec.loader.exec_module(module)
    except Exception:  # any failure: Numba imports SciPy's package as it always does
        sys.modules.pop(BLAS_MODULE, None)
        return None
    return module
