"""Canonical URLs: a slug that is spelled differently redirects to the real one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from babel.lists import format_list
from flask import abort
from flask import redirect
from flask import url_for
from flask_babel import gettext as _

from app.geocode import normalize
from app.i18n import current_language


def canonical_slug(text: str) -> str:
    """Fold a typed or old slug the way slugs are made: ``San-José_CA`` -> ``san-jose-ca``."""
    return normalize(text.replace("_", " ").replace("-", " ")).replace(" ", "-")


def redirect_or_404(endpoint: str, slug: str, known: Iterable[str], missing: str):
    """Send a variant of a known slug to its canonical URL (301), else a helpful 404.

    ``missing`` is the 404's sentence, one whole sentence per kind of page
    (``_("No community has the address %(slug)s.", slug=repr(slug))``).
    """
    known = list(known)
    folded = canonical_slug(slug)
    if folded in known and folded != slug:
        return redirect(url_for(endpoint, slug=folded), code=301)
    description = missing
    close = difflib.get_close_matches(folded, known, n=3, cutoff=0.6)
    if close:
        choices = format_list(close, style="or", locale=current_language())
        description += " " + _("Did you mean %(choices)s?", choices=choices)
    abort(404, description=description)
