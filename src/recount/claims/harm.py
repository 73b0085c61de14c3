"""Which numbers in a sentence are figures about people harmed, and what harm, to whom.

For each number the rules run in this order (the first that decides wins):

1. skip labels, not counts: years, dates, times, ages, percentages, money, page/case numbers,
   addresses, phone numbers, ordinals, "44-day", populations ("a city of 120,000"),
   things that are not people ("9 mass graves", "4,200 defenders", "310 trial days");
2. a harm word just before the number governs it ("killed 14 people", "the killing of 87");
3. a harm word in the number's own noun phrase ("130 wounded", "56 bodies", "displaced people");
4. a subgroup ("including 9 children", "among them 15") shares the kind of the figure it is
   part of;
5. a partitive ("150 of them are still missing", "6 of the dead were women") takes the last
   harm word of its clause, else the one in its "of" phrase;
6. the nearest harm word after the number in its clause ("106 women, 70 elderly, and 63
   children lost their lives");
7. "put the figure at N" repeats the kind of the figure before it;
8. the nearest harm word before the number in its clause ("the dead included 11 children").

A number that none of these reaches is not a figure about people harmed and is dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from recount.claims.numbers import NumberSpan
from recount.claims.vocabulary import (
    ADDRESS_AFTER,
    AGE_AFTER,
    AGE_BEFORE,
    CURRENCY_AFTER,
    CURRENCY_BEFORE,
    GROUP_RE,
    KIND_RE,
    MONTHS,
    NON_PERSON_NOUNS,
    ORDINAL_AFTER,
    PERCENT_AFTER,
    PERSON_NOUNS,
    POPULATION_AFTER,
    POPULATION_BEFORE,
    REFERENCE_BEFORE,
    STATUS_NOUNS,
    SUBGROUP_AFTER,
    SUBGROUP_BEFORE,
)

log = logging.getLogger(__name__)

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_AFTER = re.compile(
    rf"^\s*(?:(?:–|-|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:of\s+)?"
    rf"(?:{_MONTH})\b\.?",
    re.IGNORECASE,
)
DATE_BEFORE = re.compile(rf"\b(?:{_MONTH})\.?\s*$", re.IGNORECASE)
HEAD_STOP = {
    "were",
    "was",
    "are",
    "is",
    "had",
    "have",
    "has",
    "who",
    "which",
    "that",
    "when",
    "in",
    "on",
    "at",
    "from",
    "by",
    "since",
    "near",
    "during",
    "after",
    "before",
    "with",
    "to",
    "for",
    "as",
    "because",
    "while",
    "of",
    "remain",
    "remained",
    "lost",
    "so",
    "could",
    "would",
    "will",
    "may",
    "might",
    "did",
    "do",
    "does",
    "be",
    "being",
    "and",
    "or",
    "but",
    "including",
    "among",
    "there",
    "here",
    "now",
    "this",
    "his",
    "her",
    "their",
    "its",
    "said",
    "say",
    "says",
    "left",
    "put",
    "gave",
    "been",
    "according",
}
PERSON_AFTER = re.compile(
    r"^\s+(?:person|people|persons|civilians?|child|children|woman|women|"
    r"man|men|boys?|girls?|soldiers?|officers?|residents|victims?|"
    r"bodies|refugees|families|dead|killed|wounded|injured)\b",
    re.IGNORECASE,
)
FIGURE_AT = re.compile(
    r"(?:figure|number|toll|total|tally|count)\s+(?:\w+\s+)?(?:at|to|of|as"
    r"|was|is|stood at|:)\s*$|:\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    number: NumberSpan  # offsets are absolute (in the whole text)
    kind: str
    group: str | None
    subgroup: bool  # part of the figure before it ("including 106 women")
    has_noun: bool  # its own noun phrase named who ("106 women"), not just "12 were"


def _kind_in(text: str, last: bool = False) -> tuple[str, re.Match[str]] | None:
    hits = [(m.start(), kind, m) for kind, pattern in KIND_RE for m in pattern.finditer(text)]
    if not hits:
        return None
    # Among hits at one place the earlier pattern wins (orphaned before killed).
    hits.sort(key=lambda h: -h[0] if last else h[0])
    _, kind, m = hits[0]
    return kind, m


def _group_in(text: str) -> str | None:
    hits = [(m.start(), group) for group, pattern in GROUP_RE for m in pattern.finditer(text)]
    return min(hits)[1] if hits else None


def _names_people(head: str) -> bool:
    """A noun phrase that names people: a group, a person noun or a capitalised plural
    ("Azerbaijanis")."""
    words = re.findall(r"[\w'’-]+", head)
    return any(
        _group_in(w.lower())
        or w.lower() in PERSON_NOUNS
        or (w[0].isupper() and w.endswith("s") and len(w) > 3)
        for w in words
    )


def _head(after: str) -> str:
    """The noun phrase right after a number: "people were killed" -> "people"."""
    after = after.lstrip("\"'”’ ")
    words: list[str] = []
    for m in re.finditer(r"[\w'’-]+|[^\w\s]", after):
        word = m.group(0)
        lower = word.lower()
        if not re.match(r"[\w'’-]", word) or word[0].isdigit() or len(words) >= 5:
            break
        if lower == "and" and words:
            # "men and boys" goes on; "killed and 130 wounded" stops.
            nxt = after[m.end() :].lstrip()
            if _group_in(nxt.split(" ", 1)[0].lower()) is None:
                break
            words.append(word)
            continue
        if lower in HEAD_STOP:
            break
        words.append(word)
    return " ".join(words)


def skip_reason(text: str, n: NumberSpan, clause_start: int) -> str | None:
    """Why the number at `n` is not a count of people, or None when it may be one."""
    if n.vague:
        return None
    before = text[max(clause_start, n.core_start - 40) : n.core_start]
    before_q = text[max(clause_start, n.start - 40) : n.start].lower()
    after = text[n.core_end : n.core_end + 60]
    core = text[n.core_start : n.core_end]
    value = n.count if n.count is not None else n.high
    checks = [
        (
            "pronoun 'one'",
            n.is_word and core.lower() in ("one", "a", "an") and not PERSON_AFTER.match(after),
        ),
        ("ordinal", bool(ORDINAL_AFTER.match(after))),
        # A lone "1" is a count only as "1 person", "1 child"; else a label ("exit 1").
        ("lone one", core == "1" and not PERSON_AFTER.match(after)),
        ("code", len(core) > 1 and core[0] == "0" and core[1].isdigit()),  # "010101", "0800"
        (
            "list marker",
            bool(re.search(r"(?:^|\n)[\s*-]*$", before)) and bool(re.match(r"[.)]\s", after)),
        ),
        ("citation", bool(re.match(r"\(\d", after)) or bool(re.search(r"\):$", before))),
        ("bracketed", bool(re.search(r"\(\s*$", before)) and bool(re.match(r"\s*\)", after))),
        ("compound", bool(re.match(r"-[A-Za-z]", after))),
        ("time", bool(re.match(r":\d", after)) or bool(re.search(r"\d:$", before))),
        ("code", bool(re.search(r"\d[-/.]$", before)) or bool(re.match(r"[-/]\d", after))),
        ("percentage", bool(PERCENT_AFTER.match(after))),
        ("money", bool(CURRENCY_BEFORE.search(before_q)) or bool(CURRENCY_AFTER.match(after))),
        ("date", bool(DATE_AFTER.match(after)) or bool(DATE_BEFORE.search(before))),
        ("reference", bool(REFERENCE_BEFORE.search(before_q))),
        ("address", bool(ADDRESS_AFTER.match(after))),
        (
            "age",
            bool(AGE_BEFORE.search(before_q))
            or bool(AGE_AFTER.match(after))
            or (
                bool(re.search(r"[A-Z][a-z]+,\s*$", before))
                and after.startswith(",")
                and value is not None
                and value < 120
            ),
        ),
        (
            "population",
            bool(POPULATION_BEFORE.search(before_q)) or bool(POPULATION_AFTER.match(after)),
        ),
        ("phone", bool(re.search(r"\d\s$", before)) or bool(re.match(r"\s\d{3}\b", after))),
    ]
    if (
        not n.is_word
        and n.qualifier != "range"
        and re.fullmatch(r"1[5-9]\d\d|20\d\d", core)
        and not PERSON_AFTER.match(after)
    ):
        return "year"
    if (
        n.qualifier == "range"
        and all(v is not None and 1500 <= v <= 2100 and v >= 1000 for v in (n.low, n.high))
        and "," not in core
    ):
        return "years"
    return next((reason for reason, hit in checks if hit), None)


def classify(
    text: str,
    numbers: list[NumberSpan],
    clause_of: list[tuple[int, int]],
) -> list[Figure]:
    """Figures about people harmed among `numbers` (one sentence, absolute offsets)."""
    figures: list[Figure] = []
    head_figure: Figure | None = None  # the last figure that was not a subgroup
    head_clause: tuple[int, int] | None = None
    for index, n in enumerate(numbers):
        c_start, c_end = clause_of[index]
        reason = skip_reason(text, n, c_start)
        if reason:
            log.debug("skip %r: %s", text[n.start : n.end], reason)
            continue
        before = text[c_start : n.start]
        after = text[n.end : c_end]
        if n.vague:
            after = re.sub(r"^\s+of\s+", " ", after)
        head = _head(after)
        partitive = not head and bool(re.match(r"\s*of\b", after))
        of_phrase = ""
        if partitive:
            of_phrase = _head(
                re.sub(r"^\s*of\s+(?:the|them|their|those|these)?\s*", " ", after)
                .lstrip()
                .lstrip("0123456789, ")
            )
        nouns = [w.lower() for w in re.findall(r"[\w'’-]+", f"{head} {of_phrase}")]
        person_seen = False
        # "1,200 cases of enforced disappearance" counts people; "1,200 cases" alone does not.
        if re.match(r"\s*cases\s+of\b", after) and _kind_in(after.lower()[:60]):
            nouns = [w for w in nouns if w != "cases"]
            head = "people"
        for word in nouns:
            if _group_in(word) or word in ("people", "persons", "residents", "victims"):
                person_seen = True
            if word in NON_PERSON_NOUNS and not person_seen:
                log.debug("skip %r: not people (%s)", text[n.start : n.end], word)
                break
        else:
            word = ""
        if word:
            continue
        kind = _decide_kind(
            before, after, head, partitive, of_phrase, numbers, index, n, head_figure, text
        )
        if kind is None:
            log.debug("skip %r: no harm word", text[n.start : n.end])
            continue
        kind_only = (
            head and _kind_in(head.lower()) and all(_kind_in(w) for w in head.lower().split())
        )
        has_noun = bool(head) and not kind_only
        subgroup = bool(SUBGROUP_BEFORE.search(before.lower().rstrip(" ,"))) or _after_head(
            after, head, SUBGROUP_AFTER
        )
        group = _group_in(head.lower()) if has_noun else None
        if partitive:
            group = _group_in(of_phrase.lower())
            predicate = re.search(r"\b(?:were|are|was)\s+(?:all\s+)?(\w+(?:\s+\w+)?)", after)
            if group is None and predicate:
                group = _group_in(predicate.group(1).lower())
        elif (
            not has_noun
            and not subgroup
            and head_figure is not None
            and (head_clause == (c_start, c_end) or not head or FIGURE_AT.search(before.lower()))
        ):
            # "7 officers were killed and 12 were injured"; "; the remaining 19 are missing";
            # "families put the figure at 40". A figure in another clause with a noun of its
            # own ("; the ministry acknowledged 62 arrests") is another count.
            group = head_figure.group
        figure = Figure(n, kind, group, subgroup, has_noun)
        figures.append(figure)
        if not subgroup:
            head_figure = figure
            head_clause = (c_start, c_end)
    return figures


def _after_head(after: str, head: str, pattern: re.Pattern[str]) -> bool:
    """True when `pattern` matches right after the number's noun phrase."""
    rest = after.lstrip("\"'”’ ")
    return bool(head) and bool(pattern.match(rest[len(head) :].lower()))


