"""`recount serve`, `recount user ...` and `recount public on|off`: the web front's commands.

Registered on the shared app when ``recount.cli.case`` imports this module.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from recount.cli.base import (
    Commands,
    JsonOption,
    case_context,
    err,
    out,
    print_json,
)
from recount.errors import UsageError

commands = Commands()

user_app = typer.Typer(
    help="Accounts for `recount serve`: add, list, change.", no_args_is_help=True
)
public_app = typer.Typer(
    help="The public memorial view (/public): on or off.", no_args_is_help=True
)
commands.add_typer(user_app, name="user")
commands.add_typer(public_app, name="public")

PASSWORD_ENV = "RECOUNT_PASSWORD"  # noqa: S105 (a variable name, for scripts)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@commands.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on. Anything but loopback should sit behind TLS.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    key_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--key-file",
            help="A key that opens protected items or witness identities for the "
            "roles allowed to see them (repeat for several).",
        ),
    ] = None,
    passphrase: Annotated[
        bool,
        typer.Option(
            "--passphrase", help="Also ask for (or read $RECOUNT_PASSPHRASE) a passphrase key."
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes serving requests (default: 2 for a case in PostgreSQL, "
            "1 for a case in SQLite).",
        ),
    ] = None,
) -> None:
    """Serve the case in a browser: persons, review, evidence, estimates, public view."""
    import uvicorn

    from recount.evidence.keys import PASSPHRASE_ENV, KeySource, keys_for
    from recount.security.users import list_users
    from recount.web.app import SETTINGS_ENV, WebSettings

    sources = [KeySource(key_file=path) for path in key_file or []]
    if passphrase:
        sources.append(
            KeySource.from_options(None, True, lambda: typer.prompt("Passphrase", hide_input=True))
        )
    with case_context() as case:
        root = case.root.resolve()
        if not list_users(case):
            raise UsageError(
                "the case has no accounts yet: add one first with "
                "`recount user add NAME --role admin`"
            )
        keys_for(case, sources)  # a wrong key stops here, before any worker starts
        count = workers or (2 if case.store.dialect == "postgresql" else 1)
    if not _loopback(host):
        err.print(
            f"Listening on {host}: other machines can reach this server. Put it behind "
            "TLS (a reverse proxy); its session cookies are sent over HTTPS only."
        )
    # Every worker reads its settings (and a passphrase) from the environment it inherits.
    jobs_dir = Path(tempfile.mkdtemp(prefix="recount-jobs-"))
    os.environ[SETTINGS_ENV] = WebSettings(root, sources, jobs_dir=jobs_dir).to_json()
    for source in sources:
        if source.passphrase is not None:
            os.environ[PASSPHRASE_ENV] = source.passphrase
    plural = "s" if count > 1 else ""
    out.print(f"Serving {root} on http://{host}:{port}/ ({count} worker{plural}; Ctrl+C to stop)")
    try:
        uvicorn.run(
            "recount.web.app:app_from_environment",
            factory=True,
            workers=count,
            host=host,
            port=port,
            log_level="warning",
            server_header=False,
            proxy_headers=False,
        )
    finally:
        shutil.rmtree(jobs_dir, ignore_errors=True)


def _password(prompt: bool) -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not prompt:
        raise UsageError(f"no password: type it at the prompt or set ${PASSWORD_ENV}")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name, e.g. amina.")],
    role: Annotated[str, typer.Option(help="admin, analyst, reviewer or viewer.")],
    as_json: JsonOption = False,
) -> None:
    """Add an account; the password is asked for (or read from $RECOUNT_PASSWORD)."""
    from recount.security.users import add_user

    password = _password(prompt=True)
    with case_context() as case:
        user = add_user(case, name, role, password, by=_who())
    if as_json:
        print_json(user.to_dict())
    else:
        out.print(f"Added user {user.name!r} ({user.role})")


def _who() -> str:
    from recount.evidence.signing import default_actor_name

    return f"cli:{default_actor_name()}"


@user_app.command("list")
def user_list(as_json: JsonOption = False) -> None:
    """List the accounts, their roles and whether they are locked or disabled."""
    from recount.security.users import list_users

    with case_context() as case:
        found = list_users(case)
    if as_json:
        print_json([u.to_dict() for u in found])
        return
    table = Table("name", "role", "disabled", "locked until", "created")
    for u in found:
        table.add_row(
            u.name, u.role, "yes" if u.disabled else "", u.locked_until or "", u.created_at[:19]
        )
    out.print(table if found else "No accounts yet: `recount user add NAME --role admin`")


@user_app.command("change")
def user_change(
    name: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[str | None, typer.Option(help="A new role.")] = None,
    password: Annotated[bool, typer.Option("--password", help="Set a new password.")] = False,
    disable: Annotated[
        bool, typer.Option("--disable", help="Stop the account logging in.")
    ] = False,
    enable: Annotated[bool, typer.Option("--enable", help="Let it log in again.")] = False,
    unlock: Annotated[bool, typer.Option("--unlock", help="Lift a lockout now.")] = False,
) -> None:
    """Change an account's role or password, disable or enable it, lift a lockout."""
    from recount.security.users import change_user

    if disable and enable:
        raise UsageError("give --disable or --enable, not both")
    new_password = _password(prompt=True) if password else None
    with case_context() as case:
        user = change_user(
            case,
            name,
            by=_who(),
            role=role,
            password=new_password,
            disabled=True if disable else False if enable else None,
            unlock=unlock,
        )
    out.print(f"User {user.name!r}: {user.role}{', disabled' if user.disabled else ''}")


@public_app.command("on")
def public_on() -> None:
    """Enable the public memorial view at /public (no login; whitelisted fields only)."""
    from recount.security.public import set_public_enabled

    with case_context() as case:
        set_public_enabled(case, True)
    out.print(
        "The public view is on: /public shows events and the persons whose records are "
        "marked publishable."
    )


@public_app.command("off")
def public_off() -> None:
    """Disable the public memorial view."""
    from recount.security.public import set_public_enabled

    with case_context() as case:
        set_public_enabled(case, False)
    out.print("The public view is off.")
