"""Importing lists: formats, mappings, raw rows kept, all-or-nothing validation, re-imports."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from recount.case.folder import Case
from recount.errors import InputFileError, MappingError, NotFoundError, ValidationError
from recount.events.event import add_event
from recount.ingest.importer import import_file
from recount.store.tables import imports, records
from tests.conftest import run_cli, table_counts, write_csv

GOOD = (
    "full_name,sex,age,birth_year,date,place,fate,notes\n"
    'Məmmədov Əli Həsən oğlu,M,about 40,,1992-02-26,Village A,killed,=HYPERLINK("x")\n'
    "  Petrosyan   Ashot ,m,30-35,1958-1960,02.1992,,missing,\n"
    "Əliyeva Gülnarə,F,,1950,1992,Village B,injured,seen 3 times\n"
)

CYRILLIC_MAPPING = """
[columns]
"Фамилия" = "family_name"
"Имя" = "given_name"
"Пол" = "sex"
"Судьба" = "fate"
"Примечание" = "-"

[values.sex]
"м" = "M"
"ж" = "F"

[values.fate]
"убит" = "killed"
"пропал без вести" = "missing"
"""


def _records(case: Case) -> list[dict]:
    with case.reading() as conn:
        return [dict(r) for r in conn.execute(select(records).order_by(records.c.id)).mappings()]


def test_canonical_csv_imports_with_normalised_fields_and_raw_row(
    case: Case, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "list.csv", GOOD)
    result = import_file(case, "registry", path)
    assert (result.imported, result.rejected, result.encoding) == (3, 0, "utf-8")
    first, second, third = _records(case)
    assert first["full_name"] == "Məmmədov Əli Həsən oğlu"
    assert (first["sex"], first["age_low"], first["age_high"], first["age_approx"]) == (
        "M",
        40,
        40,
        1,
    )
    assert (first["date_low"], first["date_precision"]) == ("1992-02-26", "day")
    assert second["full_name"] == "Petrosyan Ashot"
    assert (second["age_low"], second["age_high"], second["age_approx"]) == (30, 35, 0)
    assert (second["birth_year_low"], second["birth_year_high"]) == (1958, 1960)
    assert (second["date_low"], second["date_high"], second["date_precision"]) == (
        "1992-02-01",
        "1992-02-29",
        "month",
    )
    assert second["place"] is None
    assert (third["date_precision"], third["age_low"]) == ("year", None)
    # The raw row is every original column and value exactly as read, in file order.
    assert json.loads(second["raw"]) == {
        "full_name": "  Petrosyan   Ashot ",
        "sex": "m",
        "age": "30-35",
        "birth_year": "1958-1960",
        "date": "02.1992",
        "place": "",
        "fate": "missing",
        "notes": "",
    }
    assert list(json.loads(first["raw"]))[-1] == "notes"
    assert json.loads(first["raw"])["notes"] == '=HYPERLINK("x")'
    assert [r["row_number"] for r in (first, second, third)] == [1, 2, 3]
    assert len({r["person_id"] for r in (first, second, third)}) == 3


def test_each_import_is_recorded_with_hash_name_mapping_time_and_count(
    case: Case, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "ngo.csv",
        "Фамилия;Имя;Пол;Судьба;Примечание\n"
        "Мамедов;Али;м;убит;=1+1\nПетросян;Ашот;м;пропал без вести;\n",
        encoding="cp1251",
    )
    mapping = tmp_path / "ngo.toml"
    mapping.write_text(CYRILLIC_MAPPING, encoding="utf-8")
    result = import_file(case, "ngo", path, mapping_path=mapping)
    assert result.encoding == "cp1251" and result.delimiter == ";"
    with case.reading() as conn:
        row = conn.execute(
            select(
                imports.c.file_name,
                imports.c.sha256,
                imports.c.mapping,
                imports.c.imported_at,
                imports.c.row_count,
                imports.c.size_bytes,
            )
        ).one()
    assert row[0] == "ngo.csv"
    assert row[1] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert json.loads(row[2])["values"]["fate"]["пропал без вести"] == "missing"
    assert row[3].startswith("20") and row[4] == 2 and row[5] == path.stat().st_size
    records = _records(case)
    assert [(r["family_name"], r["given_name"], r["sex"], r["fate"]) for r in records] == [
        ("Мамедов", "Али", "M", "killed"),
        ("Петросян", "Ашот", "M", "missing"),
    ]
    assert json.loads(records[0]["raw"])["Примечание"] == "=1+1"


def test_value_mapping_keys_ignore_case_and_spaces(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ngo.csv", "Фамилия,Пол,Судьба\nМамедов, М ,УБИТ\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        CYRILLIC_MAPPING.replace('"Имя" = "given_name"\n', "").replace('"Примечание" = "-"\n', ""),
        encoding="utf-8",
    )
    import_file(case, "ngo", path, mapping_path=mapping)
    assert [(r["sex"], r["fate"]) for r in _records(case)] == [("M", "killed")]


def test_xlsx_with_typed_cells(case: Case, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["family_name", "given_name", "age", "date", "fate"])
    sheet.append(["Aliyev", "Rauf", 34, datetime(1992, 2, 26), "killed"])
    sheet.append([])  # an empty line between records is skipped
    sheet.append(["Петросян", "Ашот", 41.0, "1992-02", "missing"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    result = import_file(case, "registry", path)
    assert (result.imported, result.format) == (2, "xlsx")
    first, second = _records(case)
    assert (first["age_low"], first["date_low"], first["date_precision"]) == (
        34,
        "1992-02-26",
        "day",
    )
    assert json.loads(first["raw"]) == {
        "family_name": "Aliyev",
        "given_name": "Rauf",
        "age": 34,
        "date": "1992-02-26T00:00:00",
        "fate": "killed",
    }
    assert (second["family_name"], second["age_low"], second["date_precision"]) == (
        "Петросян",
        41,
        "month",
    )
    assert second["row_number"] == 2


def test_json_and_jsonl(case: Case, tmp_path: Path) -> None:
    objects = [
        {"full_name": "Ali Hasanov", "age": 40, "extra": {"k": [1, 2]}},
        {"full_name": "Ashot Petrosyan", "sex": "M"},
    ]
    json_path = tmp_path / "list.json"
    json_path.write_text(json.dumps(objects, ensure_ascii=False))
    jsonl_path = tmp_path / "list.jsonl"
    jsonl_path.write_text("\n".join(json.dumps(o) for o in reversed(objects)) + "\n\n")
    assert import_file(case, "registry", json_path).imported == 2
    assert import_file(case, "ngo", jsonl_path).imported == 2
    records = _records(case)
    assert json.loads(records[0]["raw"]) == objects[0]
    assert records[0]["age_low"] == 40
    assert records[2]["full_name"] == "Ashot Petrosyan"


def test_the_same_file_twice_adds_nothing_and_says_so(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", GOOD)
    import_file(case, "registry", path)
    before = table_counts(case.root)
    copy = write_csv(tmp_path / "renamed copy.csv", GOOD)
    again = import_file(case, "ngo", copy)
    assert again.already_imported and again.imported == 0
    assert again.previous is not None and again.previous["source"] == "registry"
    assert table_counts(case.root) == before
    cli = run_cli("import", "registry", str(path), case=case.root)
    assert cli.returncode == 0 and "already imported" in cli.stdout


def test_every_problem_is_reported_at_once_and_nothing_is_written(
    case: Case, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        "full_name,sex,age,date,fate\n"
        "Ali Hasanov,M,40,1992-02-26,killed\n"
        "Ashot Petrosyan,x,40,1992-02-30,killed\n"
        ",F,,,missing\n"
        "Gulnara Aliyeva,F,forty,1992,murdered\n",
    )
    before = table_counts(case.root)
    with pytest.raises(ValidationError) as caught:
        import_file(case, "registry", path)
    problems = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert problems == {
        (2, "sex", "x"),
        (2, "date", "1992-02-30"),
        (3, None, None),
        (4, "age", "forty"),
        (4, "fate", "murdered"),
    }
    assert table_counts(case.root) == before
    message = str(caught.value)
    assert str(path) in message and "row 2" in message and "column 'date'" in message
    assert "'1992-02-30'" in message and "1992-02 has 29 days" in message


def test_cli_reports_problems_as_json_with_exit_code_1(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", "full_name,age\nAli,forty\n")
    result = run_cli("import", "registry", str(path), "--json", case=case.root)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["problems"] == [
        {
            "file": str(path),
            "row": 1,
            "line": 2,
            "column": "age",
            "value": "forty",
            "expected": report["problems"][0]["expected"],
        }
    ]
    assert "an age" in report["problems"][0]["expected"]
    assert "Traceback" not in result.stderr


def test_skip_invalid_imports_valid_rows_and_writes_rejects(case: Case, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "mixed.csv",
        "full_name,age,note\nAli Hasanov,40,ok\nAshot,forty,=cmd|' /C calc'!A0\nGulnara,35,fine\n",
    )
    result = import_file(case, "registry", path, skip_invalid=True)
    assert (result.imported, result.rejected) == (2, 1)
    assert [r["row_number"] for r in _records(case)] == [1, 3]
    assert result.rejects_file is not None
    with Path(result.rejects_file).open(encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert rejects == [
        {
            "row_number": "2",
            "problems": rejects[0]["problems"],
            "full_name": "Ashot",
            "age": "forty",
            "note": "'=cmd|' /C calc'!A0",
        }
    ]
    assert "age: expected an age" in rejects[0]["problems"]
    assert not list(Path(result.rejects_file).parent.glob("*.partial"))


def test_import_attaches_records_to_an_event(case: Case, tmp_path: Path) -> None:
    add_event(case, "town-1992", "Attack on the town", start="1992-02-25", end="1992-02-26")
    import_file(case, "registry", write_csv(tmp_path / "l.csv", GOOD), event="town-1992")
    assert {r["event_id"] for r in _records(case)} == {1}
    with pytest.raises(NotFoundError, match="unknown event 'nowhere'"):
        import_file(
            case, "registry", write_csv(tmp_path / "m.csv", GOOD + "X Y,,,,,,,\n"), event="nowhere"
        )


# --- bad input: each gives a clear error and leaves the case exactly as it was --------------


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """name → (import arguments after the source, text the error must contain)."""

    def csv_file(name: str, data: bytes) -> str:
        (tmp_path / name).write_bytes(data)
        return str(tmp_path / name)

    mapping = tmp_path / "unknown-columns.toml"
    mapping.write_text('[columns]\n"Surname" = "family_name"\n"ФИО" = "full_name"\n')
    declared_utf8 = tmp_path / "utf8.toml"
    declared_utf8.write_text('[options]\nencoding = "utf-8"\n')
    cp1251 = "full_name\nМамедов Али\nПетросян Ашот\n".encode("cp1251")
    return {
        "wrong encoding (declared)": (
            [csv_file("cp.csv", cp1251), "--mapping", str(declared_utf8)],
            "cannot be read as utf-8",
        ),
        "wrong encoding (mixed)": (
            [
                csv_file(
                    "mixed.csv", "full_name\nМамедов Али\n".encode() + "Петросян\n".encode("cp1251")
                )
            ],
            "line 3: bytes",
        ),
        "missing required column": (
            [csv_file("noname.csv", b"sex,age\nM,40\n")],
            "a name column: full_name, given_name or family_name",
        ),
        "duplicated header": (
            [csv_file("dup.csv", b"full_name,age,age\nAli,40,41\n")],
            "header, column 'age': expected a unique column name; column 3 repeats column 2",
        ),
        "bad date": (
            [csv_file("date.csv", b"full_name,date\nAli,1992-02-30\nAshot,1992\n")],
            "row 1, line 2, column 'date': value '1992-02-30'",
        ),
        "header only": ([csv_file("empty.csv", b"full_name,age\n")], "no data rows"),
        "zero-byte file": ([csv_file("zero.csv", b"")], "empty (0 bytes)"),
        "binary file named .csv": (
            [csv_file("photo.csv", b"\xff\xd8\xff\xe0" + bytes(500))],
            "a JPEG image",
        ),
        "mapping names unknown columns": (
            [csv_file("ok.csv", b"full_name\nAli\n"), "--mapping", str(mapping)],
            "column 'Surname': expected a column of this name",
        ),
        "unknown source": (["--source-placeholder"], "unknown source 'nosuch'"),
        "unknown file type": ([csv_file("list.pdf", b"%PDF-1.4")], "unknown file type '.pdf'"),
        "ragged row": (
            [csv_file("ragged.csv", b"full_name,age\nAli,40,extra\n")],
            "expected 2 cells as in the header, found 3",
        ),
    }


BAD_INPUTS = [
    "wrong encoding (declared)",
    "wrong encoding (mixed)",
    "missing required column",
    "duplicated header",
    "bad date",
    "header only",
    "zero-byte file",
    "binary file named .csv",
    "mapping names unknown columns",
    "unknown source",
    "unknown file type",
    "ragged row",
]


def test_every_bad_input_has_a_case(tmp_path: Path) -> None:
    assert sorted(_bad_inputs(tmp_path)) == sorted(BAD_INPUTS)


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_gives_a_clear_error_and_leaves_the_case_unchanged(
    case: Case, tmp_path: Path, name: str
) -> None:
    import_file(case, "registry", write_csv(tmp_path / "first.csv", GOOD))
    before = table_counts(case.root)
    args, expected = _bad_inputs(tmp_path)[name]
    source = "registry"
    if args == ["--source-placeholder"]:
        source, args = "nosuch", [str(write_csv(tmp_path / "x.csv", GOOD.replace("Ali", "Ala")))]
    result = run_cli("import", source, *args, case=case.root)
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert table_counts(case.root) == before
    assert not list(case.rejects_dir.glob("*")) if case.rejects_dir.exists() else True


def test_malformed_mapping_files_are_refused(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", GOOD)
    cases = {
        '[columns]\n"x" = "surname"\n': "the field must be one of",
        "[values.colour]\n": "unknown field",
        '[options]\ndate_order = "ydm"\n': "date_order",
        "[columns\n": "not a valid TOML",
        "[colums]\n": "unknown table",
    }
    for text, message in cases.items():
        mapping = tmp_path / "m.toml"
        mapping.write_text(text)
        with pytest.raises(MappingError, match=message):
            import_file(case, "registry", path, mapping_path=mapping)
    with pytest.raises(MappingError, match="no such mapping file"):
        import_file(case, "registry", path, mapping_path=tmp_path / "missing.toml")
    assert table_counts(case.root)["imports"] == 0


def test_invalid_json_names_the_line(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text('{"full_name": "Ali"}\n{"full_name": "Ashot",}\n')
    with pytest.raises(InputFileError, match="line 2: not valid JSON"):
        import_file(case, "registry", path)
