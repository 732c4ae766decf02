"""The home page: every initiative, filtered by state and category."""

from flask import Blueprint
from flask import current_app
from flask import render_template
from flask import request

from app.catalog import queries
from app.geo import load_states

bp = Blueprint("pages", __name__)


def state_names() -> dict[str, str]:
    """Return ``{code: name}`` for the states, DC and PR, sorted by name."""
    return load_states(current_app.config["GEODATA_DIR"]).names()


@bp.get("/")
def index():
    """Show the initiatives in the filter given by the query string."""
    states = state_names()
    filters = queries.parse_filters(request.args, states)
    initiatives = queries.list_initiatives(filters)
    return render_template(
        "pages/index.html",
        filters=filters,
        initiatives=initiatives,
        summary=queries.describe(filters, initiatives, states),
        category_facets=queries.category_facets(filters),
        state_facets=queries.state_facets(filters, states),
        states=states,
    )
