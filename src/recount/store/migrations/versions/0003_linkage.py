"""Linkage: runs, scored pairs, person lineage, review labels, name frequencies.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linkage_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.String, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("backend", sa.String, nullable=False),
        sa.Column("mode", sa.String, nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("model", sa.Text),
        sa.Column("match_threshold", sa.Float, nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("recount_version", sa.String, nullable=False),
    )
    op.create_table(
        "pairs",
        sa.Column("record_l", sa.Integer, sa.ForeignKey("records.id"), primary_key=True),
        sa.Column("record_r", sa.Integer, sa.ForeignKey("records.id"), primary_key=True),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("linkage_runs.id"), nullable=False),
        sa.CheckConstraint("record_l < record_r", name="ck_pairs_order"),
    )
    op.create_index("ix_pairs_probability", "pairs", ["probability"])
    op.create_table(
        "person_lineage",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("linkage_runs.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("other_person_id", sa.Integer, sa.ForeignKey("persons.id")),
        sa.Column("records", sa.Integer, nullable=False),
    )
    op.create_table(
        "review_labels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_l", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        sa.Column("record_r", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        sa.Column("label", sa.String, nullable=False),
        sa.Column("reviewer", sa.String, nullable=False),
        sa.Column("labelled_at", sa.String, nullable=False),
        sa.Column("note", sa.Text),
        sa.CheckConstraint("record_l < record_r", name="ck_labels_order"),
        sa.CheckConstraint("label IN ('match', 'non-match', 'unsure')", name="ck_labels_label"),
    )
    op.create_index("ix_labels_pair", "review_labels", ["record_l", "record_r"])
    op.create_table(
        "name_frequencies",
        sa.Column("name_sorted", sa.String, primary_key=True),
        sa.Column("frequency", sa.Float, nullable=False),
    )
    op.execute("ALTER TABLE records ADD COLUMN linked_run_id INTEGER REFERENCES linkage_runs(id)")


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("linked_run_id")
    for table in ("name_frequencies", "review_labels", "person_lineage", "pairs", "linkage_runs"):
        op.drop_table(table)
