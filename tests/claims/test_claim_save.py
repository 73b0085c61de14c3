"""Saving figures found in a text: evidence item, proposed claims, custody link, right event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from recount.case.folder import Case
from recount.claims.save import save_found
from recount.claims.store import list_claims
from recount.errors import InvalidValueError, NotFoundError
from recount.events.event import add_event
from recount.evidence.custody import item_subject
from recount.evidence.verify import verify_case
from recount.store.tables import custody_log, evidence_items

TEXT = (
    "The ministry said 613 people were killed in Town on 26 February 1992. "
    "In 1988, at least 30 people had died in Riverside.\n"
)


@dataclass(frozen=True)
class Found:
    quote: str
    count: int | None
    low: int | None
    high: int | None
    qualifier: str
    kind: str
    group: str | None
    attributed_to: str | None
    place: str | None
    date: str | None
    start: int
    end: int
    place_scope: str | None = "sentence"
    date_scope: str | None = "sentence"


FOUND = [
    Found(
        TEXT[:70],
        613,
        613,
        613,
        "exact",
        "killed",
        None,
        "the ministry",
        "Town",
        "1992-02-26",
        18,
        21,
    ),
    Found(TEXT[71:], 30, 30, None, "at least", "killed", None, None, "Riverside", "1988", 93, 95),
]


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def events_case(case: Case) -> Case:
    add_event(
        case, "town-1992", "Town, February 1992", place="Town", start="1992-02-25", end="1992-02-26"
    )
    add_event(case, "riverside-1988", "Riverside, 1988", place="Riverside", start="1988")
    return case


def test_figures_become_proposed_claims_traced_to_an_evidence_item(
    events_case: Case, text_file: Path
) -> None:
    result = save_found(events_case, text_file, FOUND, "registry", "town-1992", "analyst")
    claims = list_claims(events_case)
    assert [c.status for c in claims] == ["proposed", "proposed"]
    assert {c.evidence_item_id for c in claims} == {result.evidence_item_id}
    with events_case.reading() as conn:
        item = (
            conn.execute(
                select(evidence_items).where(evidence_items.c.id == result.evidence_item_id)
            )
            .mappings()
            .one()
        )
        details = conn.execute(
            select(custody_log.c.details).where(
                custody_log.c.subject == item_subject(result.evidence_item_id),
                custody_log.c.action == "annotate",
            )
        ).scalar_one()
    assert item["file_name"] == "report.txt"
    assert json.loads(details)["links"] == [{"claim": i} for i in result.saved]
    by_quote = {c.quote: c for c in claims}
    assert by_quote[FOUND[0].quote].count == 613 and TEXT[18:21] == "613"
    assert verify_case(events_case).ok


def test_a_figure_about_another_event_is_not_attached_to_the_one_named(
    events_case: Case, text_file: Path
) -> None:
    result = save_found(events_case, text_file, FOUND, "registry", "town-1992", "analyst")
    events = {c.count: c.event for c in list_claims(events_case)}
    assert events == {613: "town-1992", 30: "riverside-1988"}
    assert "does not fit event 'town-1992'" in result.not_attached[result.saved[1]]


def test_without_a_matching_event_the_claim_waits_unattached(case: Case, text_file: Path) -> None:
    add_event(
        case, "town-1992", "Town, February 1992", place="Town", start="1992-02-25", end="1992-02-26"
    )
    result = save_found(case, text_file, FOUND, "registry", "town-1992", "analyst")
    assert {c.count: c.event for c in list_claims(case)} == {613: "town-1992", 30: None}
    assert "does not fit event 'town-1992'" in result.not_attached[result.saved[1]]


def test_a_place_or_date_carried_over_from_elsewhere_neither_attaches_nor_is_kept(
    events_case: Case, text_file: Path
) -> None:
    carried = Found(
        TEXT[71:],
        30,
        30,
        None,
        "at least",
        "killed",
        None,
        None,
        "Riverside",
        "1988",
        93,
        95,
        place_scope="text",
        date_scope="text",
    )
    result = save_found(events_case, text_file, [carried], "registry", "town-1992", "analyst")
    (claim,) = list_claims(events_case)
    assert (claim.event, claim.place, claim.date) == ("town-1992", None, None)
    assert result.not_attached == {}
    paragraph = Found(
        TEXT[71:],
        30,
        30,
        None,
        "at least",
        "killed",
        None,
        None,
        "Riverside",
        "1988",
        96,
        98,
        place_scope="text",
        date_scope="paragraph",
    )
    save_found(events_case, text_file, [paragraph], "registry", "town-1992", "analyst")
    assert max(list_claims(events_case), key=lambda c: c.id).event == "riverside-1988"


def test_saving_the_same_text_twice_adds_nothing(events_case: Case, text_file: Path) -> None:
    first = save_found(events_case, text_file, FOUND, "registry", None, "analyst")
    again = save_found(events_case, text_file, FOUND, "registry", None, "analyst")
    assert (len(first.saved), len(again.saved), again.already) == (2, 0, 2)
    assert again.evidence_item_id == first.evidence_item_id
    assert len(list_claims(events_case)) == 2


def test_a_bad_figure_or_name_saves_nothing(events_case: Case, text_file: Path) -> None:
    bad = [FOUND[0], Found("x", None, 5, 2, "range", "killed", None, None, None, None, 0, 1)]
    with pytest.raises(InvalidValueError, match="low is above high"):
        save_found(events_case, text_file, bad, "registry", None, "analyst")
    with pytest.raises(NotFoundError, match="unknown source"):
        save_found(events_case, text_file, FOUND, "gazette", None, "analyst")
    with events_case.reading() as conn:
        assert conn.execute(select(evidence_items.c.id)).first() is None
    assert list_claims(events_case) == []
