"""Canonical URLs: a slug that is spelled differently redirects to the real one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from flask import abort
from flask import redirect
from flask import url_for

from app.geocode import normalize


def canonical_slug(text: str) -> str:
    """Fold a typed or old slug the way slugs are made: ``San-José_CA`` -> ``san-jose-ca``."""
    return normalize(text.replace("_", " ").replace("-", " ")).replace(" ", "-")


def redirect_or_404(endpoint: str, slug: str, known: Iterable[str], what: str):
    """Send a variant of a known slug to its canonical URL (301), else a helpful 404."""
    known = list(known)
    folded = canonical_slug(slug)
    if folded in known and folded != slug:
        return redirect(url_for(endpoint, slug=folded), code=301)
    close = difflib.get_close_matches(folded, known, n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    abort(404, description=f"No {what} has the address {slug!r}.{hint}")
