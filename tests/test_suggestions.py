"""The suggestion form: the catalog's rules, errors by their fields, CSRF, honeypot, rate limit.

Every test runs on SQLite, and on PostgreSQL too when TEST_POSTGRES_URL is set. CSRF stays
on: each POST carries the token of the page it came from, except where a test leaves it out.
"""

from __future__ import annotations

import os
import re

import pytest
import redis
from sqlalchemy import func
from sqlalchemy import select

from app import create_app
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.models import db
from app.suggestions.models import AuditEntry
from app.suggestions.models import Suggestion
from tests.conftest import FIXTURE_CATALOG
from tests.conftest import migrate_schema
from tests.conftest import soup
from tests.hostile import TEMPLATE_PAYLOAD

REDIS_URL = "redis://127.0.0.1:6379/11"
# the public pages a suggestion could leak into
PUBLIC_PAGES = [
    "/",
    "/places/boise-id",
    "/places/nashville-tn",
    "/states/ID",
    "/states/WY",
    "/api/initiatives.json",
    "/api/places.geojson",
    "/feeds/initiatives.atom",
    "/downloads/initiatives.csv",
    "/about/",
]
HTML_PAYLOAD = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'

NEW = {
    "kind": "new",
    "place": "Boise",
    "state": "ID",
    "category": "municipal-offices",
    "title": "Office of Community Engagement",
    "summary": "A city office that connects refugees and immigrants with the city's services.",
    "started": "2016",
    "sources-0": "https://www.cityofboise.org/departments/mayor/community-engagement/",
    "email": "someone@example.org",
}


def token(client, url: str = "/suggest") -> str:
    """Return the CSRF token of the form on ``url``."""
    field = soup(client.get(url)).select_one('input[name="csrf_token"]')
    return field["value"]


def submit(client, data: dict, *, url: str = "/suggest", with_token: bool = True):
    body = dict(data)
    if with_token:
        body["csrf_token"] = token(client, url)
    return client.post(url, data=body)


def error_summary(response) -> list[tuple[str, str]]:
    """Return the summary's ``(href, message)`` pairs."""
    return [(a["href"], a.get_text(strip=True)) for a in soup(response).select(".error-summary a")]


def field_error(response, field_id: str) -> str:
    found = soup(response).select_one(f"#{field_id}-error")
    return found.get_text(" ", strip=True) if found else ""


def suggestions(app) -> list[Suggestion]:
    with app.app_context():
        rows = db.session.scalars(select(Suggestion).order_by(Suggestion.id)).all()
        db.session.expunge_all()
        return rows


@pytest.fixture
def site(any_app, catalog_dir):
    """The fixture catalog loaded, on each backend, with a catalog folder of its own."""
    any_app.config.update(CATALOG_DIR=str(catalog_dir), LOGIN_FAILURE_DELAY=0)
    return any_app


def test_the_form_has_a_label_for_every_field_and_works_without_javascript(site):
    page = soup(site.test_client().get("/suggest"))
    form = page.select_one("form.suggest-form")
    assert form["method"] == "post" and form["action"] == "/suggest"
    assert not form.select("script") and not page.select("script[src*=suggest]")
    for control in form.select("input:not([type=hidden]), select, textarea"):
        if control["id"] == "homepage":
            continue
        assert page.select_one(f'label[for="{control["id"]}"]'), control["id"]
    names = {c["name"] for c in form.select("[name]")}
    assert {"kind", "record", "place", "state", "category", "title", "summary", "started"} <= names
    assert {"sources-0", "sources-1", "sources-2", "email", "message", "csrf_token"} <= names
    states = [o["value"] for o in form.select("#state option") if o["value"]]
    assert "ID" in states and "DC" in states and "PR" in states and len(states) == 52
    kinds = [o["value"] for o in form.select("#category option") if o["value"]]
    assert kinds[0] == "municipal-offices" and len(kinds) == 6


