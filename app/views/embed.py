"""Embed and share: the map other sites may frame, its ``<iframe>`` snippet, canonical URLs.

``/embed`` takes every filter of the map (``queries.parse_filters``) and shows only
the map, its key, the attribution and a link back to the same view on the site.
It is the one page other sites may frame (``security.frameable``). The template
globals here give every page its canonical URL, for ``<link rel="canonical">``
and Open Graph's ``og:url`` (``templates/_share.html``).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from flask import Blueprint
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from jinja2 import pass_context
from jinja2.runtime import Context

from app.catalog import queries
from app.security import frameable
from app.views.common import cached_html
from app.views.common import map_for
from app.views.common import state_names

bp = Blueprint("embed", __name__)

# the snippet's frame: as wide as the page that pastes it, tall enough for a state
EMBED_HEIGHT = 480


@bp.get("/embed", endpoint="map")
@frameable
def embed_map():
    """Show the map of the filter in the query string, for other sites to frame.

    Cached like the map page, per filter; the key holds the host because the page
    names its own absolute URL (the canonical link).
    """
    states = state_names()
    filters = queries.parse_filters(request.args, states)
    return cached_html(
        f"embed:{request.host_url}:{filters.key()}",
        lambda: render_map(filters, states),
        store=not filters.q,
    )


def render_map(filters: queries.Filters, states: dict[str, str]) -> str:
    """Render the embeddable map of ``filters``: map, key, attribution, link back."""
    counts = queries.count_matches(filters)
    categories = {c.slug: c for c in queries.list_categories()}
    # the key explains the pins on the map: the kinds shown that have any
    key = [
        (categories[item.value], item.count)
        for item in queries.category_facets(filters)
        if item.count and filters.shows(item.value)
    ]
    return render_template(
        "embed.html",
        filters=filters,
        label=view_label(filters, states),
        summary=queries.describe(filters, counts, states),
        key=key,
        map=map_for(filters),
        pins_url=url_for("api.places", **filters.args()),
        full_url=url_for("pages.index", **filters.args(), _external=True),
    )


def view_label(filters: queries.Filters, states: Mapping[str, str]) -> str:
    """Name a view without its counts, for titles: ``in Tennessee · Municipal offices``.

    Titles of feeds and frames outlive the counts (a pasted snippet, a feed
    reader's list), so they say only what is filtered; filters other than the
    state, the search and the kinds are counted, not spelled out.
    """
    if filters.state and filters.q:
        label = _("in %(state)s matching “%(query)s”", state=states[filters.state], query=filters.q)
    elif filters.state:
        label = _("in %(state)s", state=states[filters.state])
    elif filters.q:
        label = _("in the United States matching “%(query)s”", query=filters.q)
    else:
        label = _("in the United States")
    if filters.categories:
        names = queries.category_choices()
        label += " · " + ", ".join(names[slug] for slug in filters.categories)
    more = filters.refinements()
    if more:
        label += " " + ngettext("(and %(num)d more filter)", "(and %(num)d more filters)", more)
    return label


@bp.app_template_global()
def embed_snippet(filters: queries.Filters) -> str:
    """Return the ``<iframe>`` HTML that frames ``/embed`` with ``filters``, for pasting.

    The URL is absolute (the snippet goes on another site) and the frame has a
    title, which screen readers announce as the frame's name.
    """
    src = url_for("embed.map", **filters.args(), _external=True)
    title = _(
        "Welcoming Atlas map of initiatives %(view)s", view=view_label(filters, state_names())
    )
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" '
        f'height="{EMBED_HEIGHT}" loading="lazy"></iframe>'
    )


@bp.app_template_global()
@pass_context
def canonical_url(context: Context, filters: queries.Filters | None = None, page: int = 1) -> str:
    """Return the absolute canonical URL of the page being rendered ("" for an error page).

    A page's address without its query string: a community page reached from a
    filtered map, or with stray arguments, is one page. The map passes its
    ``filters`` (normalised: ``?state=tn`` and ``?state=TN`` are one view) and its
    page number. An error page has none: it is not a page to share or index.
    """
    name = context.name or ""
    if name.startswith("errors/") or request.endpoint is None:
        return ""
    args = dict(request.view_args or {})
    if filters is not None:
        args.update(filters.args())
    if page > 1:
        args["page"] = page
    return url_for(request.endpoint, **args, _external=True)
