"""Events, and the event an import's records belong to.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String, nullable=False, unique=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("place", sa.String),
        sa.Column("date_low", sa.String),
        sa.Column("date_high", sa.String),
        sa.Column("date_precision", sa.String),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("events.id")),
        sa.Column("created_at", sa.String, nullable=False),
    )
    # SQLite adds a nullable column with a foreign key in place; no table rebuild is needed.
    op.execute("ALTER TABLE imports ADD COLUMN event_id INTEGER REFERENCES events(id)")
    op.execute("ALTER TABLE records ADD COLUMN event_id INTEGER REFERENCES events(id)")


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("event_id")
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("event_id")
    op.drop_table("events")
