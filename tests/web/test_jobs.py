"""A server's jobs and settings as its worker processes share them: jobs through a folder,
settings (never a passphrase) through the environment."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from recount.errors import InvalidValueError, UsageError
from recount.evidence.keys import PASSPHRASE_ENV, KeySource
from recount.web.app import SETTINGS_ENV, WebSettings, app_from_environment
from recount.web.jobs import Job, Jobs


def _wait(jobs: Jobs, job_id: int, status: str) -> Job:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = jobs.get(job_id)
        if job is not None and job.status == status:
            return job
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} never reached {status}: {jobs.get(job_id)}")


def test_a_job_started_by_one_worker_is_followed_by_another(tmp_path: Path) -> None:
    one, other = Jobs(tmp_path / "jobs"), Jobs(tmp_path / "jobs")
    release = threading.Event()

    def work(job: Job) -> dict:
        job.progress("half way", 1, 2)
        release.wait(10)
        return {"answer": 42}

    started = one.start("estimate", "amina", work)
    running = _wait(other, started.id, "running")
    assert (running.kind, running.started_by) == ("estimate", "amina")
    deadline = time.monotonic() + 10
    while other.get(started.id).step != "half way" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (other.get(started.id).step, other.get(started.id).percent) == ("half way", 50)
    release.set()
    done = _wait(other, started.id, "done")
    assert done.result == {"answer": 42} and done.percent == 100
    assert [j.id for j in other.recent()] == [started.id]

    def fail(job: Job) -> dict:
        raise InvalidValueError("no such method")

    failed = _wait(one, other.start("estimate", "amina", fail).id, "failed")
    assert failed.error == "no such method"
    assert [j.id for j in one.recent(1)] == [failed.id]
    assert other.get(999) is None
    one.shutdown()
    other.shutdown()


def test_workers_starting_jobs_at_once_never_share_a_number(tmp_path: Path) -> None:
    workers = [Jobs(tmp_path / "jobs") for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        started = list(
            pool.map(lambda n: workers[n % 4].start("link", "x", lambda j: {}), range(24))
        )
    assert sorted(j.id for j in started) == list(range(1, 25))
    for jobs in workers:
        jobs.shutdown()


def test_settings_reach_a_worker_without_the_passphrase_in_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = WebSettings(
        tmp_path / "case",
        [KeySource(key_file=tmp_path / "team.key"), KeySource(passphrase="sealed words here")],
        jobs_dir=tmp_path / "jobs",
    )
    text = settings.to_json()
    assert "sealed words here" not in text
    monkeypatch.setenv(PASSPHRASE_ENV, "sealed words here")
    assert WebSettings.from_json(text) == settings
    monkeypatch.delenv(PASSPHRASE_ENV)
    with pytest.raises(UsageError, match=PASSPHRASE_ENV):
        WebSettings.from_json(text)
    monkeypatch.delenv(SETTINGS_ENV, raising=False)
    with pytest.raises(UsageError, match="recount serve"):
        app_from_environment()
