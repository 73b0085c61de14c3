"""The public view shows each event's figures with their sources: accepted claims only."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from recount.case.folder import open_case
from recount.claims.model import make_figure
from recount.claims.store import NewClaim, insert_claim
from recount.store.tables import events
from tests.web.conftest import WebCase


def test_public_events_show_accepted_figures_with_who_says_them(
    client: TestClient, web_case: WebCase
) -> None:
    with open_case(web_case.root) as case, case.writing() as conn:
        event = conn.execute(select(events.c.slug).order_by(events.c.id).limit(1)).scalar()
        for figure, status, who in (
            (make_figure("at least", 1234), "accepted", "the centre"),
            (make_figure("exact", 98765), "proposed", None),
            (make_figure("exact", 54321), "rejected", None),
        ):
            insert_claim(
                conn,
                NewClaim(
                    kind="killed",
                    figure=figure,
                    created_by="tester",
                    event=event,
                    source="registry",
                    attributed_to=who,
                ),
                status,
            )
    page = client.get("/public/events").text
    assert "at least 1,234" in page and "the centre (per registry)" in page
    assert "98,765" not in page and "54,321" not in page
    api = client.get("/api/public/events").json()
    figures = next(e["figures"] for e in api if e["slug"] == event)
    assert [f["figure"] for f in figures] == ["at least 1,234"]
    assert "created_by" not in figures[0] and "evidence_item_id" not in figures[0]
