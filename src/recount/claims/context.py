"""Places and dates named in a sentence, and the memory that carries them to later sentences.

A figure takes the place and date nearest to it in its own clause, then its sentence; failing
that, the last ones named earlier in its paragraph, then earlier in the text. Each claim says
which of these it used (`place_scope`, `date_scope`), so that a caller can refuse context-borne
values when a text tells of several events.

Dates are ISO 8601 with the precision the text gives: "1992-02-26", "1992-02", "1992", and
intervals "2014-08-18/2014-08-19" or "1991/1994" when the text gives a span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recount.claims.vocabulary import EVENT_RE, KIND_RE, MONTHS, WEEKDAYS

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
DATE_PATTERNS = [
    # 2–5 June 2021, between 2 and 5 June 2021, 18 and 19 August 2014
    re.compile(
        rf"\b(?P<d1>{_DAY})\s*(?:–|-|to|and)\s*(?P<d2>{_DAY})\s+(?P<m>{_MONTH})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?\b", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?P<m>{_MONTH})\s+(?P<d1>{_DAY})(?!\d|,\d{{3}})(?:,?\s+(?P<y>{_YEAR}))?\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<y1>{_YEAR})\s*(?:–|-|to|and)\s*(?P<y2>{_YEAR})\b"),
    # A bare year only where it dates something: "in 2014", "the 2010 siege".
    re.compile(
        rf"\b(?:in|since|during|of|by|until|from|early|late|mid-?)\s+(?P<y>{_YEAR})\b"
        rf"(?!\s*(?:register|report|census|budget|convention|conventions))",
        re.IGNORECASE,
    ),
    # A month alone takes the year in force: "in April", "at the end of April".
    re.compile(
        r"\b(?:in|during|by|until|since|from|through|early|late|mid-?|(?:at\s+)?the\s+"
        r"(?:end|beginning|start|middle)\s+of)\s+(?P<m>January|February|March|April|May|"
        r"June|July|August|September|October|November|December)\b"
        r"(?!\s*\d|,\s*(?:1[5-9]|20)\d\d\b)"
    ),
    re.compile(
        rf"\bthe\s+(?P<y>{_YEAR})\s+(?:siege|war|massacre|attacks?|bombings?|offensive|"
        r"conflict|events|killings|uprising|clashes|riots|genocide|shelling)\b",
        re.IGNORECASE,
    ),
]

_CAP = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}"
_GEO = (
    r"town|village|city|district|province|region|area|municipality|settlement|county|"
    r"hamlet|neighbourhood|neighborhood|suburb|camp|port|valley"
)
PLACE_PATTERNS = [
    # "the village of Aster", "the northern district of Selm": the most specific form.
    (0, re.compile(rf"\b(?:{_GEO})\s+of\s+(?P<p>{_CAP})")),
    # "the Oren Valley", "the Kessa Region"
    (
        1,
        re.compile(
            rf"\b(?:in|at|near|outside|around|across)\s+the\s+(?P<p>{_CAP}\s+"
            r"(?:Valley|Region|Province|District|Mountains|Hills|Plain|Strip|Basin|"
            r"Corridor|Delta|Gorge|Coast|Heights))\b"
        ),
    ),
    # "Khojaly massacre", "Ovrel district", "Kessa province"
    (1, re.compile(rf"\b(?P<p>{_CAP})\s+(?:massacre|siege|killings|{_GEO})\b")),
    (2, re.compile(rf"\b(?i:in|at|near|outside)\s+(?P<p>{_CAP})")),
]
# "said on 20 March", "told reporters on 5 May", "said in a statement on 3 June": the date of
# the statement, not of the events it reports.
STATEMENT_DATE = re.compile(
    r"\b(?:said|says|reported|stated|announced|added|wrote|confirmed|told(?:\s+[\w']+){1,3}?)"
    r"(?:\s+in\s+a\s+(?:statement|report|briefing|press\s+release))?\s+(?:late\s+|early\s+)?"
    r"on\s*$",
    re.IGNORECASE,
)
DATELINE = re.compile(r"^(?P<p>[A-Z][A-Z' -]{2,}[A-Z]),\s")
NOT_PLACES = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "its",
    "his",
    "her",
    "their",
    "our",
    "some",
    "all",
    "one",
    "response",
    "addition",
    "total",
    "court",
    "case",
    "summary",
}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    value: str
    rank: int = 1  # lower is more specific


def _iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _day(text: str | None) -> int | None:
    return int(re.sub(r"\D", "", text)) if text else None


def find_dates(text: str, offset: int, year: int | None) -> tuple[list[Mention], int | None]:
    """Dates in `text` (a sentence at `offset`); `year` completes "February 26". Returns the
    mentions and the year in force after this sentence."""
    candidates = sorted(
        (m.start(), rank, m)
        for rank, pattern in enumerate(DATE_PATTERNS)
        for m in pattern.finditer(text)
    )
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    # In text order, so that "in February 1992 ... February 26" completes the second date.
    for _, _, m in candidates:
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        groups = m.groupdict()
        if groups.get("y1"):
            value = f"{groups['y1']}/{groups['y2']}"
        else:
            y = int(groups["y"]) if groups.get("y") else year
            month = MONTHS[groups["m"].lower().rstrip(".")] if groups.get("m") else None
            d1, d2 = _day(groups.get("d1")), _day(groups.get("d2"))
            if y is None:
                continue
            value = _iso(y, month, d1) or ""
            if d2 and d1 and d2 > d1:
                value = f"{value}/{_iso(y, month, d2)}"
            if groups.get("y"):
                year = int(groups["y"])
        taken.append((m.start(), m.end()))
        if STATEMENT_DATE.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        found.append(Mention(offset + m.start(), offset + m.end(), value))
    return sorted(found, key=lambda f: f.start), year


def find_places(text: str, offset: int, known: set[str]) -> list[Mention]:
    """Places named in `text`: by pattern, by dateline, and any place named earlier."""
    found: list[Mention] = []
    m = DATELINE.match(text)
    if m:
        found.append(Mention(offset, offset + m.end("p"), m["p"].title(), 1))
    for rank, pattern in PLACE_PATTERNS:
        for m in pattern.finditer(text):
            name = re.sub(r"['’]s$", "", m["p"]).strip()
            # "Azerbaijan's Karabakh" -> "Karabakh"; "Commemorating Khojaly" -> "Khojaly".
            name = re.sub(r"^.*['’]s\s+", "", name)
            words = name.split()
            if len(words) > 1 and words[0].lower().endswith("ing"):
                words = words[1:]
            while words and (
                words[0].lower() in NOT_PLACES
                or words[0].lower() in MONTHS
                or words[0].lower() in WEEKDAYS
            ):
                words = words[1:]
            if not words:
                continue
            name = " ".join(words)
            start = offset + m.start("p") + m["p"].find(words[0])
            if not any(f.start <= start < f.end for f in found):
                found.append(Mention(start, start + len(name), name, rank))
    for name in known:
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            start = offset + m.start()
            if not any(f.start <= start < f.end for f in found):
                found.append(Mention(start, start + len(name), name, 2))
    return sorted(found, key=lambda f: f.start)


def nearest(mentions: list[Mention], start: int, end: int) -> Mention | None:
    """The most specific mention, nearest to [start, end) among equally specific ones."""
    if not mentions:
        return None
    return min(mentions, key=lambda m: (m.rank, min(abs(m.start - end), abs(start - m.end))))


def tells_of_violence(sentence: str) -> bool:
    lower = sentence.lower()
    return bool(EVENT_RE.search(sentence)) or any(p.search(lower) for _, p in KIND_RE)


@dataclass
class Memory:
    """What earlier sentences named: the running year, known places, and for each place the
    date last named with it (so "In Aster, ..." later finds Aster's date, not the last date)."""

    year: int | None = None
    places: set[str] = field(default_factory=set)
    last_place: tuple[int, str] | None = None  # (paragraph, place)
    last_date: tuple[int, str] | None = None  # (paragraph, date)
    place_of_last_date: str | None = None  # the place named with the last date, if any
    date_of_place: dict[str, str] = field(default_factory=dict)
    place_counts: dict[str, int] = field(default_factory=dict)

    def observe(self, paragraph: int, places: list[Mention], dates: list[Mention]) -> None:
        best = None
        if places:
            # The most specific place named ("the town of Khojaly in the Karabakh region").
            best = min(places, key=lambda p: (p.rank, -p.start)).value
            self.last_place = (paragraph, best)
            self.places.update(p.value for p in places)
            for place in {p.value for p in places}:
                self.place_counts[place] = self.place_counts.get(place, 0) + 1
        if dates:
            self.last_date = (paragraph, dates[-1].value)
            self.place_of_last_date = best
            for place in places:
                self.date_of_place[place.value] = dates[-1].value

    def place_for(self, paragraph: int) -> tuple[str | None, str | None]:
        """The place a figure with none of its own inherits, and from how far."""
        if self.last_place is None:
            return None, None
        if self.last_place[0] == paragraph:
            return self.last_place[1], "paragraph"
        # Beyond the paragraph, the place the text has told of most (latest among equals):
        # background paragraphs ("the Karabakh region") do not move the main event.
        top = max(self.place_counts.values())
        if self.place_counts.get(self.last_place[1]) == top:
            return self.last_place[1], "text"
        return max(self.place_counts, key=lambda p: self.place_counts[p]), "text"

    def date_for(self, paragraph: int, place: str | None) -> tuple[str | None, str | None]:
        """The date a figure with none of its own inherits (`place` is the place its own
        sentence names, if any).

        A place named again after another place's event ("In Aster, ..." after Brovo's
        paragraph) gets the date named with it; a place never named with a date, after another
        place's dated event, gets none (a forensic team in another town is another story).
        Otherwise the last date named carries on."""
        if place and self.place_of_last_date and self.place_of_last_date != place:
            if place in self.date_of_place:
                return self.date_of_place[place], "text"
            if self.last_date is None or self.last_date[0] != paragraph:
                return None, None
        if self.last_date is None:
            return None, None
        return self.last_date[1], "paragraph" if self.last_date[0] == paragraph else "text"
