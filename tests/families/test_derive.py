"""Relations derived from imported lists: households with roles, fathers' and mothers' names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.families.derive import derive_relations
from recount.families.relations import list_relations
from tests.conftest import run_cli
from tests.families.helpers import HOUSEHOLD, imported


def _links(case: Case) -> set[tuple[int, str, int]]:
    found = set()
    for r in list_relations(case):
        a, b = r.person_id, r.other_person_id
        found.add((a, r.kind, b) if r.kind == "parent" else (min(a, b), r.kind, max(a, b)))
    return found


def test_household_roles(case: Case, tmp_path: Path) -> None:
    imported(case, tmp_path, HOUSEHOLD)
    result = derive_relations(case)
    assert _links(case) == {
        (1, "spouse", 2),  # head and wife
        (1, "parent", 3),
        (2, "parent", 3),  # head and the one spouse: parents of children
        (1, "parent", 4),
        (2, "parent", 4),
        (3, "sibling", 4),  # children are siblings
        (5, "parent", 1),
        (5, "parent", 6),  # the head's mother: also his brother's
        (1, "sibling", 6),  # the head's brother
    }  # "other" (7) is related to no one
    assert result.added == {"household": 9}
    assert {r.origin for r in list_relations(case)} == {"household"}
    assert result.skipped == []


def test_household_without_one_head_or_with_unknown_roles(case: Case, tmp_path: Path) -> None:
    imported(
        case,
        tmp_path,
        "given_name,family_name,household_id,household_role\n"
        "A,X,h1,head\nB,X,h1,head\nC,X,h1,child\n"
        "D,Y,h2,head\nE,Y,h2,cousin\nF,Y,h2,child\n"
        "G,Z,h3,head\nH,Z,h3,spouse\nI,Z,h3,spouse\nJ,Z,h3,child\n",
    )
    result = derive_relations(case)
    assert _links(case) == {(4, "parent", 6), (7, "spouse", 8), (7, "spouse", 9), (7, "parent", 10)}
    reasons = {s["record"]: s["reason"] for s in result.skipped}
    assert "has 2 heads" in reasons["registry:1"]
    assert "role 'cousin' is not one of" in reasons["registry:5"]
    assert "2 spouses; children are linked to the head only" in reasons["registry:7"]


FATHERS = (
    "given_name,family_name,age,sex,place,father_name,mother_name\n"
    "Rauf,Aliyev,50,M,Town,,\n"  # 1: the only Rauf Aliyev
    "Vugar,Aliyev,12,M,Town,Rauf,\n"  # 2: one candidate
    "Elchin,Quliyev,45,M,Town,,\n"  # 3
    "Elchin,Quliyev,47,M,Town,,\n"  # 4: two candidates for 5
    "Tural,Quliyev,15,M,Town,Elchin,\n"  # 5
    "Anar,Karimov,14,M,Town,Ilham,\n"  # 6: no Ilham Karimov at all
    "Ilgar,Aliyev,45,M,Village,,\n"  # 7: another place
    "Samir,Aliyev,10,M,Village,Rauf,\n"  # 8: Rauf lives elsewhere
    "Nigar,Aliyev,45,F,Town,,\n"  # 9
    "Lala,Aliyev,30,F,Town,Rauf,Nigar\n"  # 10: father and mother both fit
    "Rauf,Aliyev,48,F,Town,,\n"
)  # 11: a woman: never the father


def test_fathers_and_mothers_names(case: Case, tmp_path: Path) -> None:
    imported(case, tmp_path, FATHERS)
    result = derive_relations(case)
    assert _links(case) == {(1, "parent", 2), (1, "parent", 10), (9, "parent", 10)}
    assert result.added == {"father-name": 2, "mother-name": 1}
    reasons = {s["record"]: s["reason"] for s in result.skipped}
    assert reasons["registry:5"] == (
        "father's name 'Elchin': 2 candidates (registry:3, registry:4)"
    )
    assert reasons["registry:6"] == "father's name 'Ilham': no candidate"
    assert reasons["registry:8"] == "father's name 'Rauf': no candidate"


def test_parents_must_be_twelve_years_older(case: Case, tmp_path: Path) -> None:
    imported(
        case,
        tmp_path,
        "given_name,family_name,age,birth_year,father_name\n"
        "Rauf,Aliyev,25,,\nVugar,Aliyev,14,,Rauf\n"
        "Ilham,Karimov,,1960,\nAnar,Karimov,,1970,Ilham\n",
    )
    result = derive_relations(case)
    assert list_relations(case) == []
    assert [s["reason"] for s in result.skipped] == [
        "father's name 'Rauf': no candidate",
        "father's name 'Ilham': no candidate",
    ]


def test_names_compare_across_scripts(case: Case, tmp_path: Path) -> None:
    imported(
        case, tmp_path, "given_name,family_name,father_name\nMəmməd,Əliyev,\nVüqar,Əliyev,Mammad\n"
    )
    derive_relations(case)
    assert _links(case) == {(1, "parent", 2)}


def test_deriving_twice_adds_nothing(case: Case, tmp_path: Path) -> None:
    imported(case, tmp_path, HOUSEHOLD)
    first = derive_relations(case)
    second = derive_relations(case)
    assert sum(second.added.values()) == 0
    assert second.already == sum(first.added.values())
    assert len(list_relations(case)) == 9


def test_one_source_or_one_import(case: Case, tmp_path: Path) -> None:
    imported(case, tmp_path, HOUSEHOLD)
    imported(case, tmp_path, FATHERS, source="ngo", name="ngo.csv")
    assert derive_relations(case, source="ngo").added == {"father-name": 2, "mother-name": 1}
    assert derive_relations(case, import_id=1).added == {"household": 9}


def test_two_records_of_one_person_are_never_related(case: Case, tmp_path: Path) -> None:
    imported(
        case,
        tmp_path,
        "given_name,family_name,household_id,household_role\nA,X,h1,head\nB,X,h1,spouse\n",
    )
    from tests.families.helpers import merge

    merge(case, absorbed=2, into=1)
    result = derive_relations(case)
    assert list_relations(case) == []
    assert "themselves" in result.skipped[0]["reason"]


@pytest.mark.slow
def test_cli_derive(case: Case, tmp_path: Path) -> None:
    imported(case, tmp_path, FATHERS)
    result = run_cli("relation", "derive", "--source", "registry", case=case.root)
    assert result.returncode == 0, result.stderr
    assert "3 added (2 from father-name, 1 from mother-name), 0 already recorded" in result.stdout
    again = json.loads(run_cli("relation", "derive", "--json", case=case.root).stdout)
    assert (again["added"], again["already"]) == ({}, 3)
    missing = run_cli("relation", "derive", "--import", "9", case=case.root)
    assert missing.returncode == 1 and "no import 9" in missing.stderr