def test_an_empty_form_lists_every_error_at_the_top_linked_to_its_field(site):
    client = site.test_client()
    response = submit(client, {"kind": "new", "title": "Kept <b>as typed</b>"})
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = error_summary(response)
    assert [href for href, _ in summary] == [
        "#place",
        "#state",
        "#category",
        "#summary",
        "#sources-0",
    ]
    for href, message in summary:
        field = page.select_one(href)
        assert field is not None
        assert message in field_error(response, href[1:])
        assert f"{href[1:]}-error" in field["aria-describedby"]
        assert field["aria-invalid"] == "true"
    # what was typed is kept, as text
    assert page.select_one("#title")["value"] == "Kept <b>as typed</b>"
    assert suggestions(site) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("state", "XX", "Choose the state"),
        ("category", "nope", "Choose the kind of initiative"),
        ("sources-0", "javascript:alert(1)", "must be a web address starting with https://"),
        ("sources-0", "ftp://example.org/file", "must be a web address starting with https://"),
        ("sources-1", "www.example.org", "Source 2 must be a web address"),
        ("sources-0", "https://example.org/" + "a" * 2000, "the limit is 2,000"),
        ("title", "x" * 201, "is 201 characters long; the limit is 200"),
        ("title", "a\tb", "contains a tab"),
        ("place", "Boise\x00", "contains a control character"),
        ("summary", "Too short.", "the minimum is 40"),
        ("summary", "y" * 801, "the limit is 800"),
        ("started", "2014-13", "Enter the year it started"),
        ("started", "14", "Enter the year it started"),
        ("started", "2999", "must not be in the future"),
        ("email", "not an email", "Enter an email address"),
        ("kind", "other", "Choose whether this is a new initiative"),
    ],
)
def test_each_rule_of_the_catalog_is_checked_on_the_server(site, field, value, message):
    response = submit(site.test_client(), NEW | {field: value})
    assert response.status_code == 200
    target = "kind-0" if field == "kind" else field
    assert message in field_error(response, "kind" if field == "kind" else field)
    assert any(href == f"#{target}" and message in text for href, text in error_summary(response))
    assert suggestions(site) == []


def test_a_valid_suggestion_is_stored_and_the_confirmation_says_what_happens_next(site):
    client = site.test_client()
    response = submit(client, NEW)
    assert response.status_code == 303
    assert response.headers["Location"] == "/suggest/thanks"
    page = soup(client.get("/suggest/thanks"))
    assert "What happens next" in page.get_text()
    assert "curator" in page.select_one("ol.steps").get_text()
    [stored] = suggestions(site)
    assert (stored.kind, stored.status, stored.place, stored.state) == ("new", "new", "Boise", "ID")
    assert stored.sources == [NEW["sources-0"]]
    assert stored.email == "someone@example.org"
    assert stored.started == "2016"
    assert stored.record_id is None
    # the address is kept hashed, never as sent
    assert re.fullmatch(r"[0-9a-f]{64}", stored.address_hash)
    assert "127.0.0.1" not in stored.address_hash
    with site.app_context():
        log = db.session.scalars(select(AuditEntry)).all()
        assert [(e.actor, e.action, e.suggestion_id) for e in log] == [
            ("visitor", "submitted", stored.id)
        ]


def test_a_correction_is_prefilled_from_its_record_and_keeps_what_is_not_changed(site):
    client = site.test_client()
    page = soup(client.get("/suggest?kind=correction&record=nashville-tn-office"))
    assert page.select_one("#kind-1").has_attr("checked")
    assert page.select_one('input[name="record"]')["value"] == "nashville-tn-office"
    assert page.select_one("#place")["value"] == "Nashville"
    assert page.select_one("#state option[selected]")["value"] == "TN"
    title = page.select_one("#title")["value"]
    # only the title and a source typed; the rest comes from the record
    response = submit(
        client,
        {
            "kind": "correction",
            "record": "nashville-tn-office",
            "title": "Office of New Americans (renamed)",
            "sources-0": "https://www.nashville.gov/departments/mayor/new-americans",
        },
    )
    assert response.status_code == 303
    [stored] = suggestions(site)
    assert stored.kind == "correction" and stored.record_id == "nashville-tn-office"
    assert stored.title == "Office of New Americans (renamed)" != title
    assert (stored.place, stored.state, stored.category) == ("Nashville", "TN", "municipal-offices")
    assert len(stored.summary) >= 40


