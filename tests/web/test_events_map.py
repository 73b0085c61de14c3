"""The events page maps the events that have coordinates."""

from __future__ import annotations

from fastapi.testclient import TestClient

from recount.case.folder import open_case
from recount.events.event import add_event
from tests.web.conftest import WebCase, login


def test_events_with_coordinates_are_drawn_on_the_events_page(
    client: TestClient, web_case: WebCase
) -> None:
    login(client, "viewer")
    assert "/events/map.svg" not in client.get("/events").text  # no coordinates yet
    with open_case(web_case.root) as case:
        add_event(
            case,
            "harbour-2011",
            "Harbour clashes (fictional)",
            place="Meridan",
            start="2011-06-03",
            latitude=41.5,
            longitude=44.25,
            place_precision="exact",
        )
    assert '<img src="/events/map.svg"' in client.get("/events").text
    drawn = client.get("/events/map.svg")
    assert drawn.status_code == 200 and drawn.headers["content-type"] == "image/svg+xml"
    assert "Harbour clashes (fictional)" in drawn.text
