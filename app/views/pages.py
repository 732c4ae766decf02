"""The home page: the map and list of every initiative, filtered by state and category."""

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import render_template
from flask import request
from flask import url_for

from app import maps
from app.cache import cache
from app.catalog import queries
from app.geo import load_states

bp = Blueprint("pages", __name__)

PAGE_SIZE = 50


def state_names() -> dict[str, str]:
    """Return ``{code: name}`` for the states, DC and PR, sorted by name."""
    return load_states(current_app.config["GEODATA_DIR"]).names()


def page_number() -> int:
    """Read ``?page=`` (default 1), answering 400 when it is not a positive number."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, description=f"The page {raw!r} is not a page number (1, 2, 3, ...).")
    return int(raw)


def map_for(filters: queries.Filters, pins_url: str) -> maps.MapParts:
    """Build the map of ``filters``: zoomed to the state, pins from ``pins_url``."""
    args = filters.args()
    layers = maps.Layers(
        pins_url=pins_url,
        popup_url=url_for("api.place", slug="__slug__", **args),
        place_url=url_for("places.detail", slug="__slug__"),
        outlines_url=url_for("api.states"),
        categories=[
            {"slug": c.slug, "name": c.name, "colour": c.colour, "icon": c.icon}
            for c in queries.list_categories()
        ],
        state=filters.state,
    )
    bounds = maps.US_BOUNDS
    if filters.state:
        states = load_states(current_app.config["GEODATA_DIR"])
        bounds = maps.state_bounds(states[filters.state].geometry)
    built = maps.build_map(
        layers,
        bounds=bounds,
        tiles=current_app.config["MAP_TILES"],
        asset_url=lambda path: url_for("static", filename=path),
    )
    return maps.render_parts(built)


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
        map=map_for(filters, pins_url),
        pins_url=pins_url,
    )
