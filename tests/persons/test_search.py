"""Finding persons by any spelling in any script, by fate and by status now, on both engines."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from recount.case.folder import Case
from recount.ingest.importer import import_file
from recount.persons.index import ensure_index
from recount.persons.search import PersonFilter, search_persons
from tests.conftest import write_csv

REGISTRY = (
    "given_name,family_name,age,fate\n"
    "Ivan,Ivanov,40,killed\n"
    "Pyotr,Petrov,30,missing\n"
    "Anna,Ivanova,12,killed\n"
)
NGO = "given_name,family_name,age,fate\nИван,Иванов,41,killed\nOleg,Sidorov,50,survived\n"


def _case_with_lists(case: Case, tmp_path: Path) -> Case:
    import_file(case, "registry", write_csv(tmp_path / "registry.csv", REGISTRY))
    import_file(case, "ngo", write_csv(tmp_path / "ngo.csv", NGO))
    return case


def _names(case: Case, where: PersonFilter) -> list[str]:
    found = search_persons(case, where, per_page=500)
    assert found.total == len(found.persons)
    return sorted(name for p in found.persons for name in p["names"])


def test_names_are_found_across_scripts_and_by_prefix(case: Case, tmp_path: Path) -> None:
    _case_with_lists(case, tmp_path)
    assert ensure_index(case) == 5
    assert ensure_index(case) == 0  # nothing new: the index only grows with the records
    ivanovs = ["Ivanov Ivan", "Ivanova Anna", "Иванов Иван"]
    assert _names(case, PersonFilter(q="Иванов")) == ivanovs  # and every name it begins
    assert _names(case, PersonFilter(q="ivan")) == ivanovs
    assert _names(case, PersonFilter(q="Иванова")) == ["Ivanova Anna"]
    assert _names(case, PersonFilter(q="Iwanow")) == ["Ivanov Ivan", "Иванов Иван"]  # by key
    assert _names(case, PersonFilter(q="Сидоров")) == ["Sidorov Oleg"]
    assert _names(case, PersonFilter(q="Petr")) == ["Petrov Pyotr"]
    assert _names(case, PersonFilter(q="Pjotr")) == ["Petrov Pyotr"]
    assert _names(case, PersonFilter(q="Ivanov Anna")) == ["Ivanova Anna"]
    assert _names(case, PersonFilter(q="Smirnov")) == []
    assert _names(case, PersonFilter(q="!!!")) == []  # no letters: nothing matches


def test_filters_by_fate_source_group_and_status_now(case: Case, tmp_path: Path) -> None:
    _case_with_lists(case, tmp_path)
    ensure_index(case)
    killed = ["Ivanov Ivan", "Ivanova Anna", "Иванов Иван"]
    assert _names(case, PersonFilter(fate="killed")) == killed
    assert _names(case, PersonFilter(status="killed")) == killed
    assert _names(case, PersonFilter(status="missing")) == ["Petrov Pyotr"]
    assert _names(case, PersonFilter(source="ngo", fate="killed")) == ["Иванов Иван"]
    assert _names(case, PersonFilter(group="children")) == ["Ivanova Anna"]
    page = search_persons(case, PersonFilter(), page=2, per_page=2)
    assert (page.total, page.pages, len(page.persons)) == (5, 3, 2)


def test_indexing_from_several_threads_at_once_indexes_each_record_once(
    case: Case, tmp_path: Path
) -> None:
    _case_with_lists(case, tmp_path)
    with ThreadPoolExecutor(4) as pool:
        added = list(pool.map(lambda _: ensure_index(case), range(4)))
    assert sorted(added) == [0, 0, 0, 5]
    assert _names(case, PersonFilter(q="Sidorov")) == ["Sidorov Oleg"]
