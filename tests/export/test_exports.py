"""Exports: the links contract, CSV and JSON, and spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from recount.case.folder import Case
from recount.export.tables import export_columns, export_rows
from recount.export.writers import neutralise, write_csv, write_json
from recount.ingest.importer import import_file
from recount.linkage.review import add_label
from recount.linkage.run import apply_labels
from tests.conftest import run_cli
from tests.conftest import write_csv as write_text

LIST = (
    "full_name,sex,age,place\n"
    '=HYPERLINK("http://x";"click"),M,40,+village\n'
    "Ali Hasanov,M,30,@SUM(A1)\n"
    "-Ashot,M,,Town\n"
)


def _imported(case: Case, tmp_path: Path) -> Case:
    import_file(case, "registry", write_text(tmp_path / "reg.csv", LIST))
    import_file(case, "ngo", write_text(tmp_path / "ngo.csv", "full_name\nМамедов Али\n"))
    return case


def test_links_has_the_contract_columns_one_line_per_record(case: Case, tmp_path: Path) -> None:
    _imported(case, tmp_path)
    result = run_cli("export", "links", "--format", "csv", case=case.root)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["source"], r["row_number"]) for r in rows] == [
        ("ngo", "1"),
        ("registry", "1"),
        ("registry", "2"),
        ("registry", "3"),
    ]
    assert len({r["person_id"] for r in rows}) == 4  # before linkage, one person per record


def test_csv_cells_that_would_run_as_formulas_are_neutralised(case: Case, tmp_path: Path) -> None:
    _imported(case, tmp_path)
    out = io.StringIO()
    write_csv(export_rows(case, "records", "registry"), out, export_columns("records"))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["full_name"] == '\'=HYPERLINK("http://x";"click")'
    assert rows[0]["place"] == "'+village"
    assert rows[1]["place"] == "'@SUM(A1)"
    assert rows[2]["full_name"] == "'-Ashot"
    assert rows[1]["full_name"] == "Ali Hasanov"
    assert rows[0]["age_low"] == "40"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


def test_json_keeps_values_exactly(case: Case, tmp_path: Path) -> None:
    _imported(case, tmp_path)
    result = run_cli(
        "export", "records", "--format", "json", "--source", "registry", case=case.root
    )
    records = json.loads(result.stdout)
    assert records[0]["full_name"] == '=HYPERLINK("http://x";"click")'
    assert records[0]["age_low"] == 40
    assert json.loads(records[0]["raw"])["place"] == "+village"
    assert {r["source"] for r in records} == {"registry"}


def test_export_to_a_file_and_persons(case: Case, tmp_path: Path) -> None:
    _imported(case, tmp_path)
    target = tmp_path / "persons.json"
    result = run_cli(
        "export", "persons", "--format", "json", "--output", str(target), case=case.root
    )
    assert result.returncode == 0 and "Wrote 4 persons" in result.stderr
    persons = json.loads(target.read_text())
    assert [p["records"] for p in persons] == [1, 1, 1, 1]
    assert persons[-1]["name"] == "Мамедов Али"


def test_export_of_an_unknown_source_is_an_error(case: Case) -> None:
    result = run_cli("export", "links", "--source", "nosuch", case=case.root)
    assert result.returncode == 1 and "unknown source 'nosuch'" in result.stderr


def test_writers_on_edge_cases() -> None:
    assert neutralise("\tcmd") == "'\tcmd" and neutralise(-5) == -5 and neutralise("a=b") == "a=b"
    out = io.StringIO()
    assert write_json([], out, ["a"]) == 0 and json.loads(out.getvalue()) == []
    out = io.StringIO()
    assert write_csv([], out, ["source", "row_number", "person_id"]) == 0
    assert out.getvalue() == "source,row_number,person_id\n"


def test_an_empty_case_exports_the_links_header(case: Case) -> None:
    result = run_cli("export", "links", case=case.root)
    assert result.stdout.splitlines() == [",".join(export_columns("links"))]


def test_persons_list_the_distinct_sources_and_values_of_their_records(
    case: Case, tmp_path: Path
) -> None:
    import_file(case, "registry", write_text(tmp_path / "r.csv", "full_name,sex\nAli Hasanov,M\n"))
    import_file(
        case, "ngo", write_text(tmp_path / "n.csv", "full_name,sex,fate\nHasanov Ali,M,killed\n")
    )
    left, right = (r["record_id"] for r in export_rows(case, "links"))
    add_label(case, left, right, "match", "reviewer")
    apply_labels(case)
    (person,) = export_rows(case, "persons")
    assert (person["records"], person["sources_count"]) == (2, 2)
    assert sorted(person["sources"].split(",")) == ["ngo", "registry"]
    assert (person["sex"], person["fate"]) == ("M", "killed")
