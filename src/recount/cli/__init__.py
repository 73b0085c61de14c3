"""The command line: a thin Typer front over the core (``recount.cli:main`` is the entry point).

``cli/app.py`` builds the app from the command modules; each module only parses, calls the core
and prints.
"""

from __future__ import annotations


def main() -> None:
    from recount.cli.app import main as run

    run()


__all__ = ["main"]
