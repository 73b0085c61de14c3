"""Split a text into paragraphs, sentences and clauses, keeping character offsets.

Offsets matter more than elegance: every claim points back into the original text, so nothing
here rewrites the text; each piece is a (start, end) slice of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Abbreviations that end with a full stop without ending a sentence.
ABBREVIATIONS = {
    "no",
    "nos",
    "nr",
    "v",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "col",
    "gen",
    "lt",
    "capt",
    "sgt",
    "maj",
    "prof",
    "rev",
    "hon",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "gov",
    "e.g",
    "i.e",
    "etc",
    "approx",
    "c",
    "ca",
    "p",
    "pp",
    "para",
    "paras",
    "fig",
    "art",
    "vol",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.n",
    "u.k",
    "mt",
    "ft",
}
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A sentence ends at . ! or ? (perhaps followed by a closing quote or bracket), then space.
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
# A line at least this long that runs on into the next line is prose wrapped at a fixed width;
# a shorter one is a headline, a caption or a list item and ends its sentence.
WRAPPED_LINE = 60
LIST_ITEM = re.compile(r"\s*(?:[-*•–—]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass(frozen=True)
class Sentence(Span):
    paragraph: int
    clauses: tuple[Span, ...] = field(default=())


@dataclass(frozen=True)
class Paragraph(Span):
    index: int
    sentences: tuple[Sentence, ...] = field(default=())


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` ends an abbreviation or an initial, not a sentence."""
    m = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(0, dot - 12) : dot])
    if not m:
        return False
    word = m.group(1)
    if word.lower() in ABBREVIATIONS:
        return True
    # A single capital letter is an initial ("J. Smith"), unless it is the pronoun "I".
    return len(word) == 1 and word.isupper() and word != "I"


def _clauses(text: str, start: int, end: int) -> tuple[Span, ...]:
    """Clauses split at semicolons: each keeps its own attribution ("X said ...; Y put ...")."""
    pieces = []
    cursor = start
    for m in re.finditer(";", text[start:end]):
        s, e = _trimmed(text, cursor, start + m.start())
        if e > s:
            pieces.append(Span(s, e))
        cursor = start + m.end()
    s, e = _trimmed(text, cursor, end)
    if e > s:
        pieces.append(Span(s, e))
    return tuple(pieces)


def _sentences(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    found: list[Sentence] = []
    # A line break inside a paragraph ends a sentence too (headlines, captions, datelines),
    # unless the text is prose wrapped at a fixed width.
    for cursor, line_end in _lines(text, start, end):
        for m in SENTENCE_END.finditer(text, cursor, line_end):
            if m.group(0)[0] == "." and _is_abbreviation(text, m.start()):
                continue
            s, e = _trimmed(text, cursor, m.end())
            if e > s:
                found.append(Sentence(s, e, paragraph, _clauses(text, s, e)))
            cursor = m.end()
        s, e = _trimmed(text, cursor, line_end)
        if e > s:
            found.append(Sentence(s, e, paragraph, _clauses(text, s, e)))
    return found


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The paragraph's lines, with the lines of wrapped prose joined: a long line that does not
    end a sentence runs on, unless the next line is a list item."""
    lines = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+", text[start:end])]
    joined: list[tuple[int, int]] = []
    for s, e in lines:
        if joined:
            ps, pe = joined[-1]
            last = text[ps:pe].rstrip()
            previous_line = text[text.rfind("\n", 0, pe) + 1 : pe].rstrip()
            runs_on = (
                len(previous_line) >= WRAPPED_LINE
                and not LIST_ITEM.match(text[s:e])
                and not last.endswith(":")
            )
            if runs_on:
                joined[-1] = (ps, e)
                continue
        joined.append((s, e))
    return joined


def split(text: str) -> list[Paragraph]:
    """Paragraphs (blank-line separated) holding their sentences and clauses."""
    paragraphs: list[Paragraph] = []
    cursor = 0
    bounds = [(m.start(), m.end()) for m in PARAGRAPH_BREAK.finditer(text)]
    for brk_start, brk_end in [*bounds, (len(text), len(text))]:
        s, e = _trimmed(text, cursor, brk_start)
        if e > s:
            index = len(paragraphs)
            paragraphs.append(Paragraph(s, e, index, tuple(_sentences(text, s, e, index))))
        cursor = brk_end
    return paragraphs
