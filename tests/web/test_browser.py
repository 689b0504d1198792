"""Main flows in a real browser: Debian's chromium driven by Playwright.

Playwright cannot download its own browser here, so Debian's chromium is launched by its
path. Without chromium the tests are skipped locally with a clear message and fail in CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PARKPLAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
MISSING = (
    f"Chromium niet gevonden op {CHROMIUM}: installeer Debian's chromium (apt-get install chromium)"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(web) -> Iterator[str]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(web.app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


PASSWORD = "wachtwoord-123"  # the password of every user in tests/web/conftest.py


def _login(page, base: str, email: str) -> None:
    page.set_default_timeout(60_000)  # two shared cores: Argon2 and page loads can be slow
    page.goto(f"{base}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/parken")


def test_log_in_see_parks_and_edit_own_company(server, browser):
    page = browser.new_page()
    _login(page, server, "owner@example.org")
    page.get_by_role("heading", name="Parken").wait_for()  # visible, else a timeout fails
    page.get_by_role("link", name="Voorbeeldpark (illustratief)").first.click()
    page.get_by_role("link", name="Mijn bedrijf").click()
    page.get_by_role(
        "heading", name="Transport Bakker BV"
    ).wait_for()  # visible, else a timeout fails
    page.get_by_role("link", name="Gegevens wijzigen").click()
    field = page.get_by_label("Afname elektriciteit per jaar [kWh]")
    field.fill("veel")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").first.wait_for()  # visible, else a timeout fails
    assert "er is niets opgeslagen" in page.content()
    page.get_by_label("Afname elektriciteit per jaar [kWh]").fill("320.000")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/bedrijven/c01?opgeslagen=1")
    assert page.get_by_role("status").inner_text() == "Opgeslagen."
    assert "320.000 kWh" in page.content()
    page.close()


def test_entrepreneur_cannot_open_another_company(server, browser):
    page = browser.new_page()
    _login(page, server, "owner@example.org")
    response = page.goto(f"{server}/parken/voorbeeldpark/bedrijven/c02")
    assert response is not None and response.status == 403
    assert "geen toegang" in page.content().lower()
    page.close()


def test_language_switch_to_english(server, browser):
    page = browser.new_page()
    _login(page, server, "manager@example.org")
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name="Parks").wait_for()  # visible, else a timeout fails
    page.close()


INVENTORY = Path(__file__).parents[1] / "data" / "inventory"


def test_import_wizard_shows_errors_then_saves(server, browser, tmp_path):
    good = (INVENTORY / "bedrijven-utf8-bom.csv").read_text(encoding="utf-8-sig")
    bad_file = tmp_path / "bedrijven.csv"
    bad_file.write_text(good.replace("310.000", "veel"), encoding="utf-8")
    good_file = tmp_path / "inventaris.csv"
    good_file.write_text(good, encoding="utf-8")
    page = browser.new_page()
    _login(page, server, "admin@example.org")
    page.get_by_role("link", name="Importeren").click()
    page.get_by_label("Bestand (Excel").set_input_files(str(bad_file))
    page.get_by_label("Of: id van een nieuw park").fill("browserpark")
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role("alert").first.wait_for()  # visible, else a timeout fails
    table = page.get_by_role("table", name="Fouten per rij en kolom")
    assert "Jaarverbruik Elektriciteit (kWh)" in table.inner_text()
    page.get_by_label("Bestand (Excel").set_input_files(str(good_file))
    page.get_by_label("Of: id van een nieuw park").fill("browserpark")
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role(
        "heading", name="Controle geslaagd"
    ).wait_for()  # visible, else a timeout fails
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    page.wait_for_url("**/parken/browserpark?geimporteerd=1")
    assert page.get_by_role("status").inner_text() == "Import opgeslagen."
    page.close()


class JobPolls:
    """Holds the page's job-status polls until released; a poll that arrives after the
    release is let through at once (so no request can stay held, whatever the timing)."""

    def __init__(self, page) -> None:
        self.holding = True
        self.held: list = []
        page.route("**/api/jobs/*", self._handle)

    def _handle(self, route) -> None:
        if self.holding:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        self.holding = False
        while self.held:
            self.held.pop().continue_()


def test_run_a_scenario_with_progress(server, browser):
    page = browser.new_page()
    _login(page, server, "manager@example.org")
    page.goto(f"{server}/parken/voorbeeldpark/scenarios")
    page.get_by_label("Naam van het scenario").fill("Zon op alle daken")
    page.get_by_label("Zonnepanelen op alle daken").check()
    # On a fast machine the job can finish before the assertions, and the page then moves
    # on to the result: hold its status polls until the progress bar has been seen.
    polls = JobPolls(page)
    page.get_by_role("button", name="Doorrekenen").click()
    page.wait_for_url("**/scenarios?taak=*")
    assert page.get_by_label("Voortgang").count() == 1  # the progress bar, labelled
    assert page.get_by_role("status").first.inner_text() == "In de wachtrij"
    polls.release()
    page.wait_for_url("**/scenarios?vergelijk=*", timeout=240_000)
    page.get_by_role("heading", name="Vergelijking").wait_for()  # visible, else a timeout fails
    page.get_by_role("img", name="Zelfvoorzienendheid").wait_for()  # visible, else a timeout fails
    assert "Zon op alle daken" in page.get_by_role("table").first.inner_text()
    page.close()


A11Y_CHECK = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push('no lang attribute');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(h1 + ' h1 elements');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]'))
      || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) problems.push('no label: ' + (el.name || el.outerHTML.slice(0, 60)));
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('img without alt: ' + img.src);
  }
  for (const svg of document.querySelectorAll('svg[role="img"]')) {
    if (!svg.getAttribute('aria-label') && !svg.querySelector('title')) {
      problems.push('svg without name');
    }
  }
  for (const b of document.querySelectorAll('button, a[href]')) {
    if (!(b.innerText || b.getAttribute('aria-label') || '').trim()) problems.push('empty control');
  }
  return problems;
}"""

