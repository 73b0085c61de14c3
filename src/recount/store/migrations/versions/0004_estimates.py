"""Estimates: every MSE run with all its inputs, so it can be shown and re-run exactly.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "estimates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("method", sa.String, nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id")),
        sa.Column("linkage_run_id", sa.Integer, sa.ForeignKey("linkage_runs.id")),
        sa.Column("request", sa.Text, nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("recount_version", sa.String, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("estimates")