def _decide_kind(
    before: str,
    after: str,
    head: str,
    partitive: bool,
    of_phrase: str,
    numbers: list[NumberSpan],
    index: int,
    n: NumberSpan,
    head_figure: Figure | None,
    text: str,
) -> str | None:
    lower_before = before.lower()
    # 2. "killed 14", "the killing of at least 87", "claimed the lives of hundreds"
    near = _kind_in(lower_before, last=True)
    # "put the death toll at 19", "the number of dead rose to 40"
    toll = near is not None and near[1].group(0) in ("toll", "death toll", "dead", "deaths")
    if (
        toll
        and near
        and re.fullmatch(
            r"\s+(?:at|rose\s+to|reached|stood\s+at|stands\s+at)\s+", lower_before[near[1].end() :]
        )
    ):
        return near[0]
    # ("Casualties: 41", "Killed: 37" in a list)
    if near and re.fullmatch(
        r"[\s\"“‘']*(?:(?:of|the)\s+)*[\s\"“‘':]*", lower_before[near[1].end() :]
    ):
        return near[0]
    # 3. the number's own noun phrase
    status = None
    if head:
        found = _kind_in(head.lower())
        if found and found[1].group(0) not in STATUS_NOUNS:
            return found[0]
        if found:
            status = found[0]
            rest = after.lstrip("\"'”’ ")[len(head) :].lower()
            verb = re.match(
                r"\s*(?:who\s+)?(?:were|was|had been|have been|are|is|had|have)"
                r"\s+(?:\w+\s+){0,2}?(?=\w)",
                rest,
            )
            if verb:
                predicate = _kind_in(rest[verb.end() : verb.end() + 30])
                if predicate and predicate[1].start() == 0:
                    return predicate[0]
            return status
    # 4. a subgroup shares its figure's kind ("including 9 children"; "lists 41 elderly
    # people among them")
    if head_figure is not None and (
        SUBGROUP_BEFORE.search(lower_before.rstrip(" ,"))
        or _after_head(after, head, SUBGROUP_AFTER)
    ):
        return head_figure.kind
    lower_after = after.lower()
    # Stop the look-ahead at the next number that is not inside this number's "of" phrase.
    limit = len(lower_after)
    later = [m for m in numbers[index + 1 :] if m.start >= n.end]
    if later:
        nxt = later[0].start - n.end
        if not (partitive and nxt <= len(of_phrase) + 12):
            limit = nxt
    # 5. partitive: the clause's main verb, usually its last harm word
    if partitive:
        found = _kind_in(lower_after[:limit], last=True)
        if found:
            return found[0]
    # Past here the harm word is not next to the number: trust it only for people ("19
    # guests", "Azerbaijanis", "the remaining 19"), not for "2 time, 3 place, 5 deaths".
    if head and not _names_people(head):
        return None
    # 6. the nearest harm word after the number (lists share a verb at their end)
    found = _kind_in(lower_after[:120])
    if found and found[1].start() < 120:
        return found[0]
    # 7. "families put the figure at nearly 40"
    if FIGURE_AT.search(lower_before) and head_figure is not None:
        return head_figure.kind
    # 8. the nearest harm word before it ("the dead included 11 children")
    return near[0] if near else None
