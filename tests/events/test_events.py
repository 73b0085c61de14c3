"""Events: date and place precision, parents without cycles, links that cannot contradict."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.errors import DuplicateError, InvalidValueError, NotFoundError
from recount.events.event import add_event, edit_event, list_events
from recount.events.links import link_events
from recount.events.timeline import describe_event, timeline
from tests.events.helpers import event_case


@pytest.fixture
def case(tmp_path: Path, database_url: str | None) -> Iterator[Case]:
    opened = event_case(tmp_path, database_url)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("1992-02-26", None, ("1992-02-26", "1992-02-26", "day", "1992-02-26")),
        ("1992-02", None, ("1992-02-01", "1992-02-29", "month", "1992-02")),
        ("1992", "1992", ("1992-01-01", "1992-12-31", "year", "1992")),
        (
            "1992-02-25",
            "1992-02-26",
            ("1992-02-25", "1992-02-26", "range", "1992-02-25/1992-02-26"),
        ),
        (None, None, (None, None, None, None)),
    ],
)
def test_date_precision_comes_from_start_and_end(
    case: Case, start: str | None, end: str | None, expected: tuple
) -> None:
    event = add_event(case, "e", "E", start=start, end=end)
    assert (event.date_low, event.date_high, event.date_precision, event.when) == expected


def test_place_precision_and_coordinates_are_kept_and_checked(case: Case) -> None:
    event = add_event(
        case,
        "e",
        "E",
        place="Village A",
        place_precision="district",
        latitude=39.9,
        longitude=46.8,
        description="Shelling of the village",
    )
    assert (event.place_precision, event.latitude, event.longitude) == ("district", 39.9, 46.8)
    for kwargs, message in [
        (dict(place_precision="street"), "place precision 'street'"),
        (dict(latitude=91.0, longitude=0.0), "--latitude 91.0"),
        (dict(latitude=0.0, longitude=-181.0), "--longitude -181.0"),
        (dict(latitude=10.0), "both --latitude and --longitude"),
    ]:
        with pytest.raises(InvalidValueError, match=message):
            add_event(case, "f", "F", **kwargs)
    assert [e.slug for e in list_events(case) if e.slug == "f"] == []


def test_a_parent_cycle_is_refused(case: Case) -> None:
    add_event(case, "house", "House", parent="town")
    with pytest.raises(InvalidValueError, match="would make a cycle"):
        edit_event(case, "war", parent="house")  # war > town > house > war
    with pytest.raises(InvalidValueError, match="part of itself"):
        edit_event(case, "war", parent="war")
    assert describe_event(case, "war").parent is None
    moved = edit_event(case, "house", parent="war", place_precision="exact")
    assert moved.parent_id == describe_event(case, "war").event.id
    assert [c.slug for c in describe_event(case, "war").children] == ["town", "house"]


def test_a_link_is_stored_once_and_read_from_both_ends(case: Case) -> None:
    add_event(case, "siege", "Siege", start="1992-02")
    link = link_events(case, "siege", "precedes", "town", source="ngo", actor="analyst")
    assert (link.kind, link.other, link.stored, link.source, link.created_by) == (
        "precedes",
        "town",
        True,
        "ngo",
        "analyst",
    )
    town = describe_event(case, "town").links
    assert [(x.kind, x.other, x.stored, x.source) for x in town] == [
        ("follows", "siege", False, "ngo")
    ]
    with pytest.raises(DuplicateError):
        link_events(case, "town", "follows", "siege")  # the same link, said from the other end


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (("a", "precedes", "b"), ("b", "precedes", "a"), "'a' comes before 'b'"),
        (("a", "precedes", "b"), ("a", "follows", "b"), "'a' comes before 'b'"),
        (("a", "caused by", "b"), ("b", "caused by", "a"), "'b' comes before 'a'"),
        (("a", "part of", "b"), ("b", "part-of", "a"), "would make a cycle"),
        (("a", "part of", "b"), ("a", "precedes", "b"), "part of the other"),
    ],
)
def test_contradictory_links_are_refused(
    case: Case, first: tuple, second: tuple, message: str
) -> None:
    add_event(case, "a", "A")
    add_event(case, "b", "B")
    link_events(case, *first)
    with pytest.raises(InvalidValueError, match=message):
        link_events(case, *second)
    assert len(describe_event(case, "a").links) == 1


def test_a_chain_of_links_cannot_close_into_a_loop(case: Case) -> None:
    for slug in "abc":
        add_event(case, slug, slug.upper())
    link_events(case, "a", "precedes", "b")
    link_events(case, "c", "follows", "b")
    with pytest.raises(InvalidValueError, match="'a' comes before 'c'"):
        link_events(case, "c", "precedes", "a")
    with pytest.raises(InvalidValueError, match="'a' comes before 'c'"):
        link_events(case, "a", "caused by", "c")  # a cause cannot come after its effect


def test_links_that_contradict_the_dates_or_name_no_event_are_refused(case: Case) -> None:
    add_event(case, "trial", "Trial", start="2010")
    with pytest.raises(InvalidValueError, match="contradicts the events' dates"):
        link_events(case, "trial", "precedes", "town")
    with pytest.raises(InvalidValueError, match="linked to itself"):
        link_events(case, "town", "precedes", "town")
    with pytest.raises(InvalidValueError, match="event link 'before' is not one of"):
        link_events(case, "town", "before", "trial")
    with pytest.raises(NotFoundError, match="unknown event 'nope'"):
        link_events(case, "town", "precedes", "nope")
    with pytest.raises(NotFoundError, match="unknown source 'press'"):
        link_events(case, "town", "precedes", "trial", source="press")
    assert describe_event(case, "town").links == []
    link_events(case, "trial", "caused-by", "town")
    assert [x.kind for x in describe_event(case, "town").links] == ["led to"]


def test_the_timeline_orders_by_date_with_undated_last(case: Case) -> None:
    add_event(case, "talks", "Talks")
    add_event(case, "siege", "Siege", start="1992-02")
    add_event(case, "day", "A day in the siege", start="1992-02-01")
    order = [(e.position, e.event.slug, e.event.when) for e in timeline(case)]
    assert order == [
        (1, "war", "1991-01-01/1994-05-31"),
        (2, "day", "1992-02-01"),
        (3, "siege", "1992-02"),
        (4, "town", "1992-02-26"),
        (None, "talks", None),
    ]
    town = describe_event(case, "town")
    assert (town.position, town.dated_events, town.previous, town.next) == (4, 4, "siege", None)
    talks = describe_event(case, "talks")
    assert (talks.position, talks.previous, talks.next) == (None, None, None)
