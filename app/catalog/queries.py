"""Every query the site makes: filters in, rows and facet counts out."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import g
from flask import has_request_context
from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from werkzeug.datastructures import MultiDict

from app.models import CatalogVersion
from app.models import Category
from app.models import Initiative
from app.models import Place
from app.models import db


class FilterError(ValueError):
    """A filter value the catalog does not know."""

    def __init__(self, param: str, value: str, choices: Mapping[str, str]) -> None:
        super().__init__(f"unknown {param} {value!r}")
        self.param = param
        self.value = value
        self.choices = dict(choices)


@dataclass(frozen=True)
class Filters:
    """The active filter: at most one state and any number of categories."""

    state: str | None = None
    categories: tuple[str, ...] = ()

    def args(self) -> dict[str, Any]:
        """Return the query-string arguments that reproduce this filter."""
        args: dict[str, Any] = {}
        if self.state:
            args["state"] = self.state
        if self.categories:
            args["category"] = list(self.categories)
        return args

    def key(self) -> str:
        """Return a stable text key of this filter, for caches and ETags."""
        return f"{self.state or ''}|{','.join(self.categories)}"

    def with_state(self, state: str | None) -> Filters:
        return Filters(state, self.categories)

    def shows(self, category: str) -> bool:
        """Tell whether ``category`` is on the map (no category filter shows all)."""
        return not self.categories or category in self.categories

    def toggled(self, category: str, every: Sequence[str]) -> Filters:
        """Return the filter the map key's ``category`` leads to, as the seed describes it.

        From every kind shown, selecting one shows only it; further selections
        add or remove kinds. ``every`` is the map key's order: removing the last
        selected kind, or adding the last missing one, shows every kind again.
        """
        shown = {category} if not self.categories else set(self.categories) ^ {category}
        if not shown or len(shown) == len(every):
            return Filters(self.state, ())
        return Filters(self.state, tuple(c for c in every if c in shown))

    def every_kind(self) -> Filters:
        """Return this filter showing every kind (the key's "Show all")."""
        return Filters(self.state, ())

    def selects(self, category: str) -> bool:
        """Tell whether the map key has ``category`` selected (none is, when all are shown)."""
        return category in self.categories


@dataclass(frozen=True)
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool


def list_categories() -> list[Category]:
    """Return every category in map-key order."""
    return list(db.session.scalars(select(Category).order_by(Category.position)))


def catalog_version() -> str:
    """Return the digest of the loaded catalog ("" before the first load).

    Read once per request: the request's transaction sees one snapshot, so the
    digest that keys its caches is the one of the rows it reads.
    """
    if has_request_context() and "catalog_version" in g:
        return g.catalog_version
    version = db.session.scalar(select(CatalogVersion.digest)) or ""
    if has_request_context():
        g.catalog_version = version
    return version


def category_choices() -> dict[str, str]:
    """Return ``{slug: name}`` for every category, in display order."""
    rows = db.session.execute(select(Category.slug, Category.name).order_by(Category.position))
    return dict(rows.all())


def parse_filters(args: MultiDict[str, str], states: Mapping[str, str]) -> Filters:
    """Turn query-string arguments into a ``Filters``; the page, list and API share it.

    Empty values mean "no filter". Categories keep the order of the map key.

    :raise FilterError: for a state or category the catalog does not know.
    """
    state = args.get("state", "").strip().upper() or None
    if state is not None and state not in states:
        raise FilterError("state", args["state"], states)
    choices = category_choices()
    wanted = {value.strip() for value in args.getlist("category") if value.strip()}
    for value in sorted(wanted):
        if value not in choices:
            raise FilterError("category", value, choices)
    return Filters(state, tuple(slug for slug in choices if slug in wanted))


def filtered(statement: Select, filters: Filters, *, skip: str = "") -> Select:
    """Restrict a statement over ``Initiative`` to ``filters`` (less ``skip``).

    The state filter is a subquery, so a statement joins ``Place`` only when it
    selects or sorts by it.
    """
    if filters.state and skip != "state":
        in_state = select(Place.slug).where(Place.state == filters.state)
        statement = statement.where(Initiative.place_slug.in_(in_state))
    if filters.categories and skip != "category":
        statement = statement.where(Initiative.category_slug.in_(filters.categories))
    return statement


def list_initiatives(
    filters: Filters, *, limit: int | None = None, offset: int = 0
) -> list[Initiative]:
    """Return the initiatives matching ``filters``, by state, place and title."""
    # the sort joins place and category anyway: load them from those joins rather
    # than joining again, and leave the guides' long texts out of the sorted rows
    statement = (
        filtered(select(Initiative).join(Initiative.place).join(Initiative.category), filters)
        .options(
            contains_eager(Initiative.place),
            contains_eager(Initiative.category).load_only(
                Category.name, Category.colour, Category.icon, Category.position
            ),
        )
        .order_by(Place.state, Place.name, Place.slug, Category.position, Initiative.title)
    )
    return list(db.session.scalars(statement.limit(limit).offset(offset)).unique())


def category_facets(filters: Filters) -> list[FacetItem]:
    """Count initiatives per category under the state filter alone."""
    counts = _counts(select(Initiative.category_slug), filters, skip="category")
    return [
        FacetItem(slug, name, counts.get(slug, 0), slug in filters.categories)
        for slug, name in category_choices().items()
    ]


def state_facets(filters: Filters, states: Mapping[str, str]) -> list[FacetItem]:
    """Count initiatives per state under the category filter alone."""
    counts = _counts(select(Place.state).join(Initiative.place), filters, skip="state")
    return [
        FacetItem(code, name, counts.get(code, 0), code == filters.state)
        for code, name in states.items()
    ]


def _counts(grouping: Select, filters: Filters, *, skip: str) -> dict[str, int]:
    """Count initiatives per value of the single column ``grouping`` selects."""
    column = grouping.selected_columns[0]
    statement = filtered(grouping.add_columns(func.count(Initiative.id)), filters, skip=skip)
    return dict(db.session.execute(statement.group_by(column)).all())


def describe(filters: Filters, counts: tuple[int, int], states: Mapping[str, str]) -> str:
    """Say in words what the filter shows: ``3 communities in Tennessee · Municipal offices``."""
    communities, initiatives = counts
    sentence = f"{_plural(communities, 'community', 'communities')}, "
    sentence += _plural(initiatives, "initiative", "initiatives")
    sentence += f" in {states[filters.state]}" if filters.state else " in the United States"
    if filters.categories:
        names = category_choices()
        sentence += " · " + ", ".join(names[slug] for slug in filters.categories)
    return sentence


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def place_initiatives(place: Place, filters: Filters) -> list[Initiative]:
    """Return the initiatives of one place that match ``filters``, in map-key order."""
    statement = filtered(
        select(Initiative).join(Initiative.place).join(Initiative.category),
        filters,
    ).where(Initiative.place_slug == place.slug)
    statement = statement.order_by(Category.position, Initiative.title)
    return list(db.session.scalars(statement).unique())


@dataclass(frozen=True)
class Page:
    """One page of a long list."""

    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)


