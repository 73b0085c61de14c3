"""A claim: a figure that a source states, kept with its qualifier and whom it is attributed to.

A figure is never reduced to one number. It is stored as the source gave it — ``count`` (the
number written), ``qualifier`` and, where the words bound it, ``low``/``high`` — so that "at least
400", "over 1,000" and "between 200 and 300" keep their meaning. The bounds follow from the
qualifier and are what comparisons use (``bounds``):

==========  ==========  =======  =======
qualifier   count       low      high
==========  ==========  =======  =======
exact       N           N        N
about       N           (none)   (none)
at least    N           N        (none)
over        N           N + 1    (none)
up to       N           (none)   N
fewer than  N           (none)   N − 1
range       (none)      a        b
==========  ==========  =======  =======

``source`` is who published the claim (the report, the ministry, the newspaper);
``attributed_to`` is whom that source attributes the figure to ("according to the prosecutor's
office"), or ``None`` when the source speaks in its own voice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from recount.errors import InvalidValueError
from recount.vocabulary import CLAIM_KINDS, QUALIFIERS, check


@dataclass(frozen=True)
class Figure:
    count: int | None
    low: int | None
    high: int | None
    qualifier: str

    def label(self) -> str:
        """The figure as a reader would say it: "at least 400", "200–300"."""
        if self.qualifier == "range":
            return f"{self.low:,}–{self.high:,}"
        number = f"{self.count:,}"
        return number if self.qualifier == "exact" else f"{self.qualifier} {number}"


def make_figure(
    qualifier: str, count: int | None = None, low: int | None = None, high: int | None = None
) -> Figure:
    """The figure with the bounds its qualifier implies; refuses figures that contradict it."""
    qualifier = check(qualifier, QUALIFIERS, "qualifier")
    for name, value in (("count", count), ("low", low), ("high", high)):
        if value is not None and value < 0:
            raise InvalidValueError(f"{name} {value} is negative; a figure counts people")
    if qualifier == "range":
        if low is None or high is None:
            raise InvalidValueError("a range needs both --low and --high")
        if low > high:
            raise InvalidValueError(f"range {low}–{high}: low is above high")
        return Figure(None, low, high, qualifier)
    if count is None:
        raise InvalidValueError(f"a figure qualified {qualifier!r} needs --count")
    implied = {
        "exact": (count, count),
        "about": (None, None),
        "at least": (count, None),
        "over": (count + 1, None),
        "up to": (None, count),
        "fewer than": (None, max(count - 1, 0)),
    }[qualifier]
    return Figure(count, *implied, qualifier)


@dataclass(frozen=True)
class Claim:
    id: int
    event: str | None
    kind: str
    group: str | None
    count: int | None
    low: int | None
    high: int | None
    qualifier: str
    place: str | None
    date_low: str | None
    date_high: str | None
    date_precision: str | None
    source: str | None
    attributed_to: str | None
    quote: str | None
    evidence_item_id: int | None
    origin: str
    status: str
    created_by: str
    created_at: str
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    note: str | None = None

    @property
    def figure(self) -> Figure:
        return Figure(self.count, self.low, self.high, self.qualifier)

    @property
    def date(self) -> str | None:
        """The date as given: one value at its precision, or ``low..high`` for a range."""
        if self.date_low is None and self.date_high is None:
            return None
        if self.date_precision == "range":
            return f"{self.date_low or ''}..{self.date_high or ''}"
        return _at_precision(self.date_low or self.date_high or "", self.date_precision)

    @property
    def speaker(self) -> str:
        """Who says it, in words: "X (per S)", "S", or "unattributed"."""
        if self.attributed_to and self.source:
            return f"{self.attributed_to} (per {self.source})"
        return self.attributed_to or self.source or "unattributed"

    def to_dict(self) -> dict:
        found = asdict(self)
        found.update(date=self.date, figure=self.figure.label(), speaker=self.speaker)
        return found


def _at_precision(iso: str, precision: str | None) -> str:
    return {"year": iso[:4], "month": iso[:7]}.get(precision or "day", iso)


def check_kind(kind: str) -> str:
    return check(kind, CLAIM_KINDS, "claim kind")
