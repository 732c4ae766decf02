"""State pages: what each state's communities do, or where the nearest examples are."""

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _

from app.catalog import content
from app.catalog import queries
from app.geo import load_states
from app.views.common import cached_page
from app.views.common import map_for
from app.views.common import state_names

bp = Blueprint("states", __name__, url_prefix="/states")


@bp.get("/")
@cached_page
def index():
    """List every state with its number of communities."""
    return render_template(
        "states/index.html", states=state_names(), counts=content.place_count_by_state()
    )


@bp.get("/<code>")
@cached_page
def detail(code: str):
    """Show one state's communities by category, or point to the nearest examples."""
    names = state_names()
    if code not in names:
        if code.upper() in names:
            return redirect(url_for("states.detail", code=code.upper()), code=301)
        abort(
            404,
            description=_(
                "%(code)s is not the code of a state, DC or Puerto Rico.", code=repr(code)
            ),
        )
    filters = queries.Filters(state=code)
    places = content.places_in_state(code)
    nearest = []
    if not places:
        outline = load_states(current_app.config["GEODATA_DIR"])[code].geometry
        point = outline.representative_point()
        nearest = content.nearest_places((point.x, point.y))
    return render_template(
        "states/detail.html",
        code=code,
        filters=filters,
        name=names[code],
        states=names,
        places=places,
        facets=queries.category_facets(filters),
        categories={c.slug: c for c in queries.list_categories()},
        counts=queries.count_matches(filters),
        nearest=nearest,
        map=map_for(filters),
    )
