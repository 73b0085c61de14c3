"""A case at a glance: counts by source and import, for `recount status` and the demo."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from recount.case.folder import Case
from recount.case.sources import Source, list_sources
from recount.store import cases as cases_store


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
    with case.reading() as conn:
        counts = [
            cases_store.record_count(conn),
            cases_store.person_count(conn),
            cases_store.event_count(conn),
        ]
        import_rows = [ImportSummary(*row) for row in cases_store.imports_with_source(conn)]
    return CaseSummary(
        case.name, str(case.root), *counts, sources=list_sources(case), imports=import_rows
    )
