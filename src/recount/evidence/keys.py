"""Which key a command was given, checked against the key ids the case knows.

The case keeps key ids and, for passphrases, the scrypt salt and costs — never a key. A key the
case has not seen is accepted only when the user says it is new (``--new-key``): a mistyped
passphrase must not silently start protecting items under a key nobody will remember.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import UsageError, WrongKeyError
from recount.evidence.crypto import Key, new_kdf, passphrase_key, read_key_file
from recount.store import custody as custody_store

if TYPE_CHECKING:
    from recount.store import Connection

PASSPHRASE_ENV = "RECOUNT_PASSPHRASE"  # noqa: S105 (a variable name)


@dataclass(frozen=True)
class KeySource:
    """How a command was told to get the key: a key file, or a passphrase (already read)."""

    key_file: Path | None = None
    passphrase: str | None = None

    @property
    def given(self) -> bool:
        return self.key_file is not None or self.passphrase is not None

    @classmethod
    def from_options(
        cls, key_file: Path | None, ask_passphrase: bool, prompt: object | None = None
    ) -> KeySource:
        """``--key-file`` or ``--passphrase`` (from $RECOUNT_PASSPHRASE, else ``prompt()``)."""
        if key_file is not None and ask_passphrase:
            raise UsageError("give either --key-file or --passphrase, not both")
        if key_file is not None:
            return cls(key_file=key_file)
        if not ask_passphrase:
            return cls()
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase is None and callable(prompt):
            passphrase = prompt()
        if not passphrase:
            raise UsageError(
                f"--passphrase: no passphrase given (set ${PASSPHRASE_ENV} or "
                "type it at the prompt)"
            )
        return cls(passphrase=passphrase)


def resolve_key(conn: Connection, source: KeySource, allow_new: bool = False) -> Key | None:
    """The key ``source`` gives, known to the case (or registered now if ``allow_new``)."""
    if not source.given:
        return None
    rows = custody_store.key_rows(conn)
    known = {row["key_id"] for row in rows}
    if source.key_file is not None:
        key = read_key_file(source.key_file)
    else:
        assert source.passphrase is not None
        kdfs = [json.loads(row["kdf"]) for row in rows if row["kind"] == "passphrase"]
        key = None
        for kdf in kdfs:
            key = passphrase_key(source.passphrase, kdf)
            if key.key_id in known:
                break
        if key is None or key.key_id not in known:
            # A new passphrase reuses the case's salt if it has one: one scrypt run per command.
            key = passphrase_key(source.passphrase, kdfs[0] if kdfs else new_kdf())
    if key.key_id in known:
        return key
    if not allow_new:
        what = "key file" if key.kind == "file" else "passphrase"
        if not known:
            raise WrongKeyError(
                f"this case has no protection key yet; to start protecting "
                f"items with this {what}, add --new-key"
            )
        raise WrongKeyError(
            f"the {what} given is not one this case's items are protected with "
            f"(key {key.key_id}); check it, or add --new-key to start using a "
            "new key"
        )
    custody_store.insert_key(
        conn, key.key_id, key.kind, json.dumps(key.kdf) if key.kdf else None, utc_now()
    )
    return key


def key_for(case: Case, source: KeySource, allow_new: bool = False) -> Key | None:
    """The key ``source`` gives, checked against the case; a new one is registered only when
    ``allow_new`` (then in a write transaction of its own)."""
    if not source.given:
        return None
    if allow_new:
        with case.writing() as conn:
            return resolve_key(conn, source, allow_new=True)
    with case.reading() as conn:
        return resolve_key(conn, source)


def keys_for(case: Case, sources: list[KeySource]) -> dict[str, Key]:
    """The keys of ``sources`` (each known to the case), by key id."""
    with case.reading() as conn:
        keys = [resolve_key(conn, source) for source in sources]
    return {key.key_id: key for key in keys if key is not None}
