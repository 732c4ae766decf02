"""Template filters that turn catalog values into words."""

from __future__ import annotations

import calendar
import datetime as dt

import markdown
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
FIELD_LABELS = {
    "started": "year",
    "mechanism": "how it was established",
    "mechanism_detail": "establishing details",
    "lead_organization": "lead organisation",
    "website": "website",
    "summary": "summary",
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


def markdown_html(text: str) -> Markup:
    """Render curated Markdown (data/ files are reviewed, so their HTML is trusted)."""
    return Markup(markdown.markdown(text, extensions=["sane_lists"]))


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(partial_date)
    app.add_template_filter(markdown_html, "markdown")
    app.add_template_filter(lambda v: MECHANISM_LABELS.get(v, v), "mechanism_label")
    app.add_template_filter(lambda v: FIELD_LABELS.get(v, v), "field_label")
