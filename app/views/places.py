"""Community pages: every initiative of one place with its sources, map and neighbours."""

from flask import Blueprint
from flask import render_template
from sqlalchemy import select

from app.catalog import content
from app.catalog import queries
from app.models import Place
from app.models import db
from app.views.canonical import redirect_or_404
from app.views.common import map_for
from app.views.common import place_bounds
from app.views.common import state_names

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.get("/<slug>")
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
