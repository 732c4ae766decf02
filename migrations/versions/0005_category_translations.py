"""Guides in Spanish: a category's name, summary and opening sections in other languages.

``category.translations`` holds ``{language: {"name", "summary", "body"}}`` from
``data/categories/<language>/<slug>.md``. Rows loaded before this revision get an
empty object until the next load, and their guides show in English.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("category") as batch:
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=True))
    op.execute("UPDATE category SET translations = '{}'")
    with op.batch_alter_table("category") as batch:
        batch.alter_column("translations", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("category") as batch:
        batch.drop_column("translations")
