"""Whom a clause attributes its figures to: "according to X", "X said", "(per X)", "X reported",
"estimates by X put ...", "the claim by X that ...", "X gave a higher figure: ...".

Each attribution found has a scope: `lead` applies to figures after it ("the claim by X that N"),
`whole` to the whole clause ("N killed, X said"; "according to X, N killed"). A figure takes the
nearest attribution before it, else the nearest after it; a clause without one is the text's own
voice (None). Clauses are split at semicolons, so "X said N; Y put the figure at M" gives N to X
and M to Y.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recount.claims.vocabulary import GROUP_RE, NOT_A_SOURCE, PRONOUNS

# A source's noun phrase ends before a verb that carries the claim, a clause mark or the end.
_NP_END = (
    r"(?=\s+(?:put|puts|that|show|shows|showed|indicate|indicates|say|says|said|suggest|"
    r"suggests|which|speak|speaks|are|is|was|were|has|have|had|on|in\s+a|at\s+the)\b"
    r"|\s*[,;:()\"“”]|\.\s|\.$|$)"
)
_NP = r"(?P<src>[^,;:()\"“”]+?)"
LEAD_PATTERNS = [
    re.compile(
        r"\b(?:rough\s+|official\s+|preliminary\s+|latest\s+|the\s+)?(?:estimates?|"
        r"figures?|reports?|claims?|data|statistics|tall(?:y|ies)|counts?|records|"
        r"accounts?|allegations?)\s+(?:\w+\s+)?(?:by|from)\s+" + _NP + _NP_END,
        re.IGNORECASE,
    ),
]
WHOLE_PATTERNS = [
    re.compile(r"\baccording\s+to\s+" + _NP + _NP_END, re.IGNORECASE),
    re.compile(r"\(\s*per\s+(?P<src>[^)]+)\)", re.IGNORECASE),
    re.compile(r"(?:^|,)\s*per\s+" + _NP + _NP_END, re.IGNORECASE),
    re.compile(
        r"\b(?:reported|documented|recorded|identified|confirmed|counted|verified|"
        r"registered|estimated|compiled|released|published|announced|cited|given)\s+"
        r"by\s+" + _NP + _NP_END,
        re.IGNORECASE,
    ),
]
REPORTING_VERB = re.compile(
    r"\b(?P<verb>said|says|say|reported|reports|stated|states|told|tells|announced|announces|"
    r"estimated|estimates|claimed|claims|alleged|alleges|confirmed|confirms|documented|"
    r"documents|recorded|records|counted|found|concluded|submitted|wrote|writes|noted|notes|"
    r"lists|listed|testified|insisted|acknowledged|admitted|believes|believed|was\s+satisfied|"
    r"argued|argues|contended|contends|maintained|maintains|asserted|asserts|"
    r"exhumed|exhumes|recovered|recovers|registered|registers|counts|report|"
    r"put\s+the\s+(?:number|figure|toll|death\s+toll)|puts\s+the\s+(?:number|figure|toll)|"
    r"gave\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+)?(?:figures?|numbers?|toll|estimates?|count))\b"
    r"(?!\s+(?:dead|killed|missing|injured|wounded|alive|guilty)\b)",
    re.IGNORECASE,
)
NOUN_LIKE = {
    "estimates",
    "reports",
    "claims",
    "records",
    "documents",
    "notes",
    "states",
    "lists",
    "counts",
    "report",
}
# Words between a subject and its verb that are not part of the subject.
AUXILIARIES = re.compile(
    r"(?:\s+(?:has|have|had|was|were|is|also|later|previously|earlier|"
    r"then|reportedly|officially|publicly|initially|separately|further|"
    r"subsequently|already|so\s+far|thus\s+far|to\s+date|since|now|"
    r"again|first))+\s*$",
    re.IGNORECASE,
)
# "X denied the figure and put the number at N": the subject of the first verb is the source.
DISPUTE_AND = re.compile(
    r"\s+(?:denied|rejected|disputed|contested|dismissed|questioned|challenged|accepted|"
    r"confirmed)\s+(?:the|this|that|these|those|its|their)\s+(?:\w+\s+)?(?:figures?|numbers?|"
    r"claims?|reports?|toll|counts?|estimates?|accounts?|allegations?)\s+and\s*$",
    re.IGNORECASE,
)
LEADING_JUNK = re.compile(
    r"^(?:(?:and|but|while|as|then|so|yet|however|meanwhile|where|when|whereas|although)\s+"
    r"|(?:last|this|that|on\s+\w+day|yesterday|today|earlier|later)\s*(?:night|morning|"
    r"afternoon|evening|week|month|year)?\s+(?=\w))+",
    re.IGNORECASE,
)
# "…, 112 injured (Provincial Health Directorate)." A short bracketed name ending a clause.
BRACKET_SOURCE = re.compile(r"\((?P<src>[A-Za-z][\w'’ .&-]{2,60})\)\s*[.;]?\s*$")
DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
# "Overview:", "Needs:" are section labels, not sources; a colon source has 2-6 words.
COLON_SOURCE = re.compile(r"^(?P<src>[A-Za-z][\w'’.-]*(?:\s+[\w'’.-]+){1,5})\s*:\s")


@dataclass(frozen=True)
class Attribution:
    start: int  # offset of the attribution phrase in the text
    source: str
    scope: str  # "lead" or "whole"


def _blank_parentheses(text: str) -> str:
    """Parenthetical asides do not belong to a subject: "the archive (pages 1-9) lists"."""
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), text)


def clean_source(raw: str) -> str | None:
    """A usable source name from a noun phrase, or None when it cannot be one."""
    source = re.sub(r"\s+", " ", raw).strip(" ,\"'“”‘’")
    source = re.sub(r"^[-*•–—]+\s*", "", source)  # a list marker
    source = LEADING_JUNK.sub("", source)
    source = AUXILIARIES.sub("", source).strip()
    # A determiner alone ("An estimated 12,000") is no subject.
    source = DETERMINER.sub("", source + " ").strip()
    words = source.split()
    if not words or len(words) > 10 or re.search(r"\d", source):
        return None
    first = words[0].lower()
    if first in NOT_A_SOURCE or words[-1].lower() in ("and", "or", "but", "of", "the"):
        return None
    if re.search(r"\b(?:dozens|hundreds|thousands|scores)\b", source, re.IGNORECASE):
        return None
    return source


def _subject(text: str, start: int, verb_start: int) -> str | None:
    """The subject of a reporting verb: the last comma/quote-delimited piece before it,
    skipping relative clauses ("One commander, who asked not to be named, said")."""
    before = _blank_parentheses(text[start:verb_start])
    pieces = [p for p in re.split(r"[,\"“”—–:(]|\s-\s", before)]
    while pieces and not pieces[-1].strip():
        pieces.pop()
    while pieces and re.match(r"\s*(?:who|which|whose|whom)\b", pieces[-1], re.IGNORECASE):
        pieces.pop()
        while pieces and not pieces[-1].strip():
            pieces.pop()
    if not pieces:
        return None
    # "The UN said the ministry reported 45": the figure is the ministry's (as the UN says).
    inner = re.split(r"\b(?:said|says|reported|stated|told\s+\w+)\s+(?:that\s+)?", pieces[-1])
    return clean_source(DISPUTE_AND.sub("", inner[-1]))


def find_attributions(text: str, start: int, end: int) -> list[Attribution]:
    """Attributions in the clause text[start:end], in order."""
    clause = text[start:end]
    found: list[Attribution] = []

    def add(offset: int, raw: str, scope: str) -> None:
        source = clean_source(raw)
        if source and not any(a.start == start + offset for a in found):
            found.append(Attribution(start + offset, source, scope))

    for pattern in LEAD_PATTERNS:
        for m in pattern.finditer(clause):
            add(m.start(), m["src"], "lead")
    for pattern in WHOLE_PATTERNS:
        for m in pattern.finditer(clause):
            add(m.start(), m["src"], "whole")
    m = BRACKET_SOURCE.search(clause)
    if m and len(m["src"].split()) <= 6 and not re.match(r"(?i)see\b|e\.g|i\.e", m["src"]):
        add(m.start(), m["src"], "whole")
    for m in REPORTING_VERB.finditer(clause):
        # A passive ("had been recovered") has no subject that reports.
        if re.search(
            r"\b(?:been|be|being|was|were|is|are)\s+$", clause[: m.start()], re.IGNORECASE
        ):
            continue
        # "estimates", "reports", "claims" are nouns as often as verbs: as verbs they take a
        # figure or "that" ("the ministry reports 613 killed"), as nouns anything else.
        if m["verb"].lower() in NOUN_LIKE and not re.match(
            r"\s+(?:that\b|\d|at least|over|more than|about|some|up to|around|nearly)",
            clause[m.end() :],
            re.IGNORECASE,
        ):
            continue
        subject = _subject(text, start, start + m.start())
        if subject is None or any(a.source.endswith(subject) for a in found):
            continue
        # "Estimates by X put the number ..." is already X's; its subject is not a source.
        if re.match(
            r"(?:rough\s+|official\s+)?(?:estimates?|figures?|reports?)\b", subject, re.IGNORECASE
        ):
            continue
        found.append(Attribution(start + m.start(), subject, "whole"))
    m = COLON_SOURCE.match(clause)
    # "Women and children: 40 killed" is a heading for a group, not a source.
    if m and not found and not any(p.search(m["src"].lower()) for _, p in GROUP_RE):
        add(0, m["src"], "lead")
    return sorted(found, key=lambda a: a.start)


def choose(attributions: list[Attribution], figure_start: int) -> Attribution | None:
    """The attribution that covers a figure: the nearest before it, else the nearest after."""
    before = [a for a in attributions if a.start <= figure_start]
    if before:
        return before[-1]
    after = [a for a in attributions if a.start > figure_start and a.scope == "whole"]
    return after[0] if after else None


def resolve(source: str, earlier: list[str], text_before: str) -> str:
    """Resolve "the office", "the society" or "they" to a source named earlier in the text."""
    words = source.split()
    if words and words[0].lower() in PRONOUNS:
        return earlier[-1] if earlier else source
    if len(words) != 1 or (not earlier and not text_before):
        return source
    head = words[0].lower()
    # A capitalised name ending in the same head noun: "the society" -> "Red Lantern Society".
    names = re.findall(rf"((?:[A-Z][\w'’-]* +)+{re.escape(words[0].capitalize())})\b", text_before)
    names = [
        DETERMINER.sub("", n.strip())
        for n in names
        if n.split()[0].lower() not in ("the", "a", "an") or len(n.split()) > 2
    ]
    for name in reversed(names):
        if len(name.split()) > 1:
            return DETERMINER.sub("", name) if name.lower() != head else source
    for previous in reversed(earlier):
        if previous.split()[-1].lower() == head and previous.lower() != head:
            return previous
    return source
