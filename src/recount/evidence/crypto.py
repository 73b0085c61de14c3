"""Encryption at rest for protected items and witness identities (see docs/evidence.md).

* A **key** (256 bits) comes from a key file (``recount evidence keygen``) or from a passphrase
  through scrypt (salt and costs kept in the case; the key never is). Its id is a one-way
  function of it, so the case can say "wrong key" without holding anything that opens data.
* Each protected thing gets a random **data key**, wrapped (AES-256-GCM) by the key. Changing
  the key later means re-wrapping small data keys, not re-encrypting files.
* Files are encrypted in 4 MiB segments (AES-256-GCM, a STREAM construction: the nonce holds the
  segment number and a last-segment flag), so any size is encrypted in bounded memory, and a
  reordered, truncated or altered segment fails to decrypt.
* Small values (metadata, identities) are **sealed**: one AES-256-GCM message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from recount.errors import InputFileError, IntegrityError, WrongKeyError

KEY_BYTES = 32
SEGMENT = 4 << 20
STREAM_MAGIC = b"RCNTENC1"
SEAL_MAGIC = b"RCNTSEAL1"
WRAP_AAD = b"recount data key v1"
# scrypt at N=2^17, r=8, p=1: 128 MiB and about half a second, OWASP's recommendation.
SCRYPT_COST = {"n": 1 << 17, "r": 8, "p": 1}
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class Key:
    """A key that protects items. ``secret`` lives only in memory."""

    key_id: str
    secret: bytes
    kind: str  # passphrase | file
    kdf: dict | None = None  # scrypt salt and costs, for a passphrase

    def mac_key(self) -> bytes:
        return _hkdf(self.secret, b"recount content mac v1")


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def key_id(secret: bytes) -> str:
    return _hkdf(secret, b"recount key id v1")[:16].hex()


def new_key_file(path: Path) -> str:
    """Write a fresh random key (hex) readable only by its owner; return its id."""
    secret = os.urandom(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(f"# recount evidence key {key_id(secret)}: keep it out of the case\n")
        handle.write(secret.hex() + "\n")
    return key_id(secret)


def read_key_file(path: Path) -> Key:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read the key file ({exc.strerror})") from None
    if len(data) == KEY_BYTES:
        secret = data
    else:
        lines = [line.strip() for line in data.decode("ascii", "replace").splitlines()]
        found = [line for line in lines if _HEX_KEY.fullmatch(line)]
        if len(found) != 1:
            raise InputFileError(
                str(path),
                "not a recount key file (expected 64 hex digits on "
                "one line, or 32 raw bytes); make one with "
                "`recount evidence keygen FILE`",
            )
        secret = bytes.fromhex(found[0])
    return Key(key_id(secret), secret, "file")


def passphrase_key(passphrase: str, kdf: dict) -> Key:
    secret = Scrypt(
        salt=bytes.fromhex(kdf["salt"]), length=KEY_BYTES, n=kdf["n"], r=kdf["r"], p=kdf["p"]
    ).derive(passphrase.encode("utf-8"))
    return Key(key_id(secret), secret, "passphrase", kdf)


def new_kdf() -> dict:
    return {"salt": os.urandom(16).hex(), **SCRYPT_COST}


def wrap(key: Key, data_key: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key.secret).encrypt(nonce, data_key, WRAP_AAD)


def unwrap(key: Key, wrapped: bytes, what: str) -> bytes:
    try:
        return AESGCM(key.secret).decrypt(wrapped[:12], wrapped[12:], WRAP_AAD)
    except InvalidTag:
        raise WrongKeyError(f"{what}: the key given does not open it") from None


def seal(data_key: bytes, value: object, context: str) -> bytes:
    """One AES-256-GCM message holding ``value`` as JSON, bound to ``context``."""
    nonce = os.urandom(12)
    plain = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return SEAL_MAGIC + nonce + AESGCM(data_key).encrypt(nonce, plain, context.encode())


def open_sealed(data_key: bytes, sealed: bytes, context: str, what: str) -> object:
    body = sealed[len(SEAL_MAGIC) :]
    try:
        plain = AESGCM(data_key).decrypt(body[:12], body[12:], context.encode())
    except InvalidTag:
        raise IntegrityError(
            f"{what}: sealed data fails authentication (altered, or sealed under another key)"
        ) from None
    return json.loads(plain)


class SegmentEncryptor:
    """Encrypts a stream in fixed segments; feed bytes in, get ciphertext out, then finish."""

    def __init__(self, data_key: bytes) -> None:
        self._aead = AESGCM(data_key)
        self._prefix = os.urandom(7)
        self.header = STREAM_MAGIC + self._prefix + struct.pack(">I", SEGMENT)
        self._buffer = bytearray()
        self._counter = 0

    def update(self, data: bytes | memoryview) -> bytes:
        self._buffer += data
        out = bytearray()
        # A full segment is sealed only once more bytes follow: the last one is flagged.
        while len(self._buffer) > SEGMENT:
            out += self._segment(bytes(self._buffer[:SEGMENT]), last=False)
            del self._buffer[:SEGMENT]
        return bytes(out)

    def finish(self) -> bytes:
        return self._segment(bytes(self._buffer), last=True)

    def _segment(self, plain: bytes, last: bool) -> bytes:
        nonce = self._prefix + struct.pack(">I", self._counter) + (b"\x01" if last else b"\x00")
        self._counter += 1
        return self._aead.encrypt(nonce, plain, self.header)


def decrypt_stream(data_key: bytes, handle: BinaryIO, what: str) -> Iterator[bytes]:
    """Plaintext segments of an encrypted object; raises IntegrityError on any alteration."""
    header = handle.read(len(STREAM_MAGIC) + 7 + 4)
    if not header.startswith(STREAM_MAGIC) or len(header) != len(STREAM_MAGIC) + 11:
        raise IntegrityError(f"{what}: not a recount encrypted object (header damaged)")
    prefix = header[len(STREAM_MAGIC) : len(STREAM_MAGIC) + 7]
    (segment,) = struct.unpack(">I", header[-4:])
    aead = AESGCM(data_key)
    counter = 0
    current = handle.read(segment + 16)
    while True:
        following = handle.read(segment + 16)
        last = not following
        nonce = prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")
        try:
            yield aead.decrypt(nonce, current, header)
        except InvalidTag:
            raise IntegrityError(
                f"{what}: encrypted segment {counter} fails authentication "
                "(altered, reordered or truncated)"
            ) from None
        if last:
            return
        current = following
        counter += 1


def content_mac(key: Key) -> hmac.HMAC:
    """A keyed hash of a protected original: equal files match, but only for the key holder."""
    return hmac.new(key.mac_key(), digestmod=hashlib.sha256)
