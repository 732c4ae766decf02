"""Security headers on every response, through Flask-Talisman.

The Content-Security-Policy allows scripts only from the site itself, plus the
one inline script per map page (Folium's map set-up), which carries the
response's nonce. Styles from the site itself; inline ``style`` attributes are
allowed because Leaflet's markers and the category swatches set colours that
way (no script can run through them). Tiles, when configured, are the only
images from elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from flask import Flask
from flask import Response
from flask import current_app
from flask_talisman import Talisman

talisman = Talisman()

# the hosts each tile provider's images come from (app/maps.py draws them)
TILE_HOSTS = {"openstreetmap": "https://tile.openstreetmap.org", "none": ""}

PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "browsing-topics",
        "camera",
        "geolocation",
        "microphone",
        "payment",
        "usb",
    )
}


def content_security_policy(tiles: str, *, frame_ancestors: str = "'none'") -> dict[str, str]:
    """Return the policy for a site whose map draws ``tiles``.

    No site may frame a page (``frame-ancestors 'none'``), except the views marked
    ``frameable`` (the embeddable map), which pass ``frame_ancestors="*"``.
    """
    images = " ".join(filter(None, ["'self'", "data:", TILE_HOSTS[tiles]]))
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "style-src-attr": "'unsafe-inline'",
        "img-src": images,
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": frame_ancestors,
    }


class _Frameable:
    """A view that any site may put in an ``<iframe>``: ``frame-ancestors *``, no X-Frame-Options.

    Talisman reads a view's own options from its ``talisman_view_options`` and
    fills that dict in with the app's defaults, keeping them: a dict set once by
    ``@talisman(...)`` would hold the first app's ``force_https`` and tiles for every
    app made after it (tests make many). This property builds the options afresh on
    each request from the current app's settings.
    """

    def __init__(self, view: Callable[..., Any]) -> None:
        update_wrapper(self, view)
        self._view = view

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._view(*args, **kwargs)

    @property
    def talisman_view_options(self) -> dict[str, Any]:
        policy = content_security_policy(current_app.config["MAP_TILES"], frame_ancestors="*")
        return {"content_security_policy": policy, "frame_options": None}


def frameable(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let other sites frame ``view`` (put it under the route decorator)."""
    return _Frameable(view)


def keep_no_store(response: Response) -> Response:
    """Let a response marked ``no-store`` (the curator pages) say only that, with no ETag.

    Pages are otherwise ``private, no-cache`` with an ETag (``app/responses.py``): for a page
    that shows suggestions and emails, nothing may be kept to revalidate.
    """
    if response.cache_control.no_store:
        response.headers["Cache-Control"] = "no-store"
        response.headers.remove("ETag")
    return response


def init_app(app: Flask) -> None:
    """Set the headers; HSTS, secure cookies and the HTTPS redirect follow ``HTTPS``."""
    https = bool(app.config["HTTPS"])
    options: dict[str, Any] = {
        "content_security_policy": content_security_policy(app.config["MAP_TILES"]),
        "content_security_policy_nonce_in": ["script-src"],
        "frame_options": "DENY",
        "referrer_policy": "strict-origin-when-cross-origin",
        "permissions_policy": PERMISSIONS_POLICY,
        "force_https": https,
        "strict_transport_security": https,
        "session_cookie_secure": https,
        "session_cookie_http_only": True,
        "session_cookie_samesite": "Lax",
    }
    # registered before Talisman's, so it runs after every other after-request function
    app.after_request(keep_no_store)
    talisman.init_app(app, **options)
    # Talisman sets this only once a request has come in; the setting is known now
    app.config["SESSION_COOKIE_SECURE"] = https
