"""Claims in the case: added by hand or saved from a text, reviewed, listed.

A claim saved from a text is ``proposed`` until a person accepts it (``review_claim``); claims
added by hand are ``accepted`` at once, since a person typed them. Rejected claims stay, with
who rejected them and when, so that the record of what sources said is never silently thinned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.claims.model import Claim, Figure, check_kind
from recount.clock import utc_now
from recount.errors import FieldError, InvalidValueError, NotFoundError
from recount.events.event import get_event
from recount.ingest.fields import DateValue, parse_date
from recount.store import claims as claims_store
from recount.vocabulary import CLAIM_STATUSES, check

if TYPE_CHECKING:
    from recount.store import Connection


@dataclass(frozen=True)
class NewClaim:
    """What a claim is made of before it has an id; ``event``/``source`` are slugs."""

    kind: str
    figure: Figure
    created_by: str
    event: str | None = None
    group: str | None = None
    place: str | None = None
    date: str | None = None
    source: str | None = None
    attributed_to: str | None = None
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    evidence_item_id: int | None = None
    origin: str = "hand"
    note: str | None = None


def claim_date(text: str | None) -> DateValue | None:
    """A claim's date as an interval; the same formats as records' dates."""
    if not text:
        return None
    try:
        return parse_date(text, order="dmy")
    except FieldError as exc:
        raise InvalidValueError(f"date {text!r}: expected {exc}") from None


def insert_claim(conn: Connection, new: NewClaim, status: str) -> int:
    """Insert one claim inside the caller's transaction; every name is checked first."""
    date = claim_date(new.date)
    values = dict(
        event_id=get_event(conn, new.event).id if new.event else None,
        source_id=get_source(conn, new.source).id if new.source else None,
        kind=check_kind(new.kind),
        group_name=_clean(new.group),
        count=new.figure.count,
        low=new.figure.low,
        high=new.figure.high,
        qualifier=new.figure.qualifier,
        place=_clean(new.place),
        date_low=date.low if date else None,
        date_high=date.high if date else None,
        date_precision=date.precision if date else None,
        attributed_to=_clean(new.attributed_to),
        quote=new.quote,
        quote_start=new.quote_start,
        quote_end=new.quote_end,
        evidence_item_id=new.evidence_item_id,
        origin=new.origin,
        status=check(status, CLAIM_STATUSES, "claim status"),
        note=new.note,
        created_by=new.created_by,
        created_at=utc_now(),
    )
    return claims_store.insert_claim(conn, values)


def add_claim(case: Case, new: NewClaim) -> Claim:
    """A claim typed by a person: accepted as soon as it is recorded."""
    if not new.source and not new.attributed_to:
        raise InvalidValueError(
            "a claim needs a source (--source) or whom it is attributed to "
            "(--attributed-to): recount never states a figure unattributed"
        )
    with case.writing() as conn:
        claim_id = insert_claim(conn, new, "accepted")
        return get_claim(conn, claim_id)


def review_claim(
    case: Case, claim_id: int, status: str, reviewer: str, note: str | None = None
) -> Claim:
    """Accept or reject a claim (or put it back to proposed), recording who and when."""
    status = check(status, CLAIM_STATUSES, "claim status")
    with case.writing() as conn:
        get_claim(conn, claim_id)
        values = dict(status=status, reviewed_by=reviewer, reviewed_at=utc_now())
        if note:
            values["note"] = note
        claims_store.update_claim(conn, claim_id, values)
        return get_claim(conn, claim_id)


def _claim(row: dict[str, Any]) -> Claim:
    return Claim(
        id=row["id"],
        event=row["event_slug"],
        kind=row["kind"],
        group=row["group_name"],
        count=row["count"],
        low=row["low"],
        high=row["high"],
        qualifier=row["qualifier"],
        place=row["place"],
        date_low=row["date_low"],
        date_high=row["date_high"],
        date_precision=row["date_precision"],
        source=row["source_slug"],
        attributed_to=row["attributed_to"],
        quote=row["quote"],
        evidence_item_id=row["evidence_item_id"],
        origin=row["origin"],
        status=row["status"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        reviewed_by=row["reviewed_by"],
        reviewed_at=row["reviewed_at"],
        note=row["note"],
    )


def get_claim(conn: Connection, claim_id: int) -> Claim:
    row = claims_store.claim_by_id(conn, claim_id)
    if row is None:
        raise NotFoundError(f"no claim {claim_id} in this case (see `recount claims list`)")
    return _claim(row)


def show_claim(case: Case, claim_id: int) -> Claim:
    """One claim, read on its own (``recount claims show``)."""
    with case.reading() as conn:
        return get_claim(conn, claim_id)


def list_claims(
    case: Case,
    event: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    source: str | None = None,
) -> list[Claim]:
    """Claims in a stable order: by event, kind, group, then as they were recorded."""
    with case.reading() as conn:
        event_id = get_event(conn, event).id if event is not None else None
        source_id = get_source(conn, source).id if source is not None else None
        if status is not None:
            status = check(status, CLAIM_STATUSES, "status")
        if kind is not None:
            kind = check_kind(kind)
        rows = claims_store.claims_with_slugs(conn, event_id, source_id, status, kind)
        return [_claim(row) for row in rows]


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None
