"""A small case for event tests: two sources, three records, a war with a town inside it."""

from __future__ import annotations

from pathlib import Path

from recount.case.folder import Case, init_case
from recount.case.sources import add_source
from recount.events.event import add_event
from recount.ingest.importer import import_file
from tests.conftest import write_csv


def event_case(root: Path) -> Case:
    case = init_case(root / "case")
    add_source(case, "registry", "A registry", "government")
    add_source(case, "ngo", "An NGO", "ngo")
    import_file(
        case,
        "registry",
        write_csv(
            root / "registry.csv", "full_name,fate\nAli Hasanov,killed\nAshot Petrosyan,missing\n"
        ),
    )
    import_file(case, "ngo", write_csv(root / "ngo.csv", "full_name,fate\nHasanov Ali,killed\n"))
    add_event(case, "war", "The war", start="1991", end="1994-05")
    add_event(case, "town", "Attack on the town", place="Town", start="1992-02-26", parent="war")
    return case
