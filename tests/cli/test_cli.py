"""The command line as a contract: names, exit codes, one-line errors, JSON output.

Event, act and intervention commands are tested in tests/events/test_cli_events.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import init_args, run_cli, table_counts


@pytest.fixture
def case_root(tmp_path: Path, database_url: str | None) -> Path:
    """An empty case made by `recount init`, on each engine."""
    assert run_cli("init", str(tmp_path / "c"), *init_args(database_url)).returncode == 0
    return tmp_path / "c"


def test_sources_add_and_list(case_root: Path) -> None:
    added = run_cli(
        "source",
        "add",
        "ministry-1993",
        "--name",
        "Ministry register",
        "--kind",
        "government",
        "--json",
        case=case_root,
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["slug"] == "ministry-1993"
    listed = json.loads(run_cli("source", "list", "--json", case=case_root).stdout)
    assert [(s["slug"], s["kind"], s["imports"], s["records"]) for s in listed] == [
        ("ministry-1993", "government", 0, 0)
    ]
    table = run_cli("source", "list", case=case_root).stdout
    assert "ministry-1993" in table and "Ministry register" in table


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["source", "add", "Bad Slug", "--name", "x", "--kind", "ngo"], 1, "lowercase letters"),
        (["source", "add", "ok", "--name", "x", "--kind", "blog"], 2, "blog"),
        (["source", "add", "ok", "--kind", "ngo"], 2, "--name"),
        (["source", "add", "ok", "--name", "  ", "--kind", "ngo"], 1, "needs a name"),
        (["export", "people"], 2, "people"),
        (["no-such-command"], 2, "No such command"),
    ],
)
def test_mistakes_give_one_clear_message_and_the_right_exit_code(
    case_root: Path, args: list[str], code: int, message: str
) -> None:
    before = table_counts(case_root)
    result = run_cli(*args, case=case_root)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert table_counts(case_root) == before


def test_duplicate_source_is_refused(case_root: Path) -> None:
    args = ["source", "add", "ngo", "--name", "An NGO", "--kind", "ngo"]
    assert run_cli(*args, case=case_root).returncode == 0
    again = run_cli(*args, case=case_root)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert table_counts(case_root)["sources"] == 1


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.startswith("recount ")
    help_text = run_cli("--help").stdout
    for command in ("init", "source", "import", "records", "export", "demo"):
        assert command in help_text
