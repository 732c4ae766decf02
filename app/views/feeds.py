"""Feeds and crawlability: the Atom feed of new initiatives, the sitemap and robots.txt.

The XML is built with ``xml.etree`` (plain names under a root that declares the
namespace: its ``default_namespace`` option refuses plain attributes), which escapes
every text and attribute, so
catalog text can never become markup; characters XML 1.0 cannot carry at all are
dropped first. Each answer is cached per catalog digest and host (its URLs are
absolute) and carries an ETag, so a feed reader that polls gets a 304.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from flask import Blueprint
from flask import Response
from flask import request
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select

from app.cache import remembered
from app.catalog import content
from app.catalog import queries
from app.i18n import LANGUAGES
from app.i18n import PREFIXES
from app.i18n import current_language
from app.i18n import language_url
from app.models import Initiative
from app.models import Place
from app.models import db
from app.views.common import state_names
from app.views.embed import view_label

bp = Blueprint("feeds", __name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ATOM = "application/atom+xml"
XML = "application/xml"
# a feed reader shows the newest; the whole catalog is in the downloads
FEED_LIMIT = 50
SITE_NAME = "Welcoming Atlas"
# what crawlers leave alone: the API's data (the pages show all of it) and the
# curators' area; the API's human page at /api/ stays open
# (in every language: /es/api/ too)
ROBOTS_DISALLOW = ("/api/", "/curate/")
ROBOTS_ALLOW = ("/api/$",)
# everything XML 1.0 cannot hold, even escaped: C0 controls but tab and line breaks,
# surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@bp.get("/feeds/initiatives.atom")
def initiatives():
    """Return the Atom feed of the newest initiatives in the filter of the query string."""
    states = state_names()
    filters = queries.parse_filters(request.args, states)
    return cached_xml(
        f"atom:{filters.key()}", ATOM, lambda: atom_feed(filters, states), keep=not filters.q
    )


@bp.get("/sitemap.xml")
def sitemap():
    """List every page worth indexing, with absolute URLs and lastmod where known."""
    return cached_xml("sitemap", XML, sitemap_xml)


@bp.get("/robots.txt")
def robots():
    """Let crawlers read the pages, not the API or the curators' area; name the sitemap."""
    lines = ["User-agent: *"]
    prefixes = ["", *PREFIXES.values()]
    lines += [f"Allow: {prefix}{path}" for prefix in prefixes for path in ROBOTS_ALLOW]
    lines += [f"Disallow: {prefix}{path}" for prefix in prefixes for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {url_for('feeds.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.app_template_global()
def feed_title(filters: queries.Filters) -> str:
    """Name the feed of ``filters``: ``Welcoming Atlas: new initiatives in Tennessee``."""
    # the view is where and what: "in Tennessee · Municipal offices" (app/views/embed.py)
    return _("Welcoming Atlas: new initiatives %(view)s", view=view_label(filters, state_names()))


@bp.app_template_global()
def feed_filters(state: str | None = None) -> queries.Filters:
    """Return the filter of a page's feed that has no ``Filters`` of its own (a state's)."""
    return queries.Filters(state=state)


def cached_xml(
    key: str, mimetype: str, build: Callable[[], bytes], *, keep: bool = True
) -> Response:
    """Answer the XML ``build`` makes, cached per catalog digest and host, with an ETag.

    With ``keep`` false (a search) it is built and not stored.
    """
    full_key = f"xml:{queries.catalog_version()}:{request.host_url}:{key}"
    body = remembered(full_key, build, keep=keep)
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.cache_control.no_cache = True
    return response.make_conditional(request)


def xml_text(value: str) -> str:
    """Return ``value`` without the characters XML 1.0 cannot carry (escaping is ET's)."""
    return _NOT_XML.sub("", value)


def atom_date(day: dt.date) -> str:
    """Write a date as an RFC 3339 timestamp (Atom dates are times): midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def newest_initiatives(filters: queries.Filters, limit: int = FEED_LIMIT) -> list[Initiative]:
    """Return the ``limit`` initiatives of ``filters`` added last, newest first.

    Ties (a curator adds many records in a day) go to the one verified last,
    then by id, so the feed's order is stable.
    """
    statement = queries.filtered(select(Initiative), filters).order_by(
        Initiative.added.desc(), Initiative.last_verified.desc(), Initiative.id
    )
    return list(db.session.scalars(statement.limit(limit)).unique())


def atom_feed(filters: queries.Filters, states: dict[str, str]) -> bytes:
    """Build the Atom 1.0 document of the newest initiatives in ``filters``."""
    entries = newest_initiatives(filters)
    args = filters.args()
    self_url = url_for("feeds.initiatives", **args, _external=True)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": current_language()})
    _sub(feed, "id", self_url)
    _sub(feed, "title", feed_title(filters))
    _sub(feed, "subtitle", _("Immigrant-inclusion initiatives as they are added to the catalog."))
    _sub(feed, "updated", atom_date(_feed_updated(entries)))
    _link(feed, "self", self_url, ATOM)
    _link(feed, "alternate", url_for("pages.index", **args, _external=True), "text/html")
    author = _sub(feed, "author")
    _sub(author, "name", SITE_NAME)
    _sub(author, "uri", url_for("pages.index", _external=True))
    guides = url_for("categories.index", _external=True)
    for initiative in entries:
        _entry(feed, initiative, guides)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _feed_updated(entries: list[Initiative]) -> dt.date:
    """The feed changed when its newest-verified entry did; an empty feed, with the catalog."""
    if entries:
        return max(initiative.last_verified for initiative in entries)
    latest = db.session.scalar(select(func.max(Initiative.last_verified)))
    return latest or dt.date(1970, 1, 1)


def _entry(feed: ET.Element, initiative: Initiative, guides: str) -> None:
    """Add one initiative: its permanent URL as id, its community page as the link."""
    place = initiative.place
    entry = _sub(feed, "entry")
    _sub(entry, "id", url_for("places.initiative", record_id=initiative.id, _external=True))
    _sub(entry, "title", f"{initiative.title} — {place.name}, {place.state}")
    _sub(entry, "published", atom_date(initiative.added))
    _sub(entry, "updated", atom_date(initiative.last_verified))
    page = url_for("places.detail", slug=place.slug, _anchor=initiative.id, _external=True)
    _link(entry, "alternate", page, "text/html")
    ET.SubElement(
        entry,
        "category",
        {
            "term": initiative.category_slug,
            "label": xml_text(queries.category_choices()[initiative.category_slug]),
            "scheme": guides,
        },
    )
    _sub(entry, "summary", initiative.summary).set("type", "text")


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, name)
    if text is not None:
        element.text = xml_text(text)
    return element


def _link(parent: ET.Element, rel: str, href: str, mimetype: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": mimetype, "href": href})


def sitemap_xml() -> bytes:
    """Build the sitemap: the site's pages, every guide, case study, state and community.

    Each page is listed in every language, each entry naming the page's other
    languages (``xhtml:link rel="alternate" hreflang``), as its HTML does.
    """
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for url, lastmod in sitemap_entries():
        versions = {language: language_url(language, url) for language in LANGUAGES}
        for version in versions.values():
            element = ET.SubElement(urlset, "url")
            ET.SubElement(element, "loc").text = version
            if lastmod is not None:
                ET.SubElement(element, "lastmod").text = lastmod.isoformat()
            for language, alternate in versions.items():
                ET.SubElement(
                    element,
                    "xhtml:link",
                    {"rel": "alternate", "hreflang": language, "href": alternate},
                )
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def sitemap_entries() -> Iterable[tuple[str, dt.date | None]]:
    """Yield ``(absolute URL, last modified)`` of each page; None where it is not known.

    A community's or a state's page changed when one of its records was last
    verified; a case study carries its own date; the guides' texts have none.
    """
    by_place = dict(
        db.session.execute(
            select(Initiative.place_slug, func.max(Initiative.last_verified)).group_by(
                Initiative.place_slug
            )
        ).all()
    )
    by_state = dict(
        db.session.execute(
            select(Place.state, func.max(Initiative.last_verified))
            .select_from(Initiative)
            .join(Initiative.place)
            .group_by(Place.state)
        ).all()
    )

    def page(endpoint: str, **values: str) -> str:
        return url_for(endpoint, **values, _external=True)

    yield page("pages.index"), max(by_place.values(), default=None)
    yield page("pages.about"), None
    yield page("pages.data_report"), None
    yield page("categories.index"), None
    for category in queries.list_categories():
        yield page("categories.detail", slug=category.slug), None
    yield page("case_studies.index"), None
    for study in content.list_case_studies():
        yield page("case_studies.detail", slug=study.slug), study.last_verified
    yield page("states.index"), max(by_state.values(), default=None)
    for code in state_names():
        yield page("states.detail", code=code), by_state.get(code)
    for slug in db.session.scalars(select(Place.slug).order_by(Place.slug)):
        yield page("places.detail", slug=slug), by_place.get(slug)
