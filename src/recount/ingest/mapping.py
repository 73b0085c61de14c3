"""Mapping files: how a source's own columns and words become recount's canonical fields.

A mapping is a TOML file::

    [columns]                 # file column = canonical field ("-" keeps it as raw data only)
    "Фамилия" = "family_name"
    "Имя" = "given_name"
    "Отчество" = "patronymic"
    "Пол" = "sex"
    "Судьба" = "fate"

    [values.sex]              # a source's words for a canonical field's values
    "м" = "M"
    "ж" = "F"

    [values.fate]
    "убит" = "killed"

    [options]
    encoding = "cp1251"       # otherwise detected
    delimiter = ";"           # otherwise detected
    date_order = "dmy"        # how to read 01/02/1992: dmy (default) or mdy
    sheet = "Лист1"           # XLSX: which sheet (default: the first)

Files whose columns already have canonical names need no mapping. Value keys match after
trimming and case folding, so ``"М"`` and ``"м"`` are one key.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from recount.errors import MappingError, Problem

CANONICAL_FIELDS = (
    "full_name",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "age",
    "birth_year",
    "date",
    "place",
    "fate",
)
NAME_FIELDS = ("full_name", "given_name", "family_name")
IGNORE = "-"
OPTIONS = {"encoding", "delimiter", "date_order", "sheet"}
DATE_ORDERS = ("dmy", "mdy")


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    date_order: str = "dmy"
    sheet: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; every mistake names the file and the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: no such mapping file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: not a valid TOML file ({exc})") from None
    unknown_tables = set(data) - {"columns", "values", "options"}
    if unknown_tables:
        raise MappingError(
            f"{path}: unknown table(s) {sorted(unknown_tables)}; a mapping has "
            "[columns], [values.FIELD] and [options]"
        )
    columns = _columns(path, data.get("columns", {}))
    values = _values(path, data.get("values", {}))
    options = _options(path, data.get("options", {}))
    return Mapping(columns=columns, values=values, **options)


def _columns(path: Path, table: object) -> dict[str, str]:
    if not isinstance(table, dict):
        raise MappingError(f'{path}: [columns] must be a table of "file column" = "field"')
    allowed = (*CANONICAL_FIELDS, IGNORE)
    for column, target in table.items():
        if target not in allowed:
            raise MappingError(
                f"{path}: [columns] {column!r} = {target!r}: the field must be "
                f'one of {", ".join(CANONICAL_FIELDS)} (or "-" to keep the '
                "column as raw data only)"
            )
    return {column.strip(): target for column, target in table.items()}


def _values(path: Path, table: object) -> dict[str, dict[str, str]]:
    if not isinstance(table, dict):
        raise MappingError(f"{path}: [values] must hold tables such as [values.sex]")
    result: dict[str, dict[str, str]] = {}
    for field_name, pairs in table.items():
        if field_name not in CANONICAL_FIELDS:
            raise MappingError(
                f"{path}: [values.{field_name}]: unknown field; expected one of "
                f"{', '.join(CANONICAL_FIELDS)}"
            )
        if not isinstance(pairs, dict) or not all(isinstance(v, str) for v in pairs.values()):
            raise MappingError(f"{path}: [values.{field_name}] must map words to text values")
        result[field_name] = {key.strip().casefold(): value for key, value in pairs.items()}
    return result


def _options(path: Path, table: object) -> dict:
    if not isinstance(table, dict):
        raise MappingError(f"{path}: [options] must be a table")
    unknown = set(table) - OPTIONS
    if unknown:
        raise MappingError(
            f"{path}: [options] has unknown key(s) {sorted(unknown)}; known: "
            f"{', '.join(sorted(OPTIONS))}"
        )
    if table.get("date_order", "dmy") not in DATE_ORDERS:
        raise MappingError(
            f"{path}: [options] date_order = {table['date_order']!r}: expected "
            f"{' or '.join(DATE_ORDERS)}"
        )
    return dict(table)


def resolve_columns(
    mapping: Mapping, header: list[str], file: str
) -> tuple[dict[int, str], list[Problem]]:
    """Which canonical field each file column feeds (by position), and the header's problems."""
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if name and name in first_seen:
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    name,
                    None,
                    f"a unique column name; column {index + 1} repeats column "
                    f"{first_seen[name] + 1}",
                )
            )
        first_seen.setdefault(name, index)
    for column in mapping.columns:
        if column not in first_seen:
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    column,
                    None,
                    "a column of this name in the file (the mapping names it); "
                    f"the file's columns are {', '.join(map(repr, header))}",
                )
            )
    fields: dict[int, str] = {}
    fed_by: dict[str, str] = {}
    for index, name in enumerate(header):
        target = mapping.columns.get(name) or _canonical(name)
        if target is None or target == IGNORE:
            continue
        if target in fed_by:
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    name,
                    None,
                    f"one column per field; {target} is already read from "
                    f"column {fed_by[target]!r}",
                )
            )
            continue
        fed_by[target] = name
        fields[index] = target
    if not any(target in NAME_FIELDS for target in fields.values()):
        problems.append(
            Problem(
                file,
                None,
                None,
                None,
                None,
                "a name column: full_name, given_name or family_name (or map "
                "one of the file's columns to it in a mapping file)",
            )
        )
    return fields, problems


def _canonical(name: str) -> str | None:
    lowered = name.strip().lower()
    return lowered if lowered in CANONICAL_FIELDS else None
