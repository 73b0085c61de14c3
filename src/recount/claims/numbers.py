"""Find number expressions in English text: digits, number words, vague words, ranges, qualifiers.

This module knows nothing about people or harm; it only says where numbers are, what value or
bounds they state and with which qualifier. `harm.py` decides which of them are figures about
people harmed.

Bounds follow one rule set (documented in docs/claims-extraction.md):

    exact N        count=N     low=N     high=N
    at least N     count=N     low=N     high=None      (also "N+", "N or more", "no fewer than")
    over N         count=N     low=N     high=None      (strictly more; the qualifier says so)
    about N        count=N     low=None  high=None      (we do not invent an interval)
    up to N        count=N     low=None  high=N         (also "no more than", "does not exceed")
    fewer than N   count=N     low=None  high=N         (strictly fewer; the qualifier says so)
    range a-b      count=None  low=a     high=b
    vague word     count=None  low=L     high=None      qualifier "at least"; L = the least the
                   word can mean ("dozens" 24, "hundreds" 200, "thousands" 2,000)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recount.claims.vocabulary import MONTHS, QUALIFIER_PREFIXES

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
DOZEN = {"dozen": 12}

# Vague quantity words: the least each can mean as a plural ("hundreds" is at least two hundred).
# ACLED codes them lower (dozens = 12, hundreds = 100); we keep the literal floor and the quote.
VAGUE = [
    (r"hundreds\s+of\s+thousands", 200_000),
    (r"tens\s+of\s+thousands", 20_000),
    (r"(?:several|a\s+few)\s+hundred", 200),
    (r"(?:several|a\s+few)\s+thousand", 2_000),
    (r"(?:several|a\s+few)\s+dozen", 24),
    (r"hundreds", 200),
    (r"thousands", 2_000),
    (r"dozens", 24),
    (r"scores", 40),
    (r"millions", 2_000_000),
]
VAGUE_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<v{i}>{p})" for i, (p, _) in enumerate(VAGUE)) + r")\b", re.IGNORECASE
)

_WORD = "|".join(sorted([*UNITS, *SCALES, *DOZEN], key=len, reverse=True))
# A run of number words: "two hundred and fifty", "twenty-five", "a million", "half a million".
WORDS_RE = re.compile(
    rf"\b(?:(?:half\s+)?an?\s+(?={_WORD}))?(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*\b",
    re.IGNORECASE,
)
# Digits: "1,275", "1 275" (thin or plain space), "4 200", "2.5", then an optional scale word.
DIGITS_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|\d+(?:\.\d+)?)"
    r"(?P<scale>\s+(?:hundred|thousand|million|billion)\b)?",
    re.IGNORECASE,
)
RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|or)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberSpan:
    """A number expression: [start, end) covers qualifier and number, [core_start, core_end)
    the number alone."""

    start: int
    end: int
    core_start: int
    core_end: int
    count: int | None
    low: int | None
    high: int | None
    qualifier: str
    vague: bool = False
    is_word: bool = False  # written in words ("nine"), which never is a year or a code


def words_value(phrase: str) -> int | None:
    """Value of number words: "two hundred and fifty" -> 250, "a million" -> 1000000."""
    tokens = [t for t in re.split(r"[\s-]+", phrase.lower()) if t and t != "and"]
    half = tokens[:1] == ["half"]
    if half:
        tokens = tokens[1:]
    if tokens[:1] in (["a"], ["an"]):
        tokens[0] = "one"
    total, current = 0, 0
    for word in tokens:
        if word in UNITS:
            current += UNITS[word]
        elif word in DOZEN:
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in SCALES:
            total += max(current, 1) * SCALES[word]
            current = 0
        else:
            return None
    value = total + current
    return value // 2 if half else value


def _digits_value(num: str, scale: str | None) -> int | None:
    cleaned = re.sub(r"[,\s\u00a0\u202f]", "", num)
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if scale:
        value *= SCALES[scale.strip().lower()]
    # Fractions of people are not counts ("7.5 per cent" is skipped by the caller anyway).
    return int(value) if value == int(value) else None


def _atoms(text: str) -> list[tuple[int, int, int | None, bool]]:
    """Every plain number in `text` as (start, end, value, is_word), in order, no overlaps."""
    found: list[tuple[int, int, int | None, bool]] = []
    for m in DIGITS_RE.finditer(text):
        found.append((m.start(), m.end(), _digits_value(m["num"], m["scale"]), False))
    taken = [(s, e) for s, e, _, _ in found]
    for m in WORDS_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        phrase = m.group(0)
        # A lone "a"/"an" is not a number, and "one" is too often a pronoun to trust here;
        # `harm.py` accepts "one" only before a person noun.
        found.append((m.start(), m.end(), words_value(phrase), True))
    return sorted(found)


def _qualifier_before(text: str, start: int) -> tuple[str, int]:
    """The qualifier phrase just before `start` (quotes allowed between) and where it begins."""
    window = text[max(0, start - 40) : start]
    stripped = window.rstrip(" \"'“‘\u00a0")
    lowered = stripped.lower()
    for phrase, qualifier in QUALIFIER_PREFIXES:
        if lowered.endswith(phrase) and (
            len(lowered) == len(phrase) or not lowered[-len(phrase) - 1].isalnum()
        ):
            return qualifier, start - (len(window) - len(stripped)) - len(phrase)
    return "exact", start


def _qualifier_after(text: str, end: int) -> tuple[str | None, int]:
    m = re.match(r"\+|\s+or\s+more\b|\s+or\s+so\b", text[end : end + 10], re.IGNORECASE)
    if not m:
        return None, end
    return ("about" if "so" in m.group(0) else "at least"), end + m.end()


def bounds(qualifier: str, value: int) -> tuple[int | None, int | None, int | None]:
    """(count, low, high) for a single stated value under a qualifier (see the module doc)."""
    if qualifier == "exact":
        return value, value, value
    if qualifier in ("at least", "over"):
        return value, value, None
    if qualifier in ("up to", "fewer than"):
        return value, None, value
    return value, None, None


def find_numbers(text: str) -> list[NumberSpan]:
    """All number expressions in `text`, with ranges merged and qualifiers attached."""
    spans: list[NumberSpan] = []
    vague_spans = []
    for m in VAGUE_RE.finditer(text):
        index = next(i for i, g in enumerate(m.groups()) if g is not None)
        vague_spans.append((m.start(), m.end(), VAGUE[index][1]))
    atoms = [a for a in _atoms(text) if not any(s <= a[0] < e for s, e, _ in vague_spans)]
    i = 0
    while i < len(atoms):
        start, end, value, is_word = atoms[i]
        if value is None:
            i += 1
            continue
        # Ranges: "40 to 55", "45,000-60,000", "between 6,000 and 8,000", "from 2 to 91".
        if i + 1 < len(atoms) and atoms[i + 1][2] is not None:
            s2, e2, v2, w2 = atoms[i + 1]
            joiner = text[end:s2]
            before = text[max(0, start - 8) : start].lower()
            between = re.search(r"\bbetween\s+$", before) and re.fullmatch(
                r"\s+and\s+", joiner, re.IGNORECASE
            )
            from_to = re.search(r"\bfrom\s+$", before) and re.fullmatch(r"\s+to\s+", joiner)
            if (between or from_to or RANGE_JOIN.match(joiner)) and v2 > value:
                head = (
                    text.rfind("between", 0, start)
                    if between
                    else (text.rfind("from", 0, start) if from_to else start)
                )
                spans.append(
                    NumberSpan(
                        head, e2, start, e2, None, value, v2, "range", is_word=is_word and w2
                    )
                )
                i += 2
                continue
        qualifier, q_start = _qualifier_before(text, start)
        # "a dozen" is a round number, not a count: about 12.
        if qualifier == "exact" and re.fullmatch(r"an?\s+dozen", text[start:end], re.I):
            qualifier = "about"
        suffix, q_end = _qualifier_after(text, end)
        if suffix and qualifier == "exact":
            qualifier = suffix
        count, low, high = bounds(qualifier, value)
        spans.append(
            NumberSpan(q_start, q_end, start, end, count, low, high, qualifier, is_word=is_word)
        )
        i += 1
    for start, end, floor in vague_spans:
        spans.append(
            NumberSpan(
                start, end, start, end, None, floor, None, "at least", vague=True, is_word=True
            )
        )
    return sorted(spans, key=lambda s: s.core_start)


def is_month(word: str) -> bool:
    return word.lower().rstrip(".") in MONTHS
