"""Queries for the reading pages: category guides, case studies, states, nearby places."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from app.models import CaseStudy
from app.models import Category
from app.models import Initiative
from app.models import Place
from app.models import db
from app.nearby import Spot
from app.nearby import nearest


def get_category(slug: str) -> Category | None:
    """Return the category with this slug, or ``None``."""
    return db.session.get(Category, slug)


def list_case_studies() -> list[CaseStudy]:
    """Return every case study, by title."""
    return list(db.session.scalars(select(CaseStudy).order_by(CaseStudy.title)))


def get_case_study(slug: str) -> CaseStudy | None:
    """Return the case study with this slug, or ``None``."""
    return db.session.get(CaseStudy, slug)


def case_studies_of(place: Place) -> list[CaseStudy]:
    """Return the case studies about ``place``."""
    statement = select(CaseStudy).where(CaseStudy.place_slug == place.slug)
    return list(db.session.scalars(statement.order_by(CaseStudy.title)))


def case_studies_covering(initiatives: list[Initiative]) -> dict[str, list[CaseStudy]]:
    """Return ``{initiative id: [case studies]}`` for the given initiatives."""
    ids = {initiative.id for initiative in initiatives}
    covered: dict[str, list[CaseStudy]] = {}
    for study in list_case_studies():
        for initiative in study.initiatives:
            if initiative.id in ids:
                covered.setdefault(initiative.id, []).append(study)
    return covered


def places_in_state(state: str) -> list[Place]:
    """Return the communities of one state, by name."""
    statement = select(Place).where(Place.state == state).order_by(Place.name)
    return list(db.session.scalars(statement))


def place_count_by_state() -> dict[str, int]:
    """Return how many communities each state has in the catalog."""
    statement = select(Place.state, func.count(Place.slug)).group_by(Place.state)
    return dict(db.session.execute(statement).all())


def spots() -> list[Spot]:
    """Return every community as a point with its categories."""
    rows = db.session.execute(
        select(Place.slug, Place.longitude, Place.latitude, Initiative.category_slug).join(
            Place.initiatives
        )
    )
    categories: dict[tuple[str, float, float], set[str]] = {}
    for slug, longitude, latitude, category in rows:
        categories.setdefault((slug, longitude, latitude), set()).add(category)
    return [Spot(slug, lon, lat, frozenset(cats)) for (slug, lon, lat), cats in categories.items()]


def nearby_places(place: Place, limit: int = 5) -> list[tuple[Place, float]]:
    """Return the communities nearest ``place`` that share a kind of initiative with it."""
    shared = frozenset(initiative.category_slug for initiative in place.initiatives)
    ranked = nearest(
        (place.longitude, place.latitude), spots(), limit=limit, sharing=shared, exclude=place.slug
    )
    return [(db.session.get(Place, spot.slug), miles) for spot, miles in ranked]


def nearest_places(origin: tuple[float, float], limit: int = 5) -> list[tuple[Place, float]]:
    """Return the communities nearest a point (lon, lat), whatever their initiatives."""
    ranked = nearest(origin, spots(), limit=limit)
    return [(db.session.get(Place, spot.slug), miles) for spot, miles in ranked]
