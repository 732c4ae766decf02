"""Load a checked catalog into the database, all or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.catalog import search
from app.catalog.files import Catalog
from app.catalog.files import CategoryTranslation
from app.catalog.files import group_by_place
from app.catalog.files import place_slug
from app.catalog.pins import store_snapshot
from app.models import CaseStudy
from app.models import CatalogVersion
from app.models import Category
from app.models import Conflict
from app.models import Initiative
from app.models import PinsSnapshot
from app.models import Place
from app.models import Source
from app.models import TimelineEvent
from app.models import case_study_initiative

# the catalog tables, the only ones a load touches; children before parents,
# so deletes never break a foreign key
_TABLES_IN_DELETE_ORDER = (
    CatalogVersion.__table__,
    PinsSnapshot.__table__,
    TimelineEvent.__table__,
    case_study_initiative,
    CaseStudy.__table__,
    Conflict.__table__,
    Source.__table__,
    Initiative.__table__,
    Place.__table__,
    Category.__table__,
)


class SchemaMissing(RuntimeError):
    """The database has no catalog tables: the migrations have not run."""

    def __init__(self) -> None:
        super().__init__(
            "The database has no catalog tables: run `flask --app app db upgrade` first."
        )


@dataclass(frozen=True)
class LoadSummary:
    categories: int
    places: int
    initiatives: int
    case_studies: int

    def __str__(self) -> str:
        return (
            f"{self.initiatives} initiatives in {self.places} places, "
            f"{self.categories} categories, {self.case_studies} case studies"
        )


def load_catalog(session: Session, catalog: Catalog) -> LoadSummary:
    """Replace the catalog tables' rows with ``catalog`` in one transaction.

    The catalog must come from ``read_catalog``, which has already checked it;
    if the database refuses anything, the transaction is rolled back and the
    previous contents stay as they were. The migrations own the schema: tables
    other than the catalog's are never touched, and a database without the
    catalog tables raises ``SchemaMissing`` before anything is written.
    """
    if not inspect(session.get_bind()).has_table(Initiative.__table__.name):
        raise SchemaMissing
    try:
        search.clear_index(session)
        for table in _TABLES_IN_DELETE_ORDER:
            session.execute(delete(table))
        rows = _rows(catalog)
        session.add_all(rows)
        session.flush()
        search.store_index(session, _documents(rows, catalog.state_names))
        store_snapshot(session)
        session.add(CatalogVersion(id=1, digest=catalog_digest(catalog)))
        session.commit()
    except Exception:
        session.rollback()
        raise
    places = group_by_place(catalog.records)
    return LoadSummary(
        len(catalog.categories), len(places), len(catalog.records), len(catalog.case_studies)
    )


def catalog_digest(catalog: Catalog) -> str:
    """Return a SHA-256 of the catalog's content: equal catalogs, equal digests."""
    documents = [
        [doc.slug, doc.meta.model_dump(mode="json"), doc.body]
        for doc in (*catalog.categories, *catalog.case_studies)
    ]
    documents += [
        [doc.slug, language, _translation(translation)]
        for doc in catalog.categories
        for language, translation in sorted(doc.translations.items())
    ]
    records = sorted(
        ([r.properties.model_dump(mode="json"), r.point] for r in catalog.records),
        key=lambda item: item[0]["id"],
    )
    content = json.dumps([documents, records], sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()


def _translation(translation: CategoryTranslation) -> dict[str, str]:
    return {
        "name": translation.meta.name,
        "summary": translation.meta.summary,
        "body": translation.body,
    }


def _rows(catalog: Catalog) -> list[object]:
    rows: list[object] = [
        Category(
            slug=doc.slug,
            name=doc.meta.name,
            colour=doc.meta.colour,
            icon=doc.meta.icon,
            position=doc.meta.order,
            summary=doc.meta.summary,
            body=doc.body,
            sources=[source.model_dump(mode="json") for source in doc.meta.sources],
            progress=_progress(doc.meta),
            translations={
                language: _translation(translation)
                for language, translation in doc.translations.items()
            },
        )
        for doc in catalog.categories
    ]
    for slug, records in sorted(group_by_place(catalog.records).items()):
        first = records[0]
        rows.append(
            Place(
                slug=slug,
                name=first.properties.place,
                state=first.properties.state,
                kind=first.properties.place_type,
                longitude=first.point[0],
                latitude=first.point[1],
            )
        )
    for record in sorted(catalog.records, key=lambda r: r.properties.id):
        rows.append(_initiative(record.properties))
    initiatives = {row.id: row for row in rows if isinstance(row, Initiative)}
    for doc in catalog.case_studies:
        rows.append(
            CaseStudy(
                slug=doc.slug,
                title=doc.meta.title,
                place_slug=place_slug(doc.meta.place, doc.meta.state),
                summary=doc.meta.summary,
                body=doc.body,
                last_verified=doc.meta.last_verified,
                events=[
                    TimelineEvent(
                        position=n,
                        date=entry.date,
                        text=entry.event,
                        sources=[s.model_dump(mode="json") for s in entry.sources],
                        alt_dates=[a.model_dump(mode="json") for a in entry.alt_dates],
                    )
                    for n, entry in enumerate(doc.meta.timeline)
                ],
                initiatives=[initiatives[i] for i in sorted(set(doc.meta.initiatives))],
            )
        )
    return rows


def _progress(meta) -> dict | None:
    """Return a guide's goal and reported counts, or None when it charts no progress."""
    if meta.goal is None and not meta.reported_counts:
        return None
    return {
        "goal": meta.goal.model_dump(mode="json") if meta.goal else None,
        "reported": [count.model_dump(mode="json") for count in meta.reported_counts],
    }


def _documents(rows: list[object], states: dict[str, str]) -> list[search.Document]:
    """Return what search reads of each initiative among ``rows``."""
    places = {row.slug: row for row in rows if isinstance(row, Place)}
    documents = []
    for row in rows:
        if not isinstance(row, Initiative):
            continue
        place = places[row.place_slug]
        documents.append(
            search.Document(
                initiative_id=row.id,
                title=row.title,
                place=f"{place.name} {place.state} {states.get(place.state, '')}",
                lead=row.lead_organization or "",
                body=f"{row.summary} {row.mechanism_detail or ''}",
            )
        )
    return documents


def _initiative(props) -> Initiative:
    return Initiative(
        id=props.id,
        title=props.title,
        category_slug=props.category,
        place_slug=place_slug(props.place, props.state),
        summary=props.summary,
        started=props.started,
        year=int(props.started[:4]) if props.started else None,
        mechanism=props.mechanism,
        mechanism_detail=props.mechanism_detail,
        lead_organization=props.lead_organization,
        website=props.website,
        status=props.status,
        status_date=props.status_date,
        history=[entry.model_dump(mode="json") for entry in props.history],
        contact=props.contact.model_dump(mode="json", exclude_none=True) if props.contact else None,
        member_type=props.member_type,
        unconfirmed=list(props.unconfirmed),
        added=props.added,
        last_verified=props.last_verified,
        sources=[
            Source(position=n, url=s.url, title=s.title, publisher=s.publisher, seen=s.seen)
            for n, s in enumerate(props.sources)
        ],
        conflicts=[
            Conflict(position=n, field=c.field, value=c.value, source_url=c.source, note=c.note)
            for n, c in enumerate(props.conflicts)
        ],
    )
