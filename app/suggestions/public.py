"""``/suggest``: the form a practitioner fills in, and the page that says what happens next.

Nothing sent here is shown on a public page: a suggestion waits for a curator, and an
accepted one becomes a catalog edit in ``data/`` that is public after it is committed and
loaded. The form works without JavaScript; a link may pre-fill it (``?kind=correction&
record=ID``, ``?place=SLUG``, ``?state=WY``).
"""

from __future__ import annotations

import datetime as dt
import math

from flask import Blueprint
from flask import current_app
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests

from app.catalog import queries
from app.catalog.files import place_slug
from app.models import Initiative
from app.models import Place
from app.models import db
from app.suggestions import limits
from app.suggestions.forms import SuggestionForm
from app.suggestions.forms import options
from app.suggestions.forms import record_id_from
from app.suggestions.models import KINDS
from app.suggestions.models import Suggestion
from app.suggestions.models import in_english
from app.suggestions.models import record
from app.suggestions.models import utcnow
from app.views.common import state_names

bp = Blueprint("suggest", __name__, url_prefix="/suggest")

# what a correction keeps from its record when the visitor leaves a field empty
KEPT_FIELDS = ("place", "state", "category", "title", "summary", "started")


@bp.route("", methods=["GET", "POST"])
def form():
    """Show the suggestion form, or store a valid suggestion and say what happens next."""
    states = state_names()
    categories = queries.category_choices()
    suggestion_form = SuggestionForm(formdata=request.form if request.method == "POST" else None)
    _set_choices(suggestion_form, states, categories)
    if request.method == "GET":
        return _render(suggestion_form, _prefill(suggestion_form))
    _check_backstop()
    target = _record(suggestion_form.record.data) if suggestion_form.kind.data != "new" else None
    if target is not None:
        _keep_record_values(suggestion_form, target)
    if suggestion_form.homepage.data:
        # a bot: it sees the same confirmation, and nothing is stored
        g.suggestion_counted = True
        current_app.logger.info("suggestion caught by the honeypot")
        return redirect(url_for("suggest.thanks"), code=303)
    if not suggestion_form.validate_all(states, categories, target):
        return _render(suggestion_form, target)
    _store(suggestion_form, target)
    g.suggestion_counted = True
    return redirect(url_for("suggest.thanks"), code=303)


@bp.get("/thanks")
def thanks():
    """Say what happens to a suggestion next."""
    return render_template("suggest/thanks.html")


@bp.errorhandler(429)
def too_many(error):
    """Explain the limit, and when the visitor may send again."""
    seconds = getattr(error, "retry_after_seconds", None) or limits.retry_after()
    minutes = max(1, math.ceil(seconds / 60))
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)).strftime("%H:%M")
    limit = limits.item("SUGGESTIONS_RATE_LIMIT")
    in_the_last, every = _window(limit.get_expiry())
    page = render_template(
        "suggest/too_many.html",
        minutes=minutes,
        until=until,
        amount=limit.amount,
        in_the_last=in_the_last,
        every=every,
    )
    return page, 429, {"Retry-After": str(seconds)}


