"""Turn one raw row into a record's normalised fields, or into the list of what is wrong with it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from recount.errors import Problem
from recount.ingest import fields as f
from recount.ingest.mapping import Mapping
from recount.ingest.readers import ABSENT, RawRow

RECORD_FIELDS = (
    "full_name",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "age_low",
    "age_high",
    "age_approx",
    "birth_year_low",
    "birth_year_high",
    "date_low",
    "date_high",
    "date_precision",
    "place",
    "fate",
)


@dataclass
class RowNormaliser:
    """Normalises rows of one file: ``fields`` says which canonical field each column feeds."""

    file: str
    header: list[str]
    fields: dict[int, str]
    mapping: Mapping
    strict_width: bool  # CSV rows must have exactly as many cells as the header

    def __post_init__(self) -> None:
        # Resolved once per file, not per cell: the import's inner loop runs millions of times.
        self._plan = [
            (index, self.header[index], name, PARSERS[name], self.mapping.values.get(name))
            for index, name in sorted(self.fields.items())
        ]

    def __call__(self, row: RawRow) -> tuple[dict[str, Any], list[Problem]]:
        """The record's fields (with ``raw``) and the row's problems (empty when valid)."""
        problems: list[Problem] = []
        values = row.values
        width = len(self.header)
        if self.strict_width and len(values) != width:
            problems.append(
                self._problem(
                    row, None, None, f"{width} cells as in the header, found {len(values)}"
                )
            )
        record: dict[str, Any] = dict.fromkeys(RECORD_FIELDS)
        for index, column, field_name, parse, words in self._plan:
            cell = values[index] if index < len(values) else None
            if cell is None or cell is ABSENT or cell == "":
                continue
            try:
                if isinstance(cell, str):
                    if words:
                        cell = words.get(cell.strip().casefold(), cell)
                    if cell.strip():
                        parse(record, cell, self.mapping)
                else:
                    self._apply_typed(record, field_name, cell, words)
            except f.FieldError as exc:
                problems.append(self._problem(row, column, _text(values[index]), str(exc)))
        if not problems and not (
            record["full_name"] or record["given_name"] or record["family_name"]
        ):
            problems.append(
                self._problem(row, None, None, "a name in full_name, given_name or family_name")
            )
        record["raw"] = raw_json(self.header, values)
        return record, problems

    def _apply_typed(
        self, record: dict[str, Any], field_name: str, cell: Any, words: dict[str, str] | None
    ) -> None:
        """A cell that is not text: a spreadsheet number or date, or a JSON value."""
        if field_name == "date" and isinstance(cell, datetime | date):
            value = f.date_from_cell(cell)
            record.update(date_low=value.low, date_high=value.high, date_precision=value.precision)
            return
        if isinstance(cell, dict | list):
            raise f.FieldError("a text or a number, not a nested JSON value")
        text = _text(cell)
        if words:
            text = words.get(text.strip().casefold(), text)
        PARSERS[field_name](record, text, self.mapping)

    def _problem(
        self, row: RawRow, column: str | None, value: str | None, expected: str
    ) -> Problem:
        return Problem(self.file, row.number, row.line, column, value, expected)


def _text(cell: Any) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    return str(cell)


def raw_json(header: list[str], values: list[Any]) -> str:
    """The row as read, as a JSON object in file column order; surplus cells keep their place."""
    raw = {name: value for name, value in zip(header, values, strict=False) if value is not ABSENT}
    for extra, value in enumerate(values[len(header) :], start=len(header) + 1):
        raw[f"(column {extra})"] = value
    return _encode_raw(raw)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


_encode_raw = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode


def _set_text(name: str) -> Callable[[dict, str, Mapping], None]:
    def parse(record: dict, text: str, _mapping: Mapping) -> None:
        record[name] = f.clean_text(text)

    return parse


def _parse_age(record: dict, text: str, _mapping: Mapping) -> None:
    span = f.parse_age(text)
    record.update(age_low=span.low, age_high=span.high, age_approx=span.approx)


def _parse_birth_year(record: dict, text: str, _mapping: Mapping) -> None:
    span = f.parse_year(text)
    record.update(birth_year_low=span.low, birth_year_high=span.high)


def _parse_date(record: dict, text: str, mapping: Mapping) -> None:
    value = f.parse_date(text, mapping.date_order)
    record.update(date_low=value.low, date_high=value.high, date_precision=value.precision)


def _parse_sex(record: dict, text: str, _mapping: Mapping) -> None:
    record["sex"] = f.parse_sex(text)


def _parse_fate(record: dict, text: str, _mapping: Mapping) -> None:
    record["fate"] = f.parse_fate(text)


PARSERS: dict[str, Callable[[dict, str, Mapping], None]] = {
    "full_name": _set_text("full_name"),
    "given_name": _set_text("given_name"),
    "family_name": _set_text("family_name"),
    "patronymic": _set_text("patronymic"),
    "place": _set_text("place"),
    "age": _parse_age,
    "birth_year": _parse_birth_year,
    "date": _parse_date,
    "sex": _parse_sex,
    "fate": _parse_fate,
}
