"""Languages: English at ``/``, Spanish under ``/es/``, every interface string through gettext.

The language is part of the URL, so a Spanish page can be shared and bookmarked.
``LanguagePrefix`` (WSGI) moves ``/es`` from the path into ``SCRIPT_NAME``: the
views never see it, and every ``url_for`` of a Spanish page names a Spanish URL
without any view passing the language on. Static files are the same in both
languages and keep one URL (``Atlas.url_for``).

Only a bare ``/`` chooses for the visitor: the language they chose last (the
``lang`` cookie the switch sets), else the browser's ``Accept-Language``. Any
other URL is in the language it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import redirect
from flask import request
from flask.globals import request_ctx
from flask_babel import Babel
from flask_babel import format_decimal
from flask_babel import format_percent
from flask_babel import get_locale
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

DEFAULT_LANGUAGE = "en"
# the languages' own names: a switch says "Español" to the reader who needs it
LANGUAGES = {"en": "English", "es": "Español"}
# the URL prefix of each language but the default, which has none
PREFIXES = {"es": "/es"}
# Open Graph's locale of each language (the site is about the United States)
OG_LOCALES = {"en": "en_US", "es": "es_US"}
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600
# where the WSGI layer leaves the language and the prefix it removed
ENVIRON_LANGUAGE = "atlas.language"
ENVIRON_PREFIX = "atlas.language_prefix"

babel = Babel()
bp = Blueprint("i18n", __name__)


class LanguagePrefix:
    """WSGI middleware: serve ``/es/<path>`` as ``<path>``, ``SCRIPT_NAME`` ending in ``/es``."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        environ[ENVIRON_LANGUAGE] = DEFAULT_LANGUAGE
        environ[ENVIRON_PREFIX] = ""
        for language, prefix in PREFIXES.items():
            if path == prefix or path.startswith(prefix + "/"):
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix) :] or "/"
                environ[ENVIRON_LANGUAGE] = language
                environ[ENVIRON_PREFIX] = prefix
                break
        return self.app(environ, start_response)


def N_(text: str) -> str:
    """Mark ``text`` as a message and return it as it is, to translate where it is shown.

    ``pybabel extract`` reads ``N_`` by default; ``gettext(text)`` translates it later.
    """
    return text


