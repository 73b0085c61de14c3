"""For every role and every protected field or item: pages, API and exports show it or not
exactly as the role table says, and every allowed view is in the audit log."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from recount.case.folder import open_case
from recount.security import audit
from recount.security.roles import ROLE_TABLE, ROLES, allowed
from tests.web.conftest import WebCase, login


def _audited(web_case: WebCase, actor: str, action: str) -> int:
    with open_case(web_case.root) as case:
        return len(audit.entries(case, 5000, action=action, actor=actor))


@pytest.mark.parametrize("role", ROLES)
def test_witness_identity_follows_the_role_table(
    role: str, client: TestClient, web_case: WebCase
) -> None:
    login(client, role)
    before = _audited(web_case, role, "view.witness_identity")
    page = client.get(f"/evidence/witnesses/{web_case.witness}")
    api = client.get(f"/api/witnesses/{web_case.witness}")
    listing = client.get("/evidence").text
    name, contact = web_case.protected["witness name"], web_case.protected["witness contact"]
    if allowed(role, "witness.identity"):
        assert page.status_code == api.status_code == 200
        assert name in page.text and contact in page.text
        assert api.json()["identity"]["contact"] == contact
        assert _audited(web_case, role, "view.witness_identity") == before + 2
    else:
        assert page.status_code == api.status_code == 403
        assert name not in page.text + api.text
        assert api.json()["error"] == "ForbiddenError"
        assert _audited(web_case, role, "view.witness_identity") == before
    assert name not in listing and contact not in listing


@pytest.mark.parametrize("role", ROLES)
def test_protected_item_follows_the_role_table(
    role: str, client: TestClient, web_case: WebCase
) -> None:
    login(client, role)
    item = web_case.items["protected"]
    secrets = [web_case.protected[k] for k in ("protected caption", "protected file name")]
    before = _audited(web_case, role, "view.evidence_protected")
    page, api = client.get(f"/evidence/{item}"), client.get(f"/api/evidence/{item}")
    file = client.get(f"/evidence/{item}/file")
    assert page.status_code == api.status_code == 200  # the item exists for every role
    listing = client.get("/evidence").text + client.get("/api/evidence").text
    assert not any(s in listing for s in secrets)  # lists never open sealed items
    if allowed(role, "evidence.protected"):
        assert all(s in page.text for s in secrets)
        assert api.json()["caption"] == web_case.protected["protected caption"]
        assert file.status_code == 200
        assert file.text == web_case.protected["protected content"] + "\n"
        # the page, the API, the file: three views, three entries
        assert _audited(web_case, role, "view.evidence_protected") == before + 2
        assert _audited(web_case, role, "view.evidence_file") >= 1
    else:
        assert not any(s in page.text + api.text for s in secrets)
        assert api.json()["sealed"] is True and api.json()["caption"] is None
        assert file.status_code == 403
        assert web_case.protected["protected content"] not in file.text
        assert _audited(web_case, role, "view.evidence_protected") == before


@pytest.mark.parametrize("role", ROLES)
def test_restricted_item_follows_the_role_table(
    role: str, client: TestClient, web_case: WebCase
) -> None:
    login(client, role)
    item = web_case.items["restricted"]
    caption = web_case.protected["restricted caption"]
    before = _audited(web_case, role, "view.evidence_restricted")
    listing = client.get("/evidence").text
    api_listing = client.get("/api/evidence").json()
    page, api = client.get(f"/evidence/{item}"), client.get(f"/api/evidence/{item}")
    file = client.get(f"/evidence/{item}/file")
    if allowed(role, "evidence.restricted"):
        assert caption in listing and any(i["id"] == item for i in api_listing)
        assert page.status_code == api.status_code == file.status_code == 200
        assert caption in page.text
        assert _audited(web_case, role, "view.evidence_restricted") == before + 2
    else:
        assert caption not in listing and all(i["id"] != item for i in api_listing)
        assert page.status_code == api.status_code == file.status_code == 404
        assert caption not in page.text + api.text
        assert _audited(web_case, role, "view.evidence_restricted") == before


@pytest.mark.parametrize("role", ROLES)
def test_raw_rows_follow_the_role_table_in_pages_api_and_exports(
    role: str, client: TestClient, web_case: WebCase
) -> None:
    login(client, role)
    person = web_case.published_person
    before = _audited(web_case, role, "view.record_raw")
    page, api = client.get(f"/persons/{person}"), client.get(f"/api/persons/{person}")
    exported = client.get("/export/records.csv")
    exported_json = client.get("/api/export/records.json")
    assert page.status_code == api.status_code == exported.status_code == 200
    header = next(csv.reader(io.StringIO(exported.text)))
    has_raw = allowed(role, "records.raw")
    assert ("raw" in api.json()["records"][0]) is has_raw
    assert ("Raw rows, exactly as imported" in page.text) is has_raw
    assert ("raw" in header) is has_raw
    assert ("raw" in exported_json.json()[0]) is has_raw
    assert _audited(web_case, role, "view.record_raw") == before + (2 if has_raw else 0)
    assert _audited(web_case, role, "export") >= 2  # every export is audited


@pytest.mark.parametrize("role", ROLES)
def test_actions_and_admin_pages_follow_the_role_table(role: str, client: TestClient) -> None:
    login(client, role)
    gets = {
        "review.decide": "/api/review",
        "audit.read": "/api/audit",
        "users.manage": "/api/users",
        "case.read": "/api/case",
        "estimates.read": "/api/estimates",
        "export": "/api/export/persons.csv",
    }
    for permission, path in gets.items():
        expected = 200 if allowed(role, permission) else 403
        assert client.get(path).status_code == expected, (role, path)
    pages = {"review.decide": "/review", "audit.read": "/audit", "users.manage": "/users"}
    home = client.get("/").text
    for permission, path in pages.items():
        assert (f'href="{path}"' in home) is allowed(role, permission)


def test_the_role_table_is_one_table_with_every_role_and_permission() -> None:
    assert set().union(*ROLE_TABLE.values()) == {*ROLES, "public"}
    assert allowed("admin", "witness.identity") and not allowed("analyst", "witness.identity")
    assert not allowed(None, "case.read") and allowed(None, "public.read")
    with pytest.raises(KeyError):
        allowed("admin", "no.such.permission")


def test_not_logged_in_gets_the_login_page_or_401(client: TestClient) -> None:
    page = client.get("/persons", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    api = client.get("/api/persons")
    assert api.status_code == 401 and api.json()["error"] == "LoginRequiredError"
