"""Who acts on evidence, and optional Ed25519 signatures on their custody entries.

An actor who registers a public key (``recount evidence signing-key``) signs every later entry
with the private key, kept outside the case; a signature proves the entry came from the holder
of that key, which a hash chain alone cannot (anyone with write access can rebuild a chain).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import CustodyError, DuplicateError, InputFileError, InvalidValueError
from recount.store import custody as custody_store

if TYPE_CHECKING:
    from recount.store import Connection

ACTOR_ENV = "RECOUNT_ACTOR"
SIGN_KEY_ENV = "RECOUNT_SIGN_KEY"


@dataclass(frozen=True)
class Actor:
    name: str
    signing_key: Ed25519PrivateKey | None = None

    def sign(self, entry_hash: str) -> str | None:
        if self.signing_key is None:
            return None
        return self.signing_key.sign(bytes.fromhex(entry_hash)).hex()


def default_actor_name() -> str:
    return os.environ.get(ACTOR_ENV) or getpass.getuser()


def public_hex(private: Ed25519PrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )


def new_signing_key(conn: Connection, actor: str, path: Path) -> str:
    """Make a key pair: the private key to ``path`` (owner-only), the public key into the case."""
    if not actor.strip():
        raise InvalidValueError("a signing key needs an actor name (--actor)")
    if custody_store.actor_public_key(conn, actor) is not None:
        raise DuplicateError(f"actor {actor!r} already has a signing key in this case")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public = public_hex(private)
    custody_store.insert_actor(conn, actor, public, utc_now())
    return public


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read the signing key ({exc.strerror})") from None
    except ValueError:
        raise InputFileError(str(path), "not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputFileError(str(path), "not an Ed25519 key")
    return key


def resolve_actor(conn: Connection, name: str | None, sign_key: Path | None) -> Actor:
    """The actor for new entries; refuses a signer whose key is not the one registered."""
    name = name or default_actor_name()
    sign_key = sign_key or (
        Path(os.environ[SIGN_KEY_ENV]) if os.environ.get(SIGN_KEY_ENV) else None
    )
    registered = custody_store.actor_public_key(conn, name)
    if sign_key is None:
        if registered is not None:
            raise CustodyError(
                f"actor {name!r} signs their custody entries: give --sign-key (or ${SIGN_KEY_ENV})"
            )
        return Actor(name)
    private = load_signing_key(sign_key)
    if registered is None:
        raise CustodyError(
            f"{sign_key}: actor {name!r} has no signing key in this case; "
            f"register one with `recount evidence signing-key FILE --actor {name}`"
        )
    if public_hex(private) != registered:
        raise CustodyError(f"{sign_key} is not the signing key registered for actor {name!r}")
    return Actor(name, private)


def signature_valid(public_key: str, entry_hash: str, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), bytes.fromhex(entry_hash)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def actor_for(case: Case, name: str | None, sign_key: Path | None) -> Actor:
    """``resolve_actor`` on a reading of the case."""
    with case.reading() as conn:
        return resolve_actor(conn, name, sign_key)


def add_signing_key(case: Case, actor: str, path: Path) -> str:
    """``new_signing_key`` in a write transaction of its own; the public key, hex."""
    with case.writing() as conn:
        return new_signing_key(conn, actor, path)
