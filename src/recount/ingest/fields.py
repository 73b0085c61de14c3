"""Parse the values of canonical fields, keeping what the source said and how precisely.

Every parser takes the text of one cell and returns a small value object, or raises
``FieldError`` whose message says what was expected; the importer adds file, row and column.

Dates keep their precision: ``1992`` is the interval 1992-01-01..1992-12-31 with precision
``year``; ``1992-02`` is a month; ``25.02.1992 - 26.02.1992`` is a ``range``. Ages keep a low and a
high bound and whether the source called them approximate ("about 40" → 40..40, approximate).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from recount.errors import FieldError
from recount.vocabulary import FATES

MIN_YEAR, MAX_YEAR = 1000, 2100
MAX_AGE = 125


@dataclass(frozen=True)
class DateValue:
    low: str  # ISO date, first possible day
    high: str  # ISO date, last possible day
    precision: str  # day | month | year | range


@dataclass(frozen=True)
class Span:
    """An age or a year: ``low``..``high`` (``high`` None when open-ended, as in "40+")."""

    low: int
    high: int | None
    approx: bool = False


def clean_text(value: str) -> str | None:
    """NFC, whitespace collapsed; empty becomes None."""
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return text or None


# --- dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DOTTED = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[./](\d{4})")
_NAMED = re.compile(r"(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(\d{4})")
_RANGE_SEPARATORS = re.compile(r"\s*(?:/|\.\.|–|—|\bto\b|\s-\s|\bпо\b)\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"between\s+(.+?)\s+and\s+(.+)", re.IGNORECASE)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "января", "январь", "yanvar"),
            ("february", "feb", "февраля", "февраль", "fevral"),
            ("march", "mar", "марта", "март", "mart"),
            ("april", "apr", "апреля", "апрель", "aprel"),
            ("may", "мая", "май", "may"),
            ("june", "jun", "июня", "июнь", "iyun"),
            ("july", "jul", "июля", "июль", "iyul"),
            ("august", "aug", "августа", "август", "avqust"),
            ("september", "sep", "sept", "сентября", "сентябрь", "sentyabr"),
            ("october", "oct", "октября", "октябрь", "oktyabr"),
            ("november", "nov", "ноября", "ноябрь", "noyabr"),
            ("december", "dec", "декабря", "декабрь", "dekabr"),
        ],
        start=1,
    )
    for name in names
}

DATE_EXPECTED = (
    "a date: 1992, 1992-02, 1992-02-26, 26.02.1992, 02.1992, 26 February 1992, "
    "or a range such as 1992-02-25/1992-02-26"
)


@lru_cache(maxsize=1 << 16)  # lists repeat the same few dates and ages many times
def parse_date(text: str, order: str = "dmy") -> DateValue:
    """A date or date range as a source wrote it. ``order`` reads ``01/02/1992`` (dmy or mdy)."""
    text = text.strip()
    single = _parse_single_date(text, order)
    if single is not None:
        return single
    parts = _split_range(text)
    if parts is not None:
        first = _parse_single_date(parts[0], order)
        last = _parse_single_date(parts[1], order)
        if first is not None and last is not None:
            if first.low > last.high:
                raise FieldError(f"a date range whose start is not after its end ({DATE_EXPECTED})")
            return DateValue(first.low, last.high, "range")
    raise FieldError(DATE_EXPECTED)


def _split_range(text: str) -> tuple[str, str] | None:
    between = _BETWEEN.fullmatch(text)
    if between:
        return between.group(1), between.group(2)
    parts = _RANGE_SEPARATORS.split(text)
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    return None


def _parse_single_date(text: str, order: str) -> DateValue | None:
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        return _date_value(year, month, day)
    match = _DOTTED.fullmatch(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        day, month = (second, first) if order == "mdy" else (first, second)
        return _date_value(year, month, day)
    match = _MONTH_YEAR.fullmatch(text)
    if match:
        return _date_value(int(match.group(2)), int(match.group(1)), None)
    match = _NAMED.fullmatch(text)
    if match and match.group(2).casefold() in MONTHS:
        day = int(match.group(1)) if match.group(1) else None
        return _date_value(int(match.group(3)), MONTHS[match.group(2).casefold()], day)
    return None


def _date_value(year: int | None, month: int | None, day: int | None) -> DateValue:
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError(f"a year between {MIN_YEAR} and {MAX_YEAR}")
    if month is None:
        return DateValue(f"{year:04d}-01-01", f"{year:04d}-12-31", "year")
    if not 1 <= month <= 12:
        raise FieldError(f"a month between 1 and 12 ({DATE_EXPECTED})")
    last_day = calendar.monthrange(year, month)[1]
    if day is None:
        return DateValue(
            f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last_day:02d}", "month"
        )
    if not 1 <= day <= last_day:
        raise FieldError(f"a day that exists: {year:04d}-{month:02d} has {last_day} days")
    iso = date(year, month, day).isoformat()
    return DateValue(iso, iso, "day")


def date_from_cell(value: datetime | date) -> DateValue:
    """A spreadsheet cell that already holds a date."""
    iso = (value.date() if isinstance(value, datetime) else value).isoformat()
    return DateValue(iso, iso, "day")


# --- ages and years ------------------------------------------------------------------------

_APPROX = re.compile(
    r"^(?:about|approx\.?|approximately|around|circa|ca\.?|c\.|~|≈|около|примерно|приблизительно|"
    r"təxminən)\s*(.+)$",
    re.IGNORECASE,
)
_NUMBER_RANGE = re.compile(r"(\d{1,4})\s*(?:-|–|—|to|\.\.)\s*(\d{1,4})", re.IGNORECASE)
_OPEN_ENDED = re.compile(
    r"(?:(\d{1,4})\s*\+|(?:over|more than|older than|старше)\s+(\d{1,4}))", re.IGNORECASE
)
_MONTHS_OLD = re.compile(r"(\d{1,2})\s*(?:months?|mo\.?|мес\.?|месяцев|месяца|ay)", re.IGNORECASE)
_INTEGRAL_FLOAT = re.compile(r"(\d{1,4})\.0+")

AGE_EXPECTED = "an age in years: 35, 30-35, about 40, 40?, 40+, or 6 months"
YEAR_EXPECTED = "a year: 1960, 1958-1960, about 1960 or 1960?"


@lru_cache(maxsize=1 << 12)
def parse_age(text: str) -> Span:
    span = _parse_span(text, AGE_EXPECTED)
    if span is None:
        months = _MONTHS_OLD.fullmatch(text.strip())
        if months and int(months.group(1)) < 24:
            years = int(months.group(1)) // 12
            return Span(years, years)
        raise FieldError(AGE_EXPECTED)
    for bound in (span.low, span.high):
        if bound is not None and bound > MAX_AGE:
            raise FieldError(f"an age from 0 to {MAX_AGE}")
    return span


@lru_cache(maxsize=1 << 12)
def parse_year(text: str) -> Span:
    span = _parse_span(text, YEAR_EXPECTED)
    if span is None:
        raise FieldError(YEAR_EXPECTED)
    for bound in (span.low, span.high):
        if bound is not None and not MIN_YEAR <= bound <= MAX_YEAR:
            raise FieldError(f"a year between {MIN_YEAR} and {MAX_YEAR}")
    return span


def _parse_span(text: str, expected: str) -> Span | None:
    """Shared grammar of ages and years: N, N.0, N-M, about N, N?, N+."""
    text = text.strip()
    if text.isdigit() and len(text) <= 4:
        value = int(text)
        return Span(value, value)
    approx = False
    match = _APPROX.match(text)
    if match:
        approx, text = True, match.group(1).strip()
    if text.endswith("?"):
        approx, text = True, text[:-1].strip()
    if text.isdigit() and len(text) <= 4:
        return Span(int(text), int(text), approx)
    match = _INTEGRAL_FLOAT.fullmatch(text)
    if match:
        return Span(int(match.group(1)), int(match.group(1)), approx)
    match = _NUMBER_RANGE.fullmatch(text)
    if match:
        low, high = int(match.group(1)), int(match.group(2))
        if low > high:
            raise FieldError(f"a range whose low end is not above its high end ({expected})")
        return Span(low, high, approx)
    match = _OPEN_ENDED.fullmatch(text)
    if match:
        return Span(int(match.group(1) or match.group(2)), None, approx)
    return None


# --- coded values --------------------------------------------------------------------------

SEX_VALUES = {
    "m": "M", "male": "M", "man": "M",
    "f": "F", "female": "F", "woman": "F",
    "u": "U", "unknown": "U", "?": "U",
}  # fmt: skip
SEX_EXPECTED = "M, F or U (male, female, unknown); map other spellings in a mapping file"
FATE_EXPECTED = f"one of {', '.join(FATES)}; map other words in a mapping file"


def parse_sex(text: str) -> str:
    try:
        return SEX_VALUES[text.strip().casefold()]
    except KeyError:
        raise FieldError(SEX_EXPECTED) from None


def parse_fate(text: str) -> str:
    fate = text.strip().casefold()
    if fate not in FATES:
        raise FieldError(FATE_EXPECTED)
    return fate