def current_language() -> str:
    """Return the language of the current page (``en`` outside a request)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def _select_locale() -> str:
    if request_ctx:
        return request.environ.get(ENVIRON_LANGUAGE, DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """Return a message's forms for a script: ``{"one": ..., "other": ...}``, with ``%(count)s``.

    The script picks the form with ``Intl.PluralRules`` and fills in the count; the
    two forms are enough for English and Spanish. ``pybabel extract`` reads calls of
    this function like ``ngettext`` (``-k plural_forms:1,2``, README).
    """
    keep = {"count": "%(count)s"}
    return {
        "one": ngettext(singular, plural, 1, **keep),
        "other": ngettext(singular, plural, 2, **keep),
    }


def site_root() -> str:
    """Return the root path of the site without the language prefix (``""`` at the top)."""
    prefix = request.environ.get(ENVIRON_PREFIX, "")
    root = request.script_root
    return root[: -len(prefix)] if prefix and root.endswith(prefix) else root


def language_url(language: str, url: str | None = None) -> str:
    """Return ``url`` (this page's, by default) in ``language``, query string kept.

    An absolute URL of this site stays absolute: the canonical URL in each
    language is how a page names its translations (``hreflang``).
    """
    host = ""
    if url is None:
        url = page_path()
    elif url.startswith(request.host_url):
        host, url = request.host_url.rstrip("/"), "/" + url[len(request.host_url) :]
    return host + site_root() + PREFIXES.get(language, "") + without_language(url)


def page_path() -> str:
    """Return this page's path and query string, without the site root or language prefix."""
    path = request.path
    return path + "?" + request.query_string.decode("latin-1") if request.query_string else path


def without_language(url: str) -> str:
    """Strip the site root and a language prefix from a local ``url``: ``/es/x?y`` -> ``/x?y``."""
    root = site_root()
    if root and (url == root or url.startswith(root + "/")):
        url = url[len(root) :] or "/"
    for prefix in PREFIXES.values():
        if url == prefix or url.startswith((prefix + "/", prefix + "?")):
            url = url[len(prefix) :] or "/"
            if url.startswith("?"):
                url = "/" + url
    return url


def _local_path(next_url: str | None) -> str:
    """Return ``next_url`` if it is a path on this site, else ``/``: never an open redirect."""
    if not next_url or "\\" in next_url:
        return "/"
    parts = urlsplit(next_url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return "/"
    return next_url


@bp.get("/language")
def switch() -> Response:
    """Go to ``next`` in the language ``to`` and remember the choice for a bare ``/``."""
    language = request.args.get("to", "")
    if language not in LANGUAGES:
        abort(
            400,
            description=_l("Choose a language: %(choices)s.", choices=", ".join(sorted(LANGUAGES))),
        )
    response = redirect(language_url(language, _local_path(request.args.get("next"))), code=303)
    response.set_cookie(
        COOKIE,
        language,
        max_age=COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    return response


def _bare_root() -> bool:
    """Tell whether this request is for ``/`` itself: no language prefix, no query string."""
    return (
        request.path == "/" and not request.query_string and not request.environ.get(ENVIRON_PREFIX)
    )


def _choose_for_root() -> Response | None:
    """On a bare ``/``, send a visitor who prefers Spanish to ``/es/``."""
    if not _bare_root() or request.method not in {"GET", "HEAD"}:
        return None
    chosen = request.cookies.get(COOKIE)
    if chosen not in LANGUAGES:
        chosen = request.accept_languages.best_match(list(LANGUAGES), DEFAULT_LANGUAGE)
    if chosen == DEFAULT_LANGUAGE:
        return None
    response = redirect(site_root() + PREFIXES[chosen] + "/", code=302)
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def _vary_root(response: Response) -> Response:
    if _bare_root():
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def category_name(category: Any) -> str:
    """A category's name in the page's language (one query a request, for every row)."""
    from app.catalog.queries import category_choices  # the catalog imports this module

    return category_choices().get(category.slug, category.name)


def in_english() -> Markup:
    """`` lang="en"`` on an element of catalog text shown on a page in another language."""
    return Markup("") if current_language() == "en" else Markup(' lang="en"')


def search_messages() -> dict[str, Any]:
    """What the header's search suggestions say (static/js/search.js)."""
    return {
        "language": current_language(),
        "communities": gettext("Communities"),
        "community": gettext("Community"),
        "initiatives": gettext("Initiatives"),
        "search_all": gettext("Search the map for “%(query)s”"),
        "found": plural_forms(
            "%(count)s suggestion. Use the up and down arrow keys to choose it.",
            "%(count)s suggestions. Use the up and down arrow keys to choose one.",
        ),
        "none": gettext("No suggestions. Press Enter to search the map."),
    }


class Atlas(Flask):
    """The Flask application, with static files at one URL in every language."""

    def url_for(self, endpoint: str, /, **values: Any) -> str:  # type: ignore[override]
        url = super().url_for(endpoint, **values)
        if endpoint == "static" and request_ctx and request.environ.get(ENVIRON_PREFIX):
            root = request.script_root
            url = url.replace(root + "/static/", site_root() + "/static/", 1)
        return url


def init_app(app: Flask) -> None:
    """Serve the languages' URLs, choose each request's locale, register the switch."""
    app.wsgi_app = LanguagePrefix(app.wsgi_app)  # type: ignore[method-assign]
    babel.init_app(app, locale_selector=_select_locale)
    # {% trans %} blocks collapse their whitespace, as `pybabel extract` does (babel.cfg)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.register_blueprint(bp)
    app.before_request(_choose_for_root)
    app.after_request(_vary_root)

    # globals, not a context processor: macros imported without context use them too
    app.jinja_env.globals.update(
        search_messages=search_messages,
        category_name=category_name,
        in_english=in_english,
        LANGUAGES=LANGUAGES,
        OG_LOCALES=OG_LOCALES,
        current_language=current_language,
        language_url=language_url,
        page_path=page_path,
        format_decimal=format_decimal,
        format_percent=format_percent,
    )
