"""``recount evidence export DIR``: a BagIt bag (RFC 8493, the Library of Congress ``bagit``
library) for transfer to a court or an archive.

::

    DIR/
      bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
      data/
        README.txt              what the bag holds and how to check the chains by hand
        check_custody.py        that check, as a short script with no dependencies
        items.json              one line of summary per item
        custody-actors.json     public keys of the actors who signed entries
        items/000012/original/<name>    the original, byte for byte
        items/000012/metadata.json      everything recorded about it
        items/000012/custody.jsonl      its custody chain, the export entry included

The case is verified first and a tampered case is not exported. The export is recorded in each
item's chain in the same transaction that writes the bag's chains; the bag is assembled in
``DIR.partial`` and renamed into place only after it validates and that transaction commits.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import bagit

from recount import __version__
from recount.case.folder import Case
from recount.errors import (
    DuplicateError,
    IntegrityError,
    KeyRequiredError,
    TamperError,
    UsageError,
)
from recount.evidence import custody
from recount.evidence.actions import read_original
from recount.evidence.crypto import Key
from recount.evidence.items import details, get_item
from recount.evidence.signing import Actor
from recount.evidence.verify import verify_case
from recount.store import custody as custody_store
from recount.store import evidence as evidence_store

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
TEMPLATES = Path(__file__).parent / "bag_files"


@dataclass
class ExportResult:
    bag: str
    items: list[int]
    skipped_protected: list[int] = field(default_factory=list)
    bytes: int = 0
    head: str | None = None
    protected_in_clear: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def safe_name(name: str | None) -> str:
    """A file name that stays inside its folder on any system, whatever the case recorded."""
    base = (name or "").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:200] or "original"


def export_bag(
    case: Case,
    target: Path,
    refs: list[str] | None,
    key: Key | None,
    include_protected: bool,
    actor: Actor,
    note: str | None = None,
) -> ExportResult:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DuplicateError(f"{target} already exists and is not empty; choose another folder")
    rows = _chosen(case, refs, include_protected, key)
    report = verify_case(case, key)
    if not report.ok:
        raise TamperError(report.findings, "; nothing was exported")
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)  # left by an export that was interrupted: never part of a bag
    result = ExportResult(
        str(target),
        [r["id"] for r in rows if _included(r, include_protected)],
        [r["id"] for r in rows if not _included(r, include_protected)],
    )
    result.protected_in_clear = any(
        r["sensitivity"] == "protected" for r in rows if r["id"] in result.items
    )
    if not result.items:
        raise UsageError(
            "nothing to export: every item chosen is protected (add "
            "--include-protected and the key)"
        )
    try:
        chosen = [r for r in rows if r["id"] in result.items]
        for row in chosen:
            result.bytes += _copy_original(case, row, key, partial)
        with case.writing() as conn:
            for row in chosen:
                custody.append(
                    conn,
                    custody.item_subject(row["id"]),
                    "export",
                    actor,
                    {"bag": target.name, "items": len(chosen)},
                    note,
                    row["id"],
                )
            index = []
            for row in chosen:
                folder = partial / _folder(row["id"])
                meta = details(conn, row, key if row["sensitivity"] == "protected" else None)
                meta["original"] = f"original/{safe_name(meta.get('file_name'))}"
                _write_json(folder / "metadata.json", meta)
                chain = custody.entries(conn, custody.item_subject(row["id"]))
                with (folder / "custody.jsonl").open("w", encoding="utf-8") as handle:
                    for entry in chain:
                        handle.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
                index.append(
                    {
                        k: meta.get(k)
                        for k in (
                            "id",
                            "file_name",
                            "sha256",
                            "media_type",
                            "size_bytes",
                            "source",
                            "sensitivity",
                        )
                    }
                    | {"folder": _folder(row["id"])}
                )
            result.head = custody.head(conn)[1]
            _write_json(partial / "items.json", index)
            _write_json(
                partial / "custody-actors.json",
                custody_store.actors(conn),
            )
            for name in ("README.txt", "check_custody.py"):
                shutil.copyfile(TEMPLATES / name, partial / name)
            bag = bagit.make_bag(
                str(partial), _bag_info(case, actor, result), processes=1, checksums=["sha256"]
            )
            bag.validate()
        if target.exists():
            target.rmdir()
        partial.replace(target)
    except bagit.BagError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise IntegrityError(
            f"{target}: the bag does not validate ({exc}); nothing exported"
        ) from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return result


def _included(row: dict, include_protected: bool) -> bool:
    return row["sensitivity"] != "protected" or include_protected


def _chosen(
    case: Case, refs: list[str] | None, include_protected: bool, key: Key | None
) -> list[dict]:
    with case.reading() as conn:
        rows = [dict(get_item(conn, ref)) for ref in refs] if refs else evidence_store.items(conn)
    if not rows:
        raise UsageError("the case has no evidence to export; add some with `recount evidence add`")
    protected = [r["id"] for r in rows if r["sensitivity"] == "protected"]
    if refs and protected and not include_protected:
        raise UsageError(
            f"item(s) {', '.join(map(str, protected))} are protected: exporting "
            "them writes them in the clear; add --include-protected and the key"
        )
    if protected and include_protected and key is None:
        raise KeyRequiredError(
            "--include-protected: give --key-file or --passphrase to decrypt the protected items"
        )
    return rows


def _folder(item_id: int) -> str:
    return f"items/{item_id:06d}"


def _copy_original(case: Case, row: dict, key: Key | None, partial: Path) -> int:
    meta_name = row["file_name"]
    if row["sensitivity"] == "protected":
        from recount.evidence.items import unseal

        meta_name = unseal(row, key)["file_name"]
    folder = partial / _folder(row["id"]) / "original"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(meta_name)
    size = 0
    with target.open("xb") as handle:
        for piece in read_original(case, row, key):
            handle.write(piece)
            size += len(piece)
    return size


def _bag_info(case: Case, actor: Actor, result: ExportResult) -> dict[str, str]:
    return {
        "Source-Organization": case.name,
        "Contact-Name": actor.name,
        "External-Description": f"Evidence exported from the recount case {case.name!r}: "
        f"{len(result.items)} item(s) with their metadata and custody "
        "chains.",
        "External-Identifier": f"recount:{case.name}:{result.head or 'empty'}",
        "Recount-Version": __version__,
        "Recount-Custody-Head": result.head or "",
        "Recount-Items": " ".join(str(i) for i in result.items),
        "Recount-Protected-In-Clear": "yes" if result.protected_in_clear else "no",
    }


def _write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