def page_of_initiatives(filters: Filters, number: int, size: int, *, total: int) -> Page:
    """Return page ``number`` (from 1) of the ``total`` initiatives matching ``filters``.

    :raise LookupError: when the page is past the end of the list.
    """
    page = Page([], number, size, total)
    if number > page.pages:
        raise LookupError(f"There is no page {number}: this list has {page.pages} page(s).")
    items = list_initiatives(filters, limit=size, offset=(number - 1) * size)
    return Page(items, number, size, total)


def count_matches(filters: Filters) -> tuple[int, int]:
    """Return how many communities and initiatives match ``filters``."""
    statement = filtered(
        select(func.count(func.distinct(Initiative.place_slug)), func.count(Initiative.id)),
        filters,
    )
    communities, initiatives = db.session.execute(statement).one()
    return communities, initiatives


def get_place(slug: str) -> Place | None:
    """Return the place with this slug, or ``None``."""
    return db.session.get(Place, slug)


def export_collection(url_for_place: Callable[[Initiative], str]) -> dict[str, Any]:
    """Return the whole catalog as one GeoJSON FeatureCollection (a public format)."""
    initiatives = db.session.scalars(select(Initiative).order_by(Initiative.id)).unique()
    return {
        "type": "FeatureCollection",
        "features": [to_feature(i, url_for_place(i)) for i in initiatives],
    }


def to_feature(initiative: Initiative, url: str) -> dict[str, Any]:
    """Return one initiative as a GeoJSON Feature with the export properties."""
    place = initiative.place
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
        "properties": {
            "id": initiative.id,
            "title": initiative.title,
            "category": initiative.category_slug,
            "place": place.name,
            "place_slug": place.slug,
            "state": place.state,
            "year": initiative.year,
            "started": initiative.started,
            "mechanism": initiative.mechanism,
            "status": initiative.status,
            "summary": initiative.summary,
            "sources": [source.url for source in initiative.sources],
            "last_verified": initiative.last_verified.isoformat(),
            "url": url,
        },
    }
