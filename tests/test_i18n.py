"""The site in Spanish: the message catalog is whole, and every page type speaks it under /es/."""

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n
from tests.conftest import soup

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
TAG = re.compile(r"</?[a-z]+[^>]*>")


def spanish_catalog():
    with PO_FILE.open("rb") as file:
        return read_po(file, locale="es")


def forms(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def test_every_message_has_a_spanish_translation_and_none_is_fuzzy():
    catalog = spanish_catalog()
    messages = [m for m in catalog if m.id]
    assert len(messages) > 700
    untranslated = [m.id for m in messages if not all(forms(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


def test_translations_keep_every_placeholder_and_tag():
    for message in spanish_catalog():
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        wanted_placeholders = sorted(set(PLACEHOLDER.findall(ids[-1])))
        wanted_tags = sorted(TAG.findall(ids[0]))
        for form in forms(message):
            # a singular may say "one" for its count; every other placeholder stays
            got = sorted(set(PLACEHOLDER.findall(form)))
            assert set(got) <= set(wanted_placeholders), (message.id, form)
            assert set(wanted_placeholders) - set(got) <= {"%(num)d", "%(num)s", "%(count)s"}, (
                message.id,
                form,
            )
            assert sorted(TAG.findall(form)) == wanted_tags, (message.id, form)


def test_the_catalog_holds_exactly_the_messages_the_code_and_templates_use(tmp_path):
    # what `make messages` extracts: a message added to the code and not to messages.po fails
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "plural_forms:1,2",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as file:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id}
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in spanish_catalog() if m.id}
    assert sorted(extracted - translated) == []
    assert sorted(translated - extracted) == []


def test_the_compiled_catalog_is_built_from_the_current_messages():
    # `make` compiles messages.mo from messages.po; a stale .mo would serve old Spanish
    assert MO_FILE.is_file(), "run `make` (it compiles translations/*/messages.mo)"
    assert MO_FILE.stat().st_mtime >= PO_FILE.stat().st_mtime


def test_a_spanish_page_says_what_the_filter_shows_in_spanish(client):
    page = soup(client.get("/es/?state=TN"))
    assert page.html["lang"] == "es"
    assert page.select_one("#filter-summary").get_text() == (
        "2 comunidades, 3 iniciativas en Tennessee"
    )
    assert page.h1.get_text() == "Cómo acogen a los inmigrantes las comunidades de Estados Unidos"
    assert [a.get_text() for a in page.select(".site-header nav a")] == [
        "Mapa",
        "Categorías",
        "Casos de estudio",
        "Acerca de",
    ]
    # the filter's own words: a state's Spanish name, a category's Spanish name
    ny = page.select_one("#state option[value=NY]").get_text()
    assert ny.startswith("Nueva York")
    assert (
        page.select_one("label[for=category-municipal-offices]")
        .get_text()
        .startswith("Oficinas municipales")
    )


def test_a_page_names_its_other_language_and_links_the_same_view(client):
    page = soup(client.get("/es/?state=TN&category=municipal-offices"))
    alternates = {
        link["hreflang"]: link["href"] for link in page.select("link[rel=alternate][hreflang]")
    }
    assert alternates == {
        "en": "http://localhost/?state=TN&category=municipal-offices",
        "es": "http://localhost/es/?state=TN&category=municipal-offices",
        "x-default": "http://localhost/?state=TN&category=municipal-offices",
    }
    assert page.select_one("link[rel=canonical]")["href"] == alternates["es"]
    assert page.select_one("meta[property='og:locale']")["content"] == "es_US"
    switch = page.select_one(".language-switch a")
    assert (switch["lang"], switch.get_text()) == ("en", "English")
    response = client.get(switch["href"])
    assert response.status_code == 303
    assert response.headers["Location"] == "/?state=TN&category=municipal-offices"
    english = soup(client.get("/?state=TN"))
    assert english.html["lang"] == "en"
    assert english.select_one(".language-switch a")["href"] == ("/language?to=es&next=/?state%3DTN")


@pytest.mark.parametrize(
    ("accept", "cookie", "answer"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", None, "/es/"),
        ("es", "en", None),  # an explicit choice wins over the browser's
        ("en-US,en;q=0.9", "es", "/es/"),
        ("en-US,en;q=0.9", None, None),
        ("fr-FR,fr;q=0.9", None, None),
        ("", "xx", None),
    ],
)
def test_a_bare_root_follows_the_choice_then_the_browser(client, accept, cookie, answer):
    if cookie:
        client.set_cookie(i18n.COOKIE, cookie)
    response = client.get("/", headers={"Accept-Language": accept})
    assert set(response.vary) >= {"Accept-Language", "Cookie"}
    if answer:
        assert (response.status_code, response.headers["Location"]) == (302, answer)
    else:
        assert response.status_code == 200
        assert soup(response).html["lang"] == "en"


def test_only_a_bare_root_chooses_a_language(client):
    for url in ["/?state=TN", "/states/TN", "/es/"]:
        response = client.get(url, headers={"Accept-Language": "es"})
        assert response.status_code == 200, url
        assert "Accept-Language" not in response.vary, url
    assert soup(client.get("/states/TN", headers={"Accept-Language": "es"})).html["lang"] == "en"


def test_the_switch_remembers_the_choice_and_stays_on_the_site(client):
    response = client.get("/language", query_string={"to": "es", "next": "/states/TN"})
    assert (response.status_code, response.headers["Location"]) == (303, "/es/states/TN")
    cookie = client.get_cookie(i18n.COOKIE)
    assert cookie.value == "es" and cookie.http_only and cookie.same_site == "Lax"
    assert client.get("/").headers["Location"] == "/es/"
    for elsewhere in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "evil"]:
        response = client.get("/language", query_string={"to": "en", "next": elsewhere})
        assert response.headers["Location"] == "/", elsewhere
    bad = client.get("/language?to=xx")
    assert bad.status_code == 400
    assert "en, es" in soup(bad).select_one(".error-message").get_text()


def test_static_files_keep_one_address_in_every_language(client):
    page = soup(client.get("/es/categories/"))
    styles = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert styles and all(href.startswith("/static/") for href in styles)
    links = [a["href"] for a in page.select("main a[href^='/']")]
    assert links and all(href.startswith("/es/") for href in links)


def test_english_and_spanish_pages_never_share_a_cache_entry(client):
    assert soup(client.get("/es/categories/")).html["lang"] == "es"
    assert soup(client.get("/categories/")).html["lang"] == "en"
    assert soup(client.get("/es/categories/")).html["lang"] == "es"
    spanish = client.get("/es/api/places/nashville-tn.json").get_json()
    english = client.get("/api/places/nashville-tn.json").get_json()
    assert spanish["initiatives"][0]["category_name"] == "Oficinas municipales"
    assert english["initiatives"][0]["category_name"] == "Municipal offices"


def test_a_guide_opens_in_spanish_and_marks_the_rest_english(client):
    page = soup(client.get("/es/categories/municipal-offices"))
    assert page.h1.get_text(strip=True) == "Oficinas municipales"
    assert page.select_one(".guide-opening h2").get_text() == "Qué es"
    assert page.select_one(".guide-body")["lang"] == "en"
    assert page.select_one(".lang-note").get_text() == "La guía completa que sigue está en inglés."
    untranslated = soup(client.get("/es/categories/strategic-plans"))
    assert untranslated.select_one(".guide-opening") is None
    assert untranslated.select_one(".guide-body")["lang"] == "en"


def test_records_stay_english_and_say_so_with_dates_in_spanish(client):
    page = soup(client.get("/es/places/nashville-tn"))
    article = page.select_one("article.initiative")
    assert article.h3["lang"] == "en"
    assert page.select_one(".lang-note")
    facts = dict(
        zip(
            [dt.get_text() for dt in article.select("dl.facts dt")],
            [dd.get_text() for dd in article.select("dl.facts dd")],
            strict=True,
        )
    )
    assert "Última verificación" in facts
    assert re.fullmatch(r"\d{1,2} de [a-z]+ de \d{4}", facts["Última verificación"])


def test_errors_answer_in_the_language_of_the_address(client):
    page = client.get("/es/places/nowhere-zz")
    assert page.status_code == 404
    assert soup(page).h1.get_text() == "No encontramos esa página"
    api = client.get("/es/api/places.geojson?state=ZZ")
    assert api.status_code == 400
    english = client.get("/api/places.geojson?state=ZZ").get_json()
    assert api.get_json()["message"] != english["message"]
    assert api.get_json()["param"] == "state"
    filter_page = soup(client.get("/es/?state=ZZ"))
    assert filter_page.h1.get_text() == "No conocemos ese estado"


def test_the_spanish_download_has_spanish_column_headers(client):
    spanish = client.get("/es/downloads/initiatives.csv?state=TN").get_data(as_text=True)
    english = client.get("/downloads/initiatives.csv?state=TN").get_data(as_text=True)
    spanish_rows = list(csv.reader(io.StringIO(spanish.lstrip("\ufeff"))))
    english_rows = list(csv.reader(io.StringIO(english.lstrip("\ufeff"))))
    assert spanish_rows[0] != english_rows[0]
    assert len(spanish_rows[0]) == len(english_rows[0])
    assert english_rows[0][0] == "id"
    assert len(spanish_rows) == len(english_rows) == 4


def test_a_form_without_its_security_code_says_why_in_spanish(app):
    client = app.test_client()
    response = client.post("/es/suggest", data={"kind": "new"})
    assert response.status_code == 400
    page = soup(response)
    assert page.html["lang"] == "es"
    assert page.select_one("main .muted").get_text() == (
        "Falta el código de seguridad del formulario."
    )


def test_without_a_catalog_the_503_page_says_so_in_spanish(empty_app):
    response = empty_app.test_client().get("/es/states/TN")
    assert response.status_code == 503
    assert (
        soup(response)
        .select_one(".error-message")
        .get_text()
        .startswith("El catálogo todavía no está cargado.")
    )


@pytest.mark.parametrize("url", ["/about/", "/es/about/"])
def test_a_quotation_mark_in_a_description_cannot_end_its_attribute(client, url):
    # the blocks are trusted markup; as attribute values they are text again (base.html)
    page = soup(client.get(url))
    described = [
        page.select_one("meta[name=description]")["content"],
        page.select_one("meta[property='og:description']")["content"],
    ]
    assert described[0] == described[1]
    assert described[0].endswith(".") and len(described[0]) > 80
