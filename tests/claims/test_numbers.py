"""Number expressions: values, qualifiers and ranges, before any decision about harm."""

from __future__ import annotations

import pytest

from recount.claims.numbers import find_numbers, words_value


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("one", 1),
        ("nine", 9),
        ("twenty-five", 25),
        ("two hundred and fifty", 250),
        ("a million", 1_000_000),
        ("half a million", 500_000),
        ("three thousand", 3000),
        ("a dozen", 12),
    ],
)
def test_words_value(phrase: str, value: int) -> None:
    assert words_value(phrase) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,275", [(1275, 1275, 1275, "exact")]),
        ("1 275", [(1275, 1275, 1275, "exact")]),
        ("4 200", [(4200, 4200, 4200, "exact")]),
        ("200+", [(200, 200, None, "at least")]),
        ("200 or more", [(200, 200, None, "at least")]),
        ("between 200 and 300", [(None, 200, 300, "range")]),
        ("from 2 to 91", [(None, 2, 91, "range")]),
        ("500 - 1,000", [(None, 500, 1000, "range")]),
        ("45,000–60,000", [(None, 45000, 60000, "range")]),
        ("2.5 million", [(2_500_000, 2_500_000, 2_500_000, "exact")]),
        ("no more than 40", [(40, None, 40, "up to")]),
        ('"fewer than 20"', [(20, None, 20, "fewer than")]),
        ("dozens", [(None, 24, None, "at least")]),
        ("hundreds of thousands", [(None, 200_000, None, "at least")]),
    ],
)
def test_find_numbers(text: str, expected: list[tuple]) -> None:
    found = [(n.count, n.low, n.high, n.qualifier) for n in find_numbers(text)]
    assert found == expected


def test_offsets_cover_qualifier_and_number() -> None:
    text = "killing over 600 civilians"
    (n,) = find_numbers(text)
    assert text[n.start : n.end] == "over 600"
    assert text[n.core_start : n.core_end] == "600"
