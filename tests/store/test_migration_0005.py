"""Migration 0005: the open-data fields of a company (energy label, construction year,
building use) are added to an existing database without losing its rows."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from parkplan.domain.model import Company, Origin, Park
from parkplan.store import db
from parkplan.store.repository import add_park, read_park


def test_upgrade_from_0004_keeps_companies_and_adds_the_columns(db_url):
    db.upgrade(db_url, "0004")
    engine = db.get_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO park (id, name, illustrative, refdata_overrides, grid_origins, "
                "origins, created_at, updated_at) VALUES ('p', 'Park', false, '{}', '{}', "
                "'{}', :t, :t)"
            ),
            {"t": datetime(2026, 1, 1, tzinfo=UTC)},
        )
        conn.execute(
            text(
                "INSERT INTO company (park_id, position, id, name, origins) "
                "VALUES ('p', 0, 'c1', 'Bedrijf', '{}')"
            )
        )
    before = {c["name"] for c in inspect(engine).get_columns("company")}
    assert "energy_label" not in before
    db.dispose_engines()

    db.upgrade(db_url, "0005")
    engine = db.get_engine(db_url)
    columns = {c["name"] for c in inspect(engine).get_columns("company")}
    assert {"energy_label", "construction_year", "building_use"} <= columns
    with db.session_scope(db_url) as session:
        park = read_park(session, "p")
    company = park.companies[0]
    assert (company.id, company.energy_label, company.construction_year) == ("c1", None, None)
    assert company.building_use == []


def test_open_data_fields_round_trip_with_their_origins(db_url):
    db.upgrade(db_url)
    company = Company(
        id="c1",
        name="Bedrijf",
        energy_label="D",
        construction_year=1987,
        building_use=["industriefunctie", "kantoorfunctie"],
        origins={
            "energy_label": Origin.OPEN_DATA,
            "construction_year": Origin.OPEN_DATA,
            "building_use": Origin.OPEN_DATA,
        },
    )
    with db.session_scope(db_url) as session:
        add_park(session, Park(id="p", name="Park", companies=[company]))
    with db.session_scope(db_url) as session:
        loaded = read_park(session, "p").companies[0]
    assert loaded == company


def test_downgrade_to_0004_drops_only_the_new_columns(db_url):
    db.upgrade(db_url)
    db.downgrade(db_url, "0004")
    db.dispose_engines()
    columns = {c["name"] for c in inspect(db.get_engine(db_url)).get_columns("company")}
    assert not {"energy_label", "construction_year", "building_use"} & columns
    assert {"floor_area_m2", "building_owner"} <= columns
