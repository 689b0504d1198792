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
    page.goto(f"{base}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/parken")


def test_log_in_see_parks_and_edit_own_company(server, browser):
    page = browser.new_page()
    _login(page, server, "owner@example.org")
    assert page.get_by_role("heading", name="Parken").is_visible()
    page.get_by_role("link", name="Voorbeeldpark (illustratief)").first.click()
    page.get_by_role("link", name="Mijn bedrijf").click()
    assert page.get_by_role("heading", name="Transport Bakker BV").is_visible()
    page.get_by_role("link", name="Gegevens wijzigen").click()
    field = page.get_by_label("Afname elektriciteit per jaar [kWh]")
    field.fill("veel")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("alert").first.is_visible()
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
    assert page.get_by_role("heading", name="Parks").is_visible()
    page.close()
