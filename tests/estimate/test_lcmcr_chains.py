"""LCMCR's chains: threads in this process, the same draws however they run, clean stops."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from recount.estimate import _lcmcr_kernels as kernels
from recount.estimate.lcmcr import LcmcrSettings, estimate_lcmcr
from recount.estimate.table import from_pattern_counts

TINY = (
    ("a", "b", "c"),
    [
        ((1, 0, 0), 40),
        ((0, 1, 0), 35),
        ((0, 0, 1), 30),
        ((1, 1, 0), 12),
        ((1, 0, 1), 10),
        ((0, 1, 1), 9),
        ((1, 1, 1), 5),
    ],
)
TWO_CHAINS = LcmcrSettings(burn_in=100, samples=30, thin=2, chains=2, seed=3)

# A user's script: no `if __name__ == "__main__":` guard around the estimate.
SCRIPT = f"""
import json
from recount.estimate.lcmcr import LcmcrSettings, estimate_lcmcr
from recount.estimate.table import from_pattern_counts

table = from_pattern_counts(*{TINY!r})
settings = LcmcrSettings(burn_in=100, samples=30, thin=2, chains=2, seed=3)
print("result", json.dumps(estimate_lcmcr(table, settings, workers=2).draws.tolist()))
"""


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    script = tmp_path / "estimate_tiny.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    printed = [line for line in done.stdout.splitlines() if line.startswith("result ")]
    assert len(printed) == 1, done.stdout
    here = estimate_lcmcr(from_pattern_counts(*TINY), TWO_CHAINS, workers=1).draws
    assert json.loads(printed[0].removeprefix("result ")) == here.tolist()


def test_progress_comes_from_the_calling_thread() -> None:
    callers: set[int] = set()

    def progress(unit: str, done: int, total: int | None) -> None:
        callers.add(threading.get_ident())

    estimate_lcmcr(from_pattern_counts(*TINY), TWO_CHAINS, progress=progress, workers=2)
    assert callers == {threading.get_ident()}


class Interrupted(Exception):
    pass


def test_an_error_while_chains_run_stops_every_chain() -> None:
    """The caller's error surfaces at once; the chains stop at their next block, not after
    their hundreds of millions of sweeps."""

    def progress(unit: str, done: int, total: int | None) -> None:
        if done > 0:
            raise Interrupted

    endless = LcmcrSettings(burn_in=500_000_000, samples=4, thin=1, chains=2, seed=3)
    started = time.perf_counter()
    with pytest.raises(Interrupted):
        estimate_lcmcr(from_pattern_counts(*TINY), endless, progress=progress, workers=2)
    assert time.perf_counter() - started < 60
    assert not [t for t in threading.enumerate() if t.name.startswith("lcmcr-chain")]


def test_more_chains_than_workers_give_the_same_draws() -> None:
    settings = LcmcrSettings(burn_in=100, samples=30, thin=2, chains=3, seed=5)
    table = from_pattern_counts(*TINY)
    two = estimate_lcmcr(table, settings, workers=2).draws
    three = estimate_lcmcr(table, settings, workers=3).draws
    one = estimate_lcmcr(table, settings, workers=1).draws
    assert np.array_equal(two, one) and np.array_equal(three, one)


def test_the_cached_kernels_depend_on_their_helpers_sources() -> None:
    """Numba's on-disk cache is keyed by a kernel's own file and its closure, not by the files
    of the helpers compiled into it: the helpers' digest is in every Python-facing kernel's
    closure, so that editing a helper cannot leave a stale kernel in the cache."""
    digest = kernels._helpers_digest()
    for kernel in (kernels.run_sweeps, kernels.initial_pi, kernels.set_base):
        closure = kernel.py_func.__closure__ or ()
        assert digest in [cell.cell_contents for cell in closure], kernel
