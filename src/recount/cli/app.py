"""The entry point: the app built from every command module, registered explicitly.

Errors the user can act on (``recount.errors.RecountError``) become one message on standard
error and the exit code the error names (1 input, 2 usage, 3 integrity); never a traceback.
"""

from __future__ import annotations

import gc
import sys

import typer

from recount.cli import (
    acts,
    base,
    case,
    claims,
    estimate,
    events,
    evidence,
    families,
    linkage,
    store,
    web,
)
from recount.errors import RecountError, ValidationError

# The order `recount --help` lists them in: the pipeline first, then the record, then serving.
COMMAND_MODULES = (case, linkage, estimate, claims, events, acts, families, evidence, store, web)


def build_app() -> typer.Typer:
    app = typer.Typer(
        help=base.APP_HELP,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )
    app.callback()(base.main_options)
    for module in COMMAND_MODULES:
        module.commands.register(app)
    return app


def main() -> None:
    """Run the CLI; Typer itself reports usage errors (exit 2)."""
    try:
        build_app()()
    except ValidationError as exc:
        if "--json" in sys.argv:
            base.print_json(exc.to_dict())
        base.err.print(str(exc), markup=False)
        sys.exit(exc.exit_code)
    except RecountError as exc:
        if "--json" in sys.argv:
            base.print_json(exc.to_dict())
        base.err.print(f"Error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    finally:
        # The interpreter's last collections walk every object a command loaded (Numba's and
        # SQLAlchemy's are many): freezing them spares that work at exit.
        gc.freeze()