A11Y_PAGES = [
    "/parken",
    "/parken/voorbeeldpark",
    "/parken/voorbeeldpark/bedrijven",
    "/parken/voorbeeldpark/bedrijven/c01",
    "/parken/voorbeeldpark/bedrijven/c01/wijzigen",
    "/parken/voorbeeldpark/bedrijven/c01/enquete",
    "/parken/voorbeeldpark/scenarios",
    "/parken/voorbeeldpark/uitnodigen",
    "/parken/voorbeeldpark/plan",
    "/parken/voorbeeldpark/voortgang",
    "/parken/voorbeeldpark/bedrijven/c01/opbrengst",
    "/importeren",
    "/selectie",
    "/privacy",
]


def test_pages_meet_basic_accessibility_rules(server, browser):
    """Automated WCAG basics: lang, one h1, labels, alt texts, names, keyboard skip link."""
    page = browser.new_page()
    page.goto(f"{server}/inloggen")
    assert page.evaluate(A11Y_CHECK) == []
    _login(page, server, "manager@example.org")
    failures = {}
    for path in A11Y_PAGES:
        response = page.goto(f"{server}{path}")
        assert response is not None and response.status == 200, path
        problems = page.evaluate(A11Y_CHECK)
        if problems:
            failures[path] = problems
    assert failures == {}
    page.goto(f"{server}/parken")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.close()


def test_download_the_plan(server, browser):
    page = browser.new_page()
    _login(page, server, "manager@example.org")
    page.goto(f"{server}/parken/voorbeeldpark")
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role(
        "heading", name="Uitvoeringsplan", exact=True
    ).wait_for()  # visible, else a timeout fails
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("listitem").filter(has_text="Uitvoeringsplan:").get_by_role(
            "link", name="DOCX"
        ).click()
    download = info.value
    assert download.suggested_filename == "uitvoeringsplan-voorbeeldpark.docx"
    path = download.path()
    assert path is not None and Path(path).read_bytes()[:2] == b"PK"  # a Word (zip) file
    page.close()
