"""A throwaway PostgreSQL server for the test run: Debian's binaries, a Unix socket, no TCP.

The cluster is made with ``initdb`` in a temporary folder, started with ``pg_ctl`` and removed
when the run ends. PostgreSQL refuses to run as root, so under root (CI) the server runs as the
unprivileged ``postgres`` user that Debian's package creates. Every test that asks for a
PostgreSQL case gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries on this machine."""


def find_binary(name: str) -> str:
    for directory in BIN_DIRS:
        if (directory / name).is_file():
            return str(directory / name)
    found = shutil.which(name)
    if found:
        return found
    raise PostgresUnavailable(
        f"PostgreSQL's {name} was not found: install Debian's postgresql package "
        "(make test does), or leave these tests out with -m 'not postgres'"
    )


@dataclass
class PostgresServer:
    root: Path
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def create_database(self, prefix: str = "case") -> str:
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [find_binary("psql"), "-h", str(self.socket_dir), "-U", SUPERUSER, "-d", database,
             "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"psql {sql!r}: {result.stderr.strip()}")
        return result.stdout


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SUPERUSER, "--", *command]


def start(root: Path) -> PostgresServer:
    """initdb and start a cluster in ``root``; the caller stops it with :func:`stop`."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SUPERUSER)
        os.chown(root, owner.pw_uid, owner.pw_gid)
        root.chmod(0o755)
    data = root / "data"
    subprocess.run(
        _as_server_user([initdb, "-D", str(data), "-A", "trust", "-U", SUPERUSER, "--no-sync",
                         "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    options = (
        f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        _as_server_user([pg_ctl, "-D", str(data), "-o", options, "-w", "-l",
                         str(root / "server.log"), "start"]),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return PostgresServer(root)


def stop(server: PostgresServer) -> None:
    subprocess.run(
        _as_server_user([find_binary("pg_ctl"), "-D", str(server.root / "data"), "-m", "immediate",
                         "-w", "stop"]),
        check=False, capture_output=True, timeout=120,
    )  # fmt: skip
    shutil.rmtree(server.root, ignore_errors=True)
