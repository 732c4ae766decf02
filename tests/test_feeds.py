"""The Atom feed, the sitemap and robots.txt: parsed back as XML, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest

from app.catalog import queries
from app.models import CaseStudy
from app.models import Category
from app.models import Initiative
from app.models import Place
from app.models import db
from app.views.common import state_names
from app.views.feeds import FEED_LIMIT
from app.views.feeds import xml_text
from tests.conftest import ROOT
from tests.conftest import edited_catalog
from tests.conftest import load_into
from tests.conftest import soup
from tests.hostile import TEMPLATE_PAYLOAD

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED = "/feeds/initiatives.atom"


def parse(response) -> ET.Element:
    """Parse an XML answer (any ill-formed byte raises)."""
    return ET.fromstring(response.get_data())


def atom_time(text: str) -> dt.datetime:
    """Read an RFC 3339 timestamp as Atom writes it, refusing one without a zone."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert moment.tzinfo is not None, text
    return moment


def entry_ids(feed: ET.Element) -> list[str]:
    """Return the catalog ids of a feed's entries, in order (from their permanent URLs)."""
    return [e.findtext(f"{ATOM}id").rsplit("/", 1)[1] for e in feed.iter(f"{ATOM}entry")]


@pytest.fixture
def dated_app(empty_app, states, tmp_path):
    """The fixture catalog with each record added on its own day (and verified later)."""

    def date_them(features: list[dict]) -> None:
        for number, feature in enumerate(sorted(features, key=lambda f: f["properties"]["id"])):
            props = feature["properties"]
            # ids in alphabetical order were added on days 1, 3, 5, ...: newest last
            props["added"] = (dt.date(2025, 1, 1) + dt.timedelta(days=2 * number)).isoformat()
            props["last_verified"] = (dt.date(2025, 6, 1) - dt.timedelta(days=number)).isoformat()

    target = edited_catalog(tmp_path / "dated", date_them)
    load_into(empty_app, target, states)
    return empty_app


@pytest.fixture
def real_app(empty_app, states):
    """The real catalog in data/ (more records than a feed holds)."""
    load_into(empty_app, ROOT / "data", states)
    return empty_app


def test_feed_is_valid_atom(any_app):
    response = any_app.test_client().get(FEED)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = parse(response)
    assert feed.tag == f"{ATOM}feed"
    # the feed's required elements (RFC 4287, 4.1.1)
    assert feed.findtext(f"{ATOM}id") == "http://localhost/feeds/initiatives.atom"
    assert feed.findtext(f"{ATOM}title") == "Welcoming Atlas: new initiatives in the United States"
    atom_time(feed.findtext(f"{ATOM}updated"))
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Welcoming Atlas"
    links = {link.get("rel"): link for link in feed.findall(f"{ATOM}link")}
    assert links["self"].get("href") == "http://localhost/feeds/initiatives.atom"
    assert links["self"].get("type") == "application/atom+xml"
    assert links["alternate"].get("href") == "http://localhost/"
    entries = feed.findall(f"{ATOM}entry")
    with any_app.app_context():
        records = {i.id: i for i in db.session.scalars(db.select(Initiative))}
    assert sorted(entry_ids(feed)) == sorted(records)
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        record = records[entry.findtext(f"{ATOM}id").rsplit("/", 1)[1]]
        assert entry.findtext(f"{ATOM}id") == f"http://localhost/places/initiatives/{record.id}"
        assert entry.findtext(f"{ATOM}title").startswith(record.title + " — ")
        assert atom_time(entry.findtext(f"{ATOM}updated")).date() == record.last_verified
        assert atom_time(entry.findtext(f"{ATOM}published")).date() == record.added
        (link,) = entry.findall(f"{ATOM}link")
        assert link.get("rel") == "alternate" and link.get("type") == "text/html"
        assert link.get("href") == (f"http://localhost/places/{record.place_slug}#{record.id}")
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "text" and summary.text == record.summary
        category = entry.find(f"{ATOM}category")
        assert category.get("term") == record.category_slug
        assert category.get("scheme") == "http://localhost/categories/"


def test_feed_entries_link_to_pages_that_exist(any_app):
    client = any_app.test_client()
    for entry in parse(client.get(FEED)).iter(f"{ATOM}entry"):
        permanent = client.get(entry.findtext(f"{ATOM}id"))
        assert permanent.status_code == 301  # to the record on its community's page
        page = entry.find(f"{ATOM}link").get("href").split("#")[0]
        assert client.get(page).status_code == 200


