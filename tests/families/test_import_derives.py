"""`recount import` derives the relations a list states, and says so; other lists are untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recount.case.folder import Case
from tests.conftest import run_cli, write_csv

HOUSEHOLD = """household_id,household_role,given_name,family_name,sex,age,fate
H1,head,Rauf,Aliyev,M,40,killed
H1,spouse,Leyla,Aliyeva,F,36,killed
H1,child,Emin,Aliyev,M,9,survived
"""


@pytest.mark.slow
def test_import_derives_household_relations(case: Case, tmp_path: Path) -> None:
    case.close()
    path = write_csv(tmp_path / "register.csv", HOUSEHOLD)
    result = run_cli("import", "ngo", str(path), "--json", case=case.root)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["relations"]["added"] == {"household": 3}
    families = json.loads(run_cli("families", "--json", case=case.root).stdout)
    assert families["counts"]["lost_both"] == 1
    again = run_cli("import", "ngo", str(path), "--json", case=case.root)
    assert json.loads(again.stdout)["relations"] is None  # already imported: nothing new


def test_a_list_without_family_columns_derives_nothing(case: Case, tmp_path: Path) -> None:
    case.close()
    path = write_csv(tmp_path / "plain.csv", "full_name,fate\nRauf Aliyev,killed\n")
    result = run_cli("import", "registry", str(path), case=case.root)
    assert result.returncode == 0 and "family relations" not in result.stdout
