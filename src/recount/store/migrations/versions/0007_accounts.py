"""Accounts, sessions, the audit log, publishable records and the cross-script name index
(the web front, `recount serve`).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ROLES = ("admin", "analyst", "reviewer", "viewer")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False, unique=True),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("password_hash", sa.String, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.String),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.CheckConstraint(f"role IN {ROLES!r}", name="ck_users_role"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_sha256", sa.String, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf_token", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("last_seen_at", sa.String, nullable=False),
        sa.Column("expires_at", sa.String, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.String, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("subject", sa.String, nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String, nullable=False),
        sa.Column("entry_hash", sa.String, nullable=False),
    )
    op.create_table(
        "publishable_records",
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), primary_key=True),
        sa.Column("marked_by", sa.String, nullable=False),
        sa.Column("marked_at", sa.String, nullable=False),
    )
    op.create_table(
        "name_tokens",
        sa.Column("token", sa.String, primary_key=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), primary_key=True),
    )


def downgrade() -> None:
    for table in ("name_tokens", "publishable_records", "audit_log", "web_sessions", "users"):
        op.drop_table(table)
