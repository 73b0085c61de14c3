"""Acts (who did what to whom), actors, legal instruments and interventions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from recount.case.folder import Case
from recount.errors import DuplicateError, InvalidValueError, NotFoundError
from recount.events.actors import list_actors
from recount.events.acts import Perpetrator, add_act, get_act, list_acts
from recount.events.instruments import add_instrument, list_instruments
from recount.events.interventions import add_intervention, list_interventions
from recount.events.timeline import describe_event
from recount.store.tables import actors, acts, records
from tests.events.helpers import event_case


@pytest.fixture
def case(tmp_path: Path, database_url: str | None) -> Iterator[Case]:
    opened = event_case(tmp_path, database_url)
    yield opened
    opened.close()


def _count(case: Case, table) -> int:
    with case.reading() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_an_act_names_victim_perpetrators_degrees_source_and_instruments(case: Case) -> None:
    act = add_act(
        case,
        "town",
        "Killing",
        "registry:1",
        [
            Perpetrator("3rd Battalion", "group", "gave orders"),
            Perpetrator("Commander X", "person", "directly-carried-out"),
        ],
        source="ngo",
        date="1992-02-26",
        place="Town, north quarter",
        instruments=["geneva-1949", "iccpr"],
        note="two witnesses",
        actor="analyst",
    )
    assert act.to_dict() | {"created_at": "-"} == {
        "id": act.id,
        "event": "town",
        "act_type": "killing",
        "victim_record_id": 1,
        "victim": "registry:1",
        "person_id": 1,
        "victim_name": "Ali Hasanov",
        "date_low": "1992-02-26",
        "date_high": "1992-02-26",
        "date_precision": "day",
        "place": "Town, north quarter",
        "source": "ngo",
        "note": "two witnesses",
        "created_by": "analyst",
        "created_at": "-",
        "perpetrators": [
            {"name": "3rd Battalion", "kind": "group", "degree": "gave orders"},
            {"name": "Commander X", "kind": "person", "degree": "directly carried out"},
        ],
        "instruments": ["geneva-1949", "iccpr"],
    }
    assert get_act(case, act.id) == act


def test_actors_are_created_once_and_reused_by_name(case: Case) -> None:
    add_act(case, "town", "killing", "1", [Perpetrator("3rd Battalion", "group")])
    second = add_act(case, "town", "injury", "P2", [Perpetrator("3rd  battalion")])
    assert second.perpetrators == [{"name": "3rd Battalion", "kind": "group", "degree": "unknown"}]
    assert [(a.name, a.kind, a.acts) for a in list_actors(case)] == [("3rd Battalion", "group", 2)]
    with pytest.raises(InvalidValueError, match="recorded as a group, not a person"):
        add_act(case, "town", "killing", "1", [Perpetrator("3rd Battalion", "person")])
    with pytest.raises(InvalidValueError, match="say whether it is a person or a group"):
        add_act(case, "town", "killing", "1", [Perpetrator("Unit 7")])
    assert _count(case, acts) == 2 and _count(case, actors) == 1
    # Beyond ASCII too, the same on both engines.
    add_act(case, "town", "killing", "1", [Perpetrator("Əliyev Brigade", "group")])
    third = add_act(case, "town", "injury", "1", [Perpetrator("əLIYEV brigade")])
    assert third.perpetrators[0]["name"] == "Əliyev Brigade"
    assert _count(case, actors) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(act_type="shooting"), InvalidValueError, "act type 'shooting' is not one of"),
        (dict(victim="99"), NotFoundError, "no person 99"),
        (dict(victim="registry:9"), NotFoundError, "source 'registry' has no row 9"),
        (dict(victim="press:1"), NotFoundError, "unknown source 'press'"),
        (dict(victim="Ali"), InvalidValueError, "neither a person id"),
        (dict(event="nope"), NotFoundError, "unknown event 'nope'"),
        (dict(source="press"), NotFoundError, "unknown source 'press'"),
        (dict(date="1992-13-01"), InvalidValueError, "--date '1992-13-01'"),
        (dict(instruments=["rome"]), NotFoundError, "unknown instrument 'rome'"),
        (
            dict(perpetrators=[Perpetrator("X", "person", "ordered")]),
            InvalidValueError,
            "degree of involvement 'ordered'",
        ),
        (
            dict(perpetrators=[Perpetrator("X", "army")]),
            InvalidValueError,
            "perpetrator kind 'army'",
        ),
    ],
)
def test_bad_input_stores_nothing(case: Case, kwargs: dict, error: type, message: str) -> None:
    args = dict(event="town", act_type="killing", victim="registry:1") | kwargs
    with pytest.raises(error, match=message):
        add_act(case, **args)
    assert _count(case, acts) == 0 and _count(case, actors) == 0


def test_acts_follow_the_victim_when_persons_are_merged(case: Case) -> None:
    """ngo:1 is the same man as registry:1; when linkage merges them, his acts go with him."""
    first = add_act(case, "town", "killing", "registry:1")
    second = add_act(case, "town", "torture", "ngo:1")
    assert (first.person_id, second.person_id) == (1, 3)
    assert [a.id for a in list_acts(case, person="P3")] == [second.id]
    with case.writing() as conn:  # what a linkage run does when it merges two persons
        conn.execute(update(records).where(records.c.id == 3).values(person_id=1))
    merged = list_acts(case, person="1")
    assert [(a.id, a.person_id, a.victim) for a in merged] == [
        (first.id, 1, "registry:1"),
        (second.id, 1, "ngo:1"),
    ]
    assert [a.id for a in list_acts(case, person="ngo:1")] == [first.id, second.id]
    assert get_act(case, second.id).person_id == 1


def test_acts_by_event_and_counts_on_the_event(case: Case) -> None:
    add_act(case, "town", "killing", "registry:1")
    add_act(case, "town", "killing", "ngo:1")
    add_act(case, "war", "enforced disappearance", "registry:2")
    assert [a.act_type for a in list_acts(case, event="war")] == ["enforced disappearance"]
    town = describe_event(case, "town").to_dict()["acts"]
    assert (town["count"], town["by_type"]) == (2, {"killing": 2})


def test_the_instrument_list_is_seeded_and_editable(case: Case) -> None:
    assert [i.slug for i in list_instruments(case)] == [
        "geneva-1949",
        "genocide-convention",
        "cat",
        "crc",
        "iccpr",
    ]
    added = add_instrument(case, "rome-statute", "Rome Statute of the ICC")
    add_act(case, "town", "killing", "1", instruments=["rome-statute"])
    assert [(i.slug, i.acts) for i in list_instruments(case)][-1] == ("rome-statute", 1)
    assert added.name == "Rome Statute of the ICC"
    with pytest.raises(DuplicateError):
        add_instrument(case, "cat", "again")
    with pytest.raises(InvalidValueError, match="needs a name"):
        add_instrument(case, "x", " ")


def test_interventions_are_dated_sourced_and_listed_in_date_order(case: Case) -> None:
    later = add_intervention(
        case,
        "town",
        "court-decision",
        "Judgment in X v. State",
        party="European Court of Human Rights",
        date="2010-04-22",
        source="ngo",
        actor="analyst",
    )
    add_intervention(case, "town", "campaign", "Call for an inquiry")
    earlier = add_intervention(
        case, "war", "Parliamentary Resolution", "Resolution 12", date="1993-03"
    )
    assert (later.kind, later.party, later.date_precision, later.source) == (
        "court decision",
        "European Court of Human Rights",
        "day",
        "ngo",
    )
    assert [i.title for i in list_interventions(case)] == [
        "Resolution 12",
        "Judgment in X v. State",
        "Call for an inquiry",
    ]
    assert [i.id for i in list_interventions(case, "war")] == [earlier.id]
    with pytest.raises(InvalidValueError, match="intervention kind 'ruling'"):
        add_intervention(case, "town", "ruling", "X")
    with pytest.raises(InvalidValueError, match="needs a title"):
        add_intervention(case, "town", "inquiry", "  ")
    assert len(describe_event(case, "town").interventions) == 2
