"""The cross-script name index: every name word of every record, as ASCII and as key.

Records are never changed after import, so the index only grows: ``ensure_index`` adds the
records imported since it last ran (a ``#`` token marks a record as indexed, names or not).
Searching folds the query the same way, so Иванов, Ivanov and Iwanow meet at one key.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, func, select

from recount.case.folder import Case
from recount.names.keys import name_key
from recount.names.transliterate import to_ascii, words
from recount.store.dialect import insert_new
from recount.store.tables import name_tokens, records

log = logging.getLogger(__name__)

NAME_FIELDS = ("full_name", "given_name", "family_name", "patronymic")
MARK = "#"
BATCH = 20_000


def tokens_of(*names: str | None) -> set[str]:
    found = set()
    for name in names:
        for word in words(name or ""):
            ascii_word = to_ascii(word)
            if ascii_word:
                found.add("a:" + ascii_word)
                found.add("k:" + name_key(ascii_word))
    return found


def query_terms(text: str) -> list[tuple[str, str]]:
    """Per word of a search: (its key token, its ASCII prefix token)."""
    terms = []
    for word in words(text):
        ascii_word = to_ascii(word)
        if ascii_word:
            terms.append(("k:" + name_key(ascii_word), "a:" + ascii_word))
    return terms


def ensure_index(case: Case) -> int:
    """Index the records not indexed yet; return how many were added. Safe to call from several
    processes at once (each web worker does at start): the write lock lets one index at a time,
    and the next finds nothing left to do."""
    added = 0
    with case.writing() as conn:
        done = (
            conn.execute(
                select(func.max(name_tokens.c.record_id)).where(name_tokens.c.token == MARK)
            ).scalar()
            or 0
        )
        while True:
            batch = _batch(conn, done)
            if not batch:
                break
            rows = [
                {"token": t, "record_id": rid}
                for rid, *names in batch
                for t in (tokens_of(*names) | {MARK})
            ]
            insert_new(conn, name_tokens, rows, keys=("token", "record_id"))
            done = batch[-1][0]
            added += len(batch)
    if added:
        log.info("indexed the names of %d records", added)
    return added


def _batch(conn: Connection, after: int) -> list[tuple]:
    query = (
        select(records.c.id, *(records.c[f] for f in NAME_FIELDS))
        .where(records.c.id > after)
        .order_by(records.c.id)
        .limit(BATCH)
    )
    return [tuple(row) for row in conn.execute(query)]
