"""Sources: who provides information (a registry, an NGO, a newspaper, a court, a witness)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import DuplicateError, InvalidValueError, NotFoundError
from recount.store.tables import imports, records, sources
from recount.vocabulary import SOURCE_KINDS

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
        if conn.execute(select(sources.c.id).where(sources.c.slug == slug)).first():
            raise DuplicateError(f"source {slug!r} already exists; see `recount source list`")
        created = utc_now()
        new_id = conn.execute(
            insert(sources).values(slug=slug, name=name.strip(), kind=kind, created_at=created)
        ).inserted_primary_key[0]
    return Source(new_id, slug, name.strip(), kind, created)


def list_sources(case: Case) -> list[Source]:
    import_counts = (
        select(imports.c.source_id, func.count().label("n"))
        .group_by(imports.c.source_id)
        .subquery()
    )
    record_counts = (
        select(records.c.source_id, func.count().label("n"))
        .group_by(records.c.source_id)
        .subquery()
    )
    query = (
        select(sources, func.coalesce(import_counts.c.n, 0), func.coalesce(record_counts.c.n, 0))
        .outerjoin(import_counts, import_counts.c.source_id == sources.c.id)
        .outerjoin(record_counts, record_counts.c.source_id == sources.c.id)
        .order_by(sources.c.slug)
    )
    with case.reading() as conn:
        return [Source(*row) for row in conn.execute(query)]


def get_source(conn: Connection, slug: str) -> Source:
    row = conn.execute(select(sources).where(sources.c.slug == slug)).first()
    if row is None:
        known = conn.execute(select(sources.c.slug).order_by(sources.c.slug)).scalars().all()
        hint = f"known sources: {', '.join(known)}" if known else "the case has no sources yet"
        raise NotFoundError(
            f"unknown source {slug!r} ({hint}); add it with "
            f"`recount source add {slug} --name .. --kind ..`"
        )
    return Source(*row)
