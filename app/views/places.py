"""Community pages: every initiative of one place with its sources, map and neighbours."""

from flask import Blueprint
from flask import abort
from flask import redirect
from flask import render_template
from flask import url_for
from sqlalchemy import select

from app.catalog import content
from app.catalog import queries
from app.models import Initiative
from app.models import Place
from app.models import db
from app.views.canonical import redirect_or_404
from app.views.common import cached_page
from app.views.common import map_for
from app.views.common import place_bounds
from app.views.common import state_names

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.get("/<slug>")
@cached_page
def detail(slug: str):
    """Show one community and its initiatives, grouped by category."""
    place = queries.get_place(slug)
    if place is None:
        return redirect_or_404(
            "places.detail", slug, db.session.scalars(select(Place.slug)), "community"
        )
    return render_template(
        "places/detail.html",
        place=place,
        states=state_names(),
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
        abort(404, description=f"No initiative has the id {record_id!r}.")
    return redirect(url_for("places.detail", slug=record.place_slug, _anchor=record.id), code=301)
