"""``recount evidence verify``: re-hash every object, check every chain, compare every row with
the state its chain recorded, and say precisely what differs.

The custody chains are the authority: an item's ingest entry records its row (object hash,
size, names, sealed values as hashes), links and derived copies; ``annotate`` entries record
each later change. An object is checked against the hash its chain recorded, so replacing a
file *and* its row's hash is still found. Without the key, a protected item's ciphertext is
checked (which proves its plaintext unchanged: authenticated encryption is deterministic to
decrypt); with the key, it is also decrypted and its plaintext hash compared with the sealed one.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from recount._typing import Progress
from recount.case.folder import Case
from recount.errors import RecountError
from recount.evidence import custody
from recount.evidence.chain_check import Finding, check_chain, check_content, subject_label
from recount.evidence.crypto import Key, decrypt_stream
from recount.evidence.custody import Entry
from recount.evidence.items import data_key, snapshot, unseal
from recount.evidence.links import item_links, sort_links
from recount.evidence.signing import signature_valid
from recount.evidence.store import AREAS, ObjectStore, hash_file
from recount.evidence.testimony import snapshot as witness_snapshot
from recount.store import custody as custody_store
from recount.store import evidence as evidence_store

if TYPE_CHECKING:
    from recount.store import Connection

log = logging.getLogger(__name__)


@dataclass
class VerifyReport:
    items: int = 0
    objects: int = 0
    derived: int = 0
    entries: int = 0
    signed: int = 0
    decrypted: int = 0
    head: str | None = None
    findings: list[Finding] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "items": self.items,
            "objects": self.objects,
            "derived": self.derived,
            "entries": self.entries,
            "signed": self.signed,
            "decrypted": self.decrypted,
            "head": self.head,
            "recovered": self.recovered,
            "seconds": round(self.seconds, 3),
            "findings": [f.to_dict() for f in self.findings],
        }


def verify_case(
    case: Case,
    key: Key | None = None,
    expect_head: str | None = None,
    progress: Progress | None = None,
) -> VerifyReport:
    started = time.perf_counter()
    store = ObjectStore(case.evidence_dir)
    report = VerifyReport()
    with case.reading() as conn:
        report.recovered = store.recover(lambda area, sha: _referenced(conn, area, sha))
        rows = evidence_store.items(conn)
        entries = custody.entries(conn)
        report.entries, report.head = len(entries), entries[-1].entry_hash if entries else None
        chains: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            chains[e.subject].append(e)
        findings = _check_log(conn, entries, chains, report)
        recorded = {subject: _replay(es) for subject, es in chains.items()}
        findings += _check_rows(conn, rows, recorded)
        findings += _check_witnesses(conn, chains, recorded)
        derived_rows = evidence_store.derived_rows(conn)
    findings += _check_objects(store, rows, recorded, key, report, progress)
    findings += _check_derived(store, derived_rows, report)
    findings += _check_extra(store, rows, recorded, derived_rows)
    if expect_head and not any(e.entry_hash == expect_head.lower() for e in entries):
        findings.append(
            Finding(
                "head-missing",
                f"case log: the anchored head {expect_head[:16]} is not in the log: "
                "entries were removed from its end, or the log was rewritten",
                expected=expect_head,
                found=report.head,
            )
        )
    report.items = len(rows)
    report.findings = findings
    report.seconds = time.perf_counter() - started
    return report


def _referenced(conn: Connection, area: str, sha: str) -> bool:
    if area == "objects":
        return evidence_store.item_object_exists(conn, sha)
    return evidence_store.derived_object_exists(conn, sha)


def _check_log(
    conn: Connection, entries: list[Entry], chains: dict[str, list[Entry]], report: VerifyReport
) -> list[Finding]:
    findings = check_content(entries)
    for subject_entries in chains.values():
        findings += check_chain(subject_entries)
    seen = {(f.kind, f.log_id) for f in findings}
    # The case-wide chain finds what no subject chain can: an item's last entries, or a whole
    # item with its log, removed. What a subject chain already explained is not said twice.
    findings += [f for f in check_chain(entries, case_wide=True) if (f.kind, f.log_id) not in seen]
    actors = {row["actor"]: row for row in custody_store.actors(conn)}
    for e in entries:
        actor = actors.get(e.actor)
        if e.signature:
            report.signed += 1
            if actor is None or not signature_valid(actor["public_key"], e.entry_hash, e.signature):
                findings.append(
                    Finding(
                        "signature-invalid",
                        f"{subject_label(e.subject)}: entry {e.seq} "
                        f"({e.action}) carries a signature that {e.actor!r}'s registered key does "
                        "not verify",
                        e.item_id,
                        e.seq,
                        actor["public_key"] if actor else None,
                        e.signature,
                        e.subject,
                        e.id,
                    )
                )
        elif actor is not None and e.at >= actor["created_at"]:
            findings.append(
                Finding(
                    "signature-missing",
                    f"{subject_label(e.subject)}: entry {e.seq} ({e.action}) "
                    f"by {e.actor!r} is unsigned, though {e.actor!r} signs every entry since "
                    f"{actor['created_at'][:19]}",
                    e.item_id,
                    e.seq,
                    "a signature",
                    None,
                    e.subject,
                    e.id,
                )
            )
    return findings


@dataclass
class _Recorded:
    state: dict[str, Any] | None  # the row (or witness) as the chain says it should be
    links: list[dict]
    derived: list[dict]
    entry: int | None  # the entry that last set the state


def _replay(entries: list[Entry]) -> _Recorded:
    recorded = _Recorded(None, [], [], None)
    for e in sorted(entries, key=lambda e: e.seq):
        details = e.parsed_details()
        if e.action == "ingest" and recorded.state is None:
            recorded.state = dict(details.get("row") or details.get("witness") or {})
            recorded.links = list(details.get("links", []))
            recorded.derived = list(details.get("derived", []))
            recorded.entry = e.seq
        elif e.action == "annotate" and recorded.state is not None:
            recorded.state.update(details.get("set", {}))
            recorded.links += details.get("links", [])
            if details.get("set"):
                recorded.entry = e.seq
    return recorded


def _check_rows(
    conn: Connection, rows: list[Mapping[str, Any]], recorded: dict[str, _Recorded]
) -> list[Finding]:
    findings = []
    present = set()
    for row in rows:
        subject = custody.item_subject(row["id"])
        present.add(subject)
        chain = recorded.get(subject)
        if chain is None or chain.state is None:
            findings.append(
                Finding(
                    "item-unrecorded",
                    f"item {row['id']}: no ingest entry in "
                    "the custody log (added outside recount, or its log was "
                    "deleted)",
                    row["id"],
                    chain=subject,
                )
            )
            continue
        actual = snapshot(row)
        for name in sorted(set(actual) | set(chain.state)):
            if actual.get(name) != chain.state.get(name):
                findings.append(
                    Finding(
                        "row-changed",
                        f"item {row['id']}: {name} is {actual.get(name)!r} in the "
                        f"database but {chain.state.get(name)!r} in its custody chain (entry "
                        f"{chain.entry})",
                        row["id"],
                        chain.entry,
                        _text(chain.state.get(name)),
                        _text(actual.get(name)),
                        subject,
                    )
                )
        links = item_links(conn, row["id"])
        if links != sort_links(chain.links):
            findings.append(
                Finding(
                    "links-changed",
                    f"item {row['id']}: its links are {links} in the database but "
                    f"{sort_links(chain.links)} in its custody chain",
                    row["id"],
                    None,
                    _text(sort_links(chain.links)),
                    _text(links),
                    subject,
                )
            )
    for subject, chain in recorded.items():
        if subject.startswith("item:") and subject not in present and chain.state is not None:
            item = int(subject.split(":", 1)[1])
            findings.append(
                Finding(
                    "item-missing",
                    f"item {item}: in the custody log but not in the database "
                    "(its row was deleted)",
                    item,
                    chain.entry,
                    chain.state.get("stored_sha256"),
                    None,
                    subject,
                )
            )
    return findings


def _check_witnesses(
    conn: Connection, chains: dict[str, list[Entry]], recorded: dict[str, _Recorded]
) -> list[Finding]:
    findings = []
    rows = {r["pseudonym"]: r for r in evidence_store.witness_rows(conn)}
    for pseudonym, row in rows.items():
        chain = recorded.get(custody.witness_subject(pseudonym))
        actual = witness_snapshot(dict(row))
        if chain is None or chain.state != actual:
            findings.append(
                Finding(
                    "witness-changed",
                    f"witness {pseudonym}: the stored identity does not match "
                    "the one its custody chain recorded"
                    if chain
                    else f"witness {pseudonym}: no custody entry records it",
                    None,
                    None,
                    _text(chain.state if chain else None),
                    _text(actual),
                    custody.witness_subject(pseudonym),
                )
            )
    for subject in chains:
        name = subject.split(":", 1)[1]
        if subject.startswith("witness:") and name not in rows:
            findings.append(
                Finding(
                    "witness-missing",
                    f"witness {name}: in the custody log but not in the database (deleted)",
                    chain=subject,
                )
            )
    return findings


def _check_objects(
    store: ObjectStore,
    rows: list[Mapping[str, Any]],
    recorded: dict[str, _Recorded],
    key: Key | None,
    report: VerifyReport,
    progress: Progress | None,
) -> list[Finding]:
    findings = []
    for done, row in enumerate(rows, start=1):
        chain = recorded.get(custody.item_subject(row["id"]))
        state = chain.state if chain and chain.state else snapshot(row)
        expected = state.get("stored_sha256") or row["stored_sha256"]
        path = store.path(expected)
        shown = path.relative_to(store.root.parent)
        if not path.is_file():
            findings.append(
                Finding(
                    "object-missing",
                    f"item {row['id']}: its object {shown} is missing",
                    row["id"],
                    None,
                    expected,
                    None,
                )
            )
            continue
        found, _ = hash_file(path)
        report.objects += 1
        if found != expected:
            findings.append(
                Finding(
                    "object-changed",
                    f"item {row['id']}: object {shown} has "
                    f"changed: expected sha256 {expected}, found {found}",
                    row["id"],
                    None,
                    expected,
                    found,
                )
            )
        elif key is not None and row["sensitivity"] == "protected" and row["key_id"] == key.key_id:
            findings += _check_plaintext(path, row, key, report)
        if progress:
            progress("files", done, len(rows))
    return findings


def _check_plaintext(
    path: Any, row: Mapping[str, Any], key: Key, report: VerifyReport
) -> list[Finding]:
    try:
        expected = unseal(row, key)["sha256"]
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for piece in decrypt_stream(data_key(row, key), handle, f"item {row['id']}"):
                digest.update(piece)
    except RecountError as exc:
        return [Finding("object-changed", f"item {row['id']}: {exc}", row["id"])]
    report.decrypted += 1
    if digest.hexdigest() != expected:
        return [
            Finding(
                "object-changed",
                f"item {row['id']}: decrypted content has sha256 "
                f"{digest.hexdigest()}, but {expected} was sealed at ingest",
                row["id"],
                None,
                expected,
                digest.hexdigest(),
            )
        ]
    return []


def _check_derived(
    store: ObjectStore, rows: list[Mapping[str, Any]], report: VerifyReport
) -> list[Finding]:
    findings = []
    for row in rows:
        path = store.path(row["sha256"], "derived")
        if not path.is_file():
            findings.append(
                Finding(
                    "derived-missing",
                    f"item {row['item_id']}: its {row['kind']}"
                    f" copy derived/{row['sha256'][:2]}/{row['sha256']} is "
                    "missing",
                    row["item_id"],
                    None,
                    row["sha256"],
                    None,
                )
            )
            continue
        found, _ = hash_file(path)
        report.derived += 1
        if found != row["sha256"]:
            findings.append(
                Finding(
                    "derived-changed",
                    f"item {row['item_id']}: its "
                    f"{row['kind']} copy has changed: expected sha256 "
                    f"{row['sha256']}, found {found}",
                    row["item_id"],
                    None,
                    row["sha256"],
                    found,
                )
            )
    return findings


def _check_extra(
    store: ObjectStore,
    rows: list[Mapping[str, Any]],
    recorded: dict[str, _Recorded],
    derived_rows: list[Mapping[str, Any]],
) -> list[Finding]:
    known = {
        "objects": {r["stored_sha256"] for r in rows},
        "derived": {r["sha256"] for r in derived_rows},
    }
    for chain in recorded.values():
        if chain.state and chain.state.get("stored_sha256"):
            known["objects"].add(chain.state["stored_sha256"])
    findings = []
    for area in AREAS:
        for path in store.objects(area):
            expected_place = store.path(path.name, area)
            if path.name in known[area] and path == expected_place:
                continue
            shown = path.relative_to(store.root.parent)
            findings.append(
                Finding(
                    "object-extra",
                    f"{shown}: in the evidence store but part "
                    "of no item (placed there by hand, or a copy out of place)",
                    None,
                    None,
                    None,
                    str(shown),
                )
            )
    return findings


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
