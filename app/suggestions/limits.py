"""Rate limits (Flask-Limiter): suggestions per client, failed sign-ins per client and account.

Storage is ``RATELIMIT_STORAGE_URI``: Redis when ``REDIS_URL`` is set (every worker and host
counts together), memory otherwise. Each app gets a ``Limiter`` of its own, so apps made one
after the other (tests make many) never share counts or settings.

Clients are told apart by their address as the app sees it: ``request.remote_addr``, which
ProxyFix has already taken from ``X-Forwarded-For`` when ``PROXY_COUNT`` proxies stand in front
(and from nobody else). The key is an HMAC of that address with the secret key, so neither the
limiter's storage nor the suggestions table holds an address.

A suggestion counts once it is stored (or caught by the honeypot): a visitor fixing mistakes
in the form is not held back. A sign-in counts when it fails.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from flask import Flask
from flask import current_app
from flask import g
from flask import request
from flask_limiter import Limiter
from limits import RateLimitItem
from limits import parse

EXTENSION = "suggestions_limiter"


def address_hash(address: str | None = None) -> str:
    """Return the HMAC-SHA256 (hex) of the client's address with the app's secret key."""
    address = address if address is not None else (request.remote_addr or "unknown")
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def client_key() -> str:
    """Return the limiter's key for this client: its address, hashed."""
    return address_hash()[:32]


def account_key() -> str:
    """Return the limiter's key for the account a sign-in names (any email, known or not)."""
    email = (request.form.get("email") or "").strip().casefold()[:254]
    return "account-" + address_hash(email)[:32]


def init_app(app: Flask) -> Limiter:
    """Make this app's limiter, on the configured storage."""
    limiter = Limiter(
        key_func=client_key,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        # a rolling window: "5 an hour" means in any hour, not per clock hour
        strategy="moving-window",
        key_prefix="atlas-limits",
    )
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    return limiter


def limit_suggestions(app: Flask, endpoint: str) -> None:
    """Limit POSTs to ``endpoint`` to SUGGESTIONS_RATE_LIMIT stored suggestions per client."""
    limiter: Limiter = app.extensions[EXTENSION]
    decorate = limiter.limit(
        app.config["SUGGESTIONS_RATE_LIMIT"],
        methods=["POST"],
        deduct_when=lambda response: bool(g.get("suggestion_counted")),
    )
    app.view_functions[endpoint] = decorate(app.view_functions[endpoint])


def limit_logins(app: Flask, endpoint: str) -> None:
    """Limit failed sign-ins to ``endpoint`` per client and per account named."""
    limiter: Limiter = app.extensions[EXTENSION]
    view = app.view_functions[endpoint]
    for setting, key in (("LOGIN_CLIENT_LIMIT", client_key), ("LOGIN_ACCOUNT_LIMIT", account_key)):
        view = limiter.limit(
            app.config[setting],
            key_func=key,
            methods=["POST"],
            deduct_when=lambda response: bool(g.get("login_failed")),
        )(view)
    app.view_functions[endpoint] = view


def retry_after() -> int:
    """Return the seconds until the breached limit of this request lets the client in again."""
    limiter: Limiter | None = current_app.extensions.get(EXTENSION)
    current = limiter.current_limit if limiter is not None else None
    if current is None:
        return 60
    # the storage rounds its reset time up to the next second: never more than the window
    window = current.limit.get_expiry()
    return min(window, max(1, math.ceil(current.reset_at - time.time())))


def item(setting: str) -> RateLimitItem:
    """Return a limit setting (``"5 per hour"``) as a ``limits`` item."""
    return parse(current_app.config[setting])
