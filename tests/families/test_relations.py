"""Relations by hand: kinds, refusals, listing, and following a person through re-linking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.errors import DuplicateError, InvalidValueError, NotFoundError
from recount.families.relations import add_relation, list_relations
from tests.conftest import run_cli, table_counts
from tests.families.helpers import imported, merge

PEOPLE = (
    "given_name,family_name,age\n"
    "Ali,Hasanov,40\nLeyla,Hasanova,36\nSamir,Hasanov,10\nNadir,Hasanov,60\n"
    "Ayla,Hasanova,58\nOrkhan,Quliyev,50\n"
)


@pytest.fixture
def people(case: Case, tmp_path: Path) -> Case:
    return imported(case, tmp_path, PEOPLE)


def test_parent_child_spouse_sibling(people: Case) -> None:
    parent = add_relation(people, "1", "parent", "P3", source="ngo", note="testimony")
    assert (parent.kind, parent.person_id, parent.other_person_id) == ("parent", 1, 3)
    assert (parent.record, parent.other_record, parent.source) == (
        "registry:1",
        "registry:3",
        "ngo",
    )
    child = add_relation(people, "registry:3", "child", "2")  # 3 is 2's child: 2 parent of 3
    assert (child.kind, child.person_id, child.other_person_id) == ("parent", 2, 3)
    assert add_relation(people, "1", "spouse", "2").kind == "spouse"
    assert add_relation(people, "4", "Sibling", "6", actor="alice").created_by == "alice"
    assert [r.id for r in list_relations(people, "3")] == [parent.id, child.id]
    assert len(list_relations(people)) == 4


@pytest.mark.parametrize(
    ("first", "kind", "other", "error", "words"),
    [
        ("1", "parent", "registry:1", InvalidValueError, "themselves"),
        ("1", "cousin", "2", InvalidValueError, "relation kind"),
        ("99", "parent", "2", NotFoundError, "no person 99"),
        ("1", "parent", "nowhere:1", NotFoundError, "unknown source"),
    ],
)
def test_bad_relations_are_refused(
    people: Case, first: str, kind: str, other: str, error: type, words: str
) -> None:
    with pytest.raises(error, match=words):
        add_relation(people, first, kind, other)


def test_duplicates_and_contradictions_are_refused(people: Case) -> None:
    add_relation(people, "1", "parent", "3")
    add_relation(people, "1", "spouse", "2")
    with pytest.raises(DuplicateError, match="already recorded"):
        add_relation(people, "3", "child", "1")  # the same fact, said the other way
    with pytest.raises(DuplicateError):
        add_relation(people, "2", "spouse", "1")
    with pytest.raises(InvalidValueError, match="already related"):
        add_relation(people, "3", "parent", "1")  # A parent of B and B parent of A
    with pytest.raises(InvalidValueError, match="already related"):
        add_relation(people, "1", "sibling", "3")
    add_relation(people, "2", "parent", "3")
    with pytest.raises(InvalidValueError, match="already has two parents"):
        add_relation(people, "6", "parent", "3")
    assert len(list_relations(people)) == 3


def test_a_relation_follows_the_person_through_a_merge(people: Case) -> None:
    add_relation(people, "1", "parent", "3")
    merge(people, absorbed=3, into=5)  # linkage finds that records of 3 and 5 are one person
    [relation] = list_relations(people, "5")
    assert (relation.person_id, relation.other_person_id) == (1, 5)
    with pytest.raises(DuplicateError):
        add_relation(people, "1", "parent", "registry:5")  # P5 is the same child now
    with pytest.raises(InvalidValueError, match="themselves"):
        add_relation(people, "5", "sibling", "registry:3")  # two records of one person


@pytest.mark.slow
def test_cli_add_list_and_errors(people: Case) -> None:
    result = run_cli("relation", "add", "1", "parent", "3", "--source", "ngo", case=people.root)
    assert result.returncode == 0, result.stderr
    assert "P1 Hasanov Ali is a parent of P3 Hasanov Samir" in result.stdout
    listed = json.loads(
        run_cli("relation", "list", "--person", "P3", "--json", case=people.root).stdout
    )
    assert [(r["person_id"], r["kind"], r["other_person_id"], r["origin"]) for r in listed] == [
        (1, "parent", 3, "hand")
    ]
    before = table_counts(people.root)
    bad = run_cli("relation", "add", "3", "parent", "1", case=people.root)
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1 and "already related" in bad.stderr
    assert table_counts(people.root) == before
    assert len(json.loads(run_cli("relation", "list", "--json", case=people.root).stdout)) == 1
