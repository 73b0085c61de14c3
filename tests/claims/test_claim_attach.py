"""Which event a figure found in a text belongs to."""

from __future__ import annotations

from recount.claims.attach import Attachment, choose_event
from recount.claims.store import claim_date
from recount.events.event import Event


def _event(
    id_: int,
    slug: str,
    place: str | None,
    low: str | None,
    high: str | None,
    parent: int | None = None,
) -> Event:
    return Event(id_, slug, slug, place, low, high, "range", parent, "2026-01-01")


WAR = _event(1, "war", None, "1991-01-01", "1994-12-31")
VALLEY = _event(2, "valley-1994", "Vendara valley", "1994-03-10", "1994-03-13", parent=1)
MARKET = _event(3, "market-1991", "Oskelu", "1991-09-01", "1991-09-30", parent=1)
EVENTS = [WAR, VALLEY, MARKET]


def _choose(date: str | None, place: str | None, preferred: Event | None = None) -> Attachment:
    return choose_event(claim_date(date), place, EVENTS, preferred)


def test_the_named_event_is_kept_when_nothing_contradicts_it() -> None:
    assert _choose(None, None, VALLEY).event == VALLEY
    assert _choose("1994-03-11", "Vendara", VALLEY).event == VALLEY


def test_a_figure_dated_in_another_event_goes_to_that_event_with_the_reason() -> None:
    chosen = _choose("1991-09", None, VALLEY)
    assert chosen.event == MARKET
    assert chosen.reason is not None and "does not fit event 'valley-1994'" in chosen.reason


def test_the_most_specific_of_an_event_and_its_parent_is_chosen() -> None:
    assert _choose("1994-03-12", None).event == VALLEY
    assert _choose(None, "Oskelu").event == MARKET


def test_a_date_after_the_event_is_taken_as_when_the_figure_was_stated() -> None:
    chosen = _choose("1994-03-20", None, VALLEY)
    assert chosen.event == VALLEY and "taken as when the figure was stated" in chosen.reason
    assert _choose("1994-03-20", "Oskelu", VALLEY).event is None  # placed elsewhere


def test_nothing_is_attached_by_guesswork() -> None:
    assert _choose(None, None).event is None
    assert _choose("1980", None).reason == "no event in the case matches its date or place"
    assert _choose("1980", None, VALLEY).event is None
