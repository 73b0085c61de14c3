"""Options and key handling shared by the evidence and witness commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from recount.case.folder import Case
    from recount.evidence.crypto import Key
    from recount.evidence.signing import Actor

KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file", help="Key file for protected items (made by `recount evidence keygen`)."
    ),
]
PassphraseOption = Annotated[
    bool,
    typer.Option(
        "--passphrase", help="Use a passphrase as the key: from $RECOUNT_PASSPHRASE, else asked."
    ),
]
NewKeyOption = Annotated[
    bool, typer.Option("--new-key", help="Start using a key this case has not seen before.")
]
SignKeyOption = Annotated[
    Path | None,
    typer.Option(
        "--sign-key", help="Sign the custody entries with this Ed25519 key ($RECOUNT_SIGN_KEY)."
    ),
]
NoteOption = Annotated[str | None, typer.Option(help="A note for the custody log.")]
ItemArgument = Annotated[str, typer.Argument(help="Item number, or 8+ hex digits of its sha256.")]


def key_of(case: Case, key_file: Path | None, passphrase: bool, new: bool = False) -> Key | None:
    from recount.evidence.keys import KeySource, key_for

    source = KeySource.from_options(
        key_file, passphrase, lambda: typer.prompt("Passphrase", hide_input=True, err=True)
    )
    return key_for(case, source, allow_new=new)


def actor_of(case: Case, name: str | None, sign_key: Path | None) -> Actor:
    from recount.evidence.signing import actor_for

    return actor_for(case, name, sign_key)
