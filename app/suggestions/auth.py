"""Curators: accounts made on the command line, sessions by Flask-Login.

Passwords are hashed by Werkzeug's ``generate_password_hash`` (scrypt). A session names the
curator's ``session_token``, not the row id: ``curator remove`` or a new password ends every
session at once. A session lasts ``CURATOR_SESSION_HOURS`` from sign-in. The cookie is the
site's session cookie: HttpOnly, SameSite=Lax, and Secure with ``HTTPS=1``
(``app/security.py``).
"""

from __future__ import annotations

import datetime as dt
import time
from functools import cache
from urllib.parse import urlsplit

from flask import Flask
from flask import current_app
from flask import session
from flask_login import LoginManager
from sqlalchemy import select
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from app.models import db
from app.suggestions.forms import email_error
from app.suggestions.models import Curator

login_manager = LoginManager()
login_manager.login_view = "curate.login"
# the login page says why it is shown; no flashed message is kept in the session
login_manager.login_message = None
PASSWORD_MIN = 12
SIGNED_IN_AT = "curator_signed_in_at"


def init_app(app: Flask) -> None:
    """Give ``app`` curator sessions, touching the session on curator pages only.

    Flask-Login would read the session after every request (its remember-me cookie) and load
    the user for every template: each public page would then say ``Vary: Cookie``. Both hooks
    run for the curator blueprint alone (``app/suggestions/curate.py``).
    """
    login_manager.init_app(app, add_context_processor=False)
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)


@login_manager.user_loader
def load_curator(token: str) -> Curator | None:
    """Return the curator a session names, unless the session is older than allowed."""
    signed_in = session.get(SIGNED_IN_AT)
    hours = current_app.config["CURATOR_SESSION_HOURS"]
    if not isinstance(signed_in, int | float) or time.time() - signed_in > hours * 3600:
        return None
    if not isinstance(token, str) or len(token) > 64:
        return None
    return db.session.scalar(select(Curator).where(Curator.session_token == token))


def normal_email(email: str) -> str:
    return email.strip().casefold()


def find_curator(email: str) -> Curator | None:
    """Return the curator with this email (after checking its form), or None."""
    email = normal_email(email)
    if email_error(email):
        return None
    return db.session.scalar(select(Curator).where(Curator.email == email))


@cache
def _decoy_hash() -> str:
    return generate_password_hash("not a password of anyone")


def authenticate(email: str, password: str) -> Curator | None:
    """Return the curator whose email and password these are, or None.

    An unknown email costs the same hash check as a wrong password, so the time taken does
    not tell which accounts exist.
    """
    curator = find_curator(email)
    if curator is None:
        check_password_hash(_decoy_hash(), password)
        return None
    return curator if check_password_hash(curator.password_hash, password) else None


def password_problem(password: str) -> str | None:
    if len(password) < PASSWORD_MIN:
        return f"the password must be at least {PASSWORD_MIN} characters long"
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def safe_next(target: str | None, default: str) -> str:
    """Return ``target`` if it is a path of the curator pages on this site, else ``default``.

    Refused: other hosts (``https://evil.example``, ``//evil.example``, ``/\\evil.example``),
    schemes, and control characters (browsers drop tabs and newlines from URLs).
    """
    if not target or len(target) > 2000 or any(ord(c) < 32 or c == "\\" for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/curate/"):
        return default
    return target


def signed_in_now() -> None:
    session[SIGNED_IN_AT] = int(time.time())


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