def test_a_correction_names_an_existing_record(site):
    response = submit(site.test_client(), NEW | {"kind": "ended", "record": "no-such-record"})
    assert "No record in the catalog has that id" in field_error(response, "record")
    response = submit(
        site.test_client(),
        NEW | {"kind": "ended", "record": "https://x.org/places/atlanta-ga#atlanta-ga-office"},
    )
    assert response.status_code == 303
    assert suggestions(site)[0].record_id == "atlanta-ga-office"


def test_a_community_page_offers_its_records_to_correct(site):
    page = soup(site.test_client().get("/suggest?kind=correction&place=nashville-tn"))
    offered = [i["value"] for i in page.select('input[name="record"][type="radio"]')]
    assert offered == ["nashville-tn-g4g", "nashville-tn-office"]
    assert page.select_one("#place")["value"] == "Nashville"


def test_links_lead_to_the_form_from_every_community_state_and_empty_view(site):
    client = site.test_client()
    place = soup(client.get("/places/nashville-tn"))
    for article in place.select("article.initiative"):
        link = article.select_one(".suggest-link a")
        assert link["href"] == f"/suggest?kind=correction&record={article['id']}"
        assert link.get_text(" ", strip=True).startswith("Suggest a correction")
    hrefs = [a["href"] for a in place.select("a")]
    assert "/suggest?kind=correction&place=nashville-tn" in hrefs
    assert "/suggest?place=nashville-tn" in hrefs
    for url in ("/", "/about/", "/states/", "/categories/"):
        footer = soup(client.get(url)).select_one("footer")
        assert footer.select_one('a[href="/suggest"]').get_text() == "Suggest an initiative"
    assert soup(client.get("/states/WY")).select_one('a[href="/suggest?state=WY"]')
    assert soup(client.get("/states/TN")).select_one('a[href="/suggest?state=TN"]')
    empty = soup(client.get("/?state=WY")).select_one(".empty")
    assert empty.select_one('a[href="/suggest?state=WY"]')
    assert soup(client.get("/about/")).select_one('#suggest ~ p a[href="/suggest"]')
    # the prefilled state
    page = soup(client.get("/suggest?state=WY"))
    assert page.select_one("#state option[selected]")["value"] == "WY"


def test_a_post_without_the_csrf_token_is_refused_with_400(site):
    client = site.test_client()
    client.get("/suggest")  # a session exists: only the token is missing
    response = submit(client, NEW, with_token=False)
    assert response.status_code == 400
    page = soup(response)
    assert page.h1.get_text() == "This form could not be sent"
    assert "security code" in page.get_text()
    response = client.post("/suggest", data=NEW | {"csrf_token": "forged"})
    assert response.status_code == 400
    assert suggestions(site) == []


def test_the_honeypot_catches_a_bot_without_telling_it(site):
    response = submit(site.test_client(), NEW | {"homepage": "http://spam.example"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/suggest/thanks"
    assert suggestions(site) == []


def test_the_sixth_suggestion_in_an_hour_gets_a_clear_429(site):
    client = site.test_client()
    for _ in range(2):  # mistakes do not count
        assert submit(client, NEW | {"summary": ""}).status_code == 200
    for number in range(5):
        assert submit(client, NEW | {"title": f"Office {number}"}).status_code == 303
    response = submit(client, NEW | {"title": "Office 6"})
    assert response.status_code == 429
    assert 3000 < int(response.headers["Retry-After"]) <= 3600
    page = soup(response)
    assert page.h1.get_text() == "You have sent 5 suggestions in the last hour"
    assert "minutes" in page.select_one(".error-message").get_text()
    assert page.select_one("header nav")
    assert len(suggestions(site)) == 5
    # another client is not held back
    other = site.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert submit(other, NEW).status_code == 303


def test_the_limit_holds_across_workers_by_the_database(site):
    # two processes with memory storage each count their own; the table counts for both
    client = site.test_client()
    for number in range(5):
        assert submit(client, NEW | {"title": f"Office {number}"}).status_code == 303
    second = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": site.config["SQLALCHEMY_DATABASE_URI"],
            "MAP_TILES": "none",
        }
    )
    response = submit(second.test_client(), NEW)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 3000
    with second.app_context():
        db.engine.dispose()


