"""The pages as a visitor gets them, read from parsed HTML."""

import json

import pytest

from tests.conftest import soup


def table_rows(page) -> list[dict[str, str]]:
    """Return the initiatives table as a list of {column: text} dicts (links' text)."""
    headers = [th.get_text(strip=True) for th in page.select("table.initiatives thead th")]
    rows = []
    for tr in page.select("table.initiatives tbody tr"):
        cells = [(td.a or td).get_text(" ", strip=True) for td in tr.select("td")]
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def category_key(page) -> dict[str, tuple[str, str]]:
    """Return the map key as {category: (count shown, state read by screen readers)}."""
    return {
        a["data-category"]: (
            a.select_one(".count").get_text(),
            a.select_one(".visually-hidden").get_text().strip(),
        )
        for a in page.select(".facets [data-category]")
    }


def test_home_lists_every_initiative_with_links(client):
    page = soup(client.get("/"))
    rows = table_rows(page)
    assert len(rows) == 8
    assert rows[0] == {
        "Community": "Redwood City, CA",
        "Initiative": "Welcoming programme",
        "Kind": "Case stories",
        "Started": "not confirmed",
    }
    links = [a["href"] for a in page.select("table.initiatives tbody tr")[0].select("a")]
    assert links == ["/places/redwood-city-ca", "/places/redwood-city-ca#redwood-city-ca-story"]
    assert page.select_one("#filter-summary").get_text() == (
        "7 communities, 8 initiatives in the United States"
    )
    assert page.title.get_text() == "Welcoming Atlas"


def test_state_and_category_filter_from_the_url(client):
    page = soup(client.get("/?state=TN&category=municipal-offices"))
    assert [r["Community"] for r in table_rows(page)] == ["Nashville, TN"]
    assert page.select_one("#filter-summary").get_text() == (
        "1 community, 1 initiative in Tennessee · Municipal offices"
    )
    assert page.select_one("#state option[selected]")["value"] == "TN"
    assert [i["value"] for i in page.select("input[name=category][checked]")] == [
        "municipal-offices"
    ]
    assert page.select_one("a.clear")["href"] == "/"
    assert page.title.get_text() == "Tennessee · Welcoming Atlas"


def test_category_key_counts_and_toggle_links(client):
    page = soup(client.get("/?state=TN"))
    assert category_key(page) == {
        "municipal-offices": ("1", "(select to show only this kind)"),
        "strategic-plans": ("1", "(select to show only this kind)"),
        "welcoming-network": ("0", "(none in this view)"),
        "certified-welcoming": ("0", "(none in this view)"),
        "g4g-communities": ("1", "(select to show only this kind)"),
        "case-stories": ("0", "(none in this view)"),
    }
    toggles = {a["data-category"]: a["href"] for a in page.select(".facets a[data-category]")}
    # as the seed says: selecting a kind sorts the pins to that kind
    assert toggles["strategic-plans"] == "/?state=TN&category=strategic-plans"
    # a kind with nothing here is no link, and no choice in the filter panel
    assert set(toggles) == {"municipal-offices", "strategic-plans", "g4g-communities"}
    assert page.select_one("#category-case-stories").has_attr("disabled")
    assert page.select_one("#state option[value=WY]").has_attr("disabled")
    assert not page.select_one("#state option[value=TN]").has_attr("disabled")
    assert not page.select(".facets a.show-all")
    assert "show only it" in page.select_one("#key-hint").get_text()


def test_category_key_adds_and_removes_kinds_and_shows_all_again(client):
    page = soup(client.get("/?state=TN&category=municipal-offices"))
    key = category_key(page)
    assert key["municipal-offices"] == (
        "1",
        "(the only kind shown; select to show every kind)",
    )
    assert key["g4g-communities"] == ("1", "(not shown; select to add it)")
    toggles = {a["data-category"]: a["href"] for a in page.select(".facets a[data-category]")}
    assert toggles["municipal-offices"] == "/?state=TN"
    assert toggles["g4g-communities"] == (
        "/?state=TN&category=municipal-offices&category=g4g-communities"
    )
    assert [a["data-category"] for a in page.select(".facets a.is-selected")] == [
        "municipal-offices"
    ]
    assert [a["data-category"] for a in page.select(".facets a.is-off")] == [
        "strategic-plans",
        "g4g-communities",
    ]
    assert page.select_one(".facets a.show-all")["href"] == "/?state=TN"
    two = soup(client.get("/?state=TN&category=municipal-offices&category=g4g-communities"))
    assert category_key(two)["g4g-communities"] == ("1", "(selected; select to remove it)")


def test_several_categories_at_once(client):
    page = soup(client.get("/?category=g4g-communities&category=certified-welcoming"))
    assert sorted(r["Community"] for r in table_rows(page)) == ["Boise, ID", "Nashville, TN"]


def test_state_options_carry_counts(client):
    page = soup(client.get("/?category=strategic-plans"))
    options = {o["value"]: o.get_text() for o in page.select("#state option")}
    assert options["TN"] == "Tennessee (1)"
    assert options["OH"] == "Ohio (1)"
    assert options["GA"] == "Georgia (0)"
    assert options[""] == "All states"
    assert len(options) == 53


def test_empty_result_says_so_and_offers_a_way_out(client):
    page = soup(client.get("/?state=WY"))
    assert table_rows(page) == []
    assert "No initiative" in page.select_one(".empty").get_text()


