"""Families with no survivor and children who lost their parents, with the persons behind them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.families.counts import family_counts
from recount.families.derive import derive_relations
from recount.families.relations import add_relation
from recount.families.status import add_status
from tests.conftest import run_cli
from tests.families.helpers import HOUSEHOLD, imported, merge

# Three households at one event: all killed; killed but one missing; orphans of every kind.
EVENT_LIST = (
    "given_name,family_name,age,birth_year,fate,household_id,household_role\n"
    "Ali,Hasanov,40,,killed,h1,head\n"  # 1
    "Leyla,Hasanova,36,,killed,h1,spouse\n"  # 2
    "Samir,Hasanov,10,,killed,h1,child\n"  # 3
    "Rauf,Aliyev,50,,killed,h2,head\n"  # 4
    "Nigar,Aliyeva,45,,missing,h2,spouse\n"  # 5
    "Orkhan,Karimov,45,,killed,h3,head\n"  # 6
    "Sevda,Karimova,40,,killed,h3,spouse\n"  # 7
    "Tural,Karimov,12,,survived,h3,child\n"  # 8: lost both
    "Aysel,Karimova,,1976,,h3,child\n"  # 9: born 1976, 15 or 16 in 1992: lost both
    "Kamran,Karimov,30,,survived,h3,child\n"  # 10: an adult child: not counted
    "Elchin,Quliyev,50,,killed,h4,head\n"  # 11
    "Lale,Quliyeva,48,,survived,h4,spouse\n"  # 12
    "Vugar,Quliyev,,,survived,h4,child\n"  # 13: lost one, age unknown
    "Anar,Quliyev,17,,injured,h4,child\n"  # 14: lost one
    "Ilham,Mammadov,44,,missing,h5,head\n"  # 15
    "Zaur,Mammadov,9,,survived,h5,child\n"  # 16: a parent missing, none known dead
)


def _ids(items: list) -> list[int]:
    return [item.child.person_id if hasattr(item, "child") else item.id for item in items]


def _event_case(case: Case, tmp_path: Path) -> Case:
    imported(case, tmp_path, EVENT_LIST, event="khojaly")
    derive_relations(case)
    return case


def test_families_no_survivor_and_orphans(case: Case, tmp_path: Path) -> None:
    result = family_counts(_event_case(case, tmp_path), event="khojaly")
    assert result.families == 5
    assert _ids(result.no_survivor) == [1]
    assert [m.person_id for m in result.no_survivor[0].members] == [1, 2, 3]
    assert _ids(result.no_known_survivor) == [4]  # Nigar is missing: not "no survivor"
    assert _ids(result.lost_both) == [8, 9]
    assert _ids(result.lost_one) == [14]
    assert _ids(result.age_unknown) == [13]
    assert _ids(result.parent_fate_unknown) == [16]
    assert result.lost_both[1].age == "15-16"
    assert [p.person_id for p in result.lost_one[0].parents] == [11, 12]
    assert result.counts() == {
        "no_survivor": 1,
        "no_known_survivor": 1,
        "lost_both": 2,
        "lost_one": 1,
        "age_unknown": 1,
        "parent_fate_unknown": 1,
    }


def test_as_of_a_date_changes_the_counts(case: Case, tmp_path: Path) -> None:
    _event_case(case, tmp_path)
    add_status(case, "5", "remains identified", "2005-06-01")
    add_status(case, "15", "remains identified", "2005-06-01")
    before = family_counts(case, event="khojaly", as_of="2000")
    after = family_counts(case, event="khojaly", as_of="2010")
    assert (_ids(before.no_survivor), _ids(before.no_known_survivor)) == ([1], [4])
    assert (_ids(after.no_survivor), _ids(after.no_known_survivor)) == ([1, 4], [])
    assert (_ids(before.parent_fate_unknown), _ids(after.lost_one)) == ([16], [14, 16])
    assert before.as_of == "2000-12-31"


def test_disputed_fate_is_not_death(case: Case, tmp_path: Path) -> None:
    imported(
        case,
        tmp_path,
        "given_name,family_name,fate,household_id,household_role\n"
        "A,X,killed,h1,head\nB,X,killed,h1,spouse\n",
    )
    imported(
        case, tmp_path, "given_name,family_name,fate\nB,X,survived\n", source="ngo", name="ngo.csv"
    )
    derive_relations(case)
    assert _ids(family_counts(case).no_survivor) == [1]
    merge(case, absorbed=3, into=2)  # the NGO's survivor is the registry's B
    result = family_counts(case)
    assert (_ids(result.no_survivor), _ids(result.no_known_survivor)) == ([], [1])
    disputed = result.no_known_survivor[0].members[1]
    assert disputed.status == "disputed"
    assert {(c["source"], c["status"]) for c in disputed.conflicts} == {
        ("registry", "killed"),
        ("ngo", "survived"),
    }


def test_relations_follow_persons_into_counts_after_relinking(case: Case, tmp_path: Path) -> None:
    imported(
        case,
        tmp_path,
        "given_name,family_name,age,fate\nA,X,40,killed\nB,X,38,killed\nC,X,9,survived\n",
    )
    imported(
        case,
        tmp_path,
        "given_name,family_name,age,fate\nC,X,9,survived\n",
        source="ngo",
        name="ngo.csv",
    )
    add_relation(case, "1", "parent", "ngo:1")
    add_relation(case, "2", "parent", "registry:3")
    assert _ids(family_counts(case).lost_one) == [3, 4]
    merge(case, absorbed=4, into=3)
    result = family_counts(case)
    assert (_ids(result.lost_both), result.lost_one) == ([3], [])


def test_household_with_the_heads_parent(case: Case, tmp_path: Path) -> None:
    imported(case, tmp_path, HOUSEHOLD)
    derive_relations(case)
    result = family_counts(case)
    assert result.families == 1
    assert _ids(result.no_known_survivor) == []  # Samir and Kamal survived
    assert _ids(result.lost_both) == [3, 4]  # Aygun (4) is missing, kept with her status
    assert result.lost_both[1].child.status == "missing"


@pytest.mark.slow
def test_cli_families(case: Case, tmp_path: Path) -> None:
    _event_case(case, tmp_path)
    result = run_cli("families", "--event", "khojaly", case=case.root)
    assert result.returncode == 0, result.stderr
    assert "Families with no survivor (every member known dead): 1" in result.stdout
    assert (
        "P8 Karimov Tural (survived), age 12: parents P6 Karimov Orkhan (killed); "
        "P7 Karimova Sevda (killed)" in result.stdout
    )
    data = json.loads(run_cli("families", "--as-of", "1993", "--json", case=case.root).stdout)
    assert data["counts"]["lost_both"] == 2 and data["as_of"] == "1993-12-31"
    assert data["lost_both"][0]["child"]["name"] == "Karimov Tural"
    bad = run_cli("families", "--as-of", "soon", case=case.root)
    assert bad.returncode == 1 and "--as-of 'soon'" in bad.stderr
    unknown = run_cli("families", "--event", "nowhere", case=case.root)
    assert unknown.returncode == 1 and "unknown event" in unknown.stderr


def test_per_event_a_child_counts_through_itself_or_a_parent(case: Case, tmp_path: Path) -> None:
    imported(case, tmp_path, "given_name,family_name,age,fate\nA,X,40,killed\n", event="khojaly")
    imported(
        case,
        tmp_path,
        "given_name,family_name,age,fate\nB,X,70,survived\nC,Y,45,killed\nD,Y,8,survived\n",
        source="ngo",
        name="other.csv",
    )
    add_relation(case, "ngo:1", "parent", "1")  # B, outside the event, is A's parent
    add_relation(case, "ngo:1", "parent", "ngo:2")  # ... and C's, whose child D is
    add_relation(case, "ngo:2", "parent", "ngo:3")
    result = family_counts(case, event="khojaly")
    assert result.families == 1
    assert result.lost_one == []  # D's loss is not of this event
    assert _ids(family_counts(case).lost_one) == [4]
