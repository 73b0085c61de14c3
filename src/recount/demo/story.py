"""The demo's story around its lists: events, acts, interventions, families, statuses, claims.

After the lists are linked and estimated, the demo records what a documentation group would:
an earlier event that the fictional bulletin also mentions, and how the two are linked; acts
(who did what to whom) with alleged perpetrators and the instruments cited; an inquiry, a
parliamentary resolution and a court decision; the relations in the family register; remains
identified, people found alive and detainees released years later; and the figures in a
fictional news bulletin (``demo/files/vendara-bulletin.txt``), extracted, saved as claims traced
to the bulletin as an evidence item, and accepted where they attach to an event.
Everything here is fictional, and says so.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from recount.case.folder import Case
from recount.case.sources import add_source
from recount.claims.extract import extract_claims
from recount.claims.reading import read_text
from recount.claims.save import save_found
from recount.claims.store import review_claim
from recount.demo.register import REGISTER
from recount.events.acts import Perpetrator, add_act
from recount.events.event import add_event
from recount.events.interventions import add_intervention
from recount.events.links import link_events
from recount.export.tables import export_rows
from recount.families.derive import derive_relations
from recount.families.status import add_status

BULLETIN = Path(__file__).parent / "files" / "vendara-bulletin.txt"
BULLETIN_SOURCE = "demo-regional-monitor"
EARLIER_EVENT = "oskelu-1991"
ACTOR = "demo"
ARMED_GROUP = Perpetrator("North Column (fictional armed group)", "group", "directly carried out")
COMMANDER = Perpetrator("Commander of the North Column (fictional)", "person", "gave orders")


@dataclass
class StoryResult:
    relations: int = 0
    acts: int = 0
    interventions: int = 0
    status_changes: int = 0
    claims: int = 0
    accepted: int = 0
    unattached: dict[int, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def add_demo_story(case: Case, event: str, folder: Path) -> StoryResult:
    """Record the story of ``event`` in ``case``; the bulletin is copied into ``folder``."""
    result = StoryResult()
    add_event(
        case,
        EARLIER_EVENT,
        "Shelling of the Oskelu market (fictional)",
        place="Oskelu",
        start="1991-09",
        place_precision="exact",
    )
    link_events(case, EARLIER_EVENT, "precedes", event, actor=ACTOR)
    result.relations = sum(derive_relations(case, source=REGISTER, actor=ACTOR).added.values())
    result.acts = _acts(case, event)
    result.interventions = _interventions(case, event)
    result.status_changes = _statuses(case)
    _claims(case, event, folder, result)
    return result


def _registry(case: Case, fate: str) -> list[dict]:
    return [r for r in export_rows(case, "records", "registry") if r["fate"] == fate]


def _registry_rows(case: Case, fate: str) -> list[int]:
    return [r["row_number"] for r in _registry(case, fate)]


def _acts(case: Case, event: str) -> int:
    plan = [
        (r, "killing", [ARMED_GROUP, COMMANDER], ["geneva-1949"])
        for r in _registry(case, "killed")[:12]
    ]
    plan += [
        (r, "hostage taking", [ARMED_GROUP], ["geneva-1949", "iccpr"])
        for r in _registry(case, "detained")[:4]
    ]
    for record, act_type, perpetrators, instruments in plan:
        add_act(
            case,
            event,
            act_type,
            f"registry:{record['row_number']}",
            perpetrators,
            source="testimonies",
            date=record["date_low"],
            place=record["place"],
            instruments=instruments,
            actor=ACTOR,
        )
    return len(plan)


def _interventions(case: Case, event: str) -> int:
    for kind, title, party, date in (
        (
            "inquiry",
            "Provincial inquiry into the attack (fictional)",
            "Provincial inquiry commission (fictional)",
            "1994-06",
        ),
        (
            "parliamentary resolution",
            "Resolution recognising the victims (fictional)",
            "Provincial assembly (fictional)",
            "1995-03-10",
        ),
        (
            "court decision",
            "Judgment on the hostage taking (fictional)",
            "District court (fictional)",
            "1998-11-20",
        ),
    ):
        add_intervention(case, event, kind, title, party, date, source="registry", actor=ACTOR)
    return 3


def _statuses(case: Case) -> int:
    changes = [
        (row, "remains identified", "1999-05-12") for row in _registry_rows(case, "missing")[:6]
    ]
    changes += [(row, "found alive", "1995-02-01") for row in _registry_rows(case, "missing")[6:9]]
    changes += [(row, "released", "1994-04-02") for row in _registry_rows(case, "detained")[:4]]
    for row, status, date in changes:
        add_status(case, f"registry:{row}", status, date, source="registry", actor=ACTOR)
    return len(changes)


def _claims(case: Case, event: str, folder: Path, result: StoryResult) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text_file = folder / BULLETIN.name
    shutil.copyfile(BULLETIN, text_file)
    add_source(case, BULLETIN_SOURCE, "Regional Monitor, weekly bulletin (fictional)", "media")
    saved = save_found(
        case, text_file, extract_claims(read_text(text_file)), BULLETIN_SOURCE, event, ACTOR
    )
    result.claims = len(saved.saved)
    result.unattached = {
        i: why for i, why in saved.not_attached.items() if saved.events.get(i) is None
    }
    for claim_id in saved.saved:
        if saved.events.get(claim_id) is not None:
            review_claim(case, claim_id, "accepted", ACTOR, note="read against the bulletin")
            result.accepted += 1
