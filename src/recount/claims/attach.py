"""Which event a claim found in a text is about.

A text often mentions more than one event ("the 1988 pogrom", "the massacre of 26 February
1992"). A claim is attached to an event only when nothing in it contradicts the event, and a
claim whose own date or place points elsewhere is not attached to the event the user named:

* compatible — the claim's date interval overlaps the event's, and its place shares a word with
  the event's place; a side the claim or the event does not give is no evidence either way;
* the event named with ``--event`` is chosen when compatible; otherwise, or when none is named,
  the one event that the claim's date or place positively matches (the most specific, when an
  event and its sub-event both match);
* failing that, a claim dated after the named event (and not placed elsewhere) goes to the named
  event: texts date a figure by when it was stated ("the ministry said on 20 March"), and a
  figure stated after an event is most often about it; the reason says so;
* otherwise none, with the reason.

Unattached claims are saved all the same (``event`` empty), so a person can attach them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recount.events.event import Event
from recount.ingest.fields import DateValue

_WORD = re.compile(r"\w+")
_NOT_PLACE_WORDS = {"the", "of", "in", "near", "at", "and"}


@dataclass(frozen=True)
class Attachment:
    event: Event | None
    reason: str | None  # why not attached (or why not to the event asked for)


def choose_event(
    date: DateValue | None, place: str | None, events: list[Event], preferred: Event | None
) -> Attachment:
    if preferred is not None and _compatible(date, place, preferred):
        return Attachment(preferred, None)
    # The named event's parents (the war it is part of) would match a date it does not cover;
    # the user asked for the narrower event, so they do not compete with it.
    skip = _ancestors(preferred, events) if preferred is not None else set()
    positive = [
        e
        for e in events
        if e.id not in skip and _compatible(date, place, e) and _positive(date, place, e)
    ]
    specific = [e for e in positive if not any(other.parent_id == e.id for other in positive)]
    if len(specific) == 1:
        chosen = specific[0]
        why = (
            f"{_describe(date, place)} does not fit event {preferred.slug!r}; attached to "
            f"{chosen.slug!r}"
            if preferred is not None
            else None
        )
        return Attachment(chosen, why)
    if preferred is not None and _stated_after(date, place, preferred):
        return Attachment(
            preferred,
            f"{_describe(date, place)} is after event "
            f"{preferred.slug!r}: taken as when the figure was stated",
        )
    if preferred is not None:
        return Attachment(None, f"{_describe(date, place)} does not fit event {preferred.slug!r}")
    if not positive:
        return Attachment(None, "no event in the case matches its date or place")
    names = ", ".join(e.slug for e in specific)
    return Attachment(None, f"several events match ({names}); attach it by hand")


def _compatible(date: DateValue | None, place: str | None, event: Event) -> bool:
    return _dates_overlap(date, event) is not False and _places_share(place, event) is not False


def _ancestors(event: Event, events: list[Event]) -> set[int]:
    by_id = {e.id: e for e in events}
    found: set[int] = set()
    parent = event.parent_id
    while parent is not None and parent not in found:
        found.add(parent)
        parent = by_id[parent].parent_id if parent in by_id else None
    return found


def _stated_after(date: DateValue | None, place: str | None, event: Event) -> bool:
    return (
        date is not None
        and event.date_high is not None
        and date.low > event.date_high
        and _places_share(place, event) is not False
    )


def _positive(date: DateValue | None, place: str | None, event: Event) -> bool:
    return _dates_overlap(date, event) is True or _places_share(place, event) is True


def _dates_overlap(date: DateValue | None, event: Event) -> bool | None:
    if date is None or (event.date_low is None and event.date_high is None):
        return None
    low = event.date_low or "0000-01-01"
    high = event.date_high or "9999-12-31"
    return date.low <= high and low <= date.high


def _places_share(place: str | None, event: Event) -> bool | None:
    if not place or not event.place:
        return None
    return bool(_place_words(place) & _place_words(event.place))


def _place_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in _NOT_PLACE_WORDS}


def _describe(date: DateValue | None, place: str | None) -> str:
    parts = []
    if date is not None:
        parts.append(
            f"date {date.low}" if date.low == date.high else f"date {date.low}..{date.high}"
        )
    if place:
        parts.append(f"place {place!r}")
    return "its " + " and ".join(parts) if parts else "it"
