"""Community pages: every initiative of one place with its sources, map and neighbours."""

from flask import Blueprint
from flask import abort
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.catalog import content
from app.catalog import queries
from app.models import Initiative
from app.models import Place
from app.models import db
from app.views.canonical import redirect_or_404
from app.views.common import cached_html
from app.views.common import map_for
from app.views.common import place_bounds
from app.views.common import state_names

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.get("/<slug>")
def detail(slug: str):
    """Show one community and its initiatives, grouped by category.

    A filter in the query string (``?state=TN&category=...``, as the map's
    popups link) is the map view the visitor came from: the breadcrumb leads
    back to it. The page is cached per community and that parsed filter.
    """
    states = state_names()
    came_from = queries.parse_filters(request.args, states)
    return cached_html(
        f"place:{slug}:{came_from.key()}", lambda: render_detail(slug, came_from, states)
    )


def render_detail(slug: str, came_from: queries.Filters, states: dict[str, str]):
    """Render a community's page, or redirect a variant of its slug, or 404."""
    place = queries.get_place(slug)
    if place is None:
        return redirect_or_404(
            "places.detail",
            slug,
            db.session.scalars(select(Place.slug)),
            _("No community has the address %(slug)s.", slug=repr(slug)),
        )
    return render_template(
        "places/detail.html",
        place=place,
        states=states,
        map_view=came_from,
        case_studies=content.case_studies_of(place),
        nearby=content.nearby_places(place),
        map=map_for(
            queries.Filters(state=place.state),
            bounds=place_bounds(place.longitude, place.latitude),
            focus=place.slug,
        ),
    )


@bp.get("/initiatives/<record_id>", endpoint="initiative")
def initiative(record_id: str):
    """Send a catalog id to its place on its community's page."""
    record = db.session.get(Initiative, record_id)
    if record is None:
        abort(404, description=_("No initiative has the id %(id)s.", id=repr(record_id)))
    return redirect(url_for("places.detail", slug=record.place_slug, _anchor=record.id), code=301)
