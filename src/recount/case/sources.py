"""Sources: who provides information (a registry, an NGO, a newspaper, a court, a witness)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import DuplicateError, InvalidValueError, NotFoundError
from recount.store import cases as cases_store
from recount.vocabulary import SOURCE_KINDS

if TYPE_CHECKING:
    from recount.store import Connection

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


@dataclass(frozen=True)
class Source:
    id: int
    slug: str
    name: str
    kind: str
    created_at: str
    imports: int = 0
    records: int = 0


def check_slug(slug: str, what: str = "source") -> str:
    if not SLUG.fullmatch(slug):
        raise InvalidValueError(
            f"{what} slug {slug!r}: use 1-63 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit (e.g. ministry-1993)"
        )
    return slug


def add_source(case: Case, slug: str, name: str, kind: str) -> Source:
    check_slug(slug)
    if kind not in SOURCE_KINDS:
        raise InvalidValueError(f"source kind {kind!r}: expected one of {', '.join(SOURCE_KINDS)}")
    if not name.strip():
        raise InvalidValueError("a source needs a name (--name)")
    with case.writing() as conn:
        if cases_store.source_id_by_slug(conn, slug) is not None:
            raise DuplicateError(f"source {slug!r} already exists; see `recount source list`")
        created = utc_now()
        new_id = cases_store.insert_source(conn, slug, name.strip(), kind, created)
    return Source(new_id, slug, name.strip(), kind, created)


def list_sources(case: Case) -> list[Source]:
    with case.reading() as conn:
        return [Source(*row) for row in cases_store.sources_with_counts(conn)]


def get_source(conn: Connection, slug: str) -> Source:
    row = cases_store.source_by_slug(conn, slug)
    if row is None:
        known = cases_store.source_slugs(conn)
        hint = f"known sources: {', '.join(known)}" if known else "the case has no sources yet"
        raise NotFoundError(
            f"unknown source {slug!r} ({hint}); add it with "
            f"`recount source add {slug} --name .. --kind ..`"
        )
    return Source(*row)
