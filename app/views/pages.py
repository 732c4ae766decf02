"""The home page: the map and list of every initiative, filtered by state and category."""

from flask import Blueprint
from flask import abort
from flask import render_template
from flask import request
from flask import url_for

from app.cache import cache
from app.catalog import queries
from app.catalog.report import build_report
from app.views.common import map_for
from app.views.common import state_names

bp = Blueprint("pages", __name__)

PAGE_SIZE = 50


def page_number() -> int:
    """Read ``?page=`` (default 1), answering 400 when it is not a positive number."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, description=f"The page {raw!r} is not a page number (1, 2, 3, ...).")
    return int(raw)


@bp.get("/")
def index():
    """Show the map and list of the initiatives in the filter given by the query string.

    The page is cached per catalog version and query string: its facet counts
    are the costly part and change only when the catalog does.
    """
    states = state_names()
    filters = queries.parse_filters(request.args, states)
    key = f"index:{queries.catalog_version()}:{filters.key()}:{request.args.get('page', '1')}"
    html = cache.get(key)
    if html is None:
        html = render_index(filters, states)
        cache.set(key, html)
    return html


def render_index(filters: queries.Filters, states: dict[str, str]) -> str:
    """Render the home page for ``filters``."""
    pins_url = url_for("api.places", **filters.args())
    counts = queries.count_matches(filters)
    try:
        page = queries.page_of_initiatives(filters, page_number(), PAGE_SIZE, total=counts[1])
    except LookupError as error:
        abort(404, description=str(error))
    return render_template(
        "pages/index.html",
        filters=filters,
        page=page,
        summary=queries.describe(filters, counts, states),
        category_facets=queries.category_facets(filters),
        state_facets=queries.state_facets(filters, states),
        categories={c.slug: c for c in queries.list_categories()},
        states=states,
        map=map_for(filters),
        pins_url=pins_url,
    )


@bp.get("/about/")
def about():
    """Explain where the catalog comes from and how it is checked."""
    return render_template("pages/about.html", counts=queries.count_matches(queries.Filters()))


@bp.get("/about/data")
def data_report():
    """Show the data-quality report: coverage, gaps, sources and conflicts."""
    return render_template("pages/data.html", report=build_report(), states=state_names())
