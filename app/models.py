"""The database schema: SQLAlchemy 2.0 typed models.

Every key is natural (slugs, ids, positions) so that loading the same catalog
twice gives the same rows on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON
from sqlalchemy import Column
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from app.i18n import current_language


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


class CatalogVersion(db.Model):
    """A digest of the loaded catalog: caches key on it, so a load invalidates them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str]


class PinsSnapshot(db.Model):
    """The map's unfiltered pins as GeoJSON, written by the load that wrote the catalog.

    The largest answer the site gives is computed once per load, in the load's
    transaction, so the first visitor after a load does not wait for it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class Category(db.Model):
    slug: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    colour: Mapped[str]
    icon: Mapped[str]
    position: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # {"goal": {...} | None, "reported": [...]}: the guide's progress chart, if it has one
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # {language: {"name", "summary", "body"}}: the guide's name, summary and opening
    # sections in other languages (data/categories/<language>/<slug>.md)
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)

    def translated(self, field: str, language: str | None = None) -> str | None:
        """Return ``field`` (name, summary, body) in ``language`` (the page's), or None."""
        return (self.translations or {}).get(language or current_language(), {}).get(field)

    @property
    def display_name(self) -> str:
        """The name in the page's language, else in English."""
        return self.translated("name") or self.name

    @property
    def display_summary(self) -> str:
        """The one-line description in the page's language, else in English."""
        return self.translated("summary") or self.summary


class Place(db.Model):
    # lists sort by state, name and slug: the index answers a page of them
    # without sorting every row, and serves the state filter too
    __table_args__ = (Index("ix_place_state_name_slug", "state", "name", "slug"),)

    slug: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    state: Mapped[str]
    kind: Mapped[str]
    longitude: Mapped[float]
    latitude: Mapped[float]
    initiatives: Mapped[list[Initiative]] = relationship(
        back_populates="place", order_by="Initiative.id"
    )


class Initiative(db.Model):
    id: Mapped[str] = mapped_column(primary_key=True)
    title: Mapped[str]
    category_slug: Mapped[str] = mapped_column(ForeignKey("category.slug"), index=True)
    place_slug: Mapped[str] = mapped_column(ForeignKey("place.slug"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    started: Mapped[str | None]
    year: Mapped[int | None]
    mechanism: Mapped[str | None]
    mechanism_detail: Mapped[str | None] = mapped_column(Text)
    lead_organization: Mapped[str | None]
    website: Mapped[str | None]
    status: Mapped[str]
    status_date: Mapped[str | None]
    # [{date, event, source}], oldest first: renames, mergers, closures, renewals
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # {url, phone, email}, any of them: the public route to whoever runs it
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    member_type: Mapped[str | None]
    unconfirmed: Mapped[list[str]] = mapped_column(JSON)
    added: Mapped[dt.date]
    last_verified: Mapped[dt.date]

    # lists and pages always show the category and place, so load them with the row
    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    place: Mapped[Place] = relationship(back_populates="initiatives", lazy="joined", innerjoin=True)
    sources: Mapped[list[Source]] = relationship(
        order_by="Source.position", cascade="all, delete-orphan"
    )
    conflicts: Mapped[list[Conflict]] = relationship(
        order_by="Conflict.position", cascade="all, delete-orphan"
    )


class Source(db.Model):
    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiative.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str | None]
    seen: Mapped[dt.date]


class Conflict(db.Model):
    initiative_id: Mapped[str] = mapped_column(ForeignKey("initiative.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    field: Mapped[str]
    value: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


case_study_initiative = Table(
    "case_study_initiative",
    Base.metadata,
    Column("case_study_slug", ForeignKey("case_study.slug"), primary_key=True),
    Column("initiative_id", ForeignKey("initiative.id"), primary_key=True),
)


class CaseStudy(db.Model):
    slug: Mapped[str] = mapped_column(primary_key=True)
    title: Mapped[str]
    place_slug: Mapped[str] = mapped_column(ForeignKey("place.slug"))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    last_verified: Mapped[dt.date]

    place: Mapped[Place] = relationship()
    events: Mapped[list[TimelineEvent]] = relationship(
        order_by="TimelineEvent.position", cascade="all, delete-orphan"
    )
    initiatives: Mapped[list[Initiative]] = relationship(
        secondary=case_study_initiative, order_by="Initiative.id"
    )


class TimelineEvent(db.Model):
    case_study_slug: Mapped[str] = mapped_column(ForeignKey("case_study.slug"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[str]
    text: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    alt_dates: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
