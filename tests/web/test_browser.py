"""End to end in a real browser: Debian's Chromium driven by Playwright, against
`recount serve` started on 127.0.0.1 by the test, exactly as a user starts it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from recount.case.folder import open_case
from recount.errors import NotFoundError
from recount.linkage.review_queue import queue
from recount.persons.detail import person_file
from tests.web.conftest import PASSWORD, WebCase

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(web_case: WebCase) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "RECOUNT_CASE"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "recount.cli",
            "--case",
            str(web_case.root),
            "serve",
            "--port",
            str(port),
            "--key-file",
            str(web_case.key_file),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


def _login(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"{name} ({name})")).to_be_visible()


def _cyrillic_person(web_case: WebCase) -> tuple[int, str, str]:
    """A person with a Cyrillic record (the NGO's list) and a Latin one (the registry's)."""
    with open_case(web_case.root) as case:
        for person_id in range(1, 400):
            try:
                records = person_file(case, person_id)["records"]
            except NotFoundError:  # ids merged away
                continue
            cyrillic = [r for r in records if r["source"] == "ngo" and r["family_name"]]
            latin = [
                r["full_name"] or r["family_name"]
                for r in records
                if r["source"] == "registry" and (r["full_name"] or r["family_name"])
            ]
            if cyrillic and latin:
                return person_id, cyrillic[0]["family_name"], latin[0]
    raise AssertionError("no person with both a Cyrillic and a Latin record")


def test_search_review_and_figures_in_chromium(
    server: str, browser: Browser, web_case: WebCase, tmp_path: Path
) -> None:
    page = browser.new_page()
    page.set_default_timeout(15_000)
    _login(page, server, "analyst")

    # Search by a Cyrillic spelling; find the person with the Latin record.
    person_id, cyrillic, latin = _cyrillic_person(web_case)
    assert any("\u0400" <= ch <= "\u04ff" for ch in cyrillic)
    page.goto(f"{server}/persons")
    page.get_by_label("Search names").fill(cyrillic)
    row = page.locator("table.persons tr", has=page.locator(f'a[href="/persons/{person_id}"]'))
    expect(row).to_be_visible()
    expect(row).to_contain_text(latin)
    row.locator(f'a[href="/persons/{person_id}"]').click()
    expect(page.locator("h1")).to_have_text(f"Person {person_id}")
    expect(page.locator("table.records")).to_contain_text(cyrillic)
    expect(page.locator("table.records")).to_contain_text(latin)

    # Decide a review pair (keyboard shortcut) and see the person change.
    with open_case(web_case.root) as case:
        first = queue(case, 1)[0]
    page.goto(f"{server}/review")
    section = page.locator("section.pair:not([hidden])")
    expect(section).to_have_attribute("data-pair", f"{first['record_l']}-{first['record_r']}")
    before = (first["left"]["person_id"], first["right"]["person_id"])
    label = "non-match" if before[0] == before[1] else "match"
    page.keyboard.press("n" if label == "non-match" else "m")
    notice = page.locator("#decided")
    expect(notice).to_contain_text(f"Recorded {label}")
    with open_case(web_case.root) as case:
        left = person_file(case, before[0])["records"]
    ids = {r["id"] for r in left}
    if label == "match":
        assert {first["record_l"], first["record_r"]} <= ids  # joined into one person
    else:
        assert not {first["record_l"], first["record_r"]} <= ids  # split apart
    expect(notice).to_contain_text(f"(were persons {before[0]} and {before[1]})")
    notice.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("Person")

    # The figures table of the event, with its chart.
    page.goto(f"{server}/figures")
    expect(page.locator("section.figures h2")).to_contain_text("Vendara")
    expect(page.locator("section.figures img")).to_be_visible()
    assert page.evaluate("document.querySelector('section.figures img').naturalWidth") > 0

    # Estimates: one started from the browser, with progress.
    page.goto(f"{server}/estimates")
    expect(page.locator("h1")).to_have_text("Estimates")
    page.locator("select[name=method]").select_option("chao")
    page.get_by_role("button", name="Estimate").click()
    status = page.locator(".job-status")
    expect(status).to_have_attribute("data-status", "done", timeout=60_000)
    page.get_by_role("link", name="See estimate").click()
    expect(page.locator("h1")).to_contain_text("chao")
    page.close()


def test_protected_evidence_in_chromium(server: str, browser: Browser, web_case: WebCase) -> None:
    page = browser.new_page()
    page.set_default_timeout(15_000)
    _login(page, server, "viewer")
    page.goto(f"{server}/evidence/{web_case.items['protected']}")
    expect(page.locator(".protected")).to_contain_text("Your role may not open")
    assert web_case.protected["protected caption"] not in page.content()
    page.goto(f"{server}/evidence/{web_case.items['public']}")
    image = page.locator("img.evidence")
    expect(image).to_be_visible()
    assert page.evaluate("document.querySelector('img.evidence').naturalWidth") > 0
    page.close()
