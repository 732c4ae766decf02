"""Every query the site makes: filters in, rows and facet counts out."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from flask import g
from flask import has_request_context
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement
from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm import load_only
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from app.catalog import search
from app.catalog.schema import MECHANISMS
from app.catalog.schema import PLACE_TYPES
from app.catalog.schema import STATUSES
from app.formatting import MECHANISM_LABELS
from app.formatting import PLACE_TYPE_LABELS
from app.formatting import STATUS_LABELS
from app.models import CatalogVersion
from app.models import Category
from app.models import Initiative
from app.models import Place
from app.models import db


class FilterError(ValueError):
    """A filter value the catalog does not know."""

    def __init__(
        self, param: str, value: str, choices: Mapping[str, str], *, hint: str | None = None
    ) -> None:
        super().__init__(f"unknown {param} {value!r}")
        self.param = param
        self.value = value
        self.choices = dict(choices)
        # what a valid value looks like, where the choices cannot be listed (years)
        self.hint = hint


def _param(name: str, *, many: bool = False) -> Any:
    """Declare a filter field read from the query argument ``name`` (repeatable if ``many``)."""
    return field(default=() if many else None, metadata={"param": name, "many": many})


@dataclass(frozen=True)
class Filters:
    """The active filter, as data: each field is one query argument.

    ``args``, ``key`` and every copy (``dataclasses.replace``) derive from the
    fields, so a new filter is a new field here and a parser in ``PARSERS``;
    nothing else lists them.
    """

    state: str | None = _param("state")
    categories: tuple[str, ...] = _param("category", many=True)
    mechanisms: tuple[str, ...] = _param("mechanism", many=True)
    statuses: tuple[str, ...] = _param("status", many=True)
    place_types: tuple[str, ...] = _param("place_type", many=True)
    year_from: int | None = _param("from")
    year_to: int | None = _param("to")
    q: str | None = _param("q")

    def args(self) -> dict[str, Any]:
        """Return the query-string arguments that reproduce this filter (for ``url_for``)."""
        args: dict[str, Any] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value in (None, "", ()):
                continue
            param = spec.metadata["param"]
            args[param] = list(value) if spec.metadata["many"] else str(value)
        return args

    def key(self) -> str:
        """Return a stable text key of this filter, for caches and ETags: its query string."""
        return urlencode(self.args(), doseq=True)

    def is_empty(self) -> bool:
        """Tell whether nothing is filtered: every record is shown."""
        return not self.args()

    def with_state(self, state: str | None) -> Filters:
        return replace(self, state=state)

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
            return replace(self, categories=())
        return replace(self, categories=tuple(c for c in every if c in shown))

    def toggled_value(self, name: str, value: str, order: Sequence[str]) -> Filters:
        """Return this filter with ``value`` added to or removed from field ``name``."""
        chosen = set(getattr(self, name)) ^ {value}
        return replace(self, **{name: tuple(v for v in order if v in chosen)})

    def every_kind(self) -> Filters:
        """Return this filter showing every kind (the key's "Show all")."""
        return replace(self, categories=())

    def selects(self, category: str) -> bool:
        """Tell whether the map key has ``category`` selected (none is, when all are shown)."""
        return category in self.categories

    def refinements(self) -> int:
        """Count the filters set besides the state and the kinds (the "more filters" panel)."""
        named = ("state", "categories", "q")
        return sum(1 for s in fields(self) if s.name not in named and getattr(self, s.name))


@dataclass(frozen=True)
class FacetItem:
    """One value of a facet: its count under the other filters, and where selecting it leads."""

    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str = ""


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
    """Return ``{slug: name}`` for every category, in display order (read once a request)."""
    if has_request_context() and "category_choices" in g:
        return dict(g.category_choices)
    rows = db.session.scalars(
        select(Category)
        .options(load_only(Category.slug, Category.name, Category.translations))
        .order_by(Category.position)
    )
    choices = {category.slug: category.display_name for category in rows}
    if has_request_context():
        g.category_choices = choices
    return dict(choices)


YEAR_RANGE = (1900, 2100)
_YEAR = re.compile(r"[0-9]{4}")


def parse_filters(args: MultiDict[str, str], states: Mapping[str, str]) -> Filters:
    """Turn query-string arguments into a ``Filters``; every page, list, export and API
    endpoint parses with this one function.

    Empty values mean "no filter". Repeatable values keep the order of their
    choices (the map key's, for kinds), so spellings of one filter are equal.

    :raise FilterError: for a value the catalog does not know, naming the valid ones.
    """
    values: dict[str, Any] = {}
    for spec in fields(Filters):
        param = spec.metadata["param"]
        if spec.metadata["many"]:
            wanted = {value.strip() for value in args.getlist(param) if value.strip()}
            if wanted:
                values[spec.name] = _choose(param, wanted, _choices(param))
        else:
            raw = args.get(param, "").strip()
            if raw:
                values[spec.name] = _PARSERS[param](param, raw, states)
    filters = Filters(**values)
    if filters.year_from and filters.year_to and filters.year_from > filters.year_to:
        raise FilterError(
            "from",
            str(filters.year_from),
            {},
            hint=_(
                "The first year (%(first)s) is after the last (%(last)s).",
                first=filters.year_from,
                last=filters.year_to,
            ),
        )
    return filters


def _choose(param: str, wanted: set[str], choices: Mapping[str, str]) -> tuple[str, ...]:
    for value in sorted(wanted):
        if value not in choices:
            raise FilterError(param, value, choices)
    return tuple(value for value in choices if value in wanted)


def _choices(param: str) -> dict[str, str]:
    """Return ``{value: label}`` for a repeatable filter, in display order."""
    if param == "category":
        return category_choices()
    return dict(CHOICES[param])


def _state(param: str, raw: str, states: Mapping[str, str]) -> str:
    if raw.upper() not in states:
        raise FilterError(param, raw, states)
    return raw.upper()


def _year(param: str, raw: str, states: Mapping[str, str]) -> int:
    low, high = YEAR_RANGE
    if not _YEAR.fullmatch(raw) or not low <= int(raw) <= high:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        raise FilterError(
            param,
            shown,
            {},
            hint=_("A year from %(low)s to %(high)s, such as 2014.", low=low, high=high),
        )
    return int(raw)


def _query(param: str, raw: str, states: Mapping[str, str]) -> str:
    """Keep a search as typed, spaces collapsed and at most ``search.QUERY_MAX`` long."""
    return " ".join(raw.split())[: search.QUERY_MAX]


_PARSERS = {"state": _state, "from": _year, "to": _year, "q": _query}
# the choices of the repeatable filters other than kinds, which come from the catalog
CHOICES: dict[str, Mapping[str, str]] = {
    "mechanism": {value: MECHANISM_LABELS[value] for value in MECHANISMS},
    "status": {value: STATUS_LABELS[value] for value in STATUSES},
    "place_type": {value: PLACE_TYPE_LABELS[value] for value in PLACE_TYPES},
}


def _conditions(filters: Filters, skip: str) -> list[ColumnElement[bool]]:
    """Return the WHERE conditions of ``filters`` over ``Initiative``, less field ``skip``.

    Conditions on the place are subqueries, so a statement joins ``Place`` only
    when it selects or sorts by it.
    """
    conditions: list[ColumnElement[bool]] = []
    wanted = {spec.name: getattr(filters, spec.name) for spec in fields(filters)}
    wanted = {name: value for name, value in wanted.items() if value and name != skip}
    if "state" in wanted:
        in_state = select(Place.slug).where(Place.state == wanted["state"])
        conditions.append(Initiative.place_slug.in_(in_state))
    if "place_types" in wanted:
        of_kind = select(Place.slug).where(Place.kind.in_(wanted["place_types"]))
        conditions.append(Initiative.place_slug.in_(of_kind))
    if "categories" in wanted:
        conditions.append(Initiative.category_slug.in_(wanted["categories"]))
    if "mechanisms" in wanted:
        conditions.append(Initiative.mechanism.in_(wanted["mechanisms"]))
    if "statuses" in wanted:
        conditions.append(Initiative.status.in_(wanted["statuses"]))
    if "year_from" in wanted:
        conditions.append(Initiative.year >= wanted["year_from"])
    if "year_to" in wanted:
        conditions.append(Initiative.year <= wanted["year_to"])
    if "q" in wanted:
        conditions.append(Initiative.id.in_(search.matching_ids(db.session, wanted["q"])))
    return conditions


def filtered(statement: Select, filters: Filters, *, skip: str = "") -> Select:
    """Restrict a statement over ``Initiative`` to ``filters`` (less the field ``skip``)."""
    return statement.where(*_conditions(filters, skip))


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
        # the id last: no two rows tie, so pages of the list never skip or repeat one
        .order_by(
            Place.state, Place.name, Place.slug, Category.position, Initiative.title, Initiative.id
        )
    )
    return list(db.session.scalars(statement.limit(limit).offset(offset)).unique())


