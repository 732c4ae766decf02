"""``flask curator ...`` and ``flask suggestions ...``: accounts and catalog edits from a shell."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask import Flask
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.models import db
from app.suggestions import apply
from app.suggestions import auth
from app.suggestions.forms import email_error
from app.suggestions.models import KINDS
from app.suggestions.models import STATUSES
from app.suggestions.models import Curator
from app.suggestions.models import Suggestion
from app.suggestions.models import new_token
from app.suggestions.models import record
from app.suggestions.models import utcnow

curator_cli = AppGroup("curator", help="Add and remove the curators who review suggestions.")
suggestions_cli = AppGroup("suggestions", help="List suggestions and write accepted ones.")


def init_app(app: Flask) -> None:
    app.cli.add_command(curator_cli)
    app.cli.add_command(suggestions_cli)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password() -> str:
    """Read the password: asked twice, hidden, at a terminal; one line from a pipe."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _new_password() -> str:
    password = _read_password()
    problem = auth.password_problem(password)
    if problem:
        raise click.ClickException(problem)
    return password


@curator_cli.command("add")
@click.argument("email")
def add_curator(email: str) -> None:
    """Add a curator; the password is read from standard input."""
    email = auth.normal_email(email)
    if email_error(email):
        raise click.ClickException(f"{email!r} is not an email address")
    if auth.find_curator(email) is not None:
        raise click.ClickException(
            f"{email} is a curator already (`flask --app app curator password {email}` sets "
            "a new password)"
        )
    db.session.add(Curator(email=email, password_hash=auth.hash_password(_new_password())))
    record(_actor(), "curator added", detail=email)
    db.session.commit()
    click.echo(f"Added curator {email}.")


def _existing_curator(email: str):
    """Return the curator with ``email``, or stop the command saying there is none."""
    curator = auth.find_curator(email)
    if curator is None:
        raise click.ClickException(f"{email} is not a curator")
    return curator


@curator_cli.command("password")
@click.argument("email")
def set_password(email: str) -> None:
    """Give a curator a new password (from standard input); their sessions end."""
    curator = _existing_curator(email)
    curator.password_hash = auth.hash_password(_new_password())
    curator.session_token = new_token()
    record(_actor(), "curator password set", detail=curator.email)
    db.session.commit()
    click.echo(f"New password set for {curator.email}; their sessions have ended.")


@curator_cli.command("remove")
@click.argument("email")
def remove_curator(email: str) -> None:
    """Remove a curator; their sessions end at once. The audit log keeps their actions."""
    curator = _existing_curator(email)
    db.session.delete(curator)
    record(_actor(), "curator removed", detail=curator.email)
    db.session.commit()
    click.echo(f"Removed curator {curator.email}.")


@curator_cli.command("list")
def list_curators() -> None:
    """List the curators."""
    for curator in db.session.scalars(select(Curator).order_by(Curator.email)):
        last = curator.last_login_at.strftime("%Y-%m-%d %H:%M") if curator.last_login_at else "-"
        click.echo(f"{curator.email}\tlast signed in {last}")


@suggestions_cli.command("list")
@click.option("--status", type=click.Choice(list(STATUSES)), default=None, help="Only these.")
def list_suggestions(status: str | None) -> None:
    """List suggestions, newest first: number, status, kind, community, title."""
    statement = select(Suggestion).order_by(Suggestion.id.desc())
    if status:
        statement = statement.where(Suggestion.status == status)
    for item in db.session.scalars(statement):
        click.echo(
            f"{item.id}\t{item.status}\t{KINDS.get(item.kind, item.kind)}\t"
            f"{item.place}, {item.state}\t{item.title}"
        )


@suggestions_cli.command("apply")
@click.argument("suggestion_id", type=int)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Catalog folder to write (default: CATALOG_DIR, i.e. data/).",
)
def apply_suggestion(suggestion_id: int, data_dir: Path | None) -> None:
    """Write an accepted suggestion's catalog edit into data/, checked by the validator."""
    item = db.session.get(Suggestion, suggestion_id)
    if item is None:
        raise click.ClickException(f"no suggestion has the number {suggestion_id}")
    if item.status != "accepted" or not item.change:
        raise click.ClickException(
            f"suggestion {item.id} is {item.status}: only an accepted suggestion has an edit "
            f"to write. A curator accepts it at /curate/suggestions/{item.id}, where the form "
            "asks for what the record needs (its sources' titles, the kind of community) and "
            "for the confirmation that the sources state its facts."
        )
    data_dir = data_dir or Path(current_app.config["CATALOG_DIR"])
    lock = Path(current_app.instance_path) / "catalog-edit.lock"
    try:
        written = apply.write_change(item.change, data_dir, current_app.config["GEODATA_DIR"], lock)
    except apply.ApplyError as error:
        for field, message in error.problems:
            click.echo(message if field == "catalog" else f"{field}: {message}", err=True)
        click.echo(f"Nothing was written to {data_dir}.", err=True)
        raise SystemExit(1) from None
    item.applied_at = utcnow()
    where = f"{data_dir}/catalog.geojson"
    record(_actor(), "applied", item, f"wrote {where}" if written else f"{where} had it already")
    db.session.commit()
    fields = ", ".join(apply.changed_fields(item.change))
    if written:
        click.echo(f"Wrote suggestion {item.id} ({fields}) into {where}.")
        click.echo(
            "Review it with `git diff`, then commit; `flask --app app catalog load` publishes it."
        )
    else:
        click.echo(f"{where} has suggestion {item.id} already; nothing to write.")
