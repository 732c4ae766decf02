"""Alembic environment: run the migrations on the Flask app's database.

Flask-Migrate calls this inside an app context, so the engine and the models'
metadata come from ``app.models.db``; ``alembic.ini`` only configures logging.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from app.catalog import search

config = context.config
# keep the loggers that exist already (the app's, pytest's): fileConfig would disable them
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db


def process_revision_directives(context, revision, directives) -> None:
    """Write no revision when ``flask db migrate`` finds no change to the schema."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (``flask db upgrade --sql``)."""
    context.configure(url=db.engine.url, target_metadata=db.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a connection of the app's engine."""
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            # SQLite cannot ALTER most things: batch mode copies the table instead
            render_as_batch=connection.dialect.name == "sqlite",
            # a changed column type is a schema change too
            compare_type=True,
            include_name=search.include_in_autogenerate,
            process_revision_directives=process_revision_directives,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
