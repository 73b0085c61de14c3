"""A kill at any moment of `evidence add` leaves no half-written object and no row without
its object; a large file is added in bounded memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.evidence.verify import verify_case
from tests.conftest import run_cli
from tests.evidence.helpers import photo, sql

MB = 1 << 20


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(b"recount test data\n")
        handle.truncate(size)
    return path


def cli(case: Case, *args: str, code: str = "") -> subprocess.Popen:
    """The real CLI in a child process; ``code`` runs first (to place a kill)."""
    env = {**os.environ, "RECOUNT_CASE": str(case.root)}
    program = (
        f"{code}\nimport sys\nfrom recount.cli import main\nsys.argv = ['recount', "
        f"{', '.join(repr(a) for a in args)}]\nmain()\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", program], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def objects(case: Case) -> list[Path]:
    return [p for p in (case.evidence_dir / "objects").rglob("*") if p.is_file()]


def assert_nothing_added(case: Case) -> None:
    assert objects(case) == []
    assert sql(case.root, "SELECT count(*) FROM evidence_items") == [(0,)]
    assert sql(case.root, "SELECT count(*) FROM custody_log") == [(0,)]


def test_sigkill_while_copying_a_large_file(case: Case, tmp_path: Path) -> None:
    big = sparse(tmp_path / "big.bin", 1536 * MB)
    child = cli(case, "evidence", "add", str(big), "--source", "registry")
    tmp = case.evidence_dir / "tmp"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        parts = list(tmp.glob("*.part")) if tmp.is_dir() else []
        if parts and parts[0].stat().st_size > 64 * MB:
            break
        time.sleep(0.01)
    else:
        raise AssertionError("the add never started writing")
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    # The half-copied file is only in tmp/, never in the store, and no row names it.
    assert list(tmp.glob("*.part"))
    assert_nothing_added(case)
    report = verify_case(case)
    assert report.ok and any(name.endswith(".part") for name in report.recovered)
    assert not list(tmp.iterdir())


def test_sigkill_between_rename_and_commit(case: Case, tmp_path: Path) -> None:
    image = photo(tmp_path / "p.jpg", 1)
    kill_after_rename = (
        "import os, signal\n"
        "from recount.evidence import store\n"
        "_rename = store.Publish.rename_all\n"
        "def rename_then_die(self, *args):\n"
        "    _rename(self, *args)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "store.Publish.rename_all = rename_then_die\n"
    )
    child = cli(case, "evidence", "add", str(image), "--source", "registry", code=kill_after_rename)
    child.wait(timeout=120)
    assert child.returncode == -signal.SIGKILL
    # Complete objects are in place, but no row: the journal names them for recovery.
    assert len(objects(case)) == 1
    assert sql(case.root, "SELECT count(*) FROM evidence_items") == [(0,)]
    assert list((case.evidence_dir / "tmp").glob("*.journal"))
    result = run_cli(
        "evidence", "add", str(image), "--source", "registry", "--json", case=case.root
    )
    assert result.returncode == 0, result.stderr
    report = verify_case(case)
    assert report.ok, report.findings
    assert report.items == 1 and not list((case.evidence_dir / "tmp").iterdir())


def peak_rss_mb(case: Case, tmp_path: Path, *args: str) -> float:
    env = {**os.environ, "RECOUNT_CASE": str(case.root)}
    # Output to a file: a child blocked on a full pipe would never be reaped by wait4.
    with (tmp_path / "stderr.txt").open("w+") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "recount.cli", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        assert child.returncode == 0, stderr.read()
    return usage.ru_maxrss / 1024  # Linux reports kilobytes


@pytest.mark.slow
def test_a_large_file_is_added_in_bounded_memory(case: Case, tmp_path: Path) -> None:
    small = sparse(tmp_path / "small.bin", 64 * 1024)
    large = sparse(tmp_path / "large.bin", 768 * MB)
    baseline = peak_rss_mb(case, tmp_path, "evidence", "add", str(small), "--source", "registry")
    peak = peak_rss_mb(case, tmp_path, "evidence", "add", str(large), "--source", "registry")
    # Reading 768 MB costs no more than a few 4 MiB buffers over adding 64 kB.
    assert peak - baseline < 48, (baseline, peak)
    (size,) = sql(case.root, "SELECT size_bytes FROM evidence_items WHERE id = 2")[0]
    assert size == 768 * MB
