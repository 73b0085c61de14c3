"""Cases with records for the family and status tests, built through the real importer."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from recount.case.folder import Case
from recount.events.event import add_event
from recount.ingest.importer import import_file
from recount.store.tables import records
from tests.conftest import write_csv

HOUSEHOLD = (
    "given_name,family_name,age,place,fate,household_id,household_role\n"
    "Ali,Hasanov,40,Town,killed,h1,head\n"  # registry:1
    "Leyla,Hasanova,36,Town,killed,h1,wife\n"  # registry:2
    "Samir,Hasanov,10,Town,survived,h1,son\n"  # registry:3
    "Aygun,Hasanova,8,Town,missing,h1,daughter\n"  # registry:4
    "Gulnar,Hasanova,70,Town,killed,h1,mother\n"  # registry:5
    "Kamal,Hasanov,38,Town,survived,h1,brother\n"  # registry:6
    "Zaur,Mammadov,30,Town,killed,h1,other\n"  # registry:7
)


def imported(
    case: Case,
    tmp_path: Path,
    text: str,
    source: str = "registry",
    event: str | None = None,
    name: str = "list.csv",
) -> Case:
    if event and event not in _events(case):
        add_event(case, event, event.title(), start="1992-02-26")
    import_file(case, source, write_csv(tmp_path / name, text), event=event)
    return case


def _events(case: Case) -> set[str]:
    from recount.events.event import list_events

    return {e.slug for e in list_events(case)}


def merge(case: Case, absorbed: int, into: int) -> None:
    """What a linkage run does when it finds two persons are one: records move to ``into``."""
    with case.writing() as conn:
        conn.execute(update(records).where(records.c.person_id == absorbed).values(person_id=into))
