"""`recount evidence witness ...`: pseudonyms in the clear, identities sealed with a key."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from recount.cli.base import ActorOption, JsonOption, case_context, out, print_json
from recount.cli.evidence_options import (
    KeyFileOption,
    NewKeyOption,
    PassphraseOption,
    SignKeyOption,
    actor_of,
    key_of,
)

witness_app = typer.Typer(
    help="Witnesses: pseudonyms, with identities sealed apart.", no_args_is_help=True
)


@witness_app.command("add")
def witness_add(
    pseudonym: Annotated[str, typer.Argument(help="The pseudonym testimonies will carry.")],
    name: Annotated[str | None, typer.Option(help="The witness's real name (sealed).")] = None,
    contact: Annotated[str | None, typer.Option(help="How to reach them (sealed).")] = None,
    notes: Annotated[str | None, typer.Option(help="Anything else identifying (sealed).")] = None,
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    new_key: NewKeyOption = False,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
) -> None:
    """Register a witness: the pseudonym in the clear, the identity sealed with the key."""
    from recount.errors import KeyRequiredError
    from recount.evidence.testimony import register_witness

    with case_context() as case:
        key = key_of(case, key_file, passphrase, new_key)
        if key is None:
            raise KeyRequiredError(
                "a witness identity is always sealed: give --key-file or --passphrase"
            )
        who = actor_of(case, actor, sign_key)
        identity = {"name": name, "contact": contact, "notes": notes}
        register_witness(case, pseudonym, identity, key, who)
    out.print(f"Registered witness {pseudonym}; the identity is sealed with key {key.key_id}.")


@witness_app.command("list")
def witness_list(as_json: JsonOption = False) -> None:
    """List witnesses by pseudonym (identities stay sealed)."""
    from recount.evidence.testimony import witnesses_of

    with case_context() as case:
        found = witnesses_of(case)
    if as_json:
        print_json([w.to_dict() for w in found])
        return
    table = Table("pseudonym", "testimonies", "key", "added")
    for w in found:
        table.add_row(w.pseudonym, str(w.testimonies), w.key_id, w.created_at[:10])
    out.print(table if found else "No witnesses yet: `recount evidence witness add PSEUDONYM`")


@witness_app.command("show")
def witness_show(
    pseudonym: Annotated[str, typer.Argument(help="The witness's pseudonym.")],
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reveal a witness's identity (needs the key; logged in the witness's chain)."""
    from recount.errors import KeyRequiredError
    from recount.evidence.testimony import identity_of

    with case_context() as case:
        key = key_of(case, key_file, passphrase)
        if key is None:
            raise KeyRequiredError(
                f"witness {pseudonym}'s identity is sealed: give --key-file or --passphrase"
            )
        who = actor_of(case, actor, sign_key)
        identity = identity_of(case, pseudonym, key, who)
    if as_json:
        print_json({"pseudonym": pseudonym, **identity})
        return
    for field_name, value in identity.items():
        if value:
            out.print(f"{field_name}: {escape(str(value))}")
