"""Recording a batch of read files: publish their objects, then write their rows, links and
ingest entries in one transaction (see ``store`` for why in that order)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

import numpy as np

from recount import __version__
from recount.case.folder import Case
from recount.clock import utc_now
from recount.evidence import custody
from recount.evidence.crypto import seal
from recount.evidence.items import SEAL_CONTEXT, SEALED_FIELDS, snapshot
from recount.evidence.links import insert_links, sort_links
from recount.evidence.signing import Actor
from recount.evidence.store import ObjectStore
from recount.store import evidence as evidence_store

if TYPE_CHECKING:
    from recount.evidence.ingest import AddedItem, Pending
    from recount.store import Connection

NEAR_DISTANCE = 10  # of 64 dHash bits: resized, recompressed or lightly edited copies
_POPCOUNT8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


class NearIndex:
    """Perceptual hashes of the case's images, for near-duplicate search in bulk."""

    def __init__(self) -> None:
        self.ids = np.zeros(1024, dtype=np.int64)
        self.hashes = np.zeros(1024, dtype=np.uint64)
        self.shas: list[str | None] = []
        self.size = 0

    def add(self, item_id: int, phash: str, sha256: str | None) -> None:
        if self.size == len(self.ids):
            self.ids = np.resize(self.ids, self.size * 2)
            self.hashes = np.resize(self.hashes, self.size * 2)
        self.ids[self.size] = item_id
        self.hashes[self.size] = np.uint64(int(phash, 16))
        self.shas.append(sha256)
        self.size += 1

    def near(self, phash: str, sha256: str | None) -> list[dict]:
        if not self.size:
            return []
        xor = self.hashes[: self.size] ^ np.uint64(int(phash, 16))
        if hasattr(np, "bitwise_count"):
            distances = np.bitwise_count(xor)
        else:  # NumPy < 2
            distances = _POPCOUNT8[xor.view(np.uint8).reshape(-1, 8)].sum(axis=1)
        hits = np.flatnonzero(distances <= NEAR_DISTANCE)
        return sorted(
            (
                {"item": int(self.ids[i]), "distance": int(distances[i])}
                for i in hits
                if self.shas[i] != sha256 or sha256 is None
            ),
            key=lambda n: (n["distance"], n["item"]),
        )


class Recorder:
    def __init__(
        self,
        case: Case,
        store: ObjectStore,
        source_id: int,
        source: str,
        actor: Actor,
        links: list[dict],
        witness_id: int | None,
        witness: str | None,
        note: str | None,
    ) -> None:
        self.case, self.store = case, store
        self.source_id, self.source, self.actor = source_id, source, actor
        self.links, self.witness_id, self.witness, self.note = links, witness_id, witness, note
        self.near = NearIndex()
        with case.reading() as conn:
            for item_id, phash, sha256 in evidence_store.item_phashes(conn):
                self.near.add(item_id, phash, sha256)

    def referenced(self, area: str, sha256: str) -> bool:
        exists = (
            evidence_store.item_object_exists
            if area == "objects"
            else evidence_store.derived_object_exists
        )
        with self.case.reading() as conn:
            return exists(conn, sha256)

    def recover(self) -> list[str]:
        return self.store.recover(self.referenced)

    def record(
        self,
        batch: list[Pending],
        sensitivity: str,
        user: Mapping[str, Any],
        pool: Executor | None = None,
    ) -> list[AddedItem]:
        publish = self.store.publish()
        for p in batch:
            publish.add(p.temp, "objects", p.stored_sha256)
            for temp, sha, *_ in p.derived:
                publish.add(temp, "derived", sha)
        try:
            publish.rename_all(pool)
            with self.case.writing() as conn:
                results = [self._insert(conn, p, sensitivity, user) for p in batch]
        except BaseException:
            publish.abandon(self.referenced)
            raise
        # Objects of files that turned out to be already in the case are dropped here; only
        # those need a look in the database.
        kept = {
            p.stored_sha256 for p, r in zip(batch, results, strict=True) if r.status != "already"
        } | {d[1] for p in batch for d in p.derived}
        publish.done(lambda area, sha: sha in kept or self.referenced(area, sha))
        return results

    def _insert(
        self, conn: Connection, p: Pending, sensitivity: str, user: Mapping[str, Any]
    ) -> AddedItem:
        from recount.evidence.ingest import AddedItem

        protected = sensitivity == "protected"
        existing = (
            evidence_store.items_by_content_mac(conn, p.mac)
            if protected
            else evidence_store.items_by_sha256(conn, p.sha256)
        )
        result = AddedItem(
            p.candidate.name,
            "added",
            None,
            p.media_type,
            p.size,
            None if protected else p.sha256,
            protected,
            metadata_error=p.extracted.metadata.get("extraction_error"),
        )
        same_source = [item_id for item_id, source_id in existing if source_id == self.source_id]
        if same_source:
            result.status, result.item_id = "already", same_source[0]
            return result
        if existing:
            result.status, result.duplicate_of = "duplicate", existing[0][0]
        x = p.extracted
        fields: dict[str, Any] = {
            "sha256": p.sha256,
            "size_bytes": p.size,
            "file_name": p.candidate.name,
            "caption": user["caption"],
            "credit": user["credit"],
            "captured_at": user["captured_at"] or x.captured_at,
            "captured_at_source": "user"
            if user["captured_at"]
            else ("exif" if x.captured_at else None),
            "place": user["place"],
            "latitude": user["latitude"] if user["latitude"] is not None else x.latitude,
            "longitude": user["longitude"] if user["longitude"] is not None else x.longitude,
            "metadata": json.dumps(x.metadata, ensure_ascii=False, sort_keys=True)
            if x.metadata
            else None,
            "phash": x.phash,
        }
        sealed = None
        if protected:
            assert p.data_key is not None
            opened = {**fields, "metadata": x.metadata or None}
            sealed = seal(p.data_key, {k: opened[k] for k in SEALED_FIELDS}, SEAL_CONTEXT)
            fields = dict.fromkeys(SEALED_FIELDS)
        row: dict[str, Any] = dict(
            kind="testimony" if self.witness_id else "file",
            stored_sha256=p.stored_sha256,
            stored_size=p.temp.size,
            media_type=p.media_type,
            sensitivity=sensitivity,
            source_id=self.source_id,
            witness_id=self.witness_id,
            duplicate_of=result.duplicate_of,
            key_id=p.key_id,
            wrapped_key=p.wrapped_key,
            content_mac=p.mac,
            sealed=sealed,
            added_at=utc_now(),
            added_by=self.actor.name,
            recount_version=__version__,
            **fields,
        )
        item_id = evidence_store.insert_item(conn, row)
        result.item_id = item_id
        derived = []
        for _temp, sha, kind, size, media_type, method in p.derived:
            evidence_store.insert_derived(
                conn, item_id, kind, sha, media_type, size, method, row["added_at"]
            )
            derived.append({"kind": kind, "sha256": sha})
            result.derived.append(kind)
        insert_links(conn, item_id, self.links, self.note)
        if x.phash and not protected:
            result.near_duplicates = self.near.near(x.phash, p.sha256)
            for near in result.near_duplicates:
                evidence_store.insert_near_duplicate(conn, item_id, near["item"], near["distance"])
            self.near.add(item_id, x.phash, p.sha256)
        state = snapshot({**row, "source": self.source, "witness": self.witness})
        custody.append(
            conn,
            custody.item_subject(item_id),
            "ingest",
            self.actor,
            {"row": state, "links": sort_links(self.links), "derived": derived},
            self.note,
            item_id,
        )
        return result
