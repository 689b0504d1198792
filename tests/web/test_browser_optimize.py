"""Optimise and compute the business case in a real browser (Debian's chromium, Playwright).

Reuses the server and browser fixtures of tests/web/test_browser.py. Deterministic on a
loaded machine: the page's job-status polls are held with ``page.route`` until the progress
bar has been seen (the job may finish at any moment), and afterwards the test waits for the
final state (the result page), never for an intermediate one.
"""

from __future__ import annotations

import pytest

from ..helpers import HYPOTHETICAL_RENDO
from . import test_browser
from .test_browser import A11Y_CHECK, JobPolls, _login
from .test_optimize_pages import set_overrides

server = test_browser.server  # the fixtures of the browser tests, reused
browser = test_browser.browser

JOB_WAIT_MS = 300_000  # an upper bound on a loaded machine, not a timing assertion


@pytest.fixture(scope="module")
def tariffs(web):
    set_overrides(web.url, HYPOTHETICAL_RENDO)
    return web


def test_optimise_with_progress_then_compute_the_business_case(tariffs, server, browser):
    page = browser.new_page()
    _login(page, server, "manager@example.org")
    page.goto(f"{server}/parken/voorbeeldpark/scenarios")
    page.get_by_label("Scenarionaam voor het optimum").fill("Optimum in de browser")
    assert page.get_by_label("Snelle modus").is_checked()  # fast mode is the default
    page.get_by_label("Resolutie").select_option("60")
    polls = JobPolls(page)
    page.get_by_role("button", name="Optimaliseren", exact=True).click()
    page.wait_for_url("**/scenarios?taak=*&doel=optimalisatie")
    page.get_by_role("heading", name="Optimalisatie loopt").wait_for()
    assert page.get_by_label("Voortgang").count() == 1  # the progress bar, labelled
    assert page.get_by_role("status").first.inner_text() == "In de wachtrij"
    polls.release()
    page.wait_for_url("**/optimalisaties/*", timeout=JOB_WAIT_MS)
    page.get_by_role("heading", name="Optimalisatie: Optimum in de browser").wait_for()
    page.get_by_role("img", name="Jaarkosten apart en samen").wait_for()
    assert "Waarde van samenwerking" in page.content()
    assert page.evaluate(A11Y_CHECK) == []

    page.get_by_role("link", name="businesscase", exact=True).click()
    page.wait_for_url("**/parken/voorbeeldpark/opbrengst")
    option = page.locator("#b-scenario option", has_text="Optimum in de browser").first
    page.get_by_label("Scenario", exact=True).select_option(option.get_attribute("value"))
    page.get_by_label("Disconteringsvoet").fill("6")
    page.get_by_label("Horizon").fill("15")
    polls = JobPolls(page)
    page.get_by_role("button", name="Businesscase doorrekenen").click()
    page.wait_for_url("**/opbrengst?taak=*")
    page.get_by_role("heading", name="Businesscase wordt doorgerekend").wait_for()
    polls.release()
    page.wait_for_url("**/parken/voorbeeldpark/opbrengst", timeout=JOB_WAIT_MS)
    page.get_by_role("heading", name="Het park als geheel").wait_for()
    table = page.get_by_role("table", name="Businesscase per bedrijf")
    assert "Transport Bakker BV" in table.inner_text()
    assert "Optimum in de browser" in page.content()
    assert page.evaluate(A11Y_CHECK) == []
    page.close()


def test_an_infeasible_optimisation_is_explained_in_dutch(tariffs, server, browser):
    page = browser.new_page()
    _login(page, server, "advisor@example.org")
    page.goto(f"{server}/parken/voorbeeldpark/scenarios")
    page.get_by_label("Scenarionaam voor het optimum").fill("Zonder CO2")
    page.get_by_label("CO₂-plafond van het park").fill("0")
    page.get_by_role("button", name="Optimaliseren", exact=True).click()
    # the final state of a failed job: the label becomes an alert with the explanation
    alert = page.locator("#job-label[role=alert]")
    alert.wait_for(timeout=JOB_WAIT_MS)
    text = alert.inner_text()
    assert "niet haalbaar" in text and "CO2-plafond" in text
    assert "Traceback" not in page.content()
    page.close()
