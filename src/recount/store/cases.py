"""A case as a whole: its sources and imports, the counts that summarise it, and what a backup
records of it (custody chain heads, the evidence objects its rows name).

Tables: ``sources``, ``imports``, ``records``, ``events``, ``custody_log``, ``evidence_items``,
``evidence_derived``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from recount.store.tables import (
    custody_log,
    events,
    evidence_derived,
    evidence_items,
    imports,
    records,
    sources,
)

# --- sources ---------------------------------------------------------------------------------


def source_id_by_slug(conn: Connection, slug: str) -> int | None:
    return conn.execute(select(sources.c.id).where(sources.c.slug == slug)).scalar()


def insert_source(conn: Connection, slug: str, name: str, kind: str, created_at: str) -> int:
    return conn.execute(
        insert(sources).values(slug=slug, name=name, kind=kind, created_at=created_at)
    ).inserted_primary_key[0]


def source_by_slug(conn: Connection, slug: str) -> tuple[Any, ...] | None:
    """(id, slug, name, kind, created_at), or None when no source has that slug."""
    row = conn.execute(
        select(
            sources.c.id, sources.c.slug, sources.c.name, sources.c.kind, sources.c.created_at
        ).where(sources.c.slug == slug)
    ).first()
    return None if row is None else tuple(row)


def source_slugs(conn: Connection) -> list[str]:
    """Every source's slug, in slug order."""
    return list(conn.execute(select(sources.c.slug).order_by(sources.c.slug)).scalars())


def sources_with_counts(conn: Connection) -> list[tuple[Any, ...]]:
    """(id, slug, name, kind, created_at, imports, records) of every source, in slug order."""
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
        select(
            sources.c.id,
            sources.c.slug,
            sources.c.name,
            sources.c.kind,
            sources.c.created_at,
            func.coalesce(import_counts.c.n, 0),
            func.coalesce(record_counts.c.n, 0),
        )
        .outerjoin(import_counts, import_counts.c.source_id == sources.c.id)
        .outerjoin(record_counts, record_counts.c.source_id == sources.c.id)
        .order_by(sources.c.slug)
    )
    return list(map(tuple, conn.execute(query)))


# --- imports ---------------------------------------------------------------------------------


def imports_with_source(conn: Connection) -> list[tuple[Any, ...]]:
    """(id, source slug, file_name, sha256, format, encoding, row_count, rejected_count,
    imported_at) of every import, in import order."""
    query = (
        select(
            imports.c.id,
            sources.c.slug,
            imports.c.file_name,
            imports.c.sha256,
            imports.c.format,
            imports.c.encoding,
            imports.c.row_count,
            imports.c.rejected_count,
            imports.c.imported_at,
        )
        .join(sources, sources.c.id == imports.c.source_id)
        .order_by(imports.c.id)
    )
    return list(map(tuple, conn.execute(query)))


def import_by_sha256(conn: Connection, sha256: str) -> dict[str, Any] | None:
    """The import of the file with that sha256 (id, file_name, imported_at, row_count, source
    slug), or None when it was never imported."""
    query = (
        select(
            imports.c.id,
            imports.c.file_name,
            imports.c.imported_at,
            imports.c.row_count,
            sources.c.slug.label("source"),
        )
        .join(sources, sources.c.id == imports.c.source_id)
        .where(imports.c.sha256 == sha256)
    )
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def insert_import(
    conn: Connection,
    *,
    source_id: int,
    file_name: str,
    sha256: str,
    size_bytes: int,
    format: str,
    encoding: str | None,
    delimiter: str | None,
    mapping: str,
    imported_at: str,
    recount_version: str,
    event_id: int | None,
) -> int:
    """A new import with no rows counted yet (``set_import_counts`` fills them in)."""
    return conn.execute(
        insert(imports).values(
            source_id=source_id,
            file_name=file_name,
            sha256=sha256,
            size_bytes=size_bytes,
            format=format,
            encoding=encoding,
            delimiter=delimiter,
            mapping=mapping,
            row_count=0,
            rejected_count=0,
            imported_at=imported_at,
            recount_version=recount_version,
            event_id=event_id,
        )
    ).inserted_primary_key[0]


def set_import_counts(
    conn: Connection, import_id: int, row_count: int, rejected_count: int
) -> None:
    conn.execute(
        update(imports)
        .where(imports.c.id == import_id)
        .values(row_count=row_count, rejected_count=rejected_count)
    )


# --- counts ----------------------------------------------------------------------------------


def record_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(records)).scalar_one()


def person_count(conn: Connection) -> int:
    """Persons that have records now: ids merged away by linkage stay reserved, uncounted."""
    return conn.execute(select(func.count(func.distinct(records.c.person_id)))).scalar_one()


def event_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(events)).scalar_one()


# --- what a backup records -------------------------------------------------------------------


def custody_chain_heads(conn: Connection) -> dict[str, str]:
    """Subject → the entry hash of the newest entry of its custody chain."""
    rows = conn.execute(
        select(custody_log.c.subject, custody_log.c.entry_hash).order_by(
            custody_log.c.subject, custody_log.c.seq
        )
    )
    return {subject: entry_hash for subject, entry_hash in rows}  # the last entry wins


def stored_object_hashes(conn: Connection) -> list[str]:
    """The sha256 of every evidence object an item names (each once, in no order)."""
    return list(conn.execute(select(evidence_items.c.stored_sha256).distinct()).scalars())


def derived_copy_hashes(conn: Connection) -> list[str]:
    """The sha256 of every derived copy (thumbnail, text) of an item (each once, in no order)."""
    return list(conn.execute(select(evidence_derived.c.sha256).distinct()).scalars())
