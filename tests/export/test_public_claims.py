"""The public's claims export: accepted claims only, none from a witness, none taken from an
evidence item that is not public."""

from __future__ import annotations

from pathlib import Path

from recount.case.folder import Case
from recount.case.sources import add_source
from recount.claims.model import make_figure
from recount.claims.store import NewClaim, insert_claim
from recount.evidence.ingest import AddOptions, add_files
from recount.export.redacted import redacted_export


def _item(case: Case, path: Path, sensitivity: str) -> int:
    path.write_text(f"a {sensitivity} text\n", encoding="utf-8")
    added = add_files(case, [path], AddOptions(source="ngo", sensitivity=sensitivity)).items[0]
    assert added.item_id is not None
    return added.item_id


def test_public_claims_leave_out_witnesses_and_items_that_are_not_public(
    case: Case, tmp_path: Path
) -> None:
    add_source(case, "neighbour", "A neighbour", "witness")
    public = _item(case, tmp_path / "public.txt", "public")
    internal = _item(case, tmp_path / "internal.txt", "internal")
    with case.writing() as conn:
        for count, source, item, status in (
            (1, "registry", None, "accepted"),
            (2, "ngo", public, "accepted"),
            (3, "ngo", internal, "accepted"),
            (4, "neighbour", None, "accepted"),
            (5, "registry", None, "proposed"),
        ):
            figure = make_figure("exact", count)
            new = NewClaim("killed", figure, "tester", source=source, evidence_item_id=item)
            insert_claim(conn, new, status)
    _columns, rows = redacted_export(case, "claims", None)
    assert [row["count"] for row in rows] == [1, 2]
    _columns, rows = redacted_export(case, "claims", "admin")
    assert [row["count"] for row in rows] == [1, 2, 3, 4, 5]