def test_the_client_is_the_one_proxy_count_trusts(site, tmp_path, states):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxied.sqlite3'}",
            "MAP_TILES": "none",
            "PROXY_COUNT": 1,
        }
    )
    migrate_schema(app)
    with app.app_context():
        load_catalog(db.session, read_catalog(FIXTURE_CATALOG, states))
        db.session.remove()
    for number in range(5):
        client = app.test_client()
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{number}"
        assert submit(client, NEW).status_code == 303
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.9"
    assert submit(client, NEW).status_code == 303
    with app.app_context():
        hashes = set(db.session.scalars(select(Suggestion.address_hash)))
        assert len(hashes) == 6
        db.engine.dispose()


@pytest.fixture
def redis_url():
    try:
        store = redis.Redis.from_url(REDIS_URL)
        store.flushdb()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Redis on 127.0.0.1:6379 is not available (REQUIRE_SERVICES=1)")
        pytest.skip("Redis on 127.0.0.1:6379 is not available")
    yield REDIS_URL
    store.flushdb()


def test_with_redis_two_apps_count_one_limit(tmp_path, states, redis_url):
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'atlas.sqlite3'}",
        "MAP_TILES": "none",
        "RATELIMIT_STORAGE_URI": redis_url,
    }
    first, second = create_app(settings), create_app(settings)
    migrate_schema(first)
    with first.app_context():
        load_catalog(db.session, read_catalog(FIXTURE_CATALOG, states))
        db.session.remove()
    # honeypot hits count in the limiter only, not in the table: Redis alone holds the limit
    for app in (first, second, first, second, first):
        assert submit(app.test_client(), NEW | {"homepage": "x"}).status_code == 303
    assert any(b"atlas-limits" in key for key in redis.Redis.from_url(redis_url).keys())
    response = submit(second.test_client(), NEW)
    assert response.status_code == 429
    with first.app_context():
        assert db.session.scalar(select(func.count()).select_from(Suggestion)) == 0
        db.engine.dispose()


def test_redis_url_sets_the_limiter_storage(monkeypatch):
    from app import config

    settings = config.from_environ({"REDIS_URL": "redis://127.0.0.1:6379/11"})
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/11"
    assert config.defaults("/tmp")["RATELIMIT_STORAGE_URI"] == "memory://"


HOSTILE_FIELDS = ("place", "title", "summary", "message")


def hostile_suggestion(label: str) -> dict:
    payload = f"{label} {TEMPLATE_PAYLOAD} {HTML_PAYLOAD}"
    return NEW | {
        "place": f"Boise {TEMPLATE_PAYLOAD}"[:200],
        "title": payload[:200],
        "summary": (payload + " long enough for the rule")[:800],
        "message": payload,
        "sources-0": "https://example.org/?q=<script>alert(1)</script>",
        "email": "x@example.org",
    }


def test_hostile_text_is_shown_as_text_in_the_form_and_never_on_public_pages(site):
    client = site.test_client()
    # errors echo every field back: all of it as text, none of it as markup
    data = hostile_suggestion("Echo") | {"state": "XX"}
    response = submit(client, data)
    assert response.status_code == 200
    page = soup(response)
    for name in ("place", "title"):
        assert page.select_one(f"#{name}")["value"] == data[name]
    assert page.select_one("#summary").get_text().strip() == data["summary"].strip()
    assert not page.select("img[onerror]") and "<script>window" not in response.get_data(
        as_text=True
    )
    scripts = page.select("script")
    assert all(s.get("nonce") or s.get("type") == "application/json" for s in scripts)
    assert "49" not in page.select_one("#title")["value"]
    # stored, then looked for on every public page
    assert submit(client, hostile_suggestion("Stored")).status_code == 303
    assert len(suggestions(site)) == 1
    for url in PUBLIC_PAGES:
        text = client.get(url).get_data(as_text=True)
        for needle in ("Stored", "x@example.org", "window.pwned", "example.org/?q="):
            assert needle not in text, (url, needle)


def test_a_load_never_touches_the_suggestions(site, states):
    client = site.test_client()
    assert submit(client, NEW).status_code == 303
    with site.app_context():
        catalog = read_catalog(FIXTURE_CATALOG, states)
        load_catalog(db.session, catalog)
        load_catalog(db.session, catalog)
        assert db.session.scalar(select(func.count()).select_from(Suggestion)) == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
        db.session.remove()
