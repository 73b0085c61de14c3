"""Evidence: items, derived copies, links, near duplicates, the custody log, signing actors,
key ids and witnesses.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SENSITIVITIES = ("public", "internal", "restricted", "protected")
CUSTODY_ACTIONS = ("ingest", "view", "export", "transfer", "annotate", "verify")


def upgrade() -> None:
    op.create_table(
        "witnesses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pseudonym", sa.String, nullable=False, unique=True),
        sa.Column("key_id", sa.String, nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("identity_sealed", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("sha256", sa.String),
        sa.Column("stored_sha256", sa.String, nullable=False),
        sa.Column("size_bytes", sa.Integer),
        sa.Column("stored_size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String, nullable=False),
        sa.Column("file_name", sa.String),
        sa.Column("caption", sa.Text),
        sa.Column("credit", sa.String),
        sa.Column("captured_at", sa.String),
        sa.Column("captured_at_source", sa.String),
        sa.Column("place", sa.String),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("metadata", sa.Text),
        sa.Column("phash", sa.String),
        sa.Column("sensitivity", sa.String, nullable=False),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("witness_id", sa.Integer, sa.ForeignKey("witnesses.id")),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("evidence_items.id")),
        sa.Column("key_id", sa.String),
        sa.Column("wrapped_key", sa.LargeBinary),
        sa.Column("content_mac", sa.String),
        sa.Column("sealed", sa.LargeBinary),
        sa.Column("added_at", sa.String, nullable=False),
        sa.Column("added_by", sa.String, nullable=False),
        sa.Column("recount_version", sa.String, nullable=False),
        sa.CheckConstraint(f"sensitivity IN {SENSITIVITIES!r}", name="ck_evidence_sensitivity"),
        sa.CheckConstraint("kind IN ('file', 'testimony')", name="ck_evidence_kind"),
    )
    op.create_index("ix_evidence_sha256", "evidence_items", ["sha256"])
    op.create_index("ix_evidence_stored", "evidence_items", ["stored_sha256"])
    op.create_index("ix_evidence_mac", "evidence_items", ["content_mac"])
    op.create_table(
        "evidence_derived",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("evidence_items.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("sha256", sa.String, nullable=False),
        sa.Column("media_type", sa.String, nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("method", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_index("ix_derived_item", "evidence_derived", ["item_id"])
    op.create_index("ix_derived_sha256", "evidence_derived", ["sha256"])
    op.create_table(
        "evidence_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("evidence_items.id"), nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id")),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id")),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id")),
        sa.Column("claim_id", sa.Integer),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.String, nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN event_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN record_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN claim_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="ck_evidence_links_one_target",
        ),
    )
    op.create_index("ix_evidence_links_item", "evidence_links", ["item_id"])
    op.create_table(
        "evidence_near_duplicates",
        sa.Column("item_id", sa.Integer, sa.ForeignKey("evidence_items.id"), primary_key=True),
        sa.Column("other_id", sa.Integer, sa.ForeignKey("evidence_items.id"), primary_key=True),
        sa.Column("distance", sa.Integer, nullable=False),
    )
    op.create_table(
        "custody_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject", sa.String, nullable=False),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("evidence_items.id")),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("case_seq", sa.Integer, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("at", sa.String, nullable=False),
        sa.Column("recount_version", sa.String, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String, nullable=False),
        sa.Column("case_prev_hash", sa.String, nullable=False),
        sa.Column("entry_hash", sa.String, nullable=False),
        sa.Column("signature", sa.String),
        sa.CheckConstraint(f"action IN {CUSTODY_ACTIONS!r}", name="ck_custody_action"),
        sa.UniqueConstraint("subject", "seq", name="uq_custody_subject_seq"),
        sa.UniqueConstraint("case_seq", name="uq_custody_case_seq"),
    )
    op.create_index("ix_custody_item", "custody_log", ["item_id"])
    op.create_table(
        "custody_actors",
        sa.Column("actor", sa.String, primary_key=True),
        sa.Column("public_key", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "evidence_keys",
        sa.Column("key_id", sa.String, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("kdf", sa.Text),
        sa.Column("created_at", sa.String, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "evidence_keys",
        "custody_actors",
        "custody_log",
        "evidence_near_duplicates",
        "evidence_links",
        "evidence_derived",
        "evidence_items",
        "witnesses",
    ):
        op.drop_table(table)
