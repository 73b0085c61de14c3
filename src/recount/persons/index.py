"""The cross-script name index: every name word of every record, as ASCII and as key.

Records are never changed after import, so the index only grows: ``ensure_index`` adds the
records imported since it last ran (a ``#`` token marks a record as indexed, names or not).
Searching folds the query the same way, so Иванов, Ivanov and Iwanow meet at one key.
"""

from __future__ import annotations

import logging

from recount.case.folder import Case
from recount.names.keys import name_key
from recount.names.transliterate import to_ascii, words
from recount.store import records as records_store

log = logging.getLogger(__name__)

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
        done = records_store.last_record_with_token(conn, MARK)
        while True:
            batch = records_store.record_names_after(conn, done, BATCH)
            if not batch:
                break
            rows = [(t, rid) for rid, *names in batch for t in (tokens_of(*names) | {MARK})]
            records_store.insert_name_tokens(conn, rows)
            done = batch[-1][0]
            added += len(batch)
    if added:
        log.info("indexed the names of %d records", added)
    return added
