"""The chain checker tells each kind of tampering apart, on chains built in memory."""

from __future__ import annotations

from dataclasses import replace

from recount.evidence.chain_check import check_chain, check_content
from recount.evidence.custody import CASE_CHAIN, Entry, compute_hash, genesis


def chain(n: int, subject: str = "item:1") -> list[Entry]:
    entries: list[Entry] = []
    prev, case_prev = genesis(subject), genesis(CASE_CHAIN)
    for seq in range(1, n + 1):
        at = f"2024-01-01T00:00:{seq:02d}.000000Z"
        h = compute_hash(subject, "view", "ana", at, "0.1.0", f"n{seq}", "{}", prev, case_prev)
        entries.append(
            Entry(
                seq,
                subject,
                1,
                seq,
                seq,
                "view",
                "ana",
                at,
                "0.1.0",
                f"n{seq}",
                "{}",
                prev,
                case_prev,
                h,
                None,
            )
        )
        prev = case_prev = h
    return entries


def kinds(findings: list) -> list[tuple[str, int | None]]:
    return [(f.kind, f.entry) for f in findings]


def test_an_intact_chain_has_no_findings() -> None:
    entries = chain(5)
    assert check_chain(entries) == [] and check_content(entries) == []
    assert check_chain(entries, case_wide=True) == []


def test_an_edited_entry_is_found_by_its_content() -> None:
    entries = chain(4)
    entries[1] = replace(entries[1], note="changed")
    found = check_content(entries)
    assert kinds(found) == [("entry-edited", 2)]
    assert found[0].expected == entries[1].entry_hash
    assert found[0].found == entries[1].recomputed()
    assert check_chain(entries) == []  # the links still hold: only the content changed


def test_a_deleted_entry_is_named_by_number() -> None:
    entries = chain(5)
    del entries[2]
    found = check_chain(entries)
    assert kinds(found) == [("entry-deleted", 3)]
    assert found[0].expected == entries[1].entry_hash  # what entry 4 should have followed
    assert "entry 3 deleted" in found[0].message


def test_deleting_the_first_entries_is_found() -> None:
    entries = chain(4)[2:]
    assert kinds(check_chain(entries)) == [("entry-deleted", 1)]
    assert "entries 1-2 deleted" in check_chain(entries)[0].message


def test_an_entry_slipped_in_beside_another_is_inserted() -> None:
    entries = chain(4)
    forged = replace(entries[2], id=99, seq=5, case_seq=5, note="forged")
    forged = replace(forged, entry_hash=forged.recomputed())  # a careful forger rehashes
    found = check_chain([*entries, forged])
    assert kinds(found) == [("entry-inserted", 5)]
    assert found[0].expected == entries[2].entry_hash


def test_an_entry_linked_to_nothing_is_inserted() -> None:
    entries = chain(3)
    forged = replace(entries[2], id=99, seq=4, case_seq=4, prev_hash="0" * 64)
    found = check_chain([*entries, replace(forged, entry_hash=forged.recomputed())])
    assert kinds(found) == [("entry-inserted", 4)]


def test_swapped_entries_are_reordered() -> None:
    entries = chain(4)
    entries[1], entries[2] = replace(entries[1], seq=3), replace(entries[2], seq=2)
    found = check_chain(entries)
    assert [f.kind for f in found] == ["entry-reordered"]
    assert found[0].entry in (2, 3) and "out of order" in found[0].message


def test_renumbered_entries_are_found() -> None:
    entries = chain(3)
    entries[2] = replace(entries[2], seq=7)
    assert kinds(check_chain(entries)) == [("entry-renumbered", 7)]


def test_a_rewritten_entry_breaks_the_next_link() -> None:
    entries = chain(4)
    rewritten = replace(entries[1], note="rewritten")
    entries[1] = replace(rewritten, entry_hash=rewritten.recomputed())
    found = check_chain(entries)
    assert kinds(found) == [("chain-broken", 3)]
    assert found[0].found == chain(4)[1].entry_hash
