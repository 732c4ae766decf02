"""Community pages: every initiative of one place with its sources."""

from flask import Blueprint
from flask import abort
from flask import render_template

from app.catalog import queries
from app.views.pages import state_names

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.get("/<slug>")
def detail(slug: str):
    """Show one community and its initiatives, grouped by category."""
    place = queries.get_place(slug)
    if place is None:
        abort(404, description=f"No community has the address /places/{slug}.")
    return render_template("places/detail.html", place=place, states=state_names())
