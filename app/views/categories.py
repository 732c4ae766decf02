"""Category guides: what each kind of initiative is and how to start one."""

from flask import Blueprint
from flask import render_template
from flask import url_for
from flask_babel import gettext as _

from app import charts
from app.catalog import CATEGORY_SLUGS
from app.catalog import content
from app.catalog import queries
from app.views.canonical import redirect_or_404
from app.views.common import cached_page
from app.views.common import map_for

bp = Blueprint("categories", __name__, url_prefix="/categories")


@bp.get("/")
@cached_page
def index():
    """List the six kinds of initiative with their counts."""
    counts = {f.value: f.count for f in queries.category_facets(queries.Filters())}
    return render_template(
        "categories/index.html", categories=queries.list_categories(), counts=counts
    )


@bp.get("/<slug>")
@cached_page
def detail(slug: str):
    """Show one category's guide and the catalog's examples of it."""
    category = content.get_category(slug)
    if category is None:
        return redirect_or_404(
            "categories.detail",
            slug,
            CATEGORY_SLUGS,
            _("No category guide has the address %(slug)s.", slug=repr(slug)),
        )
    filters = queries.Filters(categories=(category.slug,))
    examples = queries.list_initiatives(filters)
    chart = None
    if category.progress:
        chart = charts.progress_chart(
            examples,
            category.progress,
            lambda i: url_for("places.detail", slug=i.place_slug, _anchor=i.id),
        )
    return render_template(
        "categories/detail.html",
        category=category,
        filters=filters,
        examples=examples,
        communities=len({initiative.place_slug for initiative in examples}),
        map=map_for(filters),
        chart=chart,
    )
