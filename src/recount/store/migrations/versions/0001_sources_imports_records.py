"""Sources, imports, persons and records.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SOURCE_KINDS = ("government", "ngo", "media", "court", "forensic", "witness", "other")


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String, nullable=False, unique=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.CheckConstraint(f"kind IN {SOURCE_KINDS!r}", name="ck_sources_kind"),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("file_name", sa.String, nullable=False),
        sa.Column("sha256", sa.String, nullable=False, unique=True),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("format", sa.String, nullable=False),
        sa.Column("encoding", sa.String),
        sa.Column("delimiter", sa.String),
        sa.Column("mapping", sa.Text),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("rejected_count", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.String, nullable=False),
        sa.Column("recount_version", sa.String, nullable=False),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("full_name", sa.String),
        sa.Column("given_name", sa.String),
        sa.Column("family_name", sa.String),
        sa.Column("patronymic", sa.String),
        sa.Column("sex", sa.String),
        sa.Column("age_low", sa.Integer),
        sa.Column("age_high", sa.Integer),
        sa.Column("age_approx", sa.Boolean),
        sa.Column("birth_year_low", sa.Integer),
        sa.Column("birth_year_high", sa.Integer),
        sa.Column("date_low", sa.String),
        sa.Column("date_high", sa.String),
        sa.Column("date_precision", sa.String),
        sa.Column("place", sa.String),
        sa.Column("fate", sa.String),
        sa.Column("raw", sa.Text, nullable=False),
        sa.UniqueConstraint("import_id", "row_number", name="uq_records_import_row"),
    )
    op.create_index("ix_records_person", "records", ["person_id"])
    op.create_index("ix_records_source", "records", ["source_id"])


def downgrade() -> None:
    op.drop_table("records")
    op.drop_table("persons")
    op.drop_table("imports")
    op.drop_table("sources")
