"""The home page: the map and list of every initiative, filtered by state and category."""

import re

from flask import Blueprint
from flask import abort
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _

from app.catalog import queries
from app.catalog.report import build_report
from app.views.common import cached_html
from app.views.common import cached_page
from app.views.common import map_for
from app.views.common import state_names

bp = Blueprint("pages", __name__)

PAGE_SIZE = 50


# ASCII digits only (str.isdigit also takes "²"), and few enough of them that
# no list could be that long
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


def page_number() -> int:
    """Read ``?page=`` (default 1), answering 400 when it is not a positive number."""
    raw = request.args.get("page", "1")
    if not _PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        abort(
            400,
            description=_(
                "The page %(page)s is not a page number (1, 2, 3, ...).", page=repr(shown)
            ),
        )
    return int(raw)


@bp.get("/")
def index():
    """Show the map and list of the initiatives in the filter given by the query string.

    The page is cached per catalog version, filter and page number, all parsed
    first: a bad value is answered before it can take a cache entry.
    """
    states = state_names()
    filters = queries.parse_filters(request.args, states)
    number = page_number()
    # searches are not cached: what people type has no end, the cache has one
    return cached_html(
        f"index:{filters.key()}:{number}",
        lambda: render_index(filters, states, number),
        store=not filters.q,
    )


def render_index(filters: queries.Filters, states: dict[str, str], number: int) -> str:
    """Render page ``number`` of the home page's list for ``filters``."""
    pins_url = url_for("api.places", **filters.args())
    counts = queries.count_matches(filters)

    def url(choice: queries.Filters) -> str:
        return url_for("pages.index", **choice.args())

    try:
        page = queries.page_of_initiatives(filters, number, PAGE_SIZE, total=counts[1])
    except LookupError as error:
        abort(404, description=str(error))
    return render_template(
        "pages/index.html",
        filters=filters,
        page=page,
        summary=queries.describe(filters, counts, states),
        category_facets=queries.category_facets(filters, url),
        state_facets=queries.state_facets(filters, states, url),
        value_facets={
            param: queries.value_facets(filters, name, url)
            for name, param in (
                ("mechanisms", "mechanism"),
                ("statuses", "status"),
                ("place_types", "place_type"),
            )
        },
        years=queries.year_span(),
        categories={c.slug: c for c in queries.list_categories()},
        states=states,
        map=map_for(filters),
        pins_url=pins_url,
    )


@bp.get("/about/")
@cached_page
def about():
    """Explain where the catalog comes from and how it is checked."""
    return render_template("pages/about.html", counts=queries.count_matches(queries.Filters()))


@bp.get("/about/data")
@cached_page
def data_report():
    """Show the data-quality report: coverage, gaps, sources and conflicts."""
    return render_template("pages/data.html", report=build_report(), states=state_names())
