"""User data: suggestions, curators and the audit log.

These tables are created and changed by migrations only (``0003_suggestions``); the catalog
loader never touches them (``app/catalog/loader.py`` deletes the catalog tables' rows alone).
Nothing here refers to a catalog row by foreign key: a load replaces those rows, and a
suggestion about a record outlives it.

Times are naive UTC (SQLite keeps no time zone; PostgreSQL ``timestamp`` without one).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from app.models import db

# the labels are lazy (the page's language); records keep English (``in_english``)
KINDS = {
    "new": _l("New initiative"),
    "correction": _l("Correction"),
    "ended": _l("It has ended"),
}
STATUSES = {"new": _l("New"), "accepted": _l("Accepted"), "rejected": _l("Rejected")}
# how the audit log's actions and the actors that are not an email are shown; the log itself
# keeps the English words (``record``)
ACTIONS = {
    "submitted": _l("submitted"),
    "sign-in failed": _l("sign-in failed"),
    "signed in": _l("signed in"),
    "signed out": _l("signed out"),
    "accepted": _l("accepted"),
    "applied": _l("applied"),
    "rejected": _l("rejected"),
    "curator added": _l("curator added"),
    "curator password set": _l("curator password set"),
    "curator removed": _l("curator removed"),
}
ACTORS = {"visitor": _l("visitor"), "unknown account": _l("unknown account")}


def in_english(label: Any) -> str:
    """Return an interface label in English, as records keep it (the audit log)."""
    with force_locale("en"):
        return str(label)


def utcnow() -> dt.datetime:
    """Return the current time in UTC, without a time zone (as the columns store it)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_token() -> str:
    """Return a fresh random session token for a curator."""
    return secrets.token_urlsafe(32)


class Suggestion(db.Model):
    """What a visitor sent: a new initiative, a correction, or news that one has ended."""

    __tablename__ = "suggestions"
    # the review list filters by status and sorts by arrival; the rate limit counts recent rows
    __table_args__ = (
        Index("ix_suggestions_status_created", "status", "created_at"),
        Index("ix_suggestions_address_created", "address_hash", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="new")
    # the catalog record a correction concerns (no foreign key: loads replace the records)
    record_id: Mapped[str | None] = mapped_column(String(120))
    place: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2))
    category: Mapped[str | None] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    started: Mapped[str | None] = mapped_column(String(10))
    sources: Mapped[list[str]] = mapped_column(JSON)
    # for follow-up by a curator only: shown on curator pages, never on public ones
    email: Mapped[str | None] = mapped_column(String(254))
    message: Mapped[str | None] = mapped_column(Text)
    # HMAC-SHA256 of the client's address with the secret key, for the rate limit only
    address_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reviewer: Mapped[str | None] = mapped_column(String(254))
    reviewed_at: Mapped[dt.datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    # the catalog edit an acceptance made (see app/suggestions/apply.py), kept so that
    # `flask suggestions apply ID` writes the same edit in any checkout
    change: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    applied_at: Mapped[dt.datetime | None]

    @property
    def kind_label(self) -> str:
        """The kind, in the page's language."""
        return str(KINDS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        """The status, in the page's language."""
        return str(STATUSES.get(self.status, self.status))


class Curator(UserMixin, db.Model):
    """Someone who may review suggestions; made by ``flask curator add EMAIL``."""

    __tablename__ = "curators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # what the session cookie names (Flask-Login's id): a new password or a removal
    # changes or deletes it, which signs out every session of that curator
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]

    def get_id(self) -> str:
        return self.session_token


class AuditEntry(db.Model):
    """One action on a suggestion or a curator account: who, when, what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    # a curator's email, "cli:<user>" for the command line, or "visitor"
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    suggestion_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str | None] = mapped_column(Text)


def record(actor: str, action: str, suggestion: Suggestion | None = None, detail: str = "") -> None:
    """Add an audit entry to the session (committed with the action it describes)."""
    db.session.add(
        AuditEntry(
            actor=actor,
            action=action,
            suggestion_id=suggestion.id if suggestion is not None else None,
            detail=detail or None,
        )
    )
