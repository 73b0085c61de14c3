"""The event, act, instrument and intervention commands: JSON shapes, one-line errors, exit 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ENGINES, init_args, run_cli, write_csv
from tests.events.helpers import module_database, row_counts

TABLES = (
    "events",
    "event_links",
    "actors",
    "acts",
    "act_involvements",
    "act_instruments",
    "legal_instruments",
    "interventions",
)


def _rows(root: Path) -> dict[str, int]:
    return row_counts(root, TABLES)


def _ok(*args: str, root: Path) -> dict | list:
    result = run_cli(*args, "--json", case=root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=ENGINES)
def root(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """A case with a registry of two people, a war, and a town attacked within it, once on
    each engine."""
    with module_database(request.param, request) as database_url:
        yield _built(tmp_path_factory.mktemp("events"), database_url)


def _built(base: Path, database_url: str | None) -> Path:
    case = base / "case"
    assert run_cli("init", str(case), *init_args(database_url)).returncode == 0
    for args in (
        ["source", "add", "registry", "--name", "Registry", "--kind", "government"],
        [
            "import",
            "registry",
            str(
                write_csv(
                    base / "r.csv", "full_name,fate\nAli Hasanov,killed\nAshot Petrosyan,missing\n"
                )
            ),
            "--event",
            "war",
        ],
        [
            "event",
            "add",
            "town",
            "--name",
            "Attack on the town",
            "--place",
            "Town",
            "--place-precision",
            "near",
            "--latitude",
            "40.1",
            "--longitude",
            "46.9",
            "--start",
            "1992-02-26",
            "--parent",
            "war",
            "--description",
            "At night",
        ],
    ):
        if args[0] == "import":
            _ok(
                "event",
                "add",
                "war",
                "--name",
                "The war",
                "--start",
                "1991",
                "--end",
                "1994-05",
                root=case,
            )
        assert run_cli(*args, case=case).returncode == 0
    return case


def test_events_keep_date_and_place_precision(root: Path) -> None:
    events = _ok("event", "list", root=root)
    assert [
        (e["slug"], e["date_low"], e["date_high"], e["date_precision"], e["when"]) for e in events
    ] == [
        ("war", "1991-01-01", "1994-05-31", "range", "1991-01-01/1994-05-31"),
        ("town", "1992-02-26", "1992-02-26", "day", "1992-02-26"),
    ]
    town = events[1]
    assert town["parent_id"] == events[0]["id"]
    assert (town["place_precision"], town["latitude"], town["longitude"], town["description"]) == (
        "near",
        40.1,
        46.9,
        "At night",
    )


@pytest.mark.slow
def test_acts_links_and_interventions_show_on_the_event(root: Path) -> None:
    _ok("event", "add", "siege", "--name", "Siege", "--start", "1992-02", root=root)
    link = _ok(
        "event",
        "link",
        "siege",
        "precedes",
        "town",
        "--source",
        "registry",
        "--actor",
        "analyst-a",
        root=root,
    )
    assert (link["event"], link["kind"], link["other"], link["created_by"]) == (
        "siege",
        "precedes",
        "town",
        "analyst-a",
    )
    act = _ok(
        "act",
        "add",
        "town",
        "--type",
        "killing",
        "--victim",
        "registry:1",
        "--perpetrator",
        "3rd Battalion",
        "--perpetrator-kind",
        "group",
        "--degree",
        "gave orders",
        "--perpetrator",
        "Commander X",
        "--perpetrator-kind",
        "person",
        "--degree",
        "planned",
        "--instrument",
        "geneva-1949",
        "--source",
        "registry",
        "--date",
        "1992-02-26",
        root=root,
    )
    assert act["perpetrators"] == [
        {"name": "3rd Battalion", "kind": "group", "degree": "gave orders"},
        {"name": "Commander X", "kind": "person", "degree": "planned"},
    ]
    assert (act["victim"], act["person_id"], act["instruments"]) == (
        "registry:1",
        1,
        ["geneva-1949"],
    )
    assert _ok("act", "show", str(act["id"]), root=root) == act
    assert [a["id"] for a in _ok("act", "list", "--person", "P1", root=root)] == [act["id"]]
    assert _ok("act", "list", "--event", "war", root=root) == []
    _ok(
        "intervention",
        "add",
        "town",
        "--kind",
        "court decision",
        "--title",
        "Judgment",
        "--party",
        "European Court of Human Rights",
        "--date",
        "2010-04-22",
        root=root,
    )
    shown = _ok("event", "show", "town", root=root)
    assert shown["parent"]["slug"] == "war" and shown["children"] == []
    assert [(x["kind"], x["other"], x["source"]) for x in shown["links"]] == [
        ("follows", "siege", "registry")
    ]
    assert shown["timeline"] == {"position": 3, "of": 3, "previous": "siege", "next": None}
    assert (shown["acts"]["count"], shown["acts"]["by_type"]) == (1, {"killing": 1})
    assert [i["party"] for i in shown["interventions"]] == ["European Court of Human Rights"]
    war = _ok("event", "show", "war", root=root)
    assert war["counts"] == {"records": 2, "persons": 2, "claims": 0, "evidence_items": 0}
    assert [c["slug"] for c in war["children"]] == ["town"]
    line = _ok("event", "timeline", root=root)
    assert [(e["position"], e["slug"]) for e in line] == [(1, "war"), (2, "siege"), (3, "town")]
    text = run_cli("event", "show", "town", case=root).stdout
    assert "follows: siege (Siege) [source: registry]" in text and "3rd Battalion" in text


def test_instruments_can_be_listed_and_added(root: Path) -> None:
    added = _ok("instrument", "add", "rome-statute", "--name", "Rome Statute", root=root)
    assert added["slug"] == "rome-statute"
    slugs = [i["slug"] for i in _ok("instrument", "list", root=root)]
    assert slugs[0] == "geneva-1949" and slugs[-1] == "rome-statute" and len(slugs) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["event", "add", "e1", "--name", "x", "--start", "1992-02-30"], "--start '1992-02-30'"),
        (
            ["event", "add", "e1", "--name", "x", "--start", "1993", "--end", "1992"],
            "ends (1992) before it starts",
        ),
        (["event", "add", "e1", "--name", "x", "--parent", "nope"], "unknown event 'nope'"),
        (
            ["event", "add", "e1", "--name", "x", "--place-precision", "street"],
            "place precision 'street' is not one of",
        ),
        (
            ["event", "add", "e1", "--name", "x", "--latitude", "95", "--longitude", "0"],
            "--latitude 95.0: expected a number from -90 to 90",
        ),
        (["event", "edit", "war", "--parent", "town"], "would make a cycle"),
        (["event", "link", "town", "precedes", "war"], "part of the other"),
        (["event", "link", "town", "before", "war"], "event link 'before' is not one of"),
        (["act", "add", "town", "--type", "shooting", "--victim", "1"], "act type 'shooting'"),
        (["act", "add", "town", "--type", "killing", "--victim", "42"], "no person 42"),
        (
            [
                "act",
                "add",
                "town",
                "--type",
                "killing",
                "--victim",
                "1",
                "--perpetrator",
                "A",
                "--perpetrator",
                "B",
                "--perpetrator-kind",
                "group",
                "--perpetrator-kind",
                "person",
                "--perpetrator-kind",
                "group",
            ],
            "2 --perpetrator but 3 --perpetrator-kind",
        ),
        (
            ["act", "add", "town", "--type", "killing", "--victim", "1", "--degree", "planned"],
            "--degree needs a --perpetrator",
        ),
        (["act", "show", "999"], "no act 999"),
        (
            ["intervention", "add", "town", "--kind", "ruling", "--title", "x"],
            "intervention kind 'ruling'",
        ),
        (["instrument", "add", "cat", "--name", "again"], "already exists"),
    ],
)
def test_mistakes_give_one_line_exit_1_and_store_nothing(
    root: Path, args: list[str], message: str
) -> None:
    before = _rows(root)
    result = run_cli(*args, case=root)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert _rows(root) == before
