"""``/curate/``: curators sign in, review suggestions, accept them into ``data/`` or reject them.

Every page here is ``Cache-Control: no-store`` and needs a signed-in curator (except the
sign-in page). Accepting writes the catalog edit into ``CATALOG_DIR`` (``data/``) and keeps it
with the suggestion; nothing reaches the public pages until the edit is committed and loaded.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_login import logout_user
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from app.catalog import queries
from app.models import db
from app.suggestions import apply
from app.suggestions import auth
from app.suggestions import limits
from app.suggestions.forms import AcceptForm
from app.suggestions.forms import LoginForm
from app.suggestions.forms import LogoutForm
from app.suggestions.forms import RejectForm
from app.suggestions.forms import field_errors
from app.suggestions.forms import options
from app.suggestions.models import ACTIONS
from app.suggestions.models import ACTORS
from app.suggestions.models import KINDS
from app.suggestions.models import STATUSES
from app.suggestions.models import AuditEntry
from app.suggestions.models import Suggestion
from app.suggestions.models import record
from app.suggestions.models import utcnow
from app.views.common import state_names

bp = Blueprint("curate", __name__, url_prefix="/curate")
# Flask-Login's hooks, here only: public pages never read the session (app/suggestions/auth.py)
bp.after_request(auth.login_manager._update_remember_cookie)

PAGE_SIZE = 50
# the fields shown side by side for a correction: (record property, suggestion attribute)
COMPARED = ("title", "category", "place", "state", "summary", "started", "status")
# how the compared fields are named on the page (the names of the catalog's fields)
FIELD_NAMES = {
    "title": _l("title"),
    "category": _l("category"),
    "place": _l("place"),
    "state": _l("state"),
    "summary": _l("summary"),
    "started": _l("started"),
    "status": _l("status"),
}


@bp.after_request
def no_store(response):
    """Keep curator pages out of every cache (app/security.py strips the rest)."""
    response.cache_control.no_store = True
    return response


@bp.context_processor
def curator_forms() -> dict[str, Any]:
    """Give curator templates the signed-in curator and the sign-out form."""
    return {
        "current_user": current_user,
        # never the request's data: this renders on error pages of any POST too
        "logout_form": LogoutForm(formdata=None),
        "kinds": KINDS,
        "statuses": STATUSES,
        "actions": ACTIONS,
        "actors": ACTORS,
        "catalog_name": _catalog_dir().name,
    }


@bp.errorhandler(429)
def too_many(error):
    """Explain the sign-in limit and when to try again."""
    seconds = limits.retry_after()
    page = render_template("curate/too_many.html", minutes=max(1, math.ceil(seconds / 60)))
    return page, 429, {"Retry-After": str(seconds)}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign a curator in; a failure is refused after a pause, and counts toward a lock."""
    home = url_for("curate.index")
    target = auth.safe_next(request.values.get("next"), home)
    form = LoginForm()
    form.next.data = target
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(target)
        return render_template("curate/login.html", form=form, failed=False)
    curator = auth.authenticate(form.email.data or "", form.password.data or "")
    if curator is None:
        g.login_failed = True
        known = auth.find_curator(form.email.data or "")
        record(known.email if known else "unknown account", "sign-in failed")
        db.session.commit()
        time.sleep(current_app.config["LOGIN_FAILURE_DELAY"])
        form.password.data = ""
        return render_template("curate/login.html", form=form, failed=True)
    # a fresh session: nothing from before the sign-in carries over
    session.clear()
    login_user(curator)
    auth.signed_in_now()
    curator.last_login_at = utcnow()
    record(curator.email, "signed in")
    db.session.commit()
    return redirect(target, code=303)


@bp.post("/logout")
def logout():
    """Sign out (a POST with the CSRF token) and forget the session."""
    if current_user.is_authenticated:
        record(current_user.email, "signed out")
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("curate.login", signed_out=1), code=303)


def _choice(name: str, choices: dict[str, str], default: str = "") -> str:
    value = request.args.get(name, default)
    if value and value not in choices and value != "all":
        abort(
            400,
            description=_(
                "%(name)s=%(value)s: expected one of %(choices)s or all",
                name=name,
                value=repr(value),
                choices=", ".join(choices),
            ),
        )
    return "" if value == "all" else value


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        abort(400, description=_("page must be a whole number from 1"))
    return int(raw)


