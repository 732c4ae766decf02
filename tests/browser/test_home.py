"""The home page's filters as a visitor uses them in Chromium."""

import re

from playwright.sync_api import expect

COMMUNITIES = "table.initiatives tbody tr td:first-child a"


def communities(page):
    """The community links of the list; expect() on it waits for the page to settle."""
    return page.locator(COMMUNITIES)


def test_filters_by_state_and_category_and_keeps_them_in_the_url(page, live_server):
    page.goto(live_server + "/")
    expect(page.locator("#filter-summary")).to_have_text(
        "7 communities, 8 initiatives in the United States"
    )
    # with JavaScript, each choice applies at once: no Apply button
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
    page.get_by_label("State", exact=True).select_option("TN")
    expect(page).to_have_url(re.compile(r"/\?state=TN$"))
    page.get_by_label("Municipal offices").check()
    expect(page).to_have_url(re.compile(r"/\?state=TN&category=municipal-offices$"))
    expect(page.locator("#filter-summary")).to_have_text(
        "1 community, 1 initiative in Tennessee · Municipal offices"
    )
    expect(communities(page)).to_have_text(["Nashville, TN"])
    page.get_by_role("link", name="Office of New Americans").click()
    expect(page.locator("h1")).to_have_text("Nashville, Tennessee")
    expect(page.locator("#nashville-tn-office")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"state=TN&category=municipal-offices$"))
    expect(communities(page)).to_have_text(["Nashville, TN"])
    assert page.watch.errors == []
    assert page.watch.outside(live_server) == []


def test_category_key_shows_only_a_kind_and_shows_all_again(page, live_server):
    page.goto(live_server + "/?state=TN")
    expect(communities(page)).to_have_count(3)
    page.locator(".facets a[data-category=g4g-communities]").click()
    expect(page.locator(".facets a.is-selected")).to_have_attribute(
        "data-category", "g4g-communities"
    )
    expect(communities(page)).to_have_text(["Nashville, TN"])
    page.locator(".facets a[data-category=g4g-communities]").click()
    expect(page).to_have_url(re.compile(r"/\?state=TN$"))
    expect(communities(page)).to_have_count(3)


def test_a_bad_filter_shows_the_choices(page, live_server):
    response = page.goto(live_server + "/?state=QQ")
    assert response.status == 400
    expect(page.locator("h1")).to_have_text("We don't know that state")
    page.get_by_role("link", name=re.compile("^TN — Tennessee")).click()
    expect(page).to_have_url(re.compile(r"/\?state=TN$"))


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_label("State", exact=True).select_option("OH")
    page.get_by_role("button", name="Apply filters").click()
    expect(communities(page)).to_have_text(["Dayton, OH"])
    context.close()


def test_phone_layout_keeps_filters_map_and_list_apart(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server + "/")
    boxes = [
        page.locator(selector).bounding_box()
        for selector in ("aside.filters", ".map-frame", "section.list")
    ]
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert upper["y"] + upper["height"] <= lower["y"]
    assert boxes[1]["height"] >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
