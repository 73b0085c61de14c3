"""Read a file of records (CSV, XLSX, JSON, JSONL) as a header and a stream of rows.

Readers do not interpret values: a row is the list of cells exactly as the file holds them
(text for CSV; text, numbers, dates for XLSX; JSON scalars for JSON), so the importer can keep
every row as it was read beside the normalised fields.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recount.errors import InputFileError
from recount.ingest.encoding import SUPPORTED, detect_encoding

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
DELIMITERS = [",", ";", "\t", "|"]

csv.field_size_limit(16 * 1024 * 1024)


class _Absent:
    """A JSON record without a key: different from a key whose value is null."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()


@dataclass(slots=True)
class RawRow:
    number: int  # 1 = first data row after the header
    line: int | None  # line in a text file, or row in a sheet
    values: list[Any]


@dataclass
class RawTable:
    path: Path
    format: str
    columns: list[str]
    rows: Iterator[RawRow]
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def file_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputFileError(
            str(path), f"unknown file type {path.suffix!r}; expected one of {known}"
        ) from None


def open_table(
    path: Path, encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None
) -> RawTable:
    """The header and a lazy stream of rows of ``path``; options override detection."""
    if not path.is_file():
        raise InputFileError(str(path), "no such file")
    if path.stat().st_size == 0:
        raise InputFileError(str(path), "the file is empty (0 bytes)")
    kind = file_format(path)
    if kind == "xlsx":
        return _open_xlsx(path, sheet)
    if encoding is not None and encoding.lower() not in SUPPORTED:
        raise InputFileError(
            str(path), f"encoding {encoding!r} is not supported; use one of {', '.join(SUPPORTED)}"
        )
    encoding = encoding or detect_encoding(path)
    if kind == "csv":
        return _open_csv(path, encoding, delimiter)
    return _open_json(path, encoding, lines=kind == "jsonl")


# --- CSV -----------------------------------------------------------------------------------


def _open_csv(path: Path, encoding: str, delimiter: str | None) -> RawTable:
    handle = path.open(encoding=encoding, newline="")
    try:
        first = handle.readline()
    except UnicodeDecodeError as exc:
        handle.close()
        raise InputFileError(
            str(path), f"line 1 cannot be read as {encoding}: {exc.reason}"
        ) from None
    delimiter = delimiter or _guess_delimiter(first)
    handle.seek(0)
    reader = csv.reader(handle, delimiter=delimiter, strict=False)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as exc:
        handle.close()
        raise InputFileError(str(path), f"line 1: {exc}") from None
    if header is None or not any(cell.strip() for cell in header):
        handle.close()
        raise InputFileError(str(path), "the file has no header row")
    return RawTable(
        path,
        "csv",
        [cell.strip() for cell in header],
        _csv_rows(path, handle, reader, encoding),
        encoding,
        delimiter,
    )


def _guess_delimiter(header_line: str) -> str:
    """The candidate that splits the header into the most cells (comma when none does)."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _csv_rows(path: Path, handle: Any, reader: Any, encoding: str) -> Iterator[RawRow]:
    number = 0
    with handle:
        try:
            for cells in reader:
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue  # blank line
                number += 1
                yield RawRow(number, reader.line_num, cells)
        except UnicodeDecodeError as exc:
            raise InputFileError(
                str(path),
                f"after line {reader.line_num}: bytes cannot be read as {encoding} ({exc.reason})",
            ) from None
        except csv.Error as exc:
            raise InputFileError(str(path), f"line {reader.line_num}: {exc}") from None


# --- XLSX ----------------------------------------------------------------------------------


def _open_xlsx(path: Path, sheet: str | None) -> RawTable:
    import zipfile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputFileError(str(path), f"not a readable XLSX workbook ({exc})") from None
    if sheet is not None and sheet not in workbook.sheetnames:
        raise InputFileError(
            str(path),
            f"no sheet named {sheet!r}; the workbook has "
            f"{', '.join(map(repr, workbook.sheetnames))}",
        )
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    for sheet_row, cells in enumerate(rows, start=1):
        if any(_present(c) for c in cells):
            header = [("" if c is None else str(c)).strip() for c in cells]
            while header and not header[-1]:
                header.pop()
            return RawTable(
                path, "xlsx", header, _xlsx_rows(workbook, rows, sheet_row, len(header))
            )
    workbook.close()
    raise InputFileError(str(path), f"sheet {worksheet.title!r} is empty")


def _xlsx_rows(
    workbook: Any, rows: Iterator[tuple], header_row: int, width: int
) -> Iterator[RawRow]:
    number = 0
    try:
        for sheet_row, cells in enumerate(rows, start=header_row + 1):
            values = list(cells)
            if not any(_present(c) for c in values):
                continue
            while len(values) > width and not _present(values[-1]):
                values.pop()
            number += 1
            yield RawRow(number, sheet_row, values)
    finally:
        workbook.close()


def _present(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


# --- JSON / JSONL --------------------------------------------------------------------------


def _open_json(path: Path, encoding: str, lines: bool) -> RawTable:
    objects = list(_jsonl_objects(path, encoding) if lines else _json_objects(path, encoding))
    if not objects:
        raise InputFileError(str(path), "the file holds no records")
    columns: dict[str, None] = {}
    for _line, obj in objects:
        columns.update(dict.fromkeys(obj))
    names = list(columns)
    rows = (
        RawRow(n, line if lines else None, [obj.get(c, ABSENT) for c in names])
        for n, (line, obj) in enumerate(objects, start=1)
    )
    return RawTable(path, "jsonl" if lines else "json", names, rows, encoding)


def _json_objects(path: Path, encoding: str) -> Iterator[tuple[int, dict]]:
    try:
        data = json.loads(path.read_text(encoding=encoding))
    except UnicodeDecodeError as exc:
        raise InputFileError(str(path), f"cannot be read as {encoding} ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            str(path), f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise InputFileError(str(path), 'expected a JSON list of objects (or {"records": [...]})')
    for index, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            raise InputFileError(
                str(path), f"record {index} is {type(obj).__name__}, expected an object"
            )
        yield index, obj


def _jsonl_objects(path: Path, encoding: str) -> Iterator[tuple[int, dict]]:
    with path.open(encoding=encoding) as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFileError(
                    str(path), f"line {line_number}: not valid JSON ({exc.msg})"
                ) from None
            if not isinstance(obj, dict):
                raise InputFileError(
                    str(path), f"line {line_number}: expected an object, found {type(obj).__name__}"
                )
            yield line_number, obj
