"""DuckDB's spill folder: one per process, gone when the process ends, and folders of killed
runs swept up by the next one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from recount.case.folder import init_case
from recount.case.sources import add_source
from recount.ingest.importer import import_file
from recount.linkage.model import SCRATCH_PREFIX, _remove_orphaned_scratch
from recount.simulate.simulation import simulate
from tests.conftest import write_csv


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_orphaned_folders_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    orphan = tmp_path / f"{SCRATCH_PREFIX}{_dead_pid()}-abc"
    live = tmp_path / f"{SCRATCH_PREFIX}{os.getpid()}-def"
    unrelated = tmp_path / f"{SCRATCH_PREFIX}notapid"
    for folder in (orphan, live, unrelated):
        (folder / "spill").mkdir(parents=True)
    _remove_orphaned_scratch(tmp_path)
    assert not orphan.exists()
    assert live.exists() and unrelated.exists()


def test_a_link_run_leaves_no_scratch_folder(tmp_path: Path) -> None:
    people = simulate(size=150, seed=3).population
    rows = "".join(f"{p.given} {p.family},{p.sex},{p.age}\n" for p in people)
    case = init_case(tmp_path / "case")
    for slug in ("registry", "ngo"):
        add_source(case, slug, slug, "other")
        import_file(case, slug, write_csv(tmp_path / f"{slug}.csv", "full_name,sex,age\n" + rows))
    case.close()
    temporary = tmp_path / "tmp"
    orphan = temporary / f"{SCRATCH_PREFIX}{_dead_pid()}-xyz"
    orphan.mkdir(parents=True)
    env = {**os.environ, "TMPDIR": str(temporary), "RECOUNT_CASE": str(case.root)}
    done = subprocess.run(
        [sys.executable, "-m", "recount.cli", "link"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert list(temporary.glob(f"{SCRATCH_PREFIX}*")) == []
