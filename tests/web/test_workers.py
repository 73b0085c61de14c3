"""`recount serve` with two worker processes: a session made on one worker works on the other,
a job started on one is followed from the other, the audit log takes entries from both, and
logging out on one ends the session everywhere. A real server on 127.0.0.1, as a user starts
it (on PostgreSQL with its default of two workers).

Which worker serves a request is known, not guessed: each request goes on a connection of its
own, and the test finds the worker process that accepted it in ``/proc``.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from recount.case.folder import init_case
from recount.case.sources import add_source
from recount.security.users import add_user
from tests.evidence.helpers import add, photo
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


def _workers(server: int) -> list[int]:
    """uvicorn's worker processes (spawned by multiprocessing; not its resource tracker)."""
    workers = []
    for child in _children(server):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command:
            workers.append(child)
    return sorted(workers)


def _listening_inode(port: int) -> int | None:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":  # LISTEN
            return int(fields[9])
    return None


def _serving(worker: int, port: int) -> bool:
    """Whether ``worker`` waits for connections: the listening socket is in its event loop's
    epoll set (uvicorn's master binds the socket; each worker listens once it has started)."""
    inode = _listening_inode(port)
    if inode is None:
        return False
    links = {}
    for fd in Path(f"/proc/{worker}/fd").iterdir():
        try:
            links[fd.name] = str(fd.readlink())
        except FileNotFoundError:
            continue
    listening = {name for name, link in links.items() if link == f"socket:[{inode}]"}
    for name, link in links.items():
        if link == "anon_inode:[eventpoll]":
            try:
                info = Path(f"/proc/{worker}/fdinfo/{name}").read_text()
            except FileNotFoundError:
                continue
            watched = {line.split()[1] for line in info.splitlines() if line.startswith("tfd:")}
            if watched & listening:
                return True
    return False


def _server_inode(port: int, client_port: int) -> int | None:
    """The inode of the server's end of the connection from ``client_port``, once accepted."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], int(fields[9])
        if int(local.split(":")[1], 16) == port and int(remote.split(":")[1], 16) == client_port:
            return inode or None
    return None


def _owner(pids: list[int], inode: int) -> int | None:
    target = f"socket:[{inode}]"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if str(fd.readlink()) == target:
                    return pid
            except FileNotFoundError:
                continue
    return None


@dataclass
class Server:
    port: int
    pid: int
    workers: list[int]
    cookies: dict[str, str] = field(default_factory=dict)
    served_by: list[int] = field(default_factory=list)

    def connect(self, worker: int) -> http.client.HTTPConnection:
        """A connection accepted by ``worker``: the other workers are paused for the moment
        it takes to accept it, and the worker holding it is checked in /proc."""
        others = [w for w in self.workers if w != worker]
        for other in others:
            os.kill(other, signal.SIGSTOP)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.connect()
            client_port = connection.sock.getsockname()[1]
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                inode = _server_inode(self.port, client_port)
                owner = _owner(self.workers, inode) if inode else None
                if owner is not None:
                    assert owner == worker, (owner, worker)
                    return connection
                time.sleep(0.005)
            raise AssertionError(f"worker {worker} never accepted the connection")
        finally:
            for other in others:
                os.kill(other, signal.SIGCONT)

    def request(
        self, worker: int, method: str, path: str, form: dict | None = None, csrf: str = ""
    ) -> tuple[int, dict[str, str], str]:
        connection = self.connect(worker)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if csrf:
            headers["X-CSRF-Token"] = csrf
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")  # a file's bytes need not be text
            for header in response.headers.get_all("set-cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            self.served_by.append(worker)
            return response.status, dict(response.headers), text
        finally:
            connection.close()


def _between(text: str, start: str, end: str = '"') -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture
def server(tmp_path: Path, database_url: str | None) -> Iterator[Server]:
    case = init_case(tmp_path / "case", database=database_url)
    try:
        add_source(case, "registry", "A registry", "government")
        add(case, photo(tmp_path / "a.jpg", 1), sensitivity="public")
        add_user(case, "admin", "admin", PASSWORD)
    finally:
        case.close()
    port = _free_port()
    # On PostgreSQL the default is two workers; SQLite's default is one, so ask for two.
    workers = [] if database_url else ["--workers", "2"]
    env = {k: v for k, v in os.environ.items() if k != "RECOUNT_CASE"}
    command = [sys.executable, "-m", "recount.cli", "--case", str(tmp_path / "case"), "serve"]
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [*command, "--port", str(port), *workers], env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 120
        found: list[int] = []
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            found = _workers(process.pid)
            if len(found) == 2 and all(_serving(w, port) for w in found):
                break
            time.sleep(0.1)
        assert len(found) == 2 and all(_serving(w, port) for w in found), found
        yield Server(port, process.pid, found)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_two_workers_share_sessions_jobs_and_the_audit_log(server: Server) -> None:
    first, second = server.workers

    status, _, form = server.request(first, "GET", "/login")
    assert status == 200
    token = _between(form, 'name="token" value="')
    status, headers, _ = server.request(
        first,
        "POST",
        "/login",
        {"name": "admin", "password": PASSWORD, "token": token, "next": "/evidence"},
    )
    assert status == 303 and headers["location"] == "/evidence"
    session = server.cookies["recount_session"]

    # The session made by the first worker is known to the second.
    status, _, me = server.request(second, "GET", "/api/me")
    assert status == 200 and json.loads(me)["role"] == "admin"
    status, _, page = server.request(second, "GET", "/evidence")
    assert status == 200 and 'href="/evidence/1"' in page
    csrf = _between(page, '"X-CSRF-Token": "')

    # A change needs the session's CSRF token on whichever worker it reaches.
    assert server.request(first, "POST", "/api/evidence/verify")[0] == 403
    status, _, started = server.request(second, "POST", "/api/evidence/verify", csrf=csrf)
    assert status == 200
    job = json.loads(started)["job"]

    # The job runs on the second worker and is followed from the first.
    deadline = time.monotonic() + 120
    state: dict = {}
    while time.monotonic() < deadline:
        status, _, text = server.request(first, "GET", f"/api/jobs/{job}")
        assert status == 200, text
        state = json.loads(text)
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert state["status"] == "done", state
    assert state["result"]["ok"] is True and state["result"]["verify_entries"] == 1

    # The file is read on the first worker; both workers' entries are in one intact chain.
    status, headers, _ = server.request(first, "GET", "/evidence/1/file")
    assert status == 200 and headers["content-type"] == "image/jpeg"
    status, _, text = server.request(second, "GET", "/api/audit?limit=50")
    audit = json.loads(text)
    assert status == 200 and audit["chain_problems"] == []
    assert {"login", "view.evidence_file"} <= {e["action"] for e in audit["entries"]}

    # Logging out on one worker ends the session on the other, even for a kept cookie.
    assert server.request(first, "POST", "/logout", {"csrf": csrf})[0] == 303
    assert "recount_session" not in server.cookies
    server.cookies["recount_session"] = session
    assert server.request(second, "GET", "/api/me")[0] == 401
    assert set(server.served_by) == {first, second}
