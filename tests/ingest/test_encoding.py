"""Encodings and delimiters are detected; binary and mixed files are refused with the place."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from recount.errors import InputFileError
from recount.ingest.encoding import detect_encoding
from recount.ingest.readers import open_table

CYRILLIC = "family_name;given_name;sex\nМамедов;Али;M\nПетросян;Ашот;M\nЖуравлёва;Юлия;F\n"
WESTERN = "family_name,given_name\nMüller,François\nGarçon,Zoë\nÅström,Sigurður\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (CYRILLIC.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CYRILLIC.encode("utf-8"), "utf-8-sig"),
        (CYRILLIC.encode("utf-16"), "utf-16"),
        (CYRILLIC.encode("utf-16-le"), "utf-16-le"),
        (CYRILLIC.encode("utf-16-be"), "utf-16-be"),
        (CYRILLIC.encode("cp1251"), "cp1251"),
        (WESTERN.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(data)
    assert detect_encoding(path) == expected
    table = open_table(path)
    rows = [row.values for row in table.rows]
    assert table.columns[0] == "family_name"
    assert rows[0][0] in ("Мамедов", "Müller")


def test_delimiters_are_detected(tmp_path: Path) -> None:
    for delimiter in (",", ";", "\t", "|"):
        path = tmp_path / "list.csv"
        path.write_text(
            delimiter.join(["full_name", "age"])
            + "\n"
            + delimiter.join(["Ali, son of Hasan", "40"]).replace(
                "Ali, son of Hasan", '"Ali, son of Hasan"'
            )
            + "\n"
        )
        table = open_table(path)
        assert table.delimiter == delimiter
        assert [r.values for r in table.rows] == [["Ali, son of Hasan", "40"]]


def test_mixed_encodings_are_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("full_name\nМамедов Али\n".encode() + "Петросян Ашот\n".encode("cp1251"))
    with pytest.raises(InputFileError, match=r"line 3: .*not UTF-8.*mixes encodings"):
        detect_encoding(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "a PNG image"),
        (b"PK\x03\x04" + bytes(100), "ZIP archive"),
        (bytes([0, 1, 2, 3, 255, 0, 0, 7]) * 100, "binary data"),
    ],
)
def test_binary_files_named_csv_are_refused(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=message):
        open_table(path)
