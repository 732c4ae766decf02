"""Template filters that turn catalog values into words."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import markdown
import nh3
from flask import Flask
from markupsafe import Markup

MECHANISM_LABELS = {
    "mayoral-action": "Mayoral action",
    "executive-order": "Executive order",
    "council-resolution": "Council resolution",
    "council-vote": "Council vote",
    "ordinance": "Ordinance",
    "charter": "City charter",
    "board-vote": "Board or commission vote",
    "state-law": "State law",
    "certification": "Certification",
    "membership": "Network membership",
    "award": "Award",
    "community-initiative": "Community initiative",
    "other": "Other",
}
STATUS_LABELS = {
    "active": "Active",
    "ended": "Ended",
    "renamed": "Renamed",
    "merged": "Merged into another body",
    "lapsed": "Lapsed",
    "unknown": "Status not confirmed",
}
MEMBER_TYPE_LABELS = {
    "government": "Local government member",
    "nonprofit": "Nonprofit member for the community",
    "programme": "Programme participant",
}
PLACE_TYPE_LABELS = {
    "city": "City",
    "county": "County",
    "city-county": "Consolidated city and county",
    "town": "Town",
    "region": "Region",
    "state": "State",
    "district": "District",
}
# a popup's line per initiative: about two lines of a phone's popup
ONE_LINE_LIMIT = 140
FIELD_LABELS = {
    "started": "year",
    "mechanism": "how it was established",
    "mechanism_detail": "establishing details",
    "lead_organization": "lead organisation",
    "website": "website",
    "summary": "summary",
    "status": "status",
    "history": "date of a change",
    "contact": "contact",
}


def partial_date(value: str | dt.date | None) -> str:
    """Write ``2014-09-22`` as ``22 September 2014``, ``2014-09`` as ``September 2014``."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        value = value.isoformat()
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = calendar.month_name[parts[1]]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


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
    return partial_date(value) if value else "Year not confirmed"


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
    app.add_template_filter(lambda v: MECHANISM_LABELS.get(v, v), "mechanism_label")
    app.add_template_filter(lambda v: FIELD_LABELS.get(v, v), "field_label")
    app.add_template_filter(lambda v: STATUS_LABELS.get(v, v), "status_label")
    app.add_template_filter(lambda v: MEMBER_TYPE_LABELS.get(v, v), "member_type_label")
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
