"""Claims from English text: every figure about people harmed, with its kind, group, qualifier,
place, date and the source the text attributes it to.

    from recount.claims.extract import extract_claims
    for claim in extract_claims(text):
        print(claim.to_dict())

Rule-based and deterministic: a small vocabulary (vocabulary.py) and rules over sentences and
clauses, no model and no network. How it works, what it finds and skips, and how well it does
on hand-labelled texts: docs/claims-extraction.md.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass

from recount.claims import attribution, context, harm, numbers, sentences

log = logging.getLogger(__name__)

QUALIFIERS = ("exact", "at least", "over", "about", "up to", "fewer than", "range")


@dataclass(frozen=True)
class ExtractedClaim:
    """One figure as the text states it. Bounds, by qualifier:

    exact N: count=low=high=N; at least N and over N: count=low=N, high=None;
    about N: count=N, low=high=None; up to N and fewer than N: count=high=N, low=None;
    range a-b: count=None, low=a, high=b; a vague word ("hundreds"): qualifier "at least",
    count=None, low = the least the word means (200), high=None.
    """

    quote: str  # the sentence the figure came from, verbatim
    count: int | None
    low: int | None
    high: int | None
    qualifier: str  # exact, at least, over, about, up to, fewer than, range
    kind: str  # killed, injured, detained, missing, displaced, orphaned, other
    group: str | None  # civilians, women, children, ...; None = people unspecified
    attributed_to: str | None  # the named source; None = the text's own voice
    place: str | None
    date: str | None  # ISO 8601 at the precision given; "a/b" for a span
    start: int  # offsets of the figure (qualifier included) in the text
    end: int
    figure: str = ""  # text[start:end], e.g. "over 600", "hundreds"
    place_scope: str | None = None  # where the place came from: sentence, paragraph, text
    date_scope: str | None = None  # likewise for the date

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _scoped(
    mentions: list[context.Mention], clause: tuple[int, int], start: int, end: int, text: str = ""
) -> tuple[str | None, str | None]:
    if text:
        mentions = _own_segment(mentions, clause, start, text)
    in_clause = [m for m in mentions if clause[0] <= m.start < clause[1]]
    best = context.nearest(in_clause, start, end) or context.nearest(mentions, start, end)
    return (best.value, "sentence") if best else (None, None)


# "X said that A, and that B": a place or date inside the second "that" clause is B's alone.
THAT_CLAUSE = re.compile(r",?\s+and\s+that\b")


def _own_segment(
    mentions: list[context.Mention], clause: tuple[int, int], start: int, text: str
) -> list[context.Mention]:
    """Drop mentions that sit in another coordinated "and that" clause than the figure's."""
    cuts = [clause[0] + m.start() for m in THAT_CLAUSE.finditer(text[clause[0] : clause[1]])]
    if not cuts:
        return mentions

    def segment(position: int) -> int:
        return sum(position >= c for c in cuts) if clause[0] <= position < clause[1] else 0

    own = segment(start)
    return [
        m
        for m in mentions
        if segment(m.start) in (0, own) and not (own == 0 and segment(m.start) > 0)
    ]


def extract_claims(text: str) -> list[ExtractedClaim]:
    """Every figure about people harmed in `text`, in order of appearance."""
    claims: list[ExtractedClaim] = []
    memory = context.Memory()
    sources: list[str] = []
    for paragraph in sentences.split(text):
        for sentence in paragraph.sentences:
            body = sentence.text(text)
            dates, memory.year = context.find_dates(body, sentence.start, memory.year)
            places = context.find_places(body, sentence.start, memory.places)
            found = [_shift(n, sentence.start) for n in numbers.find_numbers(body)]
            clause_of = [_clause(sentence, n.core_start) for n in found]
            figures = harm.classify(text, found, clause_of)
            by_clause = {
                c: attribution.find_attributions(text, c.start, c.end) for c in sentence.clauses
            }
            for figure in figures:
                n = figure.number
                clause = _clause(sentence, n.core_start)
                chosen = attribution.choose(
                    next(v for c, v in by_clause.items() if (c.start, c.end) == clause),
                    n.core_start,
                )
                source = None
                if chosen is not None:
                    # "he" is the last source named, in this sentence too ("the governor put
                    # the toll at 19, and he said ...").
                    earlier = sources + [
                        a.source
                        for attributions in by_clause.values()
                        for a in attributions
                        if a.start < chosen.start
                    ]
                    source = attribution.resolve(chosen.source, earlier, text[: chosen.start])
                place, place_scope = _scoped(places, clause, n.start, n.end, text)
                # A clause that names its own place ("in Aster, ...; in Brovo, ... in 2014")
                # does not take a date from the sentence's other clauses.
                own = [d for d in dates if clause[0] <= d.start < clause[1]]
                own_place = any(clause[0] <= p.start < clause[1] for p in places)
                date, date_scope = _scoped(
                    own if own_place else dates, clause, n.start, n.end, text
                )
                if not place:
                    place, place_scope = memory.place_for(paragraph.index)
                if not date:
                    date, date_scope = memory.date_for(
                        paragraph.index, place if place_scope == "sentence" else None
                    )
                claims.append(
                    ExtractedClaim(
                        quote=body,
                        count=n.count,
                        low=n.low,
                        high=n.high,
                        qualifier=n.qualifier,
                        kind=figure.kind,
                        group=figure.group,
                        attributed_to=source,
                        place=place,
                        date=date,
                        start=n.start,
                        end=n.end,
                        figure=text[n.start : n.end],
                        place_scope=place_scope,
                        date_scope=date_scope,
                    )
                )
            for attributions in by_clause.values():
                sources.extend(
                    attribution.resolve(a.source, sources, text[: a.start]) for a in attributions
                )
            if figures or context.tells_of_violence(body):
                memory.observe(paragraph.index, places, dates)
    log.info("extracted %d claims from %d characters", len(claims), len(text))
    return claims


def _shift(n: numbers.NumberSpan, offset: int) -> numbers.NumberSpan:
    return numbers.NumberSpan(
        n.start + offset,
        n.end + offset,
        n.core_start + offset,
        n.core_end + offset,
        n.count,
        n.low,
        n.high,
        n.qualifier,
        n.vague,
        n.is_word,
    )


def _clause(sentence: sentences.Sentence, position: int) -> tuple[int, int]:
    for clause in sentence.clauses:
        if clause.start <= position < clause.end:
            return clause.start, clause.end
    return sentence.start, sentence.end
