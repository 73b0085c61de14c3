"""Events with place precision and links; acts, actors and legal instruments; interventions;
family relations; status over time; attributed claims.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The instruments a new case starts with; users edit the list (`recount instrument add`).
INSTRUMENTS = (
    ("geneva-1949", "Geneva Conventions of 1949 and their Additional Protocols"),
    ("genocide-convention", "Convention on the Prevention and Punishment of the Crime of Genocide"),
    ("cat", "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment"),
    ("crc", "Convention on the Rights of the Child"),
    ("iccpr", "International Covenant on Civil and Political Rights"),
)


def _dated() -> list[sa.Column]:
    return [
        sa.Column("date_low", sa.String),
        sa.Column("date_high", sa.String),
        sa.Column("date_precision", sa.String),
    ]


def _provenance() -> list[sa.Column]:
    return [
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id")),
        sa.Column("note", sa.Text),
        sa.Column("created_by", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("place_precision", sa.String))
        batch.add_column(sa.Column("latitude", sa.Float))
        batch.add_column(sa.Column("longitude", sa.Float))
        batch.add_column(sa.Column("description", sa.Text))
    op.create_table(
        "event_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("other_event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        *_provenance(),
        sa.UniqueConstraint("event_id", "kind", "other_event_id", name="uq_event_links"),
    )
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False, unique=True),
        sa.Column("kind", sa.String, nullable=False),  # person | group
        sa.Column("actor_type", sa.String),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "acts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("act_type", sa.String, nullable=False),
        sa.Column("victim_record_id", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        *_dated(),
        sa.Column("place", sa.String),
        *_provenance(),
        sa.Index("ix_acts_event", "event_id"),
        sa.Index("ix_acts_victim", "victim_record_id"),
    )
    op.create_table(
        "act_involvements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("act_id", sa.Integer, sa.ForeignKey("acts.id"), nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("actors.id"), nullable=False),
        sa.Column("degree", sa.String, nullable=False),
    )
    op.create_table(
        "legal_instruments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String, nullable=False, unique=True),
        sa.Column("name", sa.String, nullable=False),
    )
    op.bulk_insert(
        sa.table("legal_instruments", sa.column("slug"), sa.column("name")),
        [{"slug": slug, "name": name} for slug, name in INSTRUMENTS],
    )
    op.create_table(
        "act_instruments",
        sa.Column("act_id", sa.Integer, sa.ForeignKey("acts.id"), primary_key=True),
        sa.Column(
            "instrument_id", sa.Integer, sa.ForeignKey("legal_instruments.id"), primary_key=True
        ),
    )
    op.create_table(
        "interventions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("party", sa.String),
        *_dated(),
        *_provenance(),
    )
    op.create_table(
        "relations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("other_record_id", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        sa.Column("origin", sa.String, nullable=False),
        *_provenance(),
        sa.UniqueConstraint("record_id", "kind", "other_record_id", name="uq_relations"),
        sa.Index("ix_relations_other", "other_record_id"),
    )
    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        sa.Column("status", sa.String, nullable=False),
        *_dated(),
        *_provenance(),
        sa.Index("ix_status_record", "record_id"),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id")),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("group_name", sa.String),
        sa.Column("count", sa.Integer),
        sa.Column("low", sa.Integer),
        sa.Column("high", sa.Integer),
        sa.Column("qualifier", sa.String, nullable=False),
        sa.Column("place", sa.String),
        *_dated(),
        sa.Column("attributed_to", sa.String),
        sa.Column("quote", sa.Text),
        sa.Column("quote_start", sa.Integer),
        sa.Column("quote_end", sa.Integer),
        sa.Column("evidence_item_id", sa.Integer, sa.ForeignKey("evidence_items.id")),
        sa.Column("origin", sa.String, nullable=False),  # hand | extracted
        sa.Column("status", sa.String, nullable=False),  # proposed | accepted | rejected
        sa.Column("reviewed_by", sa.String),
        sa.Column("reviewed_at", sa.String),
        *_provenance(),
        sa.Index("ix_claims_event", "event_id"),
    )


def downgrade() -> None:
    for table in (
        "claims",
        "status_changes",
        "relations",
        "interventions",
        "act_instruments",
        "legal_instruments",
        "act_involvements",
        "acts",
        "actors",
        "event_links",
    ):
        op.drop_table(table)
    with op.batch_alter_table("events") as batch:
        for column in ("description", "longitude", "latitude", "place_precision"):
            batch.drop_column(column)
