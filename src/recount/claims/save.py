"""Save the claims found in a text: the text becomes an evidence item, each claim points at it.

So every saved figure can be traced claim → quote → evidence item (with its sha256 and custody
chain): the file is added to the evidence store (or found there, if the same bytes were added
before), the claims are inserted as ``proposed``, and one ``annotate`` custody entry records the
links from the item to its claims. Saving the same text again adds nothing that is already there.

The extractor says where a figure's place and date come from (``place_scope``/``date_scope``):
its own sentence, its paragraph, or elsewhere in the text. A place or date from the sentence or
its paragraph is kept and decides which event the claim belongs to; one read from elsewhere in
the text is dropped, since the extractor carries those over by recency, not understanding.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.claims.attach import choose_event
from recount.claims.model import make_figure
from recount.claims.store import NewClaim, claim_date, insert_claim
from recount.errors import NotFoundError
from recount.events.event import Event, get_event, list_events
from recount.evidence.actions import annotate
from recount.evidence.ingest import AddOptions, add_files
from recount.evidence.signing import default_actor_name, resolve_actor
from recount.store import claims as claims_store

if TYPE_CHECKING:
    from recount.store import Connection

log = logging.getLogger(__name__)


class Found(Protocol):
    """What the extractor gives for one figure (``recount.claims.extract.ExtractedClaim``)."""

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
    place_scope: str | None
    date_scope: str | None


KEPT_SCOPES = ("sentence", "paragraph")


@dataclass
class SaveResult:
    evidence_item_id: int
    saved: list[int] = field(default_factory=list)
    already: int = 0
    events: dict[int, str | None] = field(default_factory=dict)  # claim id → event slug
    not_attached: dict[int, str] = field(default_factory=dict)  # claim id → why

    def to_dict(self) -> dict:
        return {
            "evidence_item_id": self.evidence_item_id,
            "saved": self.saved,
            "already": self.already,
            "events": {str(k): v for k, v in self.events.items()},
            "not_attached": {str(k): v for k, v in self.not_attached.items()},
        }


def save_found(
    case: Case,
    path: Path,
    found: list[Found],
    source: str,
    event: str | None = None,
    actor: str | None = None,
) -> SaveResult:
    """Store ``found`` (extracted from ``path``) as proposed claims by ``source``."""
    actor = actor or default_actor_name()
    with case.reading() as conn:
        get_source(conn, source)
        preferred = get_event(conn, event) if event else None
    candidates = list_events(case)
    planned = [_plan(item, candidates, preferred) for item in found]  # every value checked
    added = add_files(
        case,
        [path],
        AddOptions(
            source=source,
            caption=f"Text claims were extracted from ({path.name})",
            actor=actor,
            note="figures in this text saved as proposed claims",
        ),
    )
    item_id = added.items[0].item_id
    if item_id is None:
        raise NotFoundError(f"{path}: the evidence store did not return an item")
    result = SaveResult(evidence_item_id=item_id)
    with case.writing() as conn:
        for item, (chosen, why) in zip(found, planned, strict=True):
            if _already_saved(conn, item_id, item):
                result.already += 1
                continue
            new = _new_claim(item, source, chosen, actor, item_id)
            claim_id = insert_claim(conn, new, "proposed")
            result.saved.append(claim_id)
            result.events[claim_id] = chosen.slug if chosen else None
            if why:
                result.not_attached[claim_id] = why
    if result.saved:
        with case.reading() as conn:
            who = resolve_actor(conn, actor, None)
        annotate(
            case,
            str(item_id),
            who,
            f"{len(result.saved)} claims extracted",
            {},
            claims=result.saved,
        )
    log.info("saved %d claims from %s (%d already there)", len(result.saved), path, result.already)
    return result


def _plan(
    item: Found, candidates: list[Event], preferred: Event | None
) -> tuple[Event | None, str | None]:
    make_figure(item.qualifier, item.count, item.low, item.high)
    date = claim_date(item.date) if item.date_scope in KEPT_SCOPES else None
    place = item.place if item.place_scope in KEPT_SCOPES else None
    attachment = choose_event(date, place, candidates, preferred)
    return attachment.event, attachment.reason


def _new_claim(item: Found, source: str, event: Event | None, actor: str, item_id: int) -> NewClaim:
    figure = make_figure(item.qualifier, item.count, item.low, item.high)
    return NewClaim(
        kind=item.kind,
        figure=figure,
        created_by=actor,
        event=event.slug if event else None,
        group=item.group,
        place=item.place if item.place_scope in KEPT_SCOPES else None,
        date=item.date if item.date_scope in KEPT_SCOPES else None,
        source=source,
        attributed_to=item.attributed_to,
        quote=item.quote,
        quote_start=item.start,
        quote_end=item.end,
        evidence_item_id=item_id,
        origin="extracted",
    )


def _already_saved(conn: Connection, item_id: int, item: Found) -> bool:
    return claims_store.claim_exists_at_quote(conn, item_id, item.start, item.end, item.kind)