@pytest.mark.parametrize(
    ("query", "param", "value"),
    [
        ("state=ZZ", "state", "ZZ"),
        ("category=parks", "category", "parks"),
        ("state=TN&category=municipal-offices&category=<b>", "category", "<b>"),
    ],
)
def test_unknown_filter_values_get_a_400_page_with_choices(client, query, param, value):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    page = soup(response)
    assert page.h1.get_text() == f"We don't know that {param}"
    assert page.select_one(".error-message code").get_text() == value
    choices = [code.get_text() for code in page.select(".choices code")]
    if param == "state":
        assert len(choices) == 52 and "TN" in choices and "DC" in choices
    else:
        assert choices[0] == "municipal-offices" and len(choices) == 6


@pytest.mark.parametrize("accept", ["application/json", "*/*", "text/html"])
def test_pages_answer_html_and_the_api_json_whatever_the_accept_header(client, accept):
    page = client.get("/?state=ZZ", headers={"Accept": accept})
    assert (page.status_code, page.mimetype) == (400, "text/html")
    assert "Vary" not in page.headers
    api = client.get("/api/places.geojson?state=ZZ", headers={"Accept": accept})
    assert (api.status_code, api.mimetype) == (400, "application/json")
    body = api.get_json()
    assert (body["param"], body["value"]) == ("state", "ZZ")
    assert "TN" in body["choices"]


def test_place_page_shows_initiatives_sources_and_conflicts(client):
    page = soup(client.get("/places/atlanta-ga"))
    assert page.h1.get_text() == "Atlanta, Georgia"
    article = page.select_one("article#atlanta-ga-office")
    assert article.h3.get_text() == "Office of Immigrant Affairs"
    facts = dict(
        zip(
            [dt.get_text() for dt in article.select("dt")],
            [dd.get_text(" ", strip=True) for dd in article.select("dd")],
            strict=True,
        )
    )
    assert facts["Started"] == "2015"
    assert facts["How it was established"] == "Mayoral action"
    assert facts["Last verified"] == "20 November 2026"
    assert [a["href"] for a in article.select(".sources a")] == [
        "https://example.org/atlanta-ga-office",
        "https://example.org/atlanta-ga-office/other",
    ]
    conflict = article.select_one(".conflicts li").get_text(" ", strip=True)
    assert conflict.startswith("Another source gives the year as 2017")
    crumbs = [a["href"] for a in page.select(".crumbs a")]
    assert crumbs == ["/", "/states/GA"]


def test_place_page_groups_by_category(client):
    page = soup(client.get("/places/nashville-tn"))
    assert [h.get_text() for h in page.select("section.category-group h2")] == [
        "Municipal offices",
        "Gateways for Growth",
    ]


def test_unknown_place_is_a_helpful_404(client):
    response = client.get("/places/atlantis-zz")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text() == "We can't find that page"
    assert page.select_one("main a")["href"] == "/"


def test_home_embeds_the_map_with_local_assets_only(client):
    page = soup(client.get("/?state=TN&category=municipal-offices"))
    assert page.select_one(".map-frame .folium-map")
    # each static URL carries its file's fingerprint (app/assets.py)
    sources = [s["src"].split("?v=")[0] for s in page.select("script[src]")]
    assert all("?v=" in s["src"] for s in page.select("script[src]"))
    styles = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert sources == [
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/markercluster/leaflet.markercluster.js",
        "/static/js/atlas-map.js",
    ]
    assert all(url.startswith("/static/") for url in styles)
    assert not page.select('meta[name=viewport][content*="user-scalable=no"]')
    # the inline scripts: the page's "js" class and the search box's loader, and Folium's
    # map set-up, each with the nonce
    inline = page.select("script:not([src]):not([type])")
    assert 'document.documentElement.classList.add("js");' in inline[0].get_text()
    assert "js/search.js" not in inline[0].get_text()  # its URL is data, on the form
    assert "AtlasMap.init(map_" in inline[1].get_text()
    assert len(inline) == 2 and all(script["nonce"] for script in inline)
    settings = json.loads(
        page.select_one("script#atlas-map-settings[type='application/json']").string
    )
    assert settings["pins_url"] == "/api/places.geojson?state=TN&category=municipal-offices"
    assert settings["popup_url"] == "/api/places/__slug__.json?state=TN&category=municipal-offices"
    assert settings["state"] == "TN"
    assert [c["slug"] for c in settings["categories"]][:2] == [
        "municipal-offices",
        "strategic-plans",
    ]


def test_list_is_paginated_and_keeps_the_filter(client, monkeypatch):
    from app.views import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 3)
    first = soup(client.get("/?category=strategic-plans&category=municipal-offices"))
    assert len(table_rows(first)) == 3
    assert first.select_one(".pagination span").get_text() == "Page 1 of 2"
    next_url = first.select_one(".pagination a[rel=next]")["href"]
    assert next_url == "/?page=2&category=municipal-offices&category=strategic-plans"
    second = soup(client.get(next_url))
    assert len(table_rows(second)) == 1
    assert second.select_one(".pagination a[rel=prev]")["href"].startswith("/?page=1&")
    assert first.select_one("#filter-summary").get_text() == (
        "4 communities, 4 initiatives in the United States · Municipal offices, Strategic plans"
    )


@pytest.mark.parametrize(("query", "status"), [("page=0", 400), ("page=x", 400), ("page=9", 404)])
def test_bad_page_numbers_get_a_clear_answer(client, query, status):
    response = client.get(f"/?{query}")
    assert response.status_code == status
    assert soup(response).select_one(".error-message").get_text()
