"""Fixtures of the plan report tests (``plan_helpers``): a temporary database with the
Stedin test park, simulated and quick-scanned through the plan's own ``prepare`` step."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
PARK_FILE = DATA / "economics" / "park_stedin.yaml"
SCENARIO_FILE = DATA / "economics" / "scenarios" / "pv_eia_hub.yaml"
ISSUED = date(2026, 3, 2)


def prepared_database(directory: Path, *, illustrative: bool, scenario: bool = False) -> str:
    """A SQLite URL holding the test park with a stored simulation and quick scan (and the
    scenario's business case and benefit split when ``scenario``)."""
    from parkplan.services.parks import read_park_from_file, save_park
    from parkplan.services.plan import prepare, store_business_case
    from parkplan.store.db import session_scope

    url = f"sqlite:///{directory / 'plan.sqlite'}"
    park, _ = read_park_from_file(PARK_FILE)
    park.illustrative = illustrative
    with session_scope(url) as session:
        save_park(session, park)
        prepare(session, park.id)
        if scenario:
            store_business_case(session, park.id, SCENARIO_FILE)
    return url


def build(url: str, kind: str = "uitvoeringsplan", lang: str = "nl"):
    """The plan document of the test park."""
    from parkplan.services.plan import build_document
    from parkplan.store.db import session_scope

    with session_scope(url) as session:
        return build_document(session, "voorbeeldpark", kind, lang=lang, issued=ISSUED)


def require_pdftoppm() -> str:
    """The pdftoppm program (poppler-utils): skipped locally when missing, failed in CI."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        message = "pdftoppm (poppler-utils) ontbreekt: installeer poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return exe


class PlanHelpers:
    """The helpers above, handed to tests through the ``plan_helpers`` fixture."""

    prepared_database = staticmethod(prepared_database)
    build = staticmethod(build)
    require_pdftoppm = staticmethod(require_pdftoppm)


@pytest.fixture(scope="session")
def plan_helpers() -> type[PlanHelpers]:
    """Helpers to build plan documents for the report tests."""
    return PlanHelpers
