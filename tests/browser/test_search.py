"""The header's search box, by keyboard only: the ARIA APG combobox with list autocomplete."""

from playwright.sync_api import expect

from tests.browser.test_map import serious_violations


def tab_to_search(page):
    """Reach the search box from the top of the page with Tab alone; return it."""
    box = page.locator("#site-search")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "site-search":
            return box
    raise AssertionError("Tab never reached the search box")


def test_suggestions_by_keyboard_open_a_community(page, live_server):
    page.goto(live_server + "/about/")
    box = tab_to_search(page)
    page.keyboard.type("nash")
    listbox = page.locator("#site-search-options")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.locator("[role=option]")
    expect(options.first).to_contain_text("Nashville, TN")
    # the status region says how many, for a screen reader; axe finds nothing serious
    expect(page.locator("#site-search-status")).to_contain_text("suggestions")
    assert serious_violations(page) == []
    page.keyboard.press("ArrowDown")
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(box).to_be_focused()  # focus stays in the box; the option is named by id
    page.keyboard.press("Enter")
    page.wait_for_url("**/places/nashville-tn")
    expect(page.locator("h1")).to_contain_text("Nashville")


def test_arrows_wrap_escape_closes_then_clears_and_enter_searches(page, live_server):
    page.goto(live_server + "/about/")
    box = tab_to_search(page)
    page.keyboard.type("office")
    options = page.locator("#site-search-options [role=option]")
    expect(options.last).to_contain_text("Search the map for “office”")
    page.keyboard.press("ArrowUp")  # from the box, Up goes to the last option
    expect(options.last).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")  # and wraps to the first
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(page.locator("#site-search-options")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("office")
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    page.keyboard.type("immigrant")
    expect(page.locator("#site-search-options")).to_be_visible()
    page.keyboard.press("Enter")  # no option chosen: the form searches the map
    page.wait_for_url("**/?q=immigrant")
    summary = page.locator("#filter-summary")
    expect(summary).to_contain_text("matching “immigrant”")
    rows = page.locator("table.initiatives tbody tr")
    assert rows.count() >= 1
    assert page.watch.errors == []  # a blocked script or style would log one


def test_an_empty_search_offers_to_clear_the_filters(page, live_server):
    page.goto(live_server + "/?state=TN&q=zzzqqq")
    empty = page.locator(".list .empty")
    expect(empty).to_contain_text("Nothing in the catalog matches “zzzqqq”")
    empty.get_by_role("link", name="clear every filter").click()
    expect(page.locator("#filter-summary")).to_contain_text("in the United States")
    expect(page.locator("#filter-q")).to_have_value("")