def _window(seconds: int) -> tuple[str, str]:
    """Name the limit's window twice: "the last hour" and "an hour" (or "every 2 hours")."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return (
            ngettext("the last hour", "the last %(num)d hours", hours),
            ngettext("an hour", "every %(num)d hours", hours),
        )
    minutes = max(1, seconds // 60)
    return (
        ngettext("the last minute", "the last %(num)d minutes", minutes),
        ngettext("every minute", "every %(num)d minutes", minutes),
    )


def _set_choices(suggestion_form: SuggestionForm, states, categories) -> None:
    suggestion_form.state.choices = options([("", _("Choose a state")), *states.items()])
    suggestion_form.category.choices = options([("", _("Choose a kind")), *categories.items()])


def _render(suggestion_form: SuggestionForm, target: Initiative | None):
    place_records = []
    if target is None and suggestion_form.kind.data != "new":
        place = g.get("prefill_place") or _place_of(suggestion_form)
        place_records = place.initiatives if place is not None else []
    return render_template(
        "suggest/form.html",
        form=suggestion_form,
        target=target,
        place_records=place_records,
        kinds=KINDS,
        errors=suggestion_form.error_list() if request.method == "POST" else [],
    )


def _prefill(suggestion_form: SuggestionForm) -> Initiative | None:
    """Fill the form from the link that led here; return the record a correction is about."""
    args = request.args
    kind = args.get("kind", "new")
    suggestion_form.kind.data = kind if kind in KINDS else "new"
    target = _record(args.get("record", ""))
    if target is not None:
        if suggestion_form.kind.data == "new":
            suggestion_form.kind.data = "correction"
        suggestion_form.record.data = target.id
        _fill_from(suggestion_form, target)
        return target
    place = queries.get_place(args.get("place", "")[:200]) if args.get("place") else None
    if place is not None:
        g.prefill_place = place
        suggestion_form.place.data = place.name
        suggestion_form.state.data = place.state
    elif args.get("state") in state_names():
        suggestion_form.state.data = args["state"]
    if args.get("category") in queries.category_choices():
        suggestion_form.category.data = args["category"]
    return None


def _place_of(suggestion_form: SuggestionForm) -> Place | None:
    """Return the catalog's community the form names, if it is one (to offer its records)."""
    place, state = suggestion_form.place.data, suggestion_form.state.data
    if not place or state not in state_names():
        return None
    return queries.get_place(place_slug(place, state))


def _record(value: str | None) -> Initiative | None:
    record_id = record_id_from(value or "")
    return db.session.get(Initiative, record_id) if record_id else None


def _fill_from(suggestion_form: SuggestionForm, target: Initiative) -> None:
    suggestion_form.place.data = target.place.name
    suggestion_form.state.data = target.place.state
    suggestion_form.category.data = target.category_slug
    suggestion_form.title.data = target.title
    suggestion_form.summary.data = target.summary
    suggestion_form.started.data = target.started or ""


def _keep_record_values(suggestion_form: SuggestionForm, target: Initiative) -> None:
    """Give a correction's empty fields the record's values: only changes need typing."""
    current = {
        "place": target.place.name,
        "state": target.place.state,
        "category": target.category_slug,
        "title": target.title,
        "summary": target.summary,
        "started": target.started or "",
    }
    for name in KEPT_FIELDS:
        field = suggestion_form[name]
        if not field.data:
            field.data = current[name]


def _check_backstop() -> None:
    """Refuse a client that stored its limit of suggestions in the window, by the database.

    Flask-Limiter counts in memory per process when Redis is not configured: with several
    workers the table keeps the limit exact.
    """
    limit = limits.item("SUGGESTIONS_RATE_LIMIT")
    since = utcnow() - dt.timedelta(seconds=limit.get_expiry())
    address = limits.address_hash()
    count, oldest = db.session.execute(
        select(func.count(), func.min(Suggestion.created_at)).where(
            Suggestion.address_hash == address, Suggestion.created_at > since
        )
    ).one()
    if count >= limit.amount:
        seconds = max(1, math.ceil((oldest - since).total_seconds()))
        error = TooManyRequests(retry_after=seconds)
        error.retry_after_seconds = seconds
        raise error


def _store(suggestion_form: SuggestionForm, target: Initiative | None) -> None:
    data = suggestion_form
    suggestion = Suggestion(
        kind=data.kind.data,
        status="new",
        record_id=target.id if target is not None else None,
        place=data.place.data,
        state=data.state.data,
        category=data.category.data or None,
        title=data.title.data,
        summary=data.summary.data,
        started=data.started.data or None,
        sources=data.source_urls(),
        email=data.email.data or None,
        message=data.message.data or None,
        address_hash=limits.address_hash(),
    )
    db.session.add(suggestion)
    db.session.flush()
    # the audit log is a record: in English, whatever the page's language
    kind = in_english(KINDS.get(suggestion.kind, suggestion.kind))
    record("visitor", "submitted", suggestion, f"{kind}: {suggestion.title}")
    db.session.commit()
