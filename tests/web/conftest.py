"""One small linked case for all web tests: four simulated lists (one in Cyrillic), evidence
of every sensitivity, a sealed witness, an account per role, publishable records, and the
public view on. Built once per test session and engine (linking takes a few seconds): every
web test runs on a case in SQLite and on one in PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recount.case.folder import Case, init_case
from recount.case.sources import add_source
from recount.demo.evidence_items import write_photo, write_report
from recount.events.event import add_event
from recount.evidence.crypto import new_key_file
from recount.evidence.ingest import AddOptions, add_files
from recount.evidence.keys import KeySource, resolve_key
from recount.evidence.signing import Actor
from recount.evidence.testimony import add_witness
from recount.ingest.importer import import_file
from recount.linkage.run import link_case
from recount.persons.detail import person_file, set_publishable
from recount.security.public import set_public_enabled
from recount.security.roles import ROLES
from recount.security.users import add_user
from recount.simulate.simulation import simulate, write_simulation
from recount.web.app import WebSettings, create_app
from tests.conftest import ENGINES

PASSWORD = "correct horse battery"
EVENT = "vendara-1994"


@dataclass
class WebCase:
    root: Path
    key_file: Path
    items: dict[str, int]  # sensitivity → item id
    witness: str
    protected: dict[str, str]  # what → a value that must never leak where it may not be seen
    published_person: int
    unpublished_person: int
    unpublished_names: list[str] = field(default_factory=list)


def _build(root: Path, database: str | None) -> WebCase:
    sim = simulate(size=400, seed=7)
    files = write_simulation(sim, root / "lists")
    case = init_case(root / "case", name="Web test case (fictional)", database=database)
    try:
        add_event(
            case,
            EVENT,
            "Attack on the Vendara valley (fictional)",
            place="Vendara",
            start="1994-05-02",
            end="1994-05-04",
        )
        for spec in sim.specs:
            add_source(case, spec.slug, spec.name, spec.kind)
            import_file(
                case,
                spec.slug,
                files.lists[spec.slug],
                mapping_path=files.mappings.get(spec.slug),
                event=EVENT,
            )
        link_case(case)
        key_file = root / "team.key"
        new_key_file(key_file)
        items = _evidence(case, root, key_file)
        with case.writing() as conn:
            key = resolve_key(conn, KeySource(key_file=key_file))
            assert key is not None
            add_witness(
                conn,
                "W-1",
                {"name": "Zaur Hiddenwitness", "contact": "+994 55 777 12 34"},
                key,
                Actor("setup"),
            )
        for role in ROLES:
            add_user(case, role, role, PASSWORD)
        published, unpublished = _two_linked_persons(case)
        records = person_file(case, published)["records"]
        set_publishable(case, [r["id"] for r in records], True, "setup", "admin")
        set_public_enabled(case, True)
        hidden = person_file(case, unpublished, with_raw=True)["records"]
        names = sorted(
            {r[f] for r in hidden for f in ("full_name", "family_name") if r[f] and len(r[f]) > 3}
        )
        return WebCase(
            root / "case",
            key_file,
            items,
            "W-1",
            {
                "witness name": "Zaur Hiddenwitness",
                "witness contact": "+994 55 777 12 34",
                "protected caption": "Statement of Nigar Sealedname",
                "protected file name": "statement-sealed-nigar.txt",
                "protected content": "soldiers came at dawn to Sealedvillage",
                "restricted caption": "Restricted photo of Qarabulaq ridge",
            },
            published,
            unpublished,
            names,
        )
    finally:
        case.close()


def _evidence(case: Case, root: Path, key_file: Path) -> dict[str, int]:
    folder = root / "files"
    folder.mkdir()
    made = {}
    for number, sensitivity in enumerate(("public", "internal", "restricted"), start=1):
        path = folder / f"photo-{number}.jpg"
        write_photo(path, random.Random(number), datetime(1994, 5, 2, 6, number), number)
        caption = (
            "Restricted photo of Qarabulaq ridge"
            if sensitivity == "restricted"
            else f"A {sensitivity} photograph"
        )
        made[sensitivity] = _add(
            case, path, AddOptions(source="registry", caption=caption, sensitivity=sensitivity)
        )
    report = folder / "report.pdf"
    write_report(report, datetime(1994, 5, 5, 9, 0))
    made["pdf"] = _add(case, report, AddOptions(source="ngo", sensitivity="internal"))
    statement = folder / "statement-sealed-nigar.txt"
    statement.write_text("soldiers came at dawn to Sealedvillage\n", encoding="utf-8")
    made["protected"] = _add(
        case,
        statement,
        AddOptions(
            source="ngo",
            sensitivity="protected",
            caption="Statement of Nigar Sealedname",
            key=KeySource(key_file=key_file),
            new_key=True,
        ),
    )
    return made


def _add(case: Case, path: Path, options: AddOptions) -> int:
    result = add_files(case, [path], options)
    item_id = result.items[0].item_id
    assert item_id is not None
    return item_id


def _two_linked_persons(case: Case) -> tuple[int, int]:
    from recount.export.tables import export_rows

    by_person: dict[int, set[str]] = {}
    for row in export_rows(case, "links"):
        by_person.setdefault(row["person_id"], set()).add(row["source"])
    linked = sorted(p for p, s in by_person.items() if {"registry", "ngo"} <= s)
    return linked[0], linked[1]


@pytest.fixture(scope="session", params=ENGINES)
def web_case(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebCase]:
    if request.param == "sqlite":
        yield _build(tmp_path_factory.mktemp("web-sqlite"), None)
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database("web")
    yield _build(tmp_path_factory.mktemp("web-postgresql"), server.url(name))
    server.drop_database(name)


@pytest.fixture(scope="session")
def app(web_case: WebCase):
    return create_app(
        WebSettings(web_case.root, [KeySource(key_file=web_case.key_file)], secure_cookies=False)
    )


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in through the form, as a browser does; return the session's CSRF token."""
    form = client.get("/login")
    token = form.text.split('name="token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"name": name, "password": password, "token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    me = client.get("/")
    return me.text.split('"X-CSRF-Token": "')[1].split('"')[0]


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
