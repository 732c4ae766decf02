"""Case studies: how one community built its work, on a dated, sourced timeline."""

from flask import Blueprint
from flask import render_template
from flask_babel import gettext as _

from app.catalog import content
from app.views.canonical import redirect_or_404
from app.views.common import cached_page
from app.views.common import state_names

bp = Blueprint("case_studies", __name__, url_prefix="/case-studies")


@bp.get("/")
@cached_page
def index():
    """List every case study."""
    return render_template(
        "case_studies/index.html", studies=content.list_case_studies(), states=state_names()
    )


@bp.get("/<slug>")
@cached_page
def detail(slug: str):
    """Show one case study with its timeline and lessons."""
    study = content.get_case_study(slug)
    if study is None:
        slugs = [s.slug for s in content.list_case_studies()]
        return redirect_or_404(
            "case_studies.detail",
            slug,
            slugs,
            _("No case study has the address %(slug)s.", slug=repr(slug)),
        )
    return render_template("case_studies/detail.html", study=study, states=state_names())
