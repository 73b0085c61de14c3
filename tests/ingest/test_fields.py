"""Parsing dates, ages, years and coded values, keeping what the source said and how precisely."""

from __future__ import annotations

import pytest

from recount.ingest.fields import (
    DateValue,
    FieldError,
    Span,
    parse_age,
    parse_date,
    parse_fate,
    parse_sex,
    parse_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1992", DateValue("1992-01-01", "1992-12-31", "year")),
        ("1992-02", DateValue("1992-02-01", "1992-02-29", "month")),
        ("1993-02", DateValue("1993-02-01", "1993-02-28", "month")),
        ("1992-02-26", DateValue("1992-02-26", "1992-02-26", "day")),
        ("26.02.1992", DateValue("1992-02-26", "1992-02-26", "day")),
        ("26/02/1992", DateValue("1992-02-26", "1992-02-26", "day")),
        ("02.1992", DateValue("1992-02-01", "1992-02-29", "month")),
        ("26 February 1992", DateValue("1992-02-26", "1992-02-26", "day")),
        ("February 1992", DateValue("1992-02-01", "1992-02-29", "month")),
        ("26 февраля 1992", DateValue("1992-02-26", "1992-02-26", "day")),
        ("1992-02-25/1992-02-26", DateValue("1992-02-25", "1992-02-26", "range")),
        ("25.02.1992 - 26.02.1992", DateValue("1992-02-25", "1992-02-26", "range")),
        ("1992-02 to 1992-03", DateValue("1992-02-01", "1992-03-31", "range")),
        ("between 1991 and 1992-02", DateValue("1991-01-01", "1992-02-29", "range")),
    ],
)
def test_dates_keep_their_precision(text: str, expected: DateValue) -> None:
    assert parse_date(text) == expected


def test_month_first_order_is_a_mapping_option() -> None:
    assert parse_date("02/26/1992", order="mdy") == DateValue("1992-02-26", "1992-02-26", "day")
    with pytest.raises(FieldError):
        parse_date("02/26/1992")  # day 02 of month 26 does not exist


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1992-02-30", "1992-02 has 29 days"),
        ("1992-13", "a month between 1 and 12"),
        ("26/02/92", "a date"),
        ("yesterday", "a date"),
        ("0992", "a year between"),
        ("1992-03/1992-02", "start is not after its end"),
    ],
)
def test_bad_dates_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("35", Span(35, 35)),
        ("35.0", Span(35, 35)),
        ("30-35", Span(30, 35)),
        ("30 – 35", Span(30, 35)),
        ("about 40", Span(40, 40, approx=True)),
        ("approx. 40", Span(40, 40, approx=True)),
        ("около 40", Span(40, 40, approx=True)),
        ("~40", Span(40, 40, approx=True)),
        ("40?", Span(40, 40, approx=True)),
        ("40+", Span(40, None)),
        ("over 60", Span(60, None)),
        ("6 months", Span(0, 0)),
        ("0", Span(0, 0)),
    ],
)
def test_ages_keep_low_high_and_approximation(text: str, expected: Span) -> None:
    assert parse_age(text) == expected


@pytest.mark.parametrize("text", ["forty", "35-30", "200", "-5", "12 years old maybe"])
def test_bad_ages_are_refused(text: str) -> None:
    with pytest.raises(FieldError):
        parse_age(text)


def test_birth_years() -> None:
    assert parse_year("1960") == Span(1960, 1960)
    assert parse_year("1958-1960") == Span(1958, 1960)
    assert parse_year("about 1960") == Span(1960, 1960, approx=True)
    with pytest.raises(FieldError, match="a year between"):
        parse_year("60")


def test_sex_and_fate_accept_canonical_words_only() -> None:
    assert [parse_sex(v) for v in ("M", "f", "Female", " male ", "?")] == ["M", "F", "F", "M", "U"]
    assert parse_fate(" Killed ") == "killed"
    with pytest.raises(FieldError, match="mapping file"):
        parse_sex("м")
    with pytest.raises(FieldError, match="mapping file"):
        parse_fate("убит")
