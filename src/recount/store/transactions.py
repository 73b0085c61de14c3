"""Reading and writing a case: the one way recount opens connections and transactions.

``reading(engine)`` gives a connection that sees one consistent state of the case for as long as
it is open. ``writing(engine)`` gives one transaction that commits when the block ends and rolls
back if it raises. Writers are serialised case-wide from their first statement:

* SQLite: ``BEGIN IMMEDIATE`` takes the write lock before anything is read, so a writer never
  reads a state that another writer then changes under it (which SQLite reports as "database is
  locked" with no wait). While another writer holds the lock, taking it is retried with a
  growing pause for up to ``WRITE_WAIT_SECONDS``; only then does the user see
  :class:`~recount.errors.StoreBusyError`, naming the wait.
* PostgreSQL: a transaction-level advisory lock (``pg_advisory_xact_lock``) gives the same
  guarantee across processes and machines; PostgreSQL queues waiters itself.

Serialising writers costs little here (a write is milliseconds; an import holds the lock for the
length of one file) and makes hash chains, stable person ids and "next id" rules simple and
correct on both engines. Readers never wait for writers on either engine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from recount.errors import StoreBusyError
from recount.store.engine import POSTGRESQL

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

WRITE_WAIT_SECONDS = 300.0
# Any constant shared by every recount process; "rcnt" in ASCII.
WRITE_LOCK_KEY = 0x72636E74


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection on one consistent snapshot of the case; nothing it does is kept."""
    with engine.connect() as conn:
        if engine.dialect.name == POSTGRESQL:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        else:
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One transaction holding the case's write lock from its start; committed at the end."""
    with engine.connect() as conn:
        _take_write_lock(conn)
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def _take_write_lock(conn: Connection) -> None:
    from sqlalchemy.exc import OperationalError  # loaded already: conn is SQLAlchemy's

    if conn.dialect.name == POSTGRESQL:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        return
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    pause = 0.05
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                raise
            conn.rollback()
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"the case is busy: another writer has held it for more than "
                    f"{WRITE_WAIT_SECONDS:.0f} s; nothing was written, try again"
                ) from exc
            log.info("case busy; waiting %.2f s for the write lock", pause)
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
