"""A case with something in every kind of column, and ways to compare two cases, for the backup,
restore and move tests."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from recount.case.folder import Case, open_case
from recount.case.keeping import custody_heads
from recount.evidence.crypto import new_key_file
from recount.evidence.keys import KeySource, resolve_key
from recount.evidence.signing import resolve_actor
from recount.evidence.testimony import add_witness
from recount.evidence.verify import verify_case
from recount.store.move import TableDigest, table_digests
from recount.store.tables import events, name_frequencies, users
from tests import postgres
from tests.evidence.helpers import add, photo

# Names whose byte order differs from a locale's order (a, Z, Ä, ж): digests must not depend on
# the server's collation.
NAMES = ("zebra", "Zebra", "apple", "Äpfel", "жена", "émile", "a b")


def fill(case: Case, tmp_path: Path) -> None:
    """Evidence with custody chains and derived copies, and rows with booleans, floats, bytes,
    non-ASCII text keys and an event whose parent has a larger id."""
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    add(case, photo(folder / "one.jpg", 1), photo(folder / "two.jpg", 2))
    key_file = folder / "team.key"
    if not key_file.exists():
        new_key_file(key_file)
    created = "2024-01-01T00:00:00.000000Z"
    with case.writing() as conn:
        conn.execute(
            insert(events),
            [
                {"id": 7, "slug": "khojaly", "name": "Khojaly", "created_at": created},
                {"id": 3, "slug": "night", "name": "Night", "parent_id": 7, "latitude": 39.9,
                 "longitude": 46.79, "created_at": created},
            ],
        )  # fmt: skip
        conn.execute(
            insert(name_frequencies),
            [{"name_sorted": n, "frequency": 1 / (i + 3)} for i, n in enumerate(NAMES)],
        )
        conn.execute(
            insert(users),
            [
                {"name": "ana", "role": "admin", "password_hash": "x", "disabled": False,
                 "created_at": created},
                {"name": "ben", "role": "viewer", "password_hash": "y", "disabled": True,
                 "failed_logins": 3, "created_at": created},
            ],
        )  # fmt: skip
        # A witness: sealed identity and wrapped key as bytes, and a custody chain of its own.
        key = resolve_key(conn, KeySource(key_file=key_file), allow_new=True)
        assert key is not None
        add_witness(conn, "W-1", {"name": "Нина"}, key, resolve_actor(conn, None, None))


def state(case: Case) -> tuple[dict[str, TableDigest], dict]:
    """Every table's digest and the custody heads: equal states have equal values."""
    with case.reading() as conn:
        return table_digests(conn), custody_heads(conn)


def check_case(root: Path, expected: tuple[dict[str, TableDigest], dict]) -> None:
    """The case in ``root`` opens, holds exactly ``expected`` and its evidence verifies."""
    with open_case(root) as case:
        assert state(case) == expected
        report = verify_case(case)
        assert report.ok, report.findings
        assert report.head == expected[1]["head"]


def tree(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Hidden half-written siblings that a failed backup or restore would have left."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def tamper(path: Path, data: bytes = b"changed") -> None:
    path.chmod(0o644)
    path.write_bytes(data)


def new_database(request: pytest.FixtureRequest) -> str:
    """The URL of an empty PostgreSQL database of its own, dropped after the test."""
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database("target")
    request.addfinalizer(lambda: server.drop_database(name))
    return server.url(name)


def pg_tables(request: pytest.FixtureRequest, url: str) -> str:
    """The tables in the PostgreSQL database of ``url``, as psql lists them."""
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    return server.psql(
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
        "WHERE schemaname = 'public'",
        database=database_name(url),
    ).strip()


def database_name(url: str) -> str:
    name = make_url(url).database
    assert name is not None
    return name


def unreachable_url() -> str:
    """A PostgreSQL URL where no server listens."""
    return f"postgresql://postgres@127.0.0.1:1/nowhere_{os.getpid()}"
