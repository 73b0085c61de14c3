"""Check the custody chains and originals of a recount evidence bag, with Python alone.

    python3 check_custody.py BAG

Recomputes every entry's hash, follows the links from the genesis hash, and compares each
original with the sha256 its ingest entry recorded. Exit status 0 when all is intact, 3 if not.
"""

import hashlib
import json
import sys
from pathlib import Path


def entry_hash(e: dict) -> str:
    details = json.dumps(e["details"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload = [
        1,
        e["subject"],
        e["action"],
        e["actor"],
        e["at"],
        e["recount_version"],
        e["note"],
        details,
        e["prev_hash"],
        e["case_prev_hash"],
    ]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def check_item(folder: Path) -> list[str]:
    problems = []
    lines = (folder / "custody.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    if not entries:
        return [f"{folder.name}: empty custody chain"]
    subject = entries[0]["subject"]
    prev = hashlib.sha256(f"recount custody v1\x00{subject}".encode()).hexdigest()
    for e in entries:
        if e["prev_hash"] != prev:
            problems.append(f"{subject} entry {e['seq']}: does not link to the entry before it")
        if entry_hash(e) != e["entry_hash"]:
            problems.append(f"{subject} entry {e['seq']}: content does not match its hash")
        prev = e["entry_hash"]
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    # A protected item's hash was sealed at ingest; the bag's metadata carries it opened.
    recorded = entries[0]["details"]["row"].get("sha256") or meta.get("sha256")
    original = folder / meta["original"]
    if recorded and file_sha256(original) != recorded:
        problems.append(f"{subject}: {original.name} does not have the sha256 recorded at ingest")
    return problems


def main() -> int:
    bag = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    data = bag / "data" if (bag / "data").is_dir() else bag
    problems = []
    folders = sorted((data / "items").iterdir())
    for folder in folders:
        problems += check_item(folder)
    for problem in problems:
        print(problem)
    print(f"{len(folders)} item(s) checked: {'FAILED' if problems else 'intact'}")
    return 3 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
