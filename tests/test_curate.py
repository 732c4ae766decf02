"""Curators: accounts from the CLI, sign-in, review, accept into data/, reject, audit log.

Every test runs on SQLite, and on PostgreSQL too when TEST_POSTGRES_URL is set. Accepting
writes into a copy of the fixture catalog (``catalog_dir``), never into data/.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from sqlalchemy import select

from app.catalog.files import read_features
from app.models import Initiative
from app.models import db
from app.suggestions.models import AuditEntry
from app.suggestions.models import Curator
from app.suggestions.models import Suggestion
from tests.conftest import soup
from tests.test_suggestions import NEW
from tests.test_suggestions import PUBLIC_PAGES
from tests.test_suggestions import error_summary
from tests.test_suggestions import hostile_suggestion
from tests.test_suggestions import submit
from tests.test_suggestions import token

EMAIL = "curator@example.org"
PASSWORD = "correct horse battery"
TODAY = dt.datetime.now(dt.UTC).date().isoformat()


@pytest.fixture
def site(any_app, catalog_dir):
    any_app.config.update(CATALOG_DIR=str(catalog_dir), LOGIN_FAILURE_DELAY=0)
    result = any_app.test_cli_runner().invoke(args=["curator", "add", EMAIL], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return any_app


def sign_in(client, email=EMAIL, password=PASSWORD, next_url=None):
    data = {"csrf_token": token(client, "/curate/login"), "email": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/curate/login", data=data)


@pytest.fixture
def curator(site):
    client = site.test_client()
    assert sign_in(client).status_code == 303
    return client


def audit(app) -> list[tuple[str, str, int | None]]:
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(e.actor, e.action, e.suggestion_id) for e in entries]


def suggestion(app, number: int) -> Suggestion:
    with app.app_context():
        item = db.session.get(Suggestion, number)
        db.session.expunge_all()
        return item


def accept_form_data(page) -> dict[str, str]:
    """Return what the accept form sends as it stands."""
    form = page.select_one("#accept-form")
    data = {}
    for control in form.select("input, select, textarea"):
        name = control.get("name")
        if not name or control.get("type") == "checkbox":
            continue
        if control.name == "select":
            chosen = control.select_one("option[selected]") or control.select_one("option")
            data[name] = chosen["value"]
        elif control.name == "textarea":
            data[name] = control.get_text().strip()
        else:
            data[name] = control.get("value", "")
    return data


def features_by_id(catalog_dir) -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in read_features(catalog_dir / "catalog.geojson")}


# -- accounts and signing in


def test_curator_add_hashes_the_password_from_stdin_and_remove_ends_it(site):
    runner = site.test_cli_runner()
    with site.app_context():
        stored = db.session.scalar(select(Curator))
        assert stored.email == EMAIL
        assert stored.password_hash.startswith("scrypt:") and PASSWORD not in stored.password_hash
    result = runner.invoke(args=["curator", "add", EMAIL.upper()], input=PASSWORD + "\n")
    assert result.exit_code == 1 and "is a curator already" in result.output
    result = runner.invoke(args=["curator", "add", "b@example.org"], input="short\n")
    assert result.exit_code == 1 and "at least 12 characters" in result.output
    client = site.test_client()
    assert sign_in(client).status_code == 303
    assert client.get("/curate/").status_code == 200
    result = runner.invoke(args=["curator", "remove", EMAIL])
    assert result.exit_code == 0 and result.output == f"Removed curator {EMAIL}.\n"
    # the session it had is over
    assert client.get("/curate/").status_code == 302
    assert [a for _, a, _ in audit(site)] == [
        "curator added",
        "signed in",
        "curator removed",
    ]


def test_a_new_password_ends_every_session(site):
    client = site.test_client()
    assert sign_in(client).status_code == 303
    result = site.test_cli_runner().invoke(
        args=["curator", "password", EMAIL], input="another long password\n"
    )
    assert result.exit_code == 0
    assert client.get("/curate/").status_code == 302
    assert sign_in(site.test_client(), password="another long password").status_code == 303


def test_curator_pages_need_a_sign_in(site):
    client = site.test_client()
    for url in ("/curate/", "/curate/log", "/curate/suggestions/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/curate/login?next=")


def test_a_wrong_password_is_refused_after_a_delay(site):
    site.config["LOGIN_FAILURE_DELAY"] = 1.0  # the default
    client = site.test_client()
    started = time.perf_counter()
    response = sign_in(client, password="wrong password!!")
    took = time.perf_counter() - started
    assert response.status_code == 200
    assert took >= 1.0
    assert error_summary(response) == [("#email", "The email address or the password is wrong")]
    assert client.get("/curate/").status_code == 302
    # an unknown account is answered the same way, after the same delay
    started = time.perf_counter()
    response = sign_in(client, email="nobody@example.org")
    assert time.perf_counter() - started >= 1.0
    assert error_summary(response) == [("#email", "The email address or the password is wrong")]
    assert audit(site)[-2:] == [
        (EMAIL, "sign-in failed", None),
        ("unknown account", "sign-in failed", None),
    ]


def test_repeated_failures_lock_the_account_even_for_the_right_password(site):
    for _ in range(5):
        assert sign_in(site.test_client(), password="wrong password!!").status_code == 200
    response = sign_in(site.test_client())
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert soup(response).h1.get_text() == "Too many failed sign-ins"
    assert response.headers["Cache-Control"] == "no-store"
    # another account from the same address is not locked by these
    site.test_cli_runner().invoke(args=["curator", "add", "b@example.org"], input=PASSWORD + "\n")
    assert sign_in(site.test_client(), email="b@example.org").status_code == 303


def test_repeated_failures_from_one_address_are_limited(site):
    client = site.test_client()
    for number in range(20):
        assert sign_in(client, email=f"guess{number}@example.org").status_code == 200
    assert sign_in(client).status_code == 429
    other = site.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.8"
    assert sign_in(other).status_code == 303


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/curate/",
        "/\\evil.example",
        "\\\\evil.example",
        "http:/curate/",
        "/curate/\nx",
        "javascript:alert(1)",
        "/places/nashville-tn",
    ],
)
def test_next_to_another_host_is_ignored(site, target):
    response = sign_in(site.test_client(), next_url=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/curate/"


def test_next_on_the_curator_pages_is_followed(site):
    client = site.test_client()
    login = client.get("/curate/log")
    assert login.headers["Location"] == "/curate/login?next=%2Fcurate%2Flog"
    page = soup(client.get(login.headers["Location"]))
    assert page.select_one('input[name="next"]')["value"] == "/curate/log"
    response = sign_in(client, next_url="/curate/log")
    assert response.headers["Location"] == "/curate/log"


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(site, tmp_path, states):
    from app import create_app
    from app.catalog.files import read_catalog
    from app.catalog.loader import load_catalog
    from tests.conftest import FIXTURE_CATALOG
    from tests.conftest import migrate_schema

    response = sign_in(site.test_client())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'https.sqlite3'}",
            "MAP_TILES": "none",
            "HTTPS": True,
        }
    )
    migrate_schema(app)
    with app.app_context():
        load_catalog(db.session, read_catalog(FIXTURE_CATALOG, states))
        db.session.remove()
    app.test_cli_runner().invoke(args=["curator", "add", EMAIL], input=PASSWORD + "\n")
    secure = app.test_client()
    page = secure.get("/curate/login", base_url="https://localhost")
    csrf = soup(page).select_one('input[name="csrf_token"]')["value"]
    response = secure.post(
        "/curate/login",
        base_url="https://localhost",
        data={"csrf_token": csrf, "email": EMAIL, "password": PASSWORD},
        headers={"Referer": "https://localhost/curate/login"},
    )
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with app.app_context():
        db.engine.dispose()


def test_https_in_the_environment_marks_the_cookie_secure(monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.setenv("HTTPS", "1")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_logout_is_a_post_with_the_csrf_token(curator):
    assert curator.get("/curate/logout").status_code == 405
    assert curator.post("/curate/logout").status_code == 400
    assert curator.get("/curate/").status_code == 200
    page = soup(curator.get("/curate/"))
    form = page.select_one("form.logout")
    response = curator.post(
        form["action"], data={"csrf_token": form.select_one("[name=csrf_token]")["value"]}
    )
    assert response.status_code == 303
    assert curator.get("/curate/").status_code == 302


def test_curator_pages_are_never_stored(curator):
    for url in ("/curate/", "/curate/log", "/curate/login"):
        response = curator.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
        assert "ETag" not in response.headers
    public = curator.get("/suggest")
    assert "no-store" not in public.headers["Cache-Control"]


# -- reviewing


def test_the_list_filters_by_status_kind_and_state(site, curator):
    visitor = site.test_client()
    submit(visitor, NEW)
    submit(visitor, NEW | {"place": "Memphis", "state": "TN", "title": "Memphis office"})
    submit(
        visitor,
        {"kind": "ended", "record": "nashville-tn-office", "sources-0": "https://example.org/"},
    )

    def titles(query=""):
        page = soup(curator.get(f"/curate/{query}"))
        return [row.select("td")[4].get_text(strip=True) for row in page.select("tbody tr")]

    assert titles() == ["Office of New Americans", "Memphis office", NEW["title"]]
    assert titles("?state=TN") == ["Office of New Americans", "Memphis office"]
    assert titles("?kind=ended") == ["Office of New Americans"]
    assert titles("?status=rejected") == []
    assert titles("?status=all&kind=new&state=ID") == [NEW["title"]]
    assert curator.get("/curate/?status=bogus").status_code == 400
    assert curator.get("/curate/?state=ZZ").status_code == 400


def test_a_correction_shows_beside_the_record_with_the_sources_as_links(site, curator):
    submit(
        site.test_client(),
        {
            "kind": "correction",
            "record": "nashville-tn-office",
            "title": "Mayor's Office of New Americans",
            "sources-0": "https://www.nashville.gov/new-americans",
            "email": "reporter@example.org",
        },
    )
    page = soup(curator.get("/curate/suggestions/1"))
    rows = {
        row.th.get_text(" ", strip=True): [td.get_text(strip=True) for td in row.select("td")]
        for row in page.select("table.compare tbody tr")
    }
    assert rows["title changed"] == ["Office of New Americans", "Mayor's Office of New Americans"]
    assert rows["place"] == ["Nashville", "Nashville"]
    assert [a["href"] for a in page.select("ol.sources a")][-1] == (
        "https://www.nashville.gov/new-americans"
    )
    assert page.select_one('a[href="mailto:reporter@example.org"]')
    # the accept form starts from the record with the suggested change
    data = accept_form_data(page)
    assert data["record_id"] == "nashville-tn-office"
    assert data["title"] == "Mayor's Office of New Americans"
    assert data["sources-0-url"] == "https://www.nashville.gov/new-americans"


def test_accepting_a_new_initiative_writes_a_valid_feature_into_data(site, curator, catalog_dir):
    submit(site.test_client(), NEW)
    page = soup(curator.get("/curate/suggestions/1"))
    data = accept_form_data(page)
    assert data["record_id"] == "boise-id-office-of-community-engagement"
    assert data["place_type"] == "city"  # as the catalog's other Boise record
    before = (catalog_dir / "catalog.geojson").read_text()
    # without the confirmation and the sources' titles: refused, nothing written
    response = curator.post("/curate/suggestions/1/accept", data=data)
    assert response.status_code == 200
    messages = [message for _, message in error_summary(response)]
    assert "The title of source 1 is empty" in messages
    assert "Confirm that you opened the sources and that they state these facts" in messages
    assert (catalog_dir / "catalog.geojson").read_text() == before
    data |= {"checked": "y", "sources-0-title": "Community Engagement", "sources-0-publisher": ""}
    response = curator.post("/curate/suggestions/1/accept", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/curate/suggestions/1?done=accepted"
    features = features_by_id(catalog_dir)
    added = features["boise-id-office-of-community-engagement"]
    props = added["properties"]
    assert props["added"] == props["last_verified"] == TODAY
    assert props["sources"] == [
        {"url": NEW["sources-0"], "title": "Community Engagement", "seen": TODAY}
    ]
    assert props["started"] == "2016" and props["status"] == "active"
    assert props["unconfirmed"] == ["mechanism", "lead_organization"]
    # placed where the catalog's Boise already is
    assert added["geometry"] == features["boise-id-certified"]["geometry"]
    result = site.test_cli_runner().invoke(args=["catalog", "validate", "--data", str(catalog_dir)])
    assert result.exit_code == 0, result.output
    item = suggestion(site, 1)
    assert (item.status, item.reviewer) == ("accepted", EMAIL)
    assert item.change["op"] == "add"
    assert [(a, n) for _, a, n in audit(site)][-2:] == [("accepted", 1), ("applied", 1)]
    # not public: the database was not loaded
    with site.app_context():
        assert db.session.get(Initiative, "boise-id-office-of-community-engagement") is None
    done = soup(curator.get(response.headers["Location"]))
    assert "git diff" in done.select_one(".confirmation").get_text()


def test_a_new_community_is_placed_by_the_gazetteer(site, curator, catalog_dir):
    submit(site.test_client(), NEW | {"place": "Cheyenne", "state": "WY", "title": "Welcome plan"})
    data = accept_form_data(soup(curator.get("/curate/suggestions/1")))
    assert data["record_id"] == "cheyenne-wy-welcome-plan"
    data |= {"checked": "y", "sources-0-title": "A page"}
    assert curator.post("/curate/suggestions/1/accept", data=data).status_code == 303
    [lon, lat] = features_by_id(catalog_dir)["cheyenne-wy-welcome-plan"]["geometry"]["coordinates"]
    assert -105.0 < lon < -104.5 and 41.0 < lat < 41.3


def test_a_place_the_gazetteer_lacks_is_refused_at_its_field(site, curator, catalog_dir):
    submit(site.test_client(), NEW | {"place": "Nowhereville", "state": "WY"})
    data = accept_form_data(soup(curator.get("/curate/suggestions/1")))
    data |= {"checked": "y", "sources-0-title": "A page"}
    response = curator.post("/curate/suggestions/1/accept", data=data)
    assert response.status_code == 200
    assert "is not in the gazetteer for WY" in soup(response).select_one("#place-error").get_text()
    assert suggestion(site, 1).status == "new"
    data["geocode_as"] = "Cheyenne"
    assert curator.post("/curate/suggestions/1/accept", data=data).status_code == 303
    assert features_by_id(catalog_dir)["nowhereville-wy-office-of-community-engagement"]


def test_accepting_a_correction_changes_only_its_fields(site, curator, catalog_dir):
    submit(
        site.test_client(),
        {
            "kind": "ended",
            "record": "nashville-tn-office",
            "sources-0": "https://www.nashville.gov/closed",
        },
    )
    before = features_by_id(catalog_dir)["nashville-tn-office"]
    data = accept_form_data(soup(curator.get("/curate/suggestions/1")))
    assert data["status"] == "ended"
    data |= {"checked": "y", "sources-0-title": "Office closes"}
    assert curator.post("/curate/suggestions/1/accept", data=data).status_code == 303
    after = features_by_id(catalog_dir)["nashville-tn-office"]
    changed = {k for k in after["properties"] if after["properties"][k] != before["properties"][k]}
    assert changed == {"status", "sources", "last_verified"}
    assert after["properties"]["sources"][:-1] == before["properties"]["sources"]
    assert after["properties"]["sources"][-1] == {
        "url": "https://www.nashville.gov/closed",
        "title": "Office closes",
        "seen": TODAY,
    }
    assert after["geometry"] == before["geometry"]
    change = suggestion(site, 1).change
    assert change["op"] == "update" and change["properties"] == {
        "status": "ended",
        "last_verified": TODAY,
    }
    result = site.test_cli_runner().invoke(args=["catalog", "validate", "--data", str(catalog_dir)])
    assert result.exit_code == 0, result.output


def test_suggestions_apply_writes_the_same_edit_into_another_checkout(
    site, curator, catalog_dir, tmp_path
):
    import shutil

    from tests.conftest import FIXTURE_CATALOG

    submit(site.test_client(), NEW)
    data = accept_form_data(soup(curator.get("/curate/suggestions/1")))
    data |= {"checked": "y", "sources-0-title": "Community Engagement"}
    assert curator.post("/curate/suggestions/1/accept", data=data).status_code == 303
    other = tmp_path / "checkout" / "data"
    shutil.copytree(FIXTURE_CATALOG, other)
    runner = site.test_cli_runner()
    result = runner.invoke(args=["suggestions", "apply", "1", "--data", str(other)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Wrote suggestion 1 ((new record)) into ")
    assert (other / "catalog.geojson").read_text() == (catalog_dir / "catalog.geojson").read_text()
    # again: nothing to do
    result = runner.invoke(args=["suggestions", "apply", "1", "--data", str(other)])
    assert result.exit_code == 0 and "already; nothing to write" in result.output
    assert runner.invoke(args=["catalog", "validate", "--data", str(other)]).exit_code == 0
    assert audit(site)[-1][1:] == ("applied", 1)
    listing = runner.invoke(args=["suggestions", "list"]).output
    assert listing.startswith("1\taccepted\tNew initiative\tBoise, ID\t")


def test_suggestions_apply_refuses_what_is_not_accepted_or_would_not_validate(
    site, curator, catalog_dir
):
    runner = site.test_cli_runner()
    submit(site.test_client(), NEW)
    result = runner.invoke(args=["suggestions", "apply", "1"])
    assert result.exit_code == 1 and "suggestion 1 is new" in result.output
    assert runner.invoke(args=["suggestions", "apply", "9"]).exit_code == 1
    # an accepted edit whose record a later commit removed
    with site.app_context():
        item = db.session.get(Suggestion, 1)
        item.status = "accepted"
        item.change = {
            "op": "update",
            "id": "gone-record",
            "properties": {"status": "ended"},
            "add_sources": [],
            "relocate": False,
        }
        db.session.commit()
    before = (catalog_dir / "catalog.geojson").read_text()
    result = runner.invoke(args=["suggestions", "apply", "1"])
    assert result.exit_code == 1
    assert "no record 'gone-record'" in result.output and "Nothing was written" in result.output
    assert (catalog_dir / "catalog.geojson").read_text() == before


def test_a_change_the_validator_refuses_is_not_written(site, curator, catalog_dir):
    submit(site.test_client(), NEW)
    data = accept_form_data(soup(curator.get("/curate/suggestions/1")))
    # the catalog's other Boise record is a city: one place, one kind
    data |= {"checked": "y", "sources-0-title": "A page", "place_type": "county"}
    before = (catalog_dir / "catalog.geojson").read_text()
    response = curator.post("/curate/suggestions/1/accept", data=data)
    assert response.status_code == 200
    messages = [m for _, m in error_summary(response)]
    assert any("place_type: Boise, ID is a city in another record" in m for m in messages)
    assert (catalog_dir / "catalog.geojson").read_text() == before
    assert suggestion(site, 1).status == "new"


def test_rejecting_needs_a_reason_and_is_logged(site, curator):
    submit(site.test_client(), NEW)
    page = soup(curator.get("/curate/suggestions/1"))
    csrf = page.select_one('form[action$="/reject"] [name=csrf_token]')["value"]
    response = curator.post("/curate/suggestions/1/reject", data={"csrf_token": csrf})
    assert response.status_code == 200
    assert error_summary(response) == [("#reason", "Say why, in a sentence the sender could read")]
    response = curator.post(
        "/curate/suggestions/1/reject",
        data={"csrf_token": csrf, "reason": "The source does not mention it."},
    )
    assert response.status_code == 303
    item = suggestion(site, 1)
    assert (item.status, item.reason, item.reviewer) == (
        "rejected",
        "The source does not mention it.",
        EMAIL,
    )
    assert audit(site)[-1] == (EMAIL, "rejected", 1)
    log = soup(curator.get("/curate/log"))
    first = [td.get_text(strip=True) for td in log.select("tbody tr")[0].select("td")]
    assert first[1:] == [EMAIL, "rejected", "#1", "The source does not mention it."]
    # decided once: no second decision
    assert not soup(curator.get("/curate/suggestions/1")).select("#accept-form")
    response = curator.post("/curate/suggestions/1/accept", data={"csrf_token": csrf})
    assert response.status_code == 303 and suggestion(site, 1).status == "rejected"


def test_an_unknown_suggestion_is_a_404(curator):
    assert curator.get("/curate/suggestions/99").status_code == 404


def test_hostile_text_is_escaped_on_curator_pages_and_emails_stay_there(site, curator):
    client = site.test_client()
    assert submit(client, hostile_suggestion("Curate")).status_code == 303
    data = hostile_suggestion("Fix") | {"kind": "correction", "record": "atlanta-ga-office"}
    assert submit(client, data).status_code == 303
    for url in ("/curate/", "/curate/suggestions/1", "/curate/suggestions/2", "/curate/log"):
        response = curator.get(url)
        body = response.get_data(as_text=True)
        page = soup(response)
        assert "<script>window.pwned" not in body and not page.select("img[onerror]")
        assert "{{ 7*7 }}" in page.get_text() and "49 " not in page.get_text()
        for script in page.select("script"):
            assert script.get("nonce") == page.select("script")[0].get("nonce") != None  # noqa: E711
        policy = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    detail = soup(curator.get("/curate/suggestions/1"))
    assert detail.select_one('a[href="mailto:x@example.org"]')
    source = detail.select("ol.sources a")[-1]
    assert source["href"] == "https://example.org/?q=<script>alert(1)</script>"
    assert "nofollow" in source["rel"]
    # accepted into data/ with the payload in it: the file holds it as data, the pages nothing
    form = accept_form_data(detail)
    form |= {"checked": "y", "sources-0-title": "A title <b>bold</b>", "geocode_as": "Boise"}
    response = curator.post("/curate/suggestions/1/accept", data=form)
    assert response.status_code == 303, error_summary(response)
    edit = soup(curator.get("/curate/suggestions/1")).select_one("pre.change").get_text()
    assert json.loads(edit)["feature"]["properties"]["sources"][0]["title"] == "A title <b>bold</b>"
    for url in PUBLIC_PAGES:
        text = client.get(url).get_data(as_text=True)
        assert "x@example.org" not in text and "Curate " not in text, url


def test_the_audit_log_shows_who_did_what_when(site, curator):
    submit(site.test_client(), NEW)
    page = soup(curator.get("/curate/log"))
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select("tbody tr")]
    assert [row[1:3] for row in rows] == [
        ["visitor", "submitted"],
        [EMAIL, "signed in"],
        ["cli:" + rows[2][1].removeprefix("cli:"), "curator added"],
    ]
    assert all(len(row[0]) == 19 for row in rows)


@pytest.mark.parametrize(
    ("place", "state", "title", "expected"),
    [
        ("Cheyenne", "WY", "Cheyenne Welcoming Plan", "cheyenne-wy-welcoming-plan"),
        ("San José", "CA", "Immigrant Affairs", "san-jose-ca-immigrant-affairs"),
        ("Boise", "ID", "Boise", "boise-id-boise"),
        ("Boise", "ID", "A B C D E F G H", "boise-id-a-b-c-d-e-f"),
        ("Boise", "ID", "!!!", "boise-id-initiative"),
        ("Boise", "ID", "Certified", "boise-id-certified-2"),
    ],
)
def test_a_new_record_gets_an_id_by_the_convention(place, state, title, expected):
    from app.suggestions.apply import new_record_id

    assert new_record_id(place, state, title, {"boise-id-certified"}) == expected


def test_a_missing_catalog_folder_is_named_not_a_500(site, curator, tmp_path):
    submit(site.test_client(), NEW)
    site.config["CATALOG_DIR"] = str(tmp_path / "nowhere")
    response = curator.get("/curate/suggestions/1")
    assert response.status_code == 503
    assert "nowhere/catalog.geojson cannot be read" in soup(response).get_text()
    result = site.test_cli_runner().invoke(args=["suggestions", "apply", "1"])
    assert result.exit_code == 1
