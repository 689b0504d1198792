"""Shared fixtures: databases for the store tests and an isolated settings environment.

``db_url`` runs a test on SQLite (a temporary file) and on PostgreSQL. PostgreSQL comes
from ``PARKPLAN_TEST_POSTGRES_URL``; each test gets a fresh schema that is dropped
afterwards. Without that variable the PostgreSQL run is skipped locally and fails in CI
(``CI`` set), so CI never passes silently without PostgreSQL.

``tmp_database_url`` points ``PARKPLAN_DATABASE_URL`` (and ``PARKPLAN_DATA_DIR``) at a
temporary SQLite database for tests of commands that use the configured database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_ENV = "PARKPLAN_TEST_POSTGRES_URL"
POSTGRES_MISSING = "PostgreSQL niet gevonden: zet PARKPLAN_TEST_POSTGRES_URL (zie README)"


def _postgres_schema_url(base_url: str) -> Iterator[str]:
    """A URL on a fresh schema of the test server; the schema is dropped afterwards."""
    from sqlalchemy import create_engine, make_url, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        message = f"PostgreSQL op {POSTGRES_ENV} is niet bereikbaar: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        from parkplan.store.db import dispose_engines

        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL: a temporary SQLite file, then a fresh PostgreSQL schema."""
    from parkplan.store.db import dispose_engines

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        dispose_engines()
        return
    base_url = os.environ.get(POSTGRES_ENV)
    if not base_url:
        if os.environ.get("CI"):
            pytest.fail(POSTGRES_MISSING)
        pytest.skip(POSTGRES_MISSING)
    yield from _postgres_schema_url(base_url)


@pytest.fixture
def tmp_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the settings (``PARKPLAN_DATABASE_URL``, ``PARKPLAN_DATA_DIR``) at a temporary
    SQLite database; the settings cache is cleared before and after."""
    from parkplan.settings import get_settings
    from parkplan.store.db import dispose_engines

    data_dir = tmp_path / "data"
    url = f"sqlite:///{data_dir / 'parkplan.sqlite'}"
    monkeypatch.setenv("PARKPLAN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PARKPLAN_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    dispose_engines()
    get_settings.cache_clear()


@pytest.fixture
def full_park():
    """A small park that uses every part of the domain model (origins, optional parts,
    several connections per company, an organisation, overrides, an outline)."""
    from parkplan.domain.model import (
        Circularity,
        ClimateAdaptation,
        Company,
        Connection,
        Contact,
        ElectricityUse,
        Engagement,
        GasUse,
        GridAvailability,
        Location,
        Organisation,
        Origin,
        Park,
        Plans,
        Roof,
        Vehicle,
    )

    return Park(
        id="testpark",
        name="Testpark (illustratief)",
        municipality="Hoogeveen",
        area_ha=42.5,
        location=Location(lat=52.7286, lon=6.4901),
        outline_geojson={
            "type": "Polygon",
            "coordinates": [[[6.48, 52.72], [6.50, 52.72], [6.50, 52.73], [6.48, 52.72]]],
        },
        grid=GridAvailability(
            operator="Rendo",
            substation="Hoogeveen",
            available_import_kw=900.0,
            available_export_kw=600.0,
            origins={"available_import_kw": Origin.OPEN_DATA},
        ),
        organisation=Organisation(business_association=True, biz=False),
        climate=ClimateAdaptation(
            paved_share=0.72,
            green_share=0.18,
            water_storage_m3=2100.0,
            origins={"paved_share": Origin.OPEN_DATA, "water_storage_m3": Origin.ESTIMATED},
        ),
        circularity=Circularity(
            collective_waste_contract=True,
            circular_company_share=0.2,
            origins={"circular_company_share": Origin.ESTIMATED},
        ),
        illustrative=True,
        description="Een park om mee te testen; bedrijven zijn verzonnen.",
        refdata_overrides={"supply.electricity.eur_per_kwh": 0.21},
        origins={"area_ha": Origin.OPEN_DATA},
        companies=[
            Company(
                id="c01",
                name="Transport Bakker BV",
                kvk="01234567",
                sbi="4941",
                employees=35,
                floor_area_m2=5200.0,
                office_area_m2=400.0,
                operating_hours_class="3000-5000",
                address="Industrieweg 1",
                postcode="7903 AA",
                building_owner="owner",
                electricity=ElectricityUse(
                    annual_kwh=310000.0,
                    annual_feed_in_kwh=12000.0,
                    annual_produced_kwh=40000.0,
                    peak_kw=118.0,
                    meter_data="meters/c01.csv",
                    origins={"annual_kwh": Origin.MEASURED, "peak_kw": Origin.MEASURED},
                ),
                gas=GasUse(annual_m3=18000.0, origins={"annual_m3": Origin.ESTIMATED}),
                connections=[
                    Connection(
                        ean="871234567890001018",
                        kind="grootverbruik",
                        contracted_kw=160.0,
                        contracted_feed_in_kw=160.0,
                        physical_kva=173.0,
                        grid_level="MS/LS",
                        origins={"contracted_kw": Origin.MEASURED},
                    ),
                    Connection(ean="871234567890001049", kind="kleinverbruik", fuse="3x25A"),
                    Connection(ean="871234567890001056", kind="kleinverbruik", carrier="gas"),
                ],
                roofs=[
                    Roof(area_m2=4200.0, usable_fraction=0.55, bag_pand_id="0118100000123456"),
                    Roof(
                        area_m2=300.0,
                        tilt_deg=35.0,
                        azimuth_deg=200.0,
                        existing_pv_kwp=20.0,
                        id="kantoor",
                        origins={"area_m2": Origin.OPEN_DATA},
                    ),
                ],
                vehicles=[
                    Vehicle(kind="truck", count=12, fuel="diesel", annual_km=90000.0),
                    Vehicle(kind="van", count=3, fuel="electric", annual_fuel_l=None),
                ],
                plans=Plans(electrification=["ev_fleet", "heat_pump"], expansion="Nieuwe hal"),
                engagement=Engagement(
                    bond_with_park=4,
                    bond_with_companies=3,
                    interest={"energy_hub": "yes", "shared_solar": "maybe"},
                    consent_share_data=True,
                ),
                contact=Contact(name="J. Bakker", email="j@example.nl", phone="0528-123456"),
                origins={"employees": Origin.OPEN_DATA},
            ),
            Company(id="c02", name="Administratiekantoor Hoogeveen"),
            Company(
                id="c03",
                name="Metaalbewerking De Vries",
                kvk="07654321",
                sbi="2562",
                electricity=ElectricityUse(annual_kwh=820000.0),
                connections=[
                    Connection(ean="871234567890001025", kind="grootverbruik", contracted_kw=350.0)
                ],
                engagement=Engagement(),
            ),
        ],
    )
