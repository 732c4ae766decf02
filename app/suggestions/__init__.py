"""Suggestions from practitioners and their review by curators (issue 12).

``/suggest`` takes a new initiative, a correction or news that one has ended, behind CSRF
(Flask-WTF), a honeypot and a rate limit (Flask-Limiter); ``/curate/`` lets curators (Flask-Login,
accounts from ``flask curator add``) accept a suggestion, which writes a checked edit into
``data/`` (``app/suggestions/apply.py``), or reject it with a reason. Every action goes into
the audit log. The tables are user data: migrations make them, ``catalog load`` never touches
them.
"""

from __future__ import annotations

from flask import Flask
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from flask_wtf.csrf import CSRFProtect

from app.suggestions import models  # noqa: F401  (the tables, for Alembic and the app)

csrf = CSRFProtect()

# settings with their defaults; RATELIMIT_STORAGE_URI comes from app/config.py (REDIS_URL)
DEFAULTS = {
    "SUGGESTIONS_RATE_LIMIT": "5 per hour",
    "LOGIN_CLIENT_LIMIT": "20 per 15 minutes",
    "LOGIN_ACCOUNT_LIMIT": "5 per 15 minutes",
    "LOGIN_FAILURE_DELAY": 1.0,
    "CURATOR_SESSION_HOURS": 12,
    # a form may stay open for a working day before its token expires
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
}


def init_app(app: Flask) -> None:
    """Register CSRF protection, the limiter, curator sessions, both blueprints and the CLI."""
    from app.suggestions import auth
    from app.suggestions import cli
    from app.suggestions import curate
    from app.suggestions import limits
    from app.suggestions import public

    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    csrf.init_app(app)
    app.register_error_handler(CSRFError, csrf_error)
    limits.init_app(app)
    auth.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(curate.bp)
    limits.limit_suggestions(app, "suggest.form")
    limits.limit_logins(app, "curate.login")
    cli.init_app(app)


# Flask-WTF's reasons (English only), in the page's language
CSRF_REASONS = {
    "The CSRF token is missing.": _l("The form's security code is missing."),
    "The CSRF session token is missing.": _l(
        "Your browser did not send the cookie that goes with the form's security code."
    ),
    "The CSRF token has expired.": _l("The form's security code has expired."),
    "The CSRF token is invalid.": _l("The form's security code is not valid."),
    "The CSRF tokens do not match.": _l("The form's security code does not match this browser."),
    "The referrer header is missing.": _l("The browser did not say which page sent the form."),
    "The referrer does not match the host.": _l("The form was sent from another site."),
}


def csrf_error(error: CSRFError):
    """Answer a form sent without its token (or with an old one) with a 400 that says why."""
    reason = CSRF_REASONS.get(error.description, error.description)
    return render_template("suggest/csrf_error.html", reason=reason), 400
