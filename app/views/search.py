"""The search box's suggestions: communities and initiatives for what is being typed."""

from flask import Blueprint
from flask import request
from flask import url_for

from app.catalog import queries
from app.catalog.search import QUERY_MAX
from app.views.common import state_names

bp = Blueprint("search", __name__, url_prefix="/api")

SUGGESTIONS = 6  # of each kind: what a phone's screen shows under the box


@bp.get("/search.json")
def suggestions():
    """Return the communities and initiatives whose words start with ``?q=``, best first.

    Every word typed must start a word of the match ("san jo" finds San José);
    accents and case do not matter. ``search_url`` is the map filtered by the
    whole query, what pressing Enter in the box leads to.
    """
    typed = " ".join(request.args.get("q", "").split())[:QUERY_MAX]
    states = state_names()
    found = queries.suggest(typed, states, limit=SUGGESTIONS)
    response = {
        "query": typed,
        "search_url": url_for("pages.index", q=typed) if typed else url_for("pages.index"),
        "communities": [
            {
                "slug": place.slug,
                "name": place.name,
                "state": place.state,
                "state_name": states.get(place.state, place.state),
                "url": url_for("places.detail", slug=place.slug),
            }
            for place in found.places
        ],
        "initiatives": [
            {
                "id": initiative.id,
                "title": initiative.title,
                "place": initiative.place.name,
                "state": initiative.place.state,
                "category_name": queries.category_choices()[initiative.category.slug],
                "url": url_for("places.detail", slug=initiative.place_slug, _anchor=initiative.id),
            }
            for initiative in found.initiatives
        ],
    }
    return response
