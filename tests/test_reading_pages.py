"""The reading pages: communities, category guides, case studies, states, about, errors."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import soup


def texts(page, selector: str) -> list[str]:
    return [element.get_text(" ", strip=True) for element in page.select(selector)]


def crumbs(page) -> list[str]:
    return texts(page, ".crumbs li")


def test_every_page_has_the_main_navigation(client):
    page = soup(client.get("/about/"))
    assert texts(page, "header nav a") == ["Map", "Categories", "Case studies", "About"]
    assert page.select_one("header nav a[aria-current=page]").get_text() == "About"


def test_community_page_links_case_study_guides_map_and_neighbours(client):
    page = soup(client.get("/places/nashville-tn"))
    assert crumbs(page) == ["Map", "Tennessee", "Nashville"]
    assert page.select_one(".crumbs a[href='/states/TN']")
    assert texts(page, ".case-study-link a") == ["Nashville: a fixture case study"]
    assert [a["href"] for a in page.select(".on-this-page a")] == [
        "/categories/municipal-offices",
        "/categories/g4g-communities",
    ]
    assert page.select_one(".map-frame .folium-map")
    # Atlanta is the only other community with a municipal office or a G4G award
    assert texts(page, ".nearby li a") == ["Atlanta, GA"]
    assert page.select_one("meta[name=description]")["content"].startswith(
        "Immigrant-inclusion initiatives in Nashville, Tennessee"
    )


def test_nearby_communities_share_a_kind_of_initiative_and_are_nearest_first(client):
    # Redwood City and Santa Clara County: the only Bay Area pair in the fixture
    page = soup(client.get("/places/redwood-city-ca"))
    assert texts(page, ".nearby li a") == []
    page = soup(client.get("/places/dayton-oh"))
    # Dayton's plan is a strategic plan, like Memphis's, 500-odd miles away
    nearby = [li.get_text(" ", strip=True) for li in page.select(".nearby li")]
    assert len(nearby) == 1 and nearby[0].startswith("Memphis, TN")
    miles = int(nearby[0].split()[-2])
    assert 400 < miles < 600


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/places/Nashville-TN", "/places/nashville-tn"),
        ("/places/redwood_city_ca", "/places/redwood-city-ca"),
        ("/categories/Municipal-Offices", "/categories/municipal-offices"),
        ("/case-studies/NASHVILLE", "/case-studies/nashville"),
        ("/states/tn", "/states/TN"),
    ],
)
def test_wrong_slug_redirects_permanently_to_the_canonical_url(client, path, canonical):
    response = client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"] == canonical


def test_unknown_slug_gets_a_404_with_suggestions(client):
    response = client.get("/places/nashvile-tn")
    assert response.status_code == 404
    page = soup(response)
    assert "Did you mean nashville-tn?" in page.select_one(".error-message").get_text()
    assert texts(page, ".suggestions a")[0] == "The map of every initiative"


def test_category_index_lists_six_guides_with_counts(client):
    page = soup(client.get("/categories/"))
    assert texts(page, ".card h2 a") == [
        "Municipal offices",
        "Strategic plans",
        "Welcoming network",
        "Certified Welcoming",
        "Gateways for Growth",
        "Case stories",
    ]
    assert (
        page.select(".card .muted")[0]
        .get_text(" ", strip=True)
        .startswith("2 initiatives in the catalog")
    )


def test_category_guide_has_its_text_examples_map_and_a_link_to_the_filtered_map(client):
    page = soup(client.get("/categories/strategic-plans"))
    assert page.h1.get_text(" ", strip=True) == "Strategic plans"
    assert page.select_one(".guide h2").get_text() == "What it is"
    assert texts(page, ".examples .initiative-list a") == ["Welcome Dayton plan", "Welcoming plan"]
    assert page.select_one("a.button-link")["href"] == "/?category=strategic-plans"
    assert page.select_one(".examples .folium-map")
    assert page.title.get_text() == "Strategic plans: a guide · Welcoming Atlas"


def test_case_studies_list_and_page_with_a_sourced_timeline(client):
    index = soup(client.get("/case-studies/"))
    assert texts(index, ".card h2 a") == ["Nashville: a fixture case study"]
    page = soup(client.get("/case-studies/nashville"))
    events = page.select(".timeline .event")
    assert [e.select_one(".event-date time")["datetime"] for e in events] == [
        "2009-01-22",
        "2014-09-22",
    ]
    assert [[a["href"] for a in e.select(".event-sources a")] for e in events] == [
        ["https://example.org/vote"],
        ["https://example.org/office"],
    ]
    alt = events[1].select_one(".alt-date")
    assert alt.get_text(" ", strip=True) == "another source says September 2014 ( source )"
    assert texts(page, ".initiative-list a") == [
        "Gateways for Growth award",
        "Office of New Americans",
    ]
    assert crumbs(page) == ["Map", "Case studies", "Nashville"]


def test_state_page_counts_by_category_and_lists_communities(client):
    page = soup(client.get("/states/TN"))
    assert page.h1.get_text() == "Tennessee"
    counts = {
        li.a.get_text(): li.select_one(".count").get_text()
        for li in page.select(".facet-counts li")
    }
    assert counts["Municipal offices"] == "1" and counts["Strategic plans"] == "1"
    assert texts(page, ".state-layout > div > ul:not(.facet-counts) a") == ["Memphis", "Nashville"]
    assert page.select_one(".folium-map")


def test_empty_state_says_so_and_points_to_the_nearest_examples(client):
    page = soup(client.get("/states/WY"))
    assert page.select_one(".lede").get_text() == "The catalog has no initiative in Wyoming yet."
    nearest = texts(page, ".state-layout li a")
    assert nearest[0] == "Boise, Idaho"
    assert len(nearest) == 5


def test_unknown_state_code_is_a_404(client):
    response = client.get("/states/ZZ")
    assert response.status_code == 404
    assert "'ZZ' is not the code of a state" in soup(response).select_one(".error-message").text


def test_about_page_explains_sources_and_method(client):
    page = soup(client.get("/about/"))
    assert page.h1.get_text() == "About the catalog"
    assert "8 initiatives in 7 communities" in page.select_one(".lede").get_text()
    assert "How a record is made" in texts(page, "h2")


def test_every_internal_link_from_the_home_page_works(client):
    seen: set[str] = set()
    queue = ["/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        if response.mimetype != "text/html":
            continue
        for link in soup(response).select("a[href]"):
            href = link["href"]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    kinds = {path.split("/")[1] for path in seen}
    assert {"", "places", "categories", "case-studies", "states", "about", "api"} <= kinds
    assert len(seen) > 80
