"""The layout and the layering hold for every module there is, read from the source itself.

* Only ``store/`` opens connections or transactions, or writes SQL as text: no other module
  calls ``.connect()``, ``.begin()``, ``.exec_driver_sql()`` or ``.raw_connection()``, imports a
  database driver, or uses SQLAlchemy's ``text()``. The one exception is Splink's own DuckDB
  work database in ``linkage/`` (the case store is never opened there).
* Only ``store/`` composes SQL at all: no other module imports SQLAlchemy, the store's tables or
  its dialect module. The domain asks the store's query functions (``store/events.py``, ...) and
  names ``Connection``/``Engine`` through ``recount.store`` for its type hints.
* The fronts (``cli/``, ``web/``) call domain functions: they import neither SQLAlchemy nor the
  store.
* Domain packages never import a front.
* The top level holds only the kernel modules every domain uses.
* Modules stay small enough to read (under 600 lines).
* ``tests/`` mirrors ``src/recount/``: every test folder is named after a package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "recount"
TESTS = Path(__file__).parent
FRONTS = ("cli", "web")
KERNEL = {"__init__", "errors", "vocabulary", "dates", "clock", "_typing", "api"}
OPENERS = {"connect", "begin", "exec_driver_sql", "raw_connection"}
DRIVERS = {"sqlite3", "psycopg", "psycopg2", "duckdb"}
# Splink runs its work in a DuckDB database of its own, in a temporary folder; it is not the
# case store, and only the module that drives Splink opens it.
ALLOWED_DRIVERS = {("linkage/model.py", "duckdb")}
ALLOWED_OPENERS = {("linkage/model.py", "connect")}
MAX_LINES = 600


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def relative(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def package_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else ""


def imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def called_attributes(tree: ast.AST) -> set[str]:
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def uses_sql_text(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "sqlalchemy"
        and any(alias.name == "text" for alias in node.names)
        for node in ast.walk(tree)
    )


SOURCES = {relative(p): ast.parse(p.read_text(encoding="utf-8")) for p in modules()}
OUTSIDE_STORE = sorted(name for name in SOURCES if not name.startswith("store/"))


@pytest.mark.parametrize("name", OUTSIDE_STORE)
def test_only_the_store_opens_connections_or_writes_sql(name: str) -> None:
    tree = SOURCES[name]
    openers = {a for a in called_attributes(tree) & OPENERS if (name, a) not in ALLOWED_OPENERS}
    assert not openers, f"{name} opens connections or transactions itself: {sorted(openers)}"
    drivers = {
        m.split(".")[0]
        for m in imported_modules(tree)
        if m.split(".")[0] in DRIVERS and (name, m.split(".")[0]) not in ALLOWED_DRIVERS
    }
    assert not drivers, f"{name} imports a database driver: {sorted(drivers)}"
    assert not uses_sql_text(tree), f"{name} writes SQL as text (sqlalchemy.text)"


SQL_BUILDERS = ("sqlalchemy", "recount.store.tables", "recount.store.dialect")


@pytest.mark.parametrize("name", OUTSIDE_STORE)
def test_only_the_store_composes_sql(name: str) -> None:
    builders = {
        m
        for m in imported_modules(SOURCES[name])
        if any(m == b or m.startswith(f"{b}.") for b in SQL_BUILDERS)
    }
    assert not builders, (
        f"{name} composes SQL itself (imports {sorted(builders)}); "
        "put the query in a store/ module and call it"
    )


@pytest.mark.parametrize("name", [n for n in SOURCES if n.split("/")[0] in FRONTS])
def test_fronts_call_the_core_and_hold_no_sql(name: str) -> None:
    forbidden = {
        m
        for m in imported_modules(SOURCES[name])
        if m == "sqlalchemy" or m.startswith("sqlalchemy.") or m.startswith("recount.store")
    }
    assert not forbidden, f"{name} is a front but imports {sorted(forbidden)}"


@pytest.mark.parametrize("name", [n for n in SOURCES if n.split("/")[0] not in FRONTS])
def test_the_core_never_imports_a_front(name: str) -> None:
    fronts = {
        m
        for m in imported_modules(SOURCES[name])
        if any(m == f"recount.{f}" or m.startswith(f"recount.{f}.") for f in FRONTS)
    }
    assert not fronts, f"{name} is core but imports the front(s) {sorted(fronts)}"


def test_the_top_level_holds_only_kernel_modules() -> None:
    top = {p.stem for p in SRC.glob("*.py")}
    assert top <= KERNEL, f"loose modules at the top level: {sorted(top - KERNEL)}"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_modules_stay_small(name: str) -> None:
    lines = (SRC / name).read_text(encoding="utf-8").count("\n")
    assert lines < MAX_LINES, f"{name} has {lines} lines; split it by concept"


def test_tests_mirror_the_packages() -> None:
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    test_dirs = {p.name for p in TESTS.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert test_dirs <= packages, f"test folders with no package: {sorted(test_dirs - packages)}"
