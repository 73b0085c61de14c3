"""The CLI is assembled explicitly and starts light; every command it has answers --help.

The commands are enumerated from the app ``cli/app.py`` builds, so a new command or command
module is covered without editing this file.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import recount.cli
from recount.cli.app import COMMAND_MODULES, build_app
from recount.cli.base import Commands

HEAVY = ("sqlalchemy", "numpy", "pandas", "splink", "duckdb", "scipy", "numba", "statsmodels")


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group of the app, as the words a user types."""
    root = typer.main.get_command(build_app())
    found: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        found.append(path)
        # typer ships its own click: a group is whatever has sub-commands.
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(root, ())
    return found


def test_every_command_module_is_registered_explicitly() -> None:
    modules = [
        importlib.import_module(f"recount.cli.{info.name}")
        for info in pkgutil.iter_modules(recount.cli.__path__)
        if info.name != "__main__"  # running it is running the CLI
    ]
    with_commands = {
        m.__name__ for m in modules if isinstance(getattr(m, "commands", None), Commands)
    }
    registered = {m.__name__ for m in COMMAND_MODULES}
    assert with_commands == registered


def test_building_the_app_twice_registers_each_command_once() -> None:
    first, second = command_paths(), command_paths()
    assert first == second
    assert len(first) == len(set(first))
    top = {path[0] for path in first if len(path) == 1}
    for word in ("init", "import", "link", "estimate", "backup", "restore", "store", "serve"):
        assert word in top


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "recount")
def test_every_command_answers_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(build_app(), [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_starting_the_cli_loads_no_heavy_package() -> None:
    code = (
        "import json, sys\n"
        "import recount.cli.app\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(loaded) == []