def test_feed_is_newest_first_by_the_day_a_record_was_added(dated_app):
    feed = parse(dated_app.test_client().get(FEED))
    with dated_app.app_context():
        records = list(db.session.scalars(db.select(Initiative)))
    newest_first = sorted(records, key=lambda r: r.added, reverse=True)
    assert entry_ids(feed) == [r.id for r in newest_first]
    published = [atom_time(e.findtext(f"{ATOM}published")) for e in feed.iter(f"{ATOM}entry")]
    assert published == sorted(published, reverse=True)
    # the feed changed when its last-verified entry did
    assert atom_time(feed.findtext(f"{ATOM}updated")).date() == max(
        r.last_verified for r in records
    )


def test_feed_holds_the_newest_fifty(real_app):
    feed = parse(real_app.test_client().get(FEED))
    with real_app.app_context():
        records = list(db.session.scalars(db.select(Initiative)))
    assert len(records) > FEED_LIMIT
    expected = sorted(records, key=lambda r: r.id)
    expected.sort(key=lambda r: (r.added, r.last_verified), reverse=True)
    assert entry_ids(feed) == [r.id for r in expected[:FEED_LIMIT]]


@pytest.mark.parametrize(
    "query",
    ["state=TN", "category=municipal-offices", "state=CA&category=case-stories", "q=Nashville"],
)
def test_feed_is_filtered_like_the_map(any_app, query):
    client = any_app.test_client()
    feed = parse(client.get(f"{FEED}?{query}"))
    with any_app.test_request_context(f"/?{query}"):
        from flask import request

        filters = queries.parse_filters(request.args, state_names())
        expected = {i.id for i in queries.list_initiatives(filters)}
        title = f"Welcoming Atlas: new initiatives {_label(filters)}"
    assert expected and set(entry_ids(feed)) == expected
    assert feed.findtext(f"{ATOM}id") == f"http://localhost{FEED}?{query}"
    assert feed.findtext(f"{ATOM}title") == title
    alternate = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert alternate[0].get("href") == f"http://localhost/?{query}"


def _label(filters: queries.Filters) -> str:
    from app.views.embed import view_label

    return view_label(filters, state_names())


def test_an_empty_feed_is_still_valid(any_app):
    feed = parse(any_app.test_client().get(f"{FEED}?state=WY"))
    assert not feed.findall(f"{ATOM}entry")
    atom_time(feed.findtext(f"{ATOM}updated"))


