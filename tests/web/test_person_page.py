"""The person page shows the person's family, status over time and the acts they suffered."""

from __future__ import annotations

from fastapi.testclient import TestClient

from recount.case.folder import open_case
from recount.families.relations import add_relation
from recount.families.status import add_status
from tests.web.conftest import WebCase, login


def test_person_page_shows_relations_and_status_history(
    client: TestClient, web_case: WebCase
) -> None:
    person, other = web_case.published_person, web_case.unpublished_person
    case = open_case(web_case.root)
    try:
        add_relation(case, f"P{person}", "sibling", f"P{other}", actor="tester")
        add_status(
            case,
            f"P{person}",
            "remains identified",
            "2005-06-01",
            actor="tester",
            note="identified by the forensic team",
        )
    finally:
        case.close()
    login(client, "viewer")
    data = client.get(f"/api/persons/{person}").json()
    assert [(r["kind"], {r["person_id"], r["other_person_id"]}) for r in data["relations"]] == [
        ("sibling", {person, other})
    ]
    assert data["status"]["current"]["status"] == "remains identified"
    page = client.get(f"/persons/{person}").text
    assert "Status over time" in page and "identified by the forensic team" in page
    assert f'href="/persons/{other}"' in page


def test_persons_can_be_filtered_by_their_status_now(client: TestClient, web_case: WebCase) -> None:
    person = web_case.unpublished_person
    case = open_case(web_case.root)
    try:
        add_status(case, f"P{person}", "found alive", "2001-03-01", actor="tester")
    finally:
        case.close()
    login(client, "viewer")
    found = client.get("/api/persons", params={"status": "found alive"}).json()
    assert [p["person_id"] for p in found["persons"]] == [person]
    killed = client.get("/api/persons", params={"status": "killed", "per_page": 500}).json()
    assert person not in [p["person_id"] for p in killed["persons"]] and killed["total"] > 0
    page = client.get("/persons", params={"status": "found alive"}).text
    assert f'href="/persons/{person}"' in page
    assert client.get("/api/persons", params={"status": "vanished"}).status_code == 400
