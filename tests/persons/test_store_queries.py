"""What the person search and the anchors ask of the store, where the other tests would not
notice a wrong query: every group's conditions, and record ids past one chunk of parameters."""

from __future__ import annotations

from pathlib import Path

from recount.case.folder import Case
from recount.ingest.importer import import_file
from recount.persons.anchors import persons_of
from recount.persons.search import GROUPS, PersonFilter, search_persons
from recount.store import dialect
from tests.conftest import write_csv

PEOPLE = (
    "given_name,family_name,sex,age\n"
    "Anna,Adult,F,30\n"
    "Boris,Adult,M,30\n"
    "Clara,Child,F,10\n"
    "Dmitri,Elder,M,70\n"
    "Eva,Elder,F,65\n"
    "Fyodor,Unknown,U,\n"
)


def test_every_group_finds_its_persons(case: Case, tmp_path: Path) -> None:
    import_file(case, "registry", write_csv(tmp_path / "people.csv", PEOPLE))
    found = {
        group: sorted(
            name
            for p in search_persons(case, PersonFilter(group=group), per_page=500).persons
            for name in p["names"]
        )
        for group in GROUPS
    }
    assert found == {
        "women": ["Adult Anna", "Elder Eva"],
        "men": ["Adult Boris", "Elder Dmitri"],
        "children": ["Child Clara"],
        "elderly": ["Elder Dmitri", "Elder Eva"],
    }


def test_persons_of_reads_more_records_than_one_statement_takes(case: Case, tmp_path: Path) -> None:
    count = dialect.IDS_PER_STATEMENT + 20
    rows = "".join(f"Name{i},Family,F,30\n" for i in range(count))
    import_file(
        case,
        "registry",
        write_csv(tmp_path / "many.csv", "given_name,family_name,sex,age\n" + rows),
    )
    with case.reading() as conn:
        found = persons_of(conn, [*range(1, 5 * count), 1, 2])  # unknown ids and repeats too
    assert len(found) == count
    assert len(set(found.values())) == count  # one person per record, until linkage
