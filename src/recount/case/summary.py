"""A case at a glance: counts by source and import, for `recount status` and the demo."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from recount.case.folder import Case
from recount.case.sources import Source, list_sources
from recount.store.tables import events, imports, records, sources


@dataclass
class ImportSummary:
    id: int
    source: str
    file_name: str
    sha256: str
    format: str
    encoding: str | None
    row_count: int
    rejected_count: int
    imported_at: str


@dataclass
class CaseSummary:
    name: str
    path: str
    records: int
    persons: int
    events: int
    sources: list[Source] = field(default_factory=list)
    imports: list[ImportSummary] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def summarise(case: Case) -> CaseSummary:
    import_query = (
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
    with case.reading() as conn:
        counts = [
            conn.execute(select(func.count()).select_from(records)).scalar_one(),
            # Persons that have records now: ids merged away by linkage stay reserved.
            conn.execute(select(func.count(func.distinct(records.c.person_id)))).scalar_one(),
            conn.execute(select(func.count()).select_from(events)).scalar_one(),
        ]
        import_rows = [ImportSummary(*row) for row in conn.execute(import_query)]
    return CaseSummary(
        case.name, str(case.root), *counts, sources=list_sources(case), imports=import_rows
    )
