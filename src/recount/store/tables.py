"""The case's tables at the current schema revision (SQLAlchemy Core).

Alembic migrations in ``migrations/versions`` build these tables step by step; this module is the
description of the newest revision, used by queries. A change here needs a migration beside it.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from recount.vocabulary import REVIEW_LABELS, ROLES, SENSITIVITIES, SOURCE_KINDS

# The newest migration in migrations/versions; a test checks that they agree.
SCHEMA_REVISION = "0007"


metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("created_at", String, nullable=False),
    CheckConstraint(f"kind IN {SOURCE_KINDS!r}", name="ck_sources_kind"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
    Column("place", String),
    Column("date_low", String),
    Column("date_high", String),
    Column("date_precision", String),
    Column("parent_id", Integer, ForeignKey("events.id")),
    Column("created_at", String, nullable=False),
    Column("place_precision", String),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("description", Text),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("file_name", String, nullable=False),
    Column("sha256", String, nullable=False, unique=True),
    Column("size_bytes", Integer, nullable=False),
    Column("format", String, nullable=False),
    Column("encoding", String),
    Column("delimiter", String),
    Column("mapping", Text),  # the mapping as JSON, so the import can be re-run without the file
    Column("row_count", Integer, nullable=False),
    Column("rejected_count", Integer, nullable=False),
    Column("imported_at", String, nullable=False),
    Column("recount_version", String, nullable=False),
    Column("event_id", Integer, ForeignKey("events.id")),
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", String, nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("full_name", String),
    Column("given_name", String),
    Column("family_name", String),
    Column("patronymic", String),
    Column("sex", String),
    Column("age_low", Integer),
    Column("age_high", Integer),
    Column("age_approx", Boolean),
    Column("birth_year_low", Integer),
    Column("birth_year_high", Integer),
    Column("date_low", String),
    Column("date_high", String),
    Column("date_precision", String),
    Column("place", String),
    Column("fate", String),
    Column("raw", Text, nullable=False),  # the row exactly as read: JSON object, file column order
    Column("event_id", Integer, ForeignKey("events.id")),
    Column("linked_run_id", Integer, ForeignKey("linkage_runs.id")),  # None: not linked yet
    UniqueConstraint("import_id", "row_number", name="uq_records_import_row"),
    Index("ix_records_person", "person_id"),
    Index("ix_records_source", "source_id"),
)


linkage_runs = Table(
    "linkage_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", String, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("backend", String, nullable=False),
    Column("mode", String, nullable=False),  # full | incremental | review
    Column("settings", Text, nullable=False),  # LinkageSettings as JSON
    Column("model", Text),  # Splink's trained model as JSON
    Column("match_threshold", Float, nullable=False),
    Column("counts", Text, nullable=False),  # JSON: records, pairs, persons, merges, splits
    Column("recount_version", String, nullable=False),
)

# Scored record pairs above the keep threshold: the current state, newest score per pair.
pairs = Table(
    "pairs",
    metadata,
    Column("record_l", Integer, ForeignKey("records.id"), primary_key=True),
    Column("record_r", Integer, ForeignKey("records.id"), primary_key=True),
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("run_id", Integer, ForeignKey("linkage_runs.id"), nullable=False),
    CheckConstraint("record_l < record_r", name="ck_pairs_order"),
    Index("ix_pairs_probability", "probability"),
)

# How persons changed in a run: merge (other absorbed into person), split (records of other
# moved to a new person), new, retired (no records left).
person_lineage = Table(
    "person_lineage",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("linkage_runs.id"), nullable=False),
    Column("kind", String, nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("other_person_id", Integer, ForeignKey("persons.id")),
    Column("records", Integer, nullable=False),
)

# Human decisions on pairs; every decision is kept, the newest per pair applies.
review_labels = Table(
    "review_labels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_l", Integer, ForeignKey("records.id"), nullable=False),
    Column("record_r", Integer, ForeignKey("records.id"), nullable=False),
    Column("label", String, nullable=False),
    Column("reviewer", String, nullable=False),
    Column("labelled_at", String, nullable=False),
    Column("note", Text),
    CheckConstraint("record_l < record_r", name="ck_labels_order"),
    CheckConstraint(f"label IN {REVIEW_LABELS!r}", name="ck_labels_label"),
    Index("ix_labels_pair", "record_l", "record_r"),
)

# How often each whole name (sorted keys) occurs among the records of the newest run: the
# term frequencies that weigh a common name's agreement less, kept so that explanations and
# incremental runs use the case's frequencies, not those of a handful of records.
name_frequencies = Table(
    "name_frequencies",
    metadata,
    Column("name_sorted", String, primary_key=True),
    Column("frequency", Float, nullable=False),
)

# MSE runs. ``request`` is what was asked (method, lists, strata, settings, seed, linkage
# thresholds, counts file and its sha256); ``inputs`` the capture tables actually estimated
# from, so that ``--rerun`` reproduces the result even after the case has been re-linked;
# ``result`` the estimate as ``recount estimate --json`` prints it.
estimates = Table(
    "estimates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", String, nullable=False),
    Column("method", String, nullable=False),
    Column("event_id", Integer, ForeignKey("events.id")),
    Column("linkage_run_id", Integer, ForeignKey("linkage_runs.id")),
    Column("request", Text, nullable=False),
    Column("inputs", Text, nullable=False),
    Column("result", Text, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("recount_version", String, nullable=False),
)

# --- evidence (migration 0005) ---------------------------------------------------------------

CUSTODY_ACTIONS = ("ingest", "view", "export", "transfer", "annotate", "verify")

# Witnesses of testimonies. Only the pseudonym is in the clear; the identity is a sealed
# (AES-256-GCM) JSON object under its own data key, wrapped by a key that is never in the case.
witnesses = Table(
    "witnesses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pseudonym", String, nullable=False, unique=True),
    Column("key_id", String, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("identity_sealed", LargeBinary, nullable=False),
    Column("created_at", String, nullable=False),
)

# One evidence item: a file as received. ``stored_sha256`` names the object in evidence/objects
# (the original bytes, or their ciphertext for protected items). For protected items every
# descriptive field that could identify someone is NULL here and kept in ``sealed`` instead.
evidence_items = Table(
    "evidence_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String, nullable=False),  # file | testimony
    Column("sha256", String),  # of the original bytes; NULL (sealed) when protected
    Column("stored_sha256", String, nullable=False),
    Column("size_bytes", Integer),  # of the original; NULL (sealed) when protected
    Column("stored_size", Integer, nullable=False),
    Column("media_type", String, nullable=False),
    Column("file_name", String),
    Column("caption", Text),
    Column("credit", String),
    Column("captured_at", String),
    Column("captured_at_source", String),  # user | exif | pdf
    Column("place", String),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("metadata", Text),  # JSON: EXIF, PDF information, extension check
    Column("phash", String),  # 64-bit difference hash (hex) of images, for near duplicates
    Column("sensitivity", String, nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("witness_id", Integer, ForeignKey("witnesses.id")),
    Column("duplicate_of", Integer, ForeignKey("evidence_items.id")),
    Column("key_id", String),
    Column("wrapped_key", LargeBinary),
    Column("content_mac", String),  # keyed hash of a protected original, for duplicates
    Column("sealed", LargeBinary),
    Column("added_at", String, nullable=False),
    Column("added_by", String, nullable=False),
    Column("recount_version", String, nullable=False),
    CheckConstraint(f"sensitivity IN {SENSITIVITIES!r}", name="ck_evidence_sensitivity"),
    CheckConstraint("kind IN ('file', 'testimony')", name="ck_evidence_kind"),
    Index("ix_evidence_sha256", "sha256"),
    Index("ix_evidence_stored", "stored_sha256"),
    Index("ix_evidence_mac", "content_mac"),
)

# Working copies made from an original (thumbnail, extracted text), stored apart in
# evidence/derived and never mistaken for it.
evidence_derived = Table(
    "evidence_derived",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("evidence_items.id"), nullable=False),
    Column("kind", String, nullable=False),  # thumbnail | text
    Column("sha256", String, nullable=False),
    Column("media_type", String, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("method", String, nullable=False),
    Column("created_at", String, nullable=False),
    Index("ix_derived_item", "item_id"),
    Index("ix_derived_sha256", "sha256"),
)

# What an item documents. One target per row; ``claim_id`` has no foreign key until the claims
# table exists (its migration adds one), so links to claims need no change to this design.
evidence_links = Table(
    "evidence_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("evidence_items.id"), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id")),
    Column("person_id", Integer, ForeignKey("persons.id")),
    Column("record_id", Integer, ForeignKey("records.id")),
    Column("claim_id", Integer),
    Column("note", Text),
    Column("created_at", String, nullable=False),
    CheckConstraint(
        "(CASE WHEN event_id IS NULL THEN 0 ELSE 1 END)"
        " + (CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
        " + (CASE WHEN record_id IS NULL THEN 0 ELSE 1 END)"
        " + (CASE WHEN claim_id IS NULL THEN 0 ELSE 1 END) = 1",
        name="ck_evidence_links_one_target",
    ),
    Index("ix_evidence_links_item", "item_id"),
)

evidence_near_duplicates = Table(
    "evidence_near_duplicates",
    metadata,
    Column("item_id", Integer, ForeignKey("evidence_items.id"), primary_key=True),
    Column("other_id", Integer, ForeignKey("evidence_items.id"), primary_key=True),
    Column("distance", Integer, nullable=False),
)

# The custody log: append-only, hash-chained twice — per subject (``item:12``, ``witness:W-3``)
# through ``prev_hash`` and across the case through ``case_prev_hash``. ``seq``/``case_seq``
# only index the entries; the order that counts is the one the hashes commit to.
custody_log = Table(
    "custody_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subject", String, nullable=False),
    Column("item_id", Integer, ForeignKey("evidence_items.id")),
    Column("seq", Integer, nullable=False),
    Column("case_seq", Integer, nullable=False),
    Column("action", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("at", String, nullable=False),
    Column("recount_version", String, nullable=False),
    Column("note", Text),
    Column("details", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String, nullable=False),
    Column("case_prev_hash", String, nullable=False),
    Column("entry_hash", String, nullable=False),
    Column("signature", String),  # Ed25519 over entry_hash, hex; NULL when unsigned
    CheckConstraint(f"action IN {CUSTODY_ACTIONS!r}", name="ck_custody_action"),
    UniqueConstraint("subject", "seq", name="uq_custody_subject_seq"),
    UniqueConstraint("case_seq", name="uq_custody_case_seq"),
    Index("ix_custody_item", "item_id"),
)

# Public keys of actors who sign their custody entries (Ed25519, raw 32 bytes as hex).
custody_actors = Table(
    "custody_actors",
    metadata,
    Column("actor", String, primary_key=True),
    Column("public_key", String, nullable=False),
    Column("created_at", String, nullable=False),
)

# Keys that protect items, by id only: for a passphrase, the scrypt salt and costs; the key
# itself is never stored.
evidence_keys = Table(
    "evidence_keys",
    metadata,
    Column("key_id", String, primary_key=True),
    Column("kind", String, nullable=False),  # passphrase | file
    Column("kdf", Text),  # JSON: scrypt salt (hex), n, r, p; NULL for key files
    Column("created_at", String, nullable=False),
)

# --- events, acts, families, statuses and claims (migration 0006) ---------------------------
# Facts about a person are anchored on one of its records, not on the person id: a record
# belongs to exactly one person after every linkage run, so the fact follows the person through
# merges and splits without rewriting anything.


def _dated() -> list[Column]:
    return [
        Column("date_low", String),
        Column("date_high", String),
        Column("date_precision", String),
    ]


def _provenance() -> list[Column]:
    return [
        Column("source_id", Integer, ForeignKey("sources.id")),
        Column("note", Text),
        Column("created_by", String, nullable=False),
        Column("created_at", String, nullable=False),
    ]


event_links = Table(
    "event_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("kind", String, nullable=False),
    Column("other_event_id", Integer, ForeignKey("events.id"), nullable=False),
    *_provenance(),
    UniqueConstraint("event_id", "kind", "other_event_id", name="uq_event_links"),
)

# Alleged perpetrators: a named person or a group (unit, force, organisation).
actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("kind", String, nullable=False),  # person | group
    Column("actor_type", String),
    Column("created_at", String, nullable=False),
)

# Who did what to whom (HURIDOCS ESF "act"): one victim, one type of act, in one event.
acts = Table(
    "acts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("act_type", String, nullable=False),
    Column("victim_record_id", Integer, ForeignKey("records.id"), nullable=False),
    *_dated(),
    Column("place", String),
    *_provenance(),
    Index("ix_acts_event", "event_id"),
    Index("ix_acts_victim", "victim_record_id"),
)

act_involvements = Table(
    "act_involvements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("act_id", Integer, ForeignKey("acts.id"), nullable=False),
    Column("actor_id", Integer, ForeignKey("actors.id"), nullable=False),
    Column("degree", String, nullable=False),
)

legal_instruments = Table(
    "legal_instruments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
)

act_instruments = Table(
    "act_instruments",
    metadata,
    Column("act_id", Integer, ForeignKey("acts.id"), primary_key=True),
    Column("instrument_id", Integer, ForeignKey("legal_instruments.id"), primary_key=True),
)

# Court decisions, parliamentary resolutions, inquiries, campaigns tied to an event.
interventions = Table(
    "interventions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("kind", String, nullable=False),
    Column("title", String, nullable=False),
    Column("party", String),
    *_dated(),
    *_provenance(),
)

# Family links, directed for ``parent`` (record_id is a parent of other_record_id) and stored
# once for the symmetric ``spouse`` and ``sibling``.
relations = Table(
    "relations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", Integer, ForeignKey("records.id"), nullable=False),
    Column("kind", String, nullable=False),
    Column("other_record_id", Integer, ForeignKey("records.id"), nullable=False),
    Column("origin", String, nullable=False),
    *_provenance(),
    UniqueConstraint("record_id", "kind", "other_record_id", name="uq_relations"),
    Index("ix_relations_other", "other_record_id"),
)

# Status over time (missing -> remains identified, detained -> released, ...), dated, sourced.
status_changes = Table(
    "status_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", Integer, ForeignKey("records.id"), nullable=False),
    Column("status", String, nullable=False),
    *_dated(),
    *_provenance(),
    Index("ix_status_record", "record_id"),
)

# A figure a source states. ``source_id`` is who published it (the text it came from);
# ``attributed_to`` whom that text attributes it to (NULL: the source's own voice).
claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id")),
    Column("kind", String, nullable=False),
    Column("group_name", String),
    Column("count", Integer),
    Column("low", Integer),
    Column("high", Integer),
    Column("qualifier", String, nullable=False),
    Column("place", String),
    *_dated(),
    Column("attributed_to", String),
    Column("quote", Text),
    Column("quote_start", Integer),
    Column("quote_end", Integer),
    Column("evidence_item_id", Integer, ForeignKey("evidence_items.id")),
    Column("origin", String, nullable=False),  # hand | extracted
    Column("status", String, nullable=False),  # proposed | accepted | rejected
    Column("reviewed_by", String),
    Column("reviewed_at", String),
    *_provenance(),
    Index("ix_claims_event", "event_id"),
)

# --- accounts, audit, publication, search (migration 0007) ----------------------------
# Kept as one block at the end of the file: the web front's tables (issue 7).


# People who log in to `recount serve`. Passwords are Argon2id hashes (argon2-cffi); after
# repeated failures an account is locked until ``locked_until``.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("role", String, nullable=False),
    Column("password_hash", String, nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", String),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("created_at", String, nullable=False),
    CheckConstraint(f"role IN {ROLES!r}", name="ck_users_role"),
)

# Server-side sessions: the cookie holds a random token, the table only its sha256, so a copy
# of the database does not let anyone log in.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_sha256", String, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf_token", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("last_seen_at", String, nullable=False),
    Column("expires_at", String, nullable=False),
)

# Who saw or did what, when: append-only and hash-chained (each entry commits to the one
# before), never holding the protected values themselves.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("role", String, nullable=False),
    Column("action", String, nullable=False),
    Column("subject", String, nullable=False),
    Column("details", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String, nullable=False),
    Column("entry_hash", String, nullable=False),
)

# Records a person with the right to decide marked as publishable in the public memorial view.
publishable_records = Table(
    "publishable_records",
    metadata,
    Column("record_id", Integer, ForeignKey("records.id"), primary_key=True),
    Column("marked_by", String, nullable=False),
    Column("marked_at", String, nullable=False),
)

# Name search across scripts: each name word of each record as its ASCII form (``a:``) and its
# convention-free key (``k:``), so that Иванов finds Ivanov. Derived; rebuilt from records.
name_tokens = Table(
    "name_tokens",
    metadata,
    Column("token", String, primary_key=True),
    Column("record_id", Integer, ForeignKey("records.id"), primary_key=True),
)