# builds the address of a filter, for a facet item's toggle_url
UrlFor = Callable[[Filters], str]


def category_facets(filters: Filters, url: UrlFor | None = None) -> list[FacetItem]:
    """Count initiatives per category under the other filters; toggles follow the map key."""
    counts = _counts(select(Initiative.category_slug), filters, skip="categories")
    choices = category_choices()
    return [
        FacetItem(
            slug,
            name,
            counts.get(slug, 0),
            slug in filters.categories,
            url(filters.toggled(slug, list(choices))) if url else "",
        )
        for slug, name in choices.items()
    ]


def state_facets(
    filters: Filters, states: Mapping[str, str], url: UrlFor | None = None
) -> list[FacetItem]:
    """Count initiatives per state under the other filters."""
    counts = _counts(select(Place.state).join(Initiative.place), filters, skip="state")
    return [
        FacetItem(
            code,
            name,
            counts.get(code, 0),
            code == filters.state,
            url(filters.with_state(None if code == filters.state else code)) if url else "",
        )
        for code, name in states.items()
    ]


# the repeatable filters counted like kinds: field, query argument, the column counted
_VALUE_FACETS = {
    "mechanisms": ("mechanism", Initiative.mechanism),
    "statuses": ("status", Initiative.status),
    "place_types": ("place_type", Place.kind),
}


