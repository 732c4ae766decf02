"""Catalog tables: the schema of round 1, as ``app/models.py`` defined it.

Every table here is a catalog table: ``flask --app app catalog load`` replaces
their rows. Tables that hold other data belong in later revisions.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "pins_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "category",
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("colour", sa.String(), nullable=False),
        sa.Column("icon", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "place",
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_index("ix_place_state_name_slug", "place", ["state", "name", "slug"])
    op.create_table(
        "initiative",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("category_slug", sa.String(), nullable=False),
        sa.Column("place_slug", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("started", sa.String(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("mechanism", sa.String(), nullable=True),
        sa.Column("mechanism_detail", sa.Text(), nullable=True),
        sa.Column("lead_organization", sa.String(), nullable=True),
        sa.Column("website", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("unconfirmed", sa.JSON(), nullable=False),
        sa.Column("last_verified", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["category_slug"], ["category.slug"]),
        sa.ForeignKeyConstraint(["place_slug"], ["place.slug"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_initiative_category_slug", "initiative", ["category_slug"])
    op.create_index("ix_initiative_place_slug", "initiative", ["place_slug"])
    op.create_table(
        "source",
        sa.Column("initiative_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.String(), nullable=True),
        sa.Column("seen", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiative.id"]),
        sa.PrimaryKeyConstraint("initiative_id", "position"),
    )
    op.create_table(
        "conflict",
        sa.Column("initiative_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiative.id"]),
        sa.PrimaryKeyConstraint("initiative_id", "position"),
    )
    op.create_table(
        "case_study",
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("place_slug", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("last_verified", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["place_slug"], ["place.slug"]),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "case_study_initiative",
        sa.Column("case_study_slug", sa.String(), nullable=False),
        sa.Column("initiative_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["case_study_slug"], ["case_study.slug"]),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiative.id"]),
        sa.PrimaryKeyConstraint("case_study_slug", "initiative_id"),
    )
    op.create_table(
        "timeline_event",
        sa.Column("case_study_slug", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("alt_dates", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_study_slug"], ["case_study.slug"]),
        sa.PrimaryKeyConstraint("case_study_slug", "position"),
    )


def downgrade() -> None:
    # children before parents; each table's indexes go with it
    for table in (
        "timeline_event",
        "case_study_initiative",
        "case_study",
        "conflict",
        "source",
        "initiative",
        "place",
        "category",
        "pins_snapshot",
        "catalog_version",
    ):
        op.drop_table(table)
