"""Full-text search index, and the date each record was added to the catalog.

``initiative_search`` is a catalog table (every load rewrites it) that the
models do not describe, because its shape is the database's own: an FTS5
virtual table on SQLite, a table of ``tsvector`` documents with a GIN index on
PostgreSQL (see ``app/catalog/search.py``). ``migrations/env.py`` leaves it out
of autogenerate's comparison.

``initiative.added`` is the date a curator first saw the record (``added`` in
``data/catalog.geojson``); rows loaded before this revision get their
``last_verified`` date until the next load writes the real one.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("initiative") as batch:
        batch.add_column(sa.Column("added", sa.Date(), nullable=True))
    op.execute("UPDATE initiative SET added = last_verified")
    with op.batch_alter_table("initiative") as batch:
        batch.alter_column("added", existing_type=sa.Date(), nullable=False)
    if op.get_bind().dialect.name == "postgresql":
        op.create_table(
            "initiative_search",
            sa.Column("initiative_id", sa.String(), sa.ForeignKey("initiative.id"), nullable=False),
            sa.Column("document", sa.dialects.postgresql.TSVECTOR(), nullable=False),
            sa.PrimaryKeyConstraint("initiative_id"),
        )
        op.create_index(
            "ix_initiative_search_document",
            "initiative_search",
            ["document"],
            postgresql_using="gin",
        )
    else:
        # porter stems English words; unicode61 folds case and, with
        # remove_diacritics 2, accents (the loader also folds the text it stores)
        op.execute(
            "CREATE VIRTUAL TABLE initiative_search USING fts5("
            "initiative_id UNINDEXED, title, place, lead, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    op.drop_table("initiative_search")
    with op.batch_alter_table("initiative") as batch:
        batch.drop_column("added")