@bp.get("/")
@login_required
def index():
    """List suggestions, newest first, filtered by status, kind and state."""
    states = state_names()
    status = _choice("status", STATUSES, "new")
    kind = _choice("kind", KINDS)
    state = _choice("state", states)
    statement = select(Suggestion)
    for column, value in ((Suggestion.status, status), (Suggestion.kind, kind)):
        if value:
            statement = statement.where(column == value)
    if state:
        statement = statement.where(Suggestion.state == state)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    number = _page_number()
    rows = db.session.scalars(
        statement.order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "curate/index.html",
        suggestions=rows,
        total=total,
        number=number,
        pages=max(1, math.ceil(total / PAGE_SIZE)),
        status=status or "all",
        kind=kind,
        state=state,
        states=states,
    )


@bp.get("/suggestions/<int:suggestion_id>")
@login_required
def suggestion(suggestion_id: int):
    """Show one suggestion beside the record it would change, with the forms to decide."""
    item = _get(suggestion_id)
    features = _features()
    form = AcceptForm(formdata=None, data=initial_values(item, features))
    return _render_suggestion(item, features, form, RejectForm(formdata=None), [])


@bp.post("/suggestions/<int:suggestion_id>/accept")
@login_required
def accept(suggestion_id: int):
    """Accept a suggestion: write its catalog edit into data/ and record who did it."""
    item = _get(suggestion_id)
    features = _features()
    form = AcceptForm()
    _set_choices(form)
    if item.status != "new":
        return redirect(url_for("curate.suggestion", suggestion_id=item.id), code=303)
    if not form.validate_all(state_names(), queries.category_choices()):
        return _render_suggestion(item, features, form, RejectForm(formdata=None), [])
    try:
        change = build_change(item, form, features)
        written = apply.write_change(change, _catalog_dir(), _geodata_dir(), lock_file())
    except apply.ApplyError as error:
        general = []
        for field, message in error.problems:
            if field in form._fields and field != "sources":
                form[field].errors.append(message)
            else:
                general.append(message)
        return _render_suggestion(item, features, form, RejectForm(formdata=None), general)
    claimed = db.session.execute(
        update(Suggestion)
        .where(Suggestion.id == item.id, Suggestion.status == "new")
        .values(
            status="accepted",
            reviewer=current_user.email,
            reviewed_at=utcnow(),
            change=change,
            applied_at=utcnow(),
        )
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return redirect(url_for("curate.suggestion", suggestion_id=item.id), code=303)
    fields = ", ".join(apply.changed_fields(change))
    record(current_user.email, "accepted", item, f"{_record_of(change)}: {fields}")
    where = Path(current_app.config["CATALOG_DIR"]).name
    record(
        current_user.email,
        "applied",
        item,
        f"wrote {where}/catalog.geojson" if written else f"{where}/catalog.geojson had it already",
    )
    db.session.commit()
    return redirect(url_for("curate.suggestion", suggestion_id=item.id, done="accepted"), code=303)


@bp.post("/suggestions/<int:suggestion_id>/reject")
@login_required
def reject(suggestion_id: int):
    """Reject a suggestion with a reason."""
    item = _get(suggestion_id)
    form = RejectForm()
    if item.status != "new":
        return redirect(url_for("curate.suggestion", suggestion_id=item.id), code=303)
    if not form.validate():
        features = _features()
        accept_form = AcceptForm(formdata=None, data=initial_values(item, features))
        return _render_suggestion(item, features, accept_form, form, [])
    item.status = "rejected"
    item.reviewer = current_user.email
    item.reviewed_at = utcnow()
    item.reason = form.reason.data
    record(current_user.email, "rejected", item, form.reason.data)
    db.session.commit()
    return redirect(url_for("curate.suggestion", suggestion_id=item.id, done="rejected"), code=303)


@bp.get("/log")
@login_required
def log():
    """Show the audit log, newest first."""
    total = db.session.scalar(select(func.count()).select_from(AuditEntry))
    number = _page_number()
    entries = db.session.scalars(
        select(AuditEntry)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    ).all()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    return render_template("curate/log.html", entries=entries, number=number, pages=pages)


def _get(suggestion_id: int) -> Suggestion:
    return db.one_or_404(
        select(Suggestion).where(Suggestion.id == suggestion_id),
        description=_("No suggestion has the number %(number)s.", number=suggestion_id),
    )


def _features() -> list[dict[str, Any]]:
    """Return the records of the catalog file accepting edits, or answer 503 saying why not."""
    try:
        return apply.catalog_features(_catalog_dir())
    except apply.CatalogUnreadable as error:
        abort(503, description=_("%(problem)s. Check CATALOG_DIR.", problem=str(error)))


def _catalog_dir() -> Path:
    return Path(current_app.config["CATALOG_DIR"])


def _geodata_dir() -> str:
    return current_app.config["GEODATA_DIR"]


def lock_file() -> Path:
    """The lock that keeps two acceptances from editing the catalog file at once."""
    return Path(current_app.instance_path) / "catalog-edit.lock"


def _set_choices(form: AcceptForm) -> None:
    form.state.choices = options(state_names().items())
    form.category.choices = options(queries.category_choices().items())


def _record_of(change: dict[str, Any]) -> str:
    return change["feature"]["properties"]["id"] if change["op"] == "add" else change["id"]


def initial_values(item: Suggestion, features: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the accept form's starting values: the record, with the suggestion's changes."""
    current = apply.find(features, item.record_id) if item.record_id else None
    proposed = {
        "title": item.title,
        "category": item.category,
        "place": item.place,
        "state": item.state,
        "summary": item.summary,
        "started": item.started,
    }
    if current is None:
        taken = {f["properties"]["id"] for f in features}
        values = {
            "record_id": apply.new_record_id(item.place, item.state, item.title, taken),
            "place_type": apply.guess_place_type(features, item.place, item.state),
            "status": "ended" if item.kind == "ended" else "active",
            **proposed,
        }
        sources = item.sources
    else:
        props = current["properties"]
        values = {"record_id": props["id"], **{n: props.get(n) for n in apply.FIELDS}}
        values.update({name: value for name, value in proposed.items() if value})
        if item.kind == "ended":
            values["status"] = "ended"
        known = {source["url"] for source in props["sources"]}
        sources = [url for url in item.sources if url not in known]
    values["sources"] = [{"url": url, "title": "", "publisher": None} for url in sources]
    return values


def build_change(item: Suggestion, form: AcceptForm, features: list[dict[str, Any]]):
    """Return the catalog edit the accept form describes (see app/suggestions/apply.py)."""
    values = {name: form[name].data for name in ("record_id", *apply.FIELDS)}
    sources = [entry.form.data for entry in form.sources]
    today = auth.utc_today()
    current = apply.find(features, item.record_id) if item.record_id else None
    if item.kind == "new" or current is None:
        if item.kind != "new":
            raise apply.ApplyError([("record_id", apply.no_record_any_more(item.record_id))])
        if not sources:
            raise apply.ApplyError([("sources", _("a new record needs at least one source"))])
        return apply.add_change(apply.new_feature(values, sources, today))
    values["record_id"] = current["properties"]["id"]
    return apply.update_change(current, values, sources, today)


def _render_suggestion(item, features, form, reject_form, problems):
    _set_choices(form)
    current = apply.find(features, item.record_id) if item.record_id else None
    neighbours = [
        f["properties"]
        for f in features
        if apply.place_slug(f["properties"]["place"], f["properties"]["state"])
        == apply.place_slug(item.place, item.state)
        and (current is None or f["properties"]["id"] != current["properties"]["id"])
    ]
    history = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.suggestion_id == item.id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    errors = field_errors(form) + [("accept-form", message) for message in problems]
    return render_template(
        "curate/suggestion.html",
        item=item,
        current=current["properties"] if current else None,
        compared=COMPARED,
        field_names=FIELD_NAMES,
        neighbours=neighbours,
        form=form,
        reject_form=reject_form,
        errors=errors,
        reject_errors=field_errors(reject_form),
        history=history,
        categories=queries.category_choices(),
        states=state_names(),
        done=request.args.get("done") if item.status != "new" else None,
    )
