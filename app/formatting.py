"""Template filters that turn catalog values into words."""

from __future__ import annotations

import datetime as dt
import re

import markdown
import nh3
from babel.dates import format_skeleton
from flask import Flask
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.i18n import current_language

MECHANISM_LABELS = {
    "mayoral-action": _l("Mayoral action"),
    "executive-order": _l("Executive order"),
    "council-resolution": _l("Council resolution"),
    "council-vote": _l("Council vote"),
    "ordinance": _l("Ordinance"),
    "charter": _l("City charter"),
    "board-vote": _l("Board or commission vote"),
    "state-law": _l("State law"),
    "certification": _l("Certification"),
    "membership": _l("Network membership"),
    "award": _l("Award"),
    "community-initiative": _l("Community initiative"),
    "other": _l("Other"),
}
STATUS_LABELS = {
    "active": _l("Active"),
    "ended": _l("Ended"),
    "renamed": _l("Renamed"),
    "merged": _l("Merged into another body"),
    "lapsed": _l("Lapsed"),
    "unknown": _l("Status not confirmed"),
}
MEMBER_TYPE_LABELS = {
    "government": _l("Local government member"),
    "nonprofit": _l("Nonprofit member for the community"),
    "programme": _l("Programme participant"),
}
PLACE_TYPE_LABELS = {
    "city": _l("City"),
    "county": _l("County"),
    "city-county": _l("Consolidated city and county"),
    "town": _l("Town"),
    "region": _l("Region"),
    "state": _l("State"),
    "district": _l("District"),
}
# a popup's line per initiative: about two lines of a phone's popup
ONE_LINE_LIMIT = 140
FIELD_LABELS = {
    "started": _l("year"),
    "mechanism": _l("how it was established"),
    "mechanism_detail": _l("establishing details"),
    "lead_organization": _l("lead organisation"),
    "website": _l("website"),
    "summary": _l("summary"),
    "status": _l("status"),
    "history": _l("date of a change"),
    "contact": _l("contact"),
}


# a date as the page's language writes it (Babel's patterns): English keeps the day
# first, "22 September 2014"; Spanish writes "22 de septiembre de 2014"
DAY_PATTERNS = {"en": "d MMMM y"}
MONTH_SKELETON = "yMMMM"


def partial_date(value: str | dt.date | None) -> str:
    """Write ``2014-09-22`` as ``22 September 2014``, ``2014-09`` as ``September 2014``.

    In Spanish: ``22 de septiembre de 2014``, ``septiembre de 2014``.
    """
    if value is None:
        return ""
    if isinstance(value, dt.date):
        value = value.isoformat()
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    day = dt.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    if len(parts) == 2:
        return _month(day)
    return format_date(day, DAY_PATTERNS.get(current_language(), "long"))


def _month(day: dt.date) -> str:
    return format_skeleton(MONTH_SKELETON, day, locale=current_language())


# what the guides and case studies are written with, and nothing that runs:
# raw HTML in a data/ file is cleaned like any other input
MARKDOWN_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
# relative links stay allowed (nh3 keeps URLs without a scheme)
MARKDOWN_URL_SCHEMES = {"http", "https", "mailto"}


def started_label(value: str | None) -> str:
    """Say when an initiative started, or that no source confirms it."""
    return partial_date(value) if value else _("Year not confirmed")


def one_line(text: str, limit: int = ONE_LINE_LIMIT) -> str:
    """Return the first sentence of ``text``, cut at a word within ``limit`` characters."""
    sentence = text.split(". ", 1)[0].rstrip(".") + "."
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def markdown_html(text: str) -> Markup:
    """Render Markdown from ``data/`` as HTML cleaned to an allowlist (nh3).

    The result is ``Markup`` only after nh3 has removed every tag, attribute and
    link scheme outside the allowlists, so a payload in a guide stays inert.
    """
    html = markdown.markdown(text, extensions=["sane_lists"])
    return Markup(
        nh3.clean(
            html,
            tags=MARKDOWN_TAGS,
            attributes=MARKDOWN_ATTRIBUTES,
            url_schemes=MARKDOWN_URL_SCHEMES,
            link_rel="noopener",
        )
    )


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(partial_date)
    app.add_template_filter(markdown_html, "markdown")
    app.add_template_filter(lambda v: str(MECHANISM_LABELS.get(v, v)), "mechanism_label")
    app.add_template_filter(lambda v: str(FIELD_LABELS.get(v, v)), "field_label")
    app.add_template_filter(lambda v: str(STATUS_LABELS.get(v, v)), "status_label")
    app.add_template_filter(lambda v: str(MEMBER_TYPE_LABELS.get(v, v)), "member_type_label")
    app.add_template_filter(url_host)
    app.add_template_filter(tel)


def url_host(url: str) -> str:
    """Show a link by its site and path, without the scheme: ``www.nashville.gov/...``."""
    shown = url.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return shown if len(shown) <= 60 else shown[:59] + "…"


def tel(phone: str) -> str:
    """Write a published phone number for a ``tel:`` link: ``(615) 862-6000``, ``+16158626000``."""
    number = re.split(r" (?:ext\.?|x) ?", phone)[0]
    digits = "".join(c for c in number if c.isdigit())
    if number.startswith("+"):
        return "+" + digits
    return "+1" + digits if len(digits) == 10 else "+" + digits
