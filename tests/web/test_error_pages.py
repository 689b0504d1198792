"""Error pages (403, 404) keep the header of the other pages: user menu, logout, language."""

from __future__ import annotations

from tests.web.conftest import OTHER_PARK, PARK

LOGOUT_FORM = '<form method="post" action="/uitloggen"'
SWITCH_TO_EN = '<a href="/taal/en"'
SWITCH_TO_NL = '<a href="/taal/nl"'


def test_logged_in_404_page_has_the_user_menu(web):
    client = web.login("park_manager")
    page = client.get("/bestaat-niet")
    assert page.status_code == 404
    assert "Niet gevonden" in page.text
    assert LOGOUT_FORM in page.text and SWITCH_TO_EN in page.text
    assert "manager@example.org" in page.text
    assert 'href="/inloggen"' not in page.text
    # the logout form carries the session's CSRF token, so logging out works from here
    token = client.get("/api/me").json()["csrf_token"]
    assert token and f'name="csrf_token" value="{token}"' in page.text
    logged_out = client.post("/uitloggen", data={"csrf_token": token})
    assert logged_out.status_code == 303
    assert client.get("/api/me").status_code == 401


def test_logged_in_404_of_an_unknown_park_has_the_user_menu(web):
    page = web.login("administrator").get("/parken/geen-park")
    assert page.status_code == 404
    assert LOGOUT_FORM in page.text and SWITCH_TO_EN in page.text


def test_logged_in_403_page_has_the_user_menu(web):
    page = web.login("entrepreneur").get(f"/parken/{PARK}/bedrijven/c02")
    assert page.status_code == 403
    assert "Geen toegang" in page.text
    assert LOGOUT_FORM in page.text and SWITCH_TO_EN in page.text
    assert "owner@example.org" in page.text


def test_error_page_in_english_switches_back_to_dutch(web):
    page = web.login("advisor").get(f"/parken/{OTHER_PARK}?lang=en")
    assert page.status_code in (403, 404)
    assert LOGOUT_FORM in page.text and SWITCH_TO_NL in page.text
    assert "Log out" in page.text


def test_anonymous_404_page_offers_login(web):
    page = web.client().get("/bestaat-niet")
    assert page.status_code == 404
    assert 'href="/inloggen"' in page.text and SWITCH_TO_EN in page.text
    assert LOGOUT_FORM not in page.text


def test_expired_session_cookie_shows_anonymous_error_page(web):
    client = web.client()
    client.cookies.set("parkplan_session", "verlopen-of-onbekend")
    page = client.get("/bestaat-niet")
    assert page.status_code == 404
    assert LOGOUT_FORM not in page.text and 'href="/inloggen"' in page.text


def test_api_404_stays_json(web):
    client = web.login("park_manager")
    answer = client.get("/api/bestaat-niet")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json() == {"detail": "Not Found"}
    job = client.get("/api/jobs/geen-job")
    assert job.status_code == 404 and job.headers["content-type"].startswith("application/json")
    assert "<html" not in job.text
