"""Check a hash chain and say exactly what was done to it.

The true order of a chain is the one its hashes commit to: start at the genesis hash and follow,
at each step, the entry that names the current hash as its predecessor. Comparing that walk with
the stored entries tells the tamper kinds apart:

* **edited** — an entry's content no longer gives its stored hash;
* **deleted** — the walk stops, and an entry further on names a predecessor no entry has, with
  a gap in the numbering where the missing entries were;
* **inserted** — two entries name the same predecessor (the one the chain does not continue
  through was slipped in), or an entry links to nothing and nothing links to it;
* **reordered** — the walk meets entries out of their listed order;
* **renumbered** — the links are intact but the numbering skips;
* **chain broken** — a link points nowhere and no simpler story fits (an entry rewritten with a
  fresh hash, or a deletion followed by renumbering).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass

from recount.evidence.custody import CASE_CHAIN, Entry, genesis


@dataclass(frozen=True)
class Finding:
    """One thing wrong, with where it is and what was expected against what was found."""

    kind: str
    message: str
    item: int | None = None
    entry: int | None = None  # the entry's number in its chain (case log: the case number)
    expected: str | None = None
    found: str | None = None
    chain: str | None = None  # item:12, witness:W-3 or case
    log_id: int | None = None  # the entry's row in custody_log

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        return asdict(self)


def short(value: str | None) -> str:
    return "nothing" if value is None else value[:16]


def subject_label(subject: str) -> str:
    kind, _, name = subject.partition(":")
    return f"{kind} {name}" if name else subject


class _Chain:
    def __init__(self, entries: list[Entry], case_wide: bool) -> None:
        self.case_wide = case_wide
        self.pos: Callable[[Entry], int] = (
            (lambda e: e.case_seq) if case_wide else (lambda e: e.seq)
        )
        self.prev: Callable[[Entry], str] = (
            (lambda e: e.case_prev_hash) if case_wide else (lambda e: e.prev_hash)
        )
        self.entries = sorted(entries, key=lambda e: (self.pos(e), e.id))
        self.start = genesis(CASE_CHAIN if case_wide else self.entries[0].subject)
        self.where = "case log" if case_wide else subject_label(self.entries[0].subject)
        self.chain = "case" if case_wide else self.entries[0].subject
        self.by_hash: dict[str, Entry] = {}
        self.children: dict[str, list[Entry]] = defaultdict(list)
        for e in self.entries:
            self.by_hash.setdefault(e.entry_hash, e)
            self.children[self.prev(e)].append(e)

    def label(self, e: Entry | None) -> str:
        if e is None:
            return "the start of the chain"
        if self.case_wide:
            return f"case entry {e.case_seq} ({subject_label(e.subject)} entry {e.seq}, {e.action})"
        return f"entry {e.seq} ({e.action}, {e.at[:19]})"

    def finding(
        self,
        kind: str,
        e: Entry,
        message: str,
        expected: str | None,
        found: str | None,
        number: int | None = None,
    ) -> Finding:
        return Finding(
            kind,
            f"{self.where}: {message}",
            e.item_id,
            self.pos(e) if number is None else number,
            expected,
            found,
            self.chain,
            e.id,
        )

    def reach(self, first: Entry) -> set[int]:
        """Ids of ``first`` and every entry that follows it through the links."""
        seen = {first.id}
        stack = [first]
        while stack:
            for child in self.children.get(stack.pop().entry_hash, []):
                if child.id not in seen:
                    seen.add(child.id)
                    stack.append(child)
        return seen


def check_chain(entries: list[Entry], case_wide: bool = False) -> list[Finding]:
    """Links and order of one chain (an item's, a witness's, or the case log)."""
    if not entries:
        return []
    c = _Chain(entries, case_wide)
    findings: list[Finding] = []
    visited: set[int] = set()
    walk: list[tuple[Entry | None, Entry, bool]] = []  # (before, entry, linked to before)
    current, before = c.start, None
    while True:
        kids = [k for k in c.children.get(current, []) if k.id not in visited]
        linked = bool(kids)
        if len(kids) > 1:
            kids.sort(key=lambda k: (-len(c.reach(k)), c.pos(k), k.id))
            for other in kids[1:]:
                for extra in sorted((e for e in c.entries if e.id in c.reach(other)), key=c.pos):
                    visited.add(extra.id)
                    findings.append(
                        c.finding(
                            "entry-inserted",
                            extra,
                            f"{c.label(extra)} was inserted: it claims to follow "
                            f"{c.label(before)}, as {c.label(kids[0])} does, and the chain "
                            f"continues through {c.label(kids[0])}",
                            kids[0].entry_hash,
                            extra.entry_hash,
                        )
                    )
        if kids:
            nxt = kids[0]
        else:
            rest = [e for e in c.entries if e.id not in visited]
            if not rest:
                break
            heads = [e for e in rest if c.prev(e) not in c.by_hash and c.prev(e) != c.start]
            nxt = min(heads or rest, key=lambda e: (c.pos(e), e.id))
        walk.append((before, nxt, linked))
        visited.add(nxt.id)
        current, before = nxt.entry_hash, nxt

    # Entries met out of their listed order: the fewest that explain it are those off the
    # longest run of increasing numbers along the walk.
    moved = {id(step[1]) for step in walk} - _increasing(walk, c)
    for before, e, linked in walk:
        if not linked:
            findings.append(_break(c, before, e))
        elif id(e) in moved:
            findings.append(
                c.finding(
                    "entry-reordered",
                    e,
                    f"{c.label(e)} is out of order: the chain puts it right after "
                    f"{c.label(before)}, but it is listed as number {c.pos(e)}",
                    f"after entry {c.pos(before) if before else 0}",
                    f"at {c.pos(e)}",
                )
            )
        elif not moved:
            findings += _numbering(c, before, e)
    return findings


def _increasing(walk: list[tuple[Entry | None, Entry, bool]], c: _Chain) -> set[int]:
    """Python ids of the walk's entries on one longest increasing run of numbers."""
    positions = [c.pos(e) for _, e, _ in walk]
    tails: list[int] = []  # index into walk of the smallest tail of each run length
    tail_positions: list[int] = []
    parent = [-1] * len(walk)
    for i, pos in enumerate(positions):
        lo = bisect_left(tail_positions, pos)
        parent[i] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(i)
            tail_positions.append(pos)
        else:
            tails[lo] = i
            tail_positions[lo] = pos
    kept: set[int] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        kept.add(id(walk[i][1]))
        i = parent[i]
    return kept


