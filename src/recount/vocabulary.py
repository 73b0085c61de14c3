"""Controlled vocabularies: the words recount stores for kinds, types, degrees and statuses.

They follow the top levels of the HURIDOCS Events Standard Formats micro-thesauri (Types of
Acts, Degrees of Involvement, Chain of Events, Status as Victim, Types of Intervention) where
those fit, shortened to the level a documentation group records by hand; see
``shared/notes/field-notes.md`` §3.2 and docs/events.md. Values are stored as these words, so
exports read without a code book. ``check`` is the one place a word is validated.
"""

from __future__ import annotations

from recount.errors import InvalidValueError

# HURIDOCS list 4 (Types of Acts), top levels that casualty and missing-persons work records.
SOURCE_KINDS = ("government", "ngo", "media", "court", "forensic", "witness", "other")
FATES = ("killed", "injured", "detained", "missing", "displaced", "survived", "unknown")

REVIEW_LABELS = ("match", "non-match", "unsure")
SENSITIVITIES = ("public", "internal", "restricted", "protected")
ROLES = ("admin", "analyst", "reviewer", "viewer")

ACT_TYPES = (
    "killing",
    "attempted killing",
    "injury",
    "torture",
    "sexual violence",
    "arbitrary detention",
    "enforced disappearance",
    "abduction",
    "hostage taking",
    "displacement",
    "destruction of property",
    "other",
)

# HURIDOCS list 18 (Degrees of Involvement), its first level and the common second-level terms.
DEGREES_OF_INVOLVEMENT = (
    "directly carried out",
    "gave orders",
    "planned",
    "confirmed present",
    "passive accomplice",
    "suspected",
    "failure to prevent",
    "failure to act on knowledge",
    "general political responsibility",
    "other",
    "unknown",
)

ACTOR_KINDS = ("person", "group")

# HURIDOCS list 22 (Chain of Events), the four links a timeline needs.
EVENT_LINK_KINDS = ("precedes", "follows", "part of", "caused by")

# Place precision, from exact coordinates to a whole country (after UCDP's where_prec).
PLACE_PRECISIONS = ("exact", "near", "district", "province", "country", "unknown")

INTERVENTION_KINDS = (
    "court decision",
    "indictment",
    "parliamentary resolution",
    "inquiry",
    "investigation",
    "campaign",
    "other",
)

# ``child`` is stored as the inverse ``parent`` link.
RELATION_KINDS = ("parent", "child", "spouse", "sibling")

# Status as victim (HURIDOCS list 25) as it changes over time for missing and detained people.
STATUSES = (
    "killed",
    "injured",
    "missing",
    "found alive",
    "remains identified",
    "detained",
    "released",
    "died in detention",
    "displaced",
    "returned",
    "survived",
    "unknown",
)

CLAIM_KINDS = ("killed", "injured", "detained", "missing", "displaced", "orphaned", "other")
QUALIFIERS = ("exact", "at least", "over", "about", "up to", "fewer than", "range")
CLAIM_STATUSES = ("proposed", "accepted", "rejected")

# Multiple systems estimation methods (``recount estimate --method``); the first is the default.
ESTIMATION_METHODS = ("lcmcr", "loglinear", "dga", "chao")


def check(value: str, allowed: tuple[str, ...], what: str) -> str:
    """``value`` normalised (case, spaces, ``_``/``-`` for space) if it is one of ``allowed``."""
    word = " ".join(value.replace("_", " ").split()).lower()
    if word in allowed:
        return word
    dashed = {term.replace(" ", "-"): term for term in allowed}
    if value.strip().lower() in dashed:
        return dashed[value.strip().lower()]
    raise InvalidValueError(f"{what} {value!r} is not one of: {', '.join(allowed)}")
