"""The public memorial view: off unless enabled, and never a protected or internal value —
checked by scanning every public page and API answer for the case's protected values."""

from __future__ import annotations

import csv
import io
import json
import re

from fastapi.testclient import TestClient

from recount.case.folder import open_case
from recount.case.summary import summarise
from recount.security.public import set_public_enabled
from tests.conftest import run_cli
from tests.web.conftest import WebCase


def _never_public(web_case: WebCase) -> list[str]:
    """Values that must not appear on any public page: protected, internal, unpublished."""
    values = list(web_case.protected.values()) + web_case.unpublished_names
    values += ["A internal photograph", "W-1", "Hiddenwitness"]
    with open_case(web_case.root) as case:
        for imported in summarise(case).imports:
            values += [imported.sha256, imported.file_name]
    return values


def _crawl(client: TestClient) -> dict[str, str]:
    """Every public page and API answer, following the public pages' own links."""
    seen: dict[str, str] = {}
    queue = ["/public", "/api/public/persons", "/api/public/events"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        seen[path] = response.text
        queue += [
            link for link in re.findall(r'href="(/public[^"]*)"', response.text) if link not in seen
        ]
    return seen


def test_public_pages_never_show_a_protected_or_internal_value(
    client: TestClient, web_case: WebCase
) -> None:
    pages = _crawl(client)
    assert f"/public/persons/{web_case.published_person}" in pages
    assert len(pages) >= 5
    for path, text in pages.items():
        for value in _never_public(web_case):
            assert value not in text, (path, value)
        assert '"raw"' not in text and "record_id" not in text
    hidden = client.get(f"/public/persons/{web_case.unpublished_person}")
    assert hidden.status_code == 404
    assert all(name not in hidden.text for name in web_case.unpublished_names)


def test_public_view_is_off_unless_the_case_enables_it(
    client: TestClient, web_case: WebCase
) -> None:
    with open_case(web_case.root) as case:
        set_public_enabled(case, False)
    try:
        for path in ("/public", "/public/persons", "/api/public/persons"):
            assert client.get(path).status_code == 404
    finally:
        with open_case(web_case.root) as case:
            set_public_enabled(case, True)
    assert client.get("/public").status_code == 200


def test_public_export_has_only_publishable_records_and_whitelisted_columns(
    web_case: WebCase,
) -> None:
    result = run_cli("export", "records", "--format", "csv", "--public", case=web_case.root)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["person_id"] for r in rows} == {str(web_case.published_person)}
    assert "raw" not in rows[0] and "record_id" not in rows[0] and "file_sha256" not in rows[0]
    for value in _never_public(web_case):
        assert value not in result.stdout
    persons = run_cli("export", "persons", "--format", "json", "--public", case=web_case.root)
    assert persons.returncode == 0, persons.stderr
    assert [p["person_id"] for p in json.loads(persons.stdout)] == [web_case.published_person]
