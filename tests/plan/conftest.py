"""A temporary database with the Stedin test park, its simulation and quick scan, and the
business case and benefit split of the PV + battery + GTO scenario (built once per module)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
PARK_FILE = DATA / "economics" / "park_stedin.yaml"
SCENARIO_FILE = DATA / "economics" / "scenarios" / "pv_eia_hub.yaml"
ISSUED = date(2026, 3, 2)
PARK_ID = "voorbeeldpark"


@pytest.fixture(scope="module")
def plan_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite URL: park, simulation, quick scan, business case and share stored."""
    from parkplan.services.parks import read_park_from_file, save_park
    from parkplan.services.plan import prepare, store_business_case
    from parkplan.store.db import dispose_engines, session_scope

    url = f"sqlite:///{tmp_path_factory.mktemp('plan') / 'plan.sqlite'}"
    park, _ = read_park_from_file(PARK_FILE)
    with session_scope(url) as session:
        save_park(session, park)
        prepare(session, park.id)
        store_business_case(session, park.id, SCENARIO_FILE)
    yield url
    dispose_engines()
