"""The command line: a thin Typer front over the core (``recount.cli:main`` is the entry point)."""

from recount.cli.case import main

__all__ = ["main"]
