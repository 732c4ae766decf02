"""Every page type under /es/ in Chromium: no English interface text left, and axe is content.

"English interface text" is every message of the Spanish catalog whose Spanish differs:
each run of words of its English (between placeholders and tags) must not be on the page.
Catalog text (records, guides, case studies) is English on purpose and marked ``lang="en"``,
so elements with that attribute are left out of the text read.
"""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import expect

from app.views.common import LOCAL_STATE_NAMES
from tests.browser.test_curate import sign_in
from tests.browser.test_map import open_map
from tests.browser.test_map import serious_violations
from tests.browser.test_suggest import suggestion_site
from tests.conftest import FIXTURE_CATALOG
from tests.test_i18n import spanish_catalog

SPLIT = re.compile(r"%\(\w+\)[sd]|<[^>]+>|[“”()·:;,.?!…]")
# community and state names are catalog data: "New York" names a record's city too
NAMES = {str(name) for name in LOCAL_STATE_NAMES.values()}

PAGES = [
    "/es/",
    "/es/?state=TN",
    "/es/?q=nashville&status=active&from=2000",
    "/es/?state=WY",
    "/es/places/nashville-tn",
    "/es/categories/",
    "/es/categories/municipal-offices",
    "/es/categories/certified-welcoming",
    "/es/case-studies/",
    "/es/case-studies/nashville",
    "/es/states/",
    "/es/states/TN",
    "/es/states/WY",
    "/es/about/",
    "/es/about/data",
    "/es/api/",
    "/es/suggest",
    "/es/suggest?kind=correction&record=nashville-tn-office",
    "/es/suggest/thanks",
    "/es/embed?state=TN",
    "/es/places/nowhere-zz",
    "/es/?state=ZZ",
    "/es/?page=x",
]


def english_phrases() -> list[str]:
    """Return the English runs of words (two or more) of every message that Spanish changes."""
    phrases = set()
    for message in spanish_catalog():
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        spanish = " ".join(strings)
        for english in ids:
            if english in NAMES:
                continue
            for run in SPLIT.split(english):
                run = " ".join(run.split())
                if len(run.split()) >= 2 and run not in spanish:
                    phrases.add(run)
    return sorted(phrases, key=len, reverse=True)


def translated_category_names() -> list[str]:
    """The English names of the fixture catalog's guides that have a Spanish name."""
    folder = FIXTURE_CATALOG / "categories"
    names = []
    for path in sorted((folder / "es").glob("*.md")):
        english = yaml.safe_load((folder / path.name).read_text().split("---")[1])
        names.append(english["name"])
    return names


PHRASES = english_phrases() + translated_category_names()


def interface_text(page) -> str:
    """The page's visible text and labels, less the catalog's own (English) text."""
    return page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            const skip = '[lang="en"], script, style, template';
            copy.querySelectorAll(skip).forEach((e) => e.remove());
            const labels = [...copy.querySelectorAll('[aria-label], [placeholder], [title], [alt]')]
                .map((e) => ['aria-label', 'placeholder', 'title', 'alt']
                    .map((name) => e.getAttribute(name) || '').join(' '));
            return [document.title, copy.innerText, ...labels].join('\\n');
        }"""
    )


def english_left(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [phrase for phrase in PHRASES if phrase in flat]


def test_the_check_would_catch_an_english_page(page, live_server):
    page.goto(live_server + "/?state=TN")
    found = english_left(interface_text(page))
    assert "Kind of initiative" in found and "Apply filters" in found
    assert "Municipal offices" in found  # a guide's name that has a Spanish one


@pytest.mark.parametrize("path", PAGES)
def test_a_spanish_page_has_no_english_interface_text_and_passes_axe(page, live_server, path):
    response = page.goto(live_server + path)
    assert page.locator("html").get_attribute("lang") == "es"
    if page.locator(".folium-map").count():
        page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    assert english_left(interface_text(page)) == []
    assert serious_violations(page) == []
    if response.ok:  # an error page's own status is reported as a console error
        assert page.watch.errors == []


def test_the_spanish_map_speaks_spanish_in_its_popups_and_status(page, live_server):
    open_map(page, live_server + "/es/?state=TN")
    expect(page.locator("#filter-summary")).to_have_text(
        "2 comunidades, 3 iniciativas en Tennessee"
    )
    expect(page.locator("#map-status")).to_have_text(re.compile(r"^El mapa muestra 2 comunidades"))
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("aria-label", "Acercar")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Alejar")
    pin = page.locator(".atlas-pin[title^='Nashville, TN']")
    assert re.search(r"\d+ iniciativas? \(", pin.get_attribute("title"))
    pin.click()
    popup = page.locator(".atlas-popup[data-ready=true]")
    expect(popup).to_have_count(1)
    expect(popup.locator(".atlas-popup-kind").first).to_contain_text("Oficinas municipales")
    assert popup.locator(".atlas-popup-item a").first.get_attribute("lang") == "en"
    assert english_left(interface_text(page)) == []


def test_the_spanish_search_box_suggests_in_spanish(page, live_server):
    page.goto(live_server + "/es/categories/")
    box = page.get_by_role("searchbox", name="Buscar comunidades e iniciativas")
    box.fill("nash")
    expect(page.locator("#site-search-options .option-group").first).to_have_text("Comunidades")
    expect(page.locator("#site-search-all")).to_contain_text("Buscar “nash” en el mapa")
    expect(page.locator("#site-search-status")).to_contain_text("Use las flechas")


def test_switching_language_keeps_the_view_and_the_choice(page, live_server):
    page.goto(live_server + "/?state=TN&category=municipal-offices")
    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(live_server + "/es/?state=TN&category=municipal-offices")
    expect(page.locator("h1")).to_have_text(
        "Cómo acogen a los inmigrantes las comunidades de Estados Unidos"
    )
    page.goto(live_server + "/")  # the choice is remembered for a bare /
    expect(page).to_have_url(live_server + "/es/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_curator_pages_speak_spanish(tmp_path, browser, chromium_path):
    with suggestion_site(tmp_path) as (base, _app, _catalog):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/es/suggest")
        page.locator("form.suggest-form button[type=submit]").click()  # nothing filled in
        expect(page.locator(".error-summary")).to_be_visible()
        assert english_left(interface_text(page)) == []
        page.goto(base + "/language?to=en&next=/curate/")
        sign_in(page, base)
        for path in ["/es/curate/", "/es/curate/log"]:
            page.goto(base + path)
            assert page.locator("html").get_attribute("lang") == "es"
            assert english_left(interface_text(page)) == []
            assert serious_violations(page) == []
        context.close()