@pytest.mark.parametrize("query", ["state=ZZ", "category=nope", "from=19"])
def test_feed_answers_unknown_filter_values_with_400(any_app, query):
    response = any_app.test_client().get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_feed_spellings_share_one_answer_and_revalidate(any_app):
    client = any_app.test_client()
    first = client.get(f"{FEED}?state=tn")
    second = client.get(f"{FEED}?state=TN&page=3")
    assert first.get_data() == second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"]
    again = client.get(f"{FEED}?state=TN", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_pages_link_their_feed(any_app):
    client = any_app.test_client()
    for path, href in [
        ("/about/", FEED),
        ("/places/nashville-tn", FEED),
        ("/states/TN", f"{FEED}?state=TN"),
        ("/categories/municipal-offices", f"{FEED}?category=municipal-offices"),
    ]:
        links = soup(client.get(path)).select("link[rel=alternate][type='application/atom+xml']")
        assert [link["href"] for link in links] == [href], path
        assert links[0]["title"].startswith("Welcoming Atlas: new initiatives")


def test_map_page_links_the_feed_of_its_filter(any_app):
    page = soup(any_app.test_client().get("/?state=tn&category=municipal-offices"))
    (link,) = page.select("link[rel=alternate][type='application/atom+xml']")
    assert link["href"] == f"{FEED}?state=TN&category=municipal-offices"
    assert link["title"] == "Welcoming Atlas: new initiatives in Tennessee · Municipal offices"


def test_hostile_catalog_text_is_escaped_in_the_xml(hostile_app):
    client = hostile_app.test_client()
    feed = parse(client.get(FEED))
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert TEMPLATE_PAYLOAD in entry.findtext(f"{ATOM}title")
        assert TEMPLATE_PAYLOAD in entry.findtext(f"{ATOM}summary")
        assert list(entry.find(f"{ATOM}summary")) == []  # text, no elements
    sitemap = parse(client.get("/sitemap.xml"))
    with hostile_app.app_context():
        slugs = set(db.session.scalars(db.select(Place.slug)))
    locs = {loc.text for loc in sitemap.iter(f"{SITEMAP}loc")}
    assert {f"http://localhost/places/{slug}" for slug in slugs} <= locs


def test_characters_xml_cannot_carry_are_dropped():
    text = "a\x00b\x0bc\ufffed\tе\n"
    assert xml_text(text) == "abcd\tе\n"
    element = ET.Element("summary")
    element.text = xml_text(text)
    assert ET.fromstring(ET.tostring(element)).text == "abcd\tе\n"


def test_sitemap_lists_every_page_of_the_catalog(any_app):
    response = any_app.test_client().get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    sitemap = parse(response)
    assert sitemap.tag == f"{SITEMAP}urlset"
    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in sitemap.iter(f"{SITEMAP}url")
    }
    with any_app.test_request_context():
        places = {p.slug: p for p in db.session.scalars(db.select(Place))}
        categories = list(db.session.scalars(db.select(Category.slug)))
        studies = {s.slug: s.last_verified for s in db.session.scalars(db.select(CaseStudy))}
        states = state_names()
        verified = {
            slug: max(i.last_verified for i in place.initiatives) for slug, place in places.items()
        }
    base = "http://localhost"
    expected = {f"{base}{path}" for path in ["/", "/about/", "/categories/", "/case-studies/"]}
    expected |= {f"{base}/states/", f"{base}/about/data"}
    expected |= {f"{base}/places/{slug}" for slug in places}
    expected |= {f"{base}/categories/{slug}" for slug in categories}
    expected |= {f"{base}/case-studies/{slug}" for slug in studies}
    expected |= {f"{base}/states/{code}" for code in states}
    # every page in Spanish too, each naming the other as its alternate
    expected |= {url.replace(base, base + "/es", 1) for url in expected}
    assert set(urls) == expected
    assert len(urls) == len(list(sitemap.iter(f"{SITEMAP}url")))  # each once
    for slug, day in verified.items():
        assert urls[f"{base}/places/{slug}"] == urls[f"{base}/es/places/{slug}"] == day.isoformat()
    for slug, day in studies.items():
        assert urls[f"{base}/case-studies/{slug}"] == day.isoformat()
    for url in sitemap.iter(f"{SITEMAP}url"):
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in url.iter("{http://www.w3.org/1999/xhtml}link")
        }
        english = alternates["en"]
        assert alternates == {"en": english, "es": english.replace(base, base + "/es", 1)}
        assert url.findtext(f"{SITEMAP}loc") in alternates.values()
    assert (
        urls[f"{base}/states/TN"]
        == max(verified[s] for s, p in places.items() if p.state == "TN").isoformat()
    )
    assert urls[f"{base}/states/WY"] is None  # no record: no date to give
    assert urls[f"{base}/"] == max(verified.values()).isoformat()
    # every URL it lists answers
    client = any_app.test_client()
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_sitemap_follows_the_catalog(any_app, states, tmp_path):
    from tests.conftest import smaller_catalog

    client = any_app.test_client()
    before = {loc.text for loc in parse(client.get("/sitemap.xml")).iter(f"{SITEMAP}loc")}
    load_into(any_app, smaller_catalog(tmp_path), states)
    after = {loc.text for loc in parse(client.get("/sitemap.xml")).iter(f"{SITEMAP}loc")}
    assert before - after == {
        "http://localhost/places/redwood-city-ca",
        "http://localhost/es/places/redwood-city-ca",
    }


def test_robots_allows_pages_and_names_the_sitemap(any_app):
    response = any_app.test_client().get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /curate/" in lines
    assert "Disallow: /api/" in lines and "Allow: /api/$" in lines
    assert "Disallow: /es/api/" in lines and "Allow: /es/api/$" in lines
    assert "Disallow: /es/curate/" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_xml_answers_name_the_host_they_were_asked_on(any_app):
    client = any_app.test_client()
    for path in [FEED, "/sitemap.xml", "/robots.txt"]:
        client.get(path, base_url="http://one.example")
        body = client.get(path, base_url="http://two.example").get_data(as_text=True)
        assert "one.example" not in body and "two.example" in body, path