def _numbering(c: _Chain, before: Entry | None, e: Entry) -> list[Finding]:
    if before is None:
        if c.pos(e) != 1:
            return [
                c.finding(
                    "entry-renumbered",
                    e,
                    f"{c.label(e)} is the first entry of the chain but is numbered {c.pos(e)}",
                    "1",
                    str(c.pos(e)),
                )
            ]
        return []
    if c.pos(e) > c.pos(before) + 1:
        return [
            c.finding(
                "entry-renumbered",
                e,
                f"{c.label(e)} follows {c.label(before)} in the chain, but the "
                "numbering skips between them: the entries were renumbered",
                str(c.pos(before) + 1),
                str(c.pos(e)),
            )
        ]
    return []


def _break(c: _Chain, before: Entry | None, e: Entry) -> Finding:
    expected = before.entry_hash if before else c.start
    named = c.prev(e)
    gap = c.pos(e) - (c.pos(before) if before else 0) - 1
    if named not in c.by_hash and gap > 0:
        first = c.pos(e) - gap
        missing = f"entry {first}" if gap == 1 else f"entries {first}-{c.pos(e) - 1}"
        return c.finding(
            "entry-deleted",
            e,
            f"{missing} deleted: {c.label(e)} names predecessor {short(named)}, "
            f"which no entry has; {c.label(before)} has {short(expected)}",
            expected,
            named,
            number=first,
        )
    if named not in c.by_hash and not c.children.get(e.entry_hash):
        return c.finding(
            "entry-inserted",
            e,
            f"{c.label(e)} was inserted: it names predecessor {short(named)}, "
            f"which no entry has, and nothing follows it; the chain ends at "
            f"{c.label(before)} ({short(expected)})",
            expected,
            named,
        )
    if named in c.by_hash:
        target = c.by_hash[named]
        return c.finding(
            "chain-broken",
            e,
            f"{c.label(e)} names {c.label(target)} as its predecessor, which "
            f"already has a successor; expected {c.label(before)}",
            expected,
            named,
        )
    return c.finding(
        "chain-broken",
        e,
        f"{c.label(e)} names predecessor {short(named)}, but {c.label(before)} "
        f"has hash {short(expected)}: that entry was rewritten with a new hash, "
        "or entries between them were deleted and the rest renumbered",
        expected,
        named,
    )


def check_content(entries: list[Entry]) -> list[Finding]:
    """Entries whose stored content no longer gives their stored hash: edited in place."""
    findings = []
    for e in entries:
        actual = e.recomputed()
        if actual != e.entry_hash:
            findings.append(
                Finding(
                    "entry-edited",
                    f"{subject_label(e.subject)}: entry {e.seq} ({e.action}) was edited: its "
                    f"content hashes to {short(actual)}, but it was recorded as "
                    f"{short(e.entry_hash)}",
                    e.item_id,
                    e.seq,
                    e.entry_hash,
                    actual,
                    e.subject,
                    e.id,
                )
            )
    return findings
