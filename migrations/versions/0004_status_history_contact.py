"""Whom to call and what changed: status dates, history, contact routes, member types.

The catalog of round 2 says when a status changed (``status_date``), keeps a
record's renames, mergers, closures and renewals (``history``), the public route
to the people who run it (``contact``) and, for Welcoming network records, who
holds the membership (``member_type``); a category guide may chart its
programme's progress against a goal (``category.progress``). All are optional in ``data/``; rows
loaded before this revision get none until the next load.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("initiative") as batch:
        batch.add_column(sa.Column("status_date", sa.String(), nullable=True))
        batch.add_column(sa.Column("history", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("contact", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("member_type", sa.String(), nullable=True))
    op.execute("UPDATE initiative SET history = '[]'")
    with op.batch_alter_table("category") as batch:
        batch.add_column(sa.Column("progress", sa.JSON(), nullable=True))
    with op.batch_alter_table("initiative") as batch:
        batch.alter_column("history", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("category") as batch:
        batch.drop_column("progress")
    with op.batch_alter_table("initiative") as batch:
        batch.drop_column("member_type")
        batch.drop_column("contact")
        batch.drop_column("history")
        batch.drop_column("status_date")