def value_facets(filters: Filters, name: str, url: UrlFor | None = None) -> list[FacetItem]:
    """Count initiatives per value of the filter field ``name`` under the other filters.

    Every value is listed, with 0 where nothing matches; ``toggle_url`` adds or
    removes the value.
    """
    param, column = _VALUE_FACETS[name]
    grouping = select(column)
    if column.class_ is Place:
        grouping = grouping.join(Initiative.place)
    counts = _counts(grouping, filters, skip=name)
    choices = CHOICES[param]
    selected = getattr(filters, name)
    return [
        FacetItem(
            value,
            label,
            counts.get(value, 0),
            value in selected,
            url(filters.toggled_value(name, value, list(choices))) if url else "",
        )
        for value, label in choices.items()
    ]


def year_span() -> tuple[int, int] | None:
    """Return the first and last year any initiative started, or None for an empty catalog."""
    first, last = db.session.execute(
        select(func.min(Initiative.year), func.max(Initiative.year))
    ).one()
    return (first, last) if first is not None else None


def _counts(grouping: Select, filters: Filters, *, skip: str) -> dict[str, int]:
    """Count initiatives per value of the single column ``grouping`` selects."""
    column = grouping.selected_columns[0]
    statement = filtered(grouping.add_columns(func.count(Initiative.id)), filters, skip=skip)
    return dict(db.session.execute(statement.group_by(column)).all())


def describe(filters: Filters, counts: tuple[int, int], states: Mapping[str, str]) -> str:
    """Say in words what the filter shows: ``3 communities, 4 initiatives in Tennessee · ...``.

    The counts and the place are one sentence per case, so a language can order
    them its own way; the selected values follow it as a list.
    """
    communities, initiatives = counts
    values = {
        "communities": ngettext(
            "%(count)s community",
            "%(count)s communities",
            communities,
            count=format_decimal(communities),
        ),
        "initiatives": ngettext(
            "%(count)s initiative",
            "%(count)s initiatives",
            initiatives,
            count=format_decimal(initiatives),
        ),
        "query": filters.q,
    }
    if filters.state:
        values["state"] = states[filters.state]
        if filters.q:
            sentence = _(
                "%(communities)s, %(initiatives)s in %(state)s matching “%(query)s”", **values
            )
        else:
            sentence = _("%(communities)s, %(initiatives)s in %(state)s", **values)
    elif filters.q:
        sentence = _(
            "%(communities)s, %(initiatives)s in the United States matching “%(query)s”", **values
        )
    else:
        sentence = _("%(communities)s, %(initiatives)s in the United States", **values)
    parts = [", ".join(str(category_choices()[slug]) for slug in filters.categories)]
    for name, (param, _column) in _VALUE_FACETS.items():
        parts.append(", ".join(str(CHOICES[param][value]) for value in getattr(filters, name)))
    parts.append(_years(filters))
    return " · ".join([sentence, *filter(None, parts)])


def _years(filters: Filters) -> str:
    """Say which years of starting the filter keeps: ``started 2010–2016``."""
    first, last = filters.year_from, filters.year_to
    if first and last:
        if first == last:
            return _("started in %(year)s", year=first)
        return _("started %(first)s–%(last)s", first=first, last=last)
    if first:
        return _("started in %(year)s or later", year=first)
    if last:
        return _("started in %(year)s or earlier", year=last)
    return ""


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
        raise LookupError(
            ngettext(
                "There is no page %(number)s: this list has %(num)d page.",
                "There is no page %(number)s: this list has %(num)d pages.",
                page.pages,
                number=number,
            )
        )
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


def get_initiative(initiative_id: str) -> Initiative | None:
    """Return the initiative with this id (its sources and conflicts loaded), or ``None``."""
    statement = (
        select(Initiative)
        .where(Initiative.id == initiative_id)
        .options(selectinload(Initiative.sources), selectinload(Initiative.conflicts))
    )
    return db.session.scalars(statement).unique().one_or_none()


@dataclass(frozen=True)
class Suggestions:
    """What the search box offers for a few typed letters: communities, then initiatives."""

    places: list[Place]
    initiatives: list[Initiative]


def suggest(typed: str, states: Mapping[str, str], *, limit: int = 6) -> Suggestions:
    """Return the communities and initiatives whose words start with the words typed.

    Communities are matched by name and state (a few hundred rows, read once per
    request and folded here, the same way on both databases); initiatives by the
    search index, best first.
    """
    everywhere = db.session.scalars(select(Place).order_by(Place.name, Place.state))
    places = [
        place
        for place in everywhere
        if search.place_matches(place.name, f"{place.state} {states.get(place.state, '')}", typed)
    ]
    ids = search.suggest_initiatives(db.session, typed, limit)
    found = {i.id: i for i in db.session.scalars(select(Initiative).where(Initiative.id.in_(ids)))}
    return Suggestions(places[:limit], [found[i] for i in ids if i in found])


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
