"""Whom to call and what changed: the community page's Contact and History, the popup's link."""

from tests.conftest import soup


def test_the_community_page_shows_a_contact_block(any_app):
    page = soup(any_app.test_client().get("/places/nashville-tn"))
    block = page.select_one("#nashville-tn-office-contact")
    assert block.h4.get_text() == "Contact"
    links = {a.get_text(): a["href"] for a in block.select("a")}
    assert links["example.org/nashville-office"] == "https://example.org/nashville-office"
    assert links["Contact page"] == "https://example.org/nashville-office/contact"
    assert links["(615) 555-0100"] == "tel:+16155550100"
    assert links["office@example.org"] == "mailto:office@example.org"
    # an initiative with neither website nor contact has no empty block
    assert not page.select("#nashville-tn-g4g-contact")


def test_the_community_page_shows_the_history_with_its_sources(any_app):
    page = soup(any_app.test_client().get("/places/nashville-tn"))
    entries = page.select("#nashville-tn-office .history li")
    assert [e.select_one(".when").get_text() for e in entries] == ["May 2016"]
    assert entries[0].a["href"].startswith("https://example.org/")


def test_the_popup_links_to_the_contact_block(any_app):
    body = any_app.test_client().get("/api/places/nashville-tn.json").get_json()
    contacts = {i["id"]: i["contact_url"] for i in body["initiatives"]}
    assert contacts["nashville-tn-office"] == "/places/nashville-tn#nashville-tn-office-contact"
    assert contacts["nashville-tn-g4g"] is None
