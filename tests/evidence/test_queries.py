"""What the evidence store's queries answer where no other test looks: near duplicates seen from
either item, an item's count of custody entries, each witness's count of testimonies, and
unknown link targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from recount.case.folder import Case
from recount.errors import NotFoundError
from recount.evidence.crypto import new_key_file
from recount.evidence.items import details, get_item
from recount.evidence.keys import KeySource, resolve_key
from recount.evidence.links import resolve_links
from recount.evidence.signing import resolve_actor
from recount.evidence.testimony import add_witness, list_witnesses
from tests.evidence.helpers import add, photo, sql


def test_near_duplicates_from_either_side_and_custody_count(case: Case, tmp_path: Path) -> None:
    original = photo(tmp_path / "a.jpg", 3)
    with Image.open(original) as image:
        image.resize((400, 266)).save(tmp_path / "small.jpg", quality=60)
    first, second = add(case, original, tmp_path / "small.jpg")
    with case.reading() as conn:
        near_first = details(conn, get_item(conn, first))["near_duplicates"]
        near_second = details(conn, get_item(conn, second))
    assert [n["item"] for n in near_first] == [second]
    assert [n["item"] for n in near_second["near_duplicates"]] == [first]
    assert near_first[0]["distance"] == near_second["near_duplicates"][0]["distance"]
    assert [d["kind"] for d in near_second["derived"]] == ["thumbnail"]
    logged = sql(case.root, "SELECT count(*) FROM custody_log WHERE item_id = ?", second)
    assert near_second["custody_entries"] == logged[0][0] == 1


def test_testimonies_are_counted_per_witness(case: Case, tmp_path: Path) -> None:
    key_file = tmp_path / "team.key"
    new_key_file(key_file)
    with case.writing() as conn:
        key = resolve_key(conn, KeySource(key_file=key_file), allow_new=True)
        assert key is not None
        actor = resolve_actor(conn, None, None)
        for pseudonym in ("W-2", "W-1"):
            add_witness(conn, pseudonym, {"name": pseudonym}, key, actor)
    add(case, photo(tmp_path / "a.jpg", 1), photo(tmp_path / "b.jpg", 2), witness="W-2")
    with case.reading() as conn:
        counted = [(w.pseudonym, w.testimonies) for w in list_witnesses(conn)]
    assert counted == [("W-1", 0), ("W-2", 2)]


@pytest.mark.parametrize(
    ("kind", "message"), [("persons", "person 5"), ("records", "record 5"), ("claims", "claim 5")]
)
def test_unknown_link_targets_are_refused(case: Case, kind: str, message: str) -> None:
    with case.reading() as conn, pytest.raises(NotFoundError, match=f"unknown {message}"):
        resolve_links(conn, **{f"{kind[:-1]}_ids": [5]})  # type: ignore[arg-type]
