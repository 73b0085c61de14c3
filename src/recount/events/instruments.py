"""Legal instruments that acts are cited under: a short list each case can extend.

A new case starts with the five instruments migration 0006 seeds (the 1949 Geneva Conventions,
the Genocide Convention, the Convention against Torture, the Convention on the Rights of the
Child, the ICCPR). Citing an instrument records what the user argues, not a legal finding.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.case.sources import check_slug
from recount.errors import DuplicateError, InvalidValueError, NotFoundError
from recount.store import acts as acts_store

if TYPE_CHECKING:
    from recount.store import Connection


@dataclass(frozen=True)
class Instrument:
    id: int
    slug: str
    name: str
    acts: int = 0  # acts that cite it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def add_instrument(case: Case, slug: str, name: str) -> Instrument:
    check_slug(slug, "instrument")
    if not name.strip():
        raise InvalidValueError("an instrument needs a name (--name)")
    with case.writing() as conn:
        if acts_store.instrument_id_by_slug(conn, slug) is not None:
            raise DuplicateError(
                f"instrument {slug!r} already exists; see `recount instrument list`"
            )
        new_id = acts_store.insert_instrument(conn, slug, name.strip())
    return Instrument(new_id, slug, name.strip())


def list_instruments(case: Case) -> list[Instrument]:
    with case.reading() as conn:
        return [Instrument(*row) for row in acts_store.instruments_with_act_counts(conn)]


def instrument_ids(conn: Connection, slugs: list[str]) -> list[int]:
    """The ids of instruments named by slug; an unknown slug is refused with the known ones."""
    known = acts_store.instrument_ids_by_slug(conn)
    missing = [slug for slug in slugs if slug not in known]
    if missing:
        raise NotFoundError(
            f"unknown instrument {missing[0]!r} (known: {', '.join(known)}); "
            f"add it with `recount instrument add {missing[0]} --name ..`"
        )
    return list(dict.fromkeys(known[slug] for slug in slugs))
