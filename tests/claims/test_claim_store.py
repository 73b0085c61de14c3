"""Claims in a case: figures keep their qualifier, every claim is attributed, reviews are kept."""

from __future__ import annotations

import pytest

from recount.case.folder import Case
from recount.claims.model import make_figure
from recount.claims.store import NewClaim, add_claim, list_claims, review_claim
from recount.errors import InvalidValueError, NotFoundError
from recount.events.event import add_event
from tests.conftest import table_counts


@pytest.mark.parametrize(
    ("qualifier", "count", "low", "high", "label"),
    [
        ("exact", 613, 613, 613, "613"),
        ("about", 1000, None, None, "about 1,000"),
        ("at least", 400, 400, None, "at least 400"),
        ("over", 1000, 1001, None, "over 1,000"),
        ("up to", 300, None, 300, "up to 300"),
        ("fewer than", 50, None, 49, "fewer than 50"),
    ],
)
def test_a_figure_keeps_its_qualifier_and_the_bounds_it_implies(
    qualifier: str, count: int, low: int | None, high: int | None, label: str
) -> None:
    figure = make_figure(qualifier, count)
    assert (figure.count, figure.low, figure.high, figure.qualifier) == (
        count,
        low,
        high,
        qualifier,
    )
    assert figure.label() == label


def test_a_range_needs_both_ends_in_order() -> None:
    assert make_figure("range", low=200, high=300).label() == "200–300"
    with pytest.raises(InvalidValueError, match="low is above high"):
        make_figure("range", low=300, high=200)
    with pytest.raises(InvalidValueError, match="both --low and --high"):
        make_figure("range", low=200)
    with pytest.raises(InvalidValueError, match="negative"):
        make_figure("exact", -3)
    with pytest.raises(InvalidValueError, match="qualifier 'roughly'"):
        make_figure("roughly", 3)


def _claim(**changes: object) -> NewClaim:
    values: dict = dict(
        kind="killed", figure=make_figure("exact", 613), created_by="tester", source="registry"
    )
    values.update(changes)
    return NewClaim(**values)


def test_two_contradictory_claims_for_one_event_are_both_kept(case: Case) -> None:
    add_event(
        case, "town-1992", "Town, February 1992", place="Town", start="1992-02-25", end="1992-02-26"
    )
    add_claim(case, _claim(event="town-1992"))
    add_claim(
        case,
        _claim(
            event="town-1992",
            source="ngo",
            figure=make_figure("at least", 400),
            attributed_to="a human-rights group",
        ),
    )
    found = list_claims(case, event="town-1992", kind="killed")
    assert [(c.figure.label(), c.speaker) for c in found] == [
        ("613", "registry"),
        ("at least 400", "a human-rights group (per ngo)"),
    ]
    assert {c.status for c in found} == {"accepted"}


def test_a_claim_without_any_attribution_is_refused(case: Case) -> None:
    with pytest.raises(InvalidValueError, match="never states a figure unattributed"):
        add_claim(case, _claim(source=None))


def test_bad_names_and_values_store_nothing(case: Case) -> None:
    before = list_claims(case)
    for bad, error, match in (
        (dict(kind="bombed"), InvalidValueError, "claim kind 'bombed'"),
        (dict(event="nowhere"), NotFoundError, "unknown event 'nowhere'"),
        (dict(source="gazette"), NotFoundError, "unknown source 'gazette'"),
        (dict(date="26 Febtober"), InvalidValueError, "date '26 Febtober'"),
    ):
        with pytest.raises(error, match=match):
            add_claim(case, _claim(**bad))
    assert list_claims(case) == before == []


def test_dates_keep_their_precision(case: Case) -> None:
    claim = add_claim(case, _claim(date="1992-02"))
    assert (claim.date_low, claim.date_high, claim.date_precision, claim.date) == (
        "1992-02-01",
        "1992-02-29",
        "month",
        "1992-02",
    )


def test_review_records_who_and_when_and_rejected_claims_stay(case: Case) -> None:
    claim = add_claim(case, _claim())
    rejected = review_claim(case, claim.id, "rejected", "reviewer-1", note="misread")
    assert (rejected.status, rejected.reviewed_by, rejected.note) == (
        "rejected",
        "reviewer-1",
        "misread",
    )
    assert rejected.reviewed_at is not None
    assert [c.id for c in list_claims(case, status="rejected")] == [claim.id]
    with pytest.raises(NotFoundError, match="no claim 99"):
        review_claim(case, 99, "accepted", "reviewer-1")
    assert table_counts(case.root)["events"] == 0
