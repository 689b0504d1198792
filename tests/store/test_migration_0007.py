"""Migration 0007: a park's time-block transport rights (``park.grid.transport_rights``) are
stored, so a park saved in the database (or imported from a park file) keeps them."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import inspect, text

from parkplan.domain.model import Company, GridAvailability, Origin, Park, TimeBlockRight
from parkplan.services.imports import import_file, merge_into
from parkplan.store import db
from parkplan.store.repository import add_park, read_park, replace_park

EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"

RIGHTS = [
    TimeBlockRight(
        company="c1",
        default_kw=350.0,
        blocks=[
            {
                "from": "16:00",
                "to": "20:00",
                "kw": 150.0,
                "months": [11, 12, 1, 2],
                "weekdays": [0, 1, 2, 3, 4],
            },
            {"from": "22:00", "to": "06:00", "kw": 0},
        ],
    ),
    TimeBlockRight(company="c2", default_kw=80.5),
]


def _park(rights: list[TimeBlockRight]) -> Park:
    return Park(
        id="p",
        name="Park",
        grid=GridAvailability(
            operator="Rendo",
            available_import_kw=900.0,
            transport_rights=rights,
            origins={"available_import_kw": Origin.OPEN_DATA},
        ),
        companies=[Company(id="c1", name="Een"), Company(id="c2", name="Twee")],
    )


def test_transport_rights_round_trip_exactly(db_url):
    park = _park(copy.deepcopy(RIGHTS))
    with db.session_scope(db_url) as session:
        add_park(session, park)
    with db.session_scope(db_url) as session:
        loaded = read_park(session, "p")
    assert loaded == _park(copy.deepcopy(RIGHTS))
    assert loaded.grid.transport_rights[0].blocks[0]["months"] == [11, 12, 1, 2]
    assert loaded.grid.transport_rights[1].blocks == []


def test_replacing_a_park_replaces_its_rights(db_url):
    with db.session_scope(db_url) as session:
        add_park(session, _park(copy.deepcopy(RIGHTS)))
    with db.session_scope(db_url) as session:
        replace_park(session, _park(copy.deepcopy(RIGHTS[1:])))
    with db.session_scope(db_url) as session:
        assert read_park(session, "p").grid.transport_rights == RIGHTS[1:]
        replace_park(session, _park([]))
    with db.session_scope(db_url) as session:
        assert read_park(session, "p").grid.transport_rights == []


def test_importing_a_park_file_keeps_its_rights(db_url, tmp_path):
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    company = doc["companies"][1]["id"]
    block = {"from": "16:00", "to": "20:00", "kw": 150, "weekdays": [0, 1, 2, 3, 4]}
    doc["park"]["grid"]["transport_rights"] = [
        {"company": company, "default_kw": 350, "blocks": [block]}
    ]
    path = tmp_path / "park.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with db.session_scope(db_url) as session:
        report = import_file(session, path, actor="test")
    with db.session_scope(db_url) as session:
        park = read_park(session, report.park_id)
    assert park.grid.transport_rights == [
        TimeBlockRight(company=company, default_kw=350, blocks=[block])
    ]


def test_upgrade_from_0006_keeps_parks_without_rights(db_url):
    db.upgrade(db_url, "0006")
    engine = db.get_engine(db_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO park (id, name, illustrative, refdata_overrides, grid_origins, "
                "origins, grid_operator, created_at, updated_at) VALUES ('p', 'Park', false, "
                "'{}', '{}', '{}', 'Enexis', :t, :t)"
            ),
            {"t": datetime(2026, 1, 1, tzinfo=UTC)},
        )
    assert "grid_transport_rights" not in {c["name"] for c in inspect(engine).get_columns("park")}
    db.dispose_engines()

    db.upgrade(db_url, "0007")
    engine = db.get_engine(db_url)
    assert "grid_transport_rights" in {c["name"] for c in inspect(engine).get_columns("park")}
    with db.session_scope(db_url) as session:
        park = read_park(session, "p")
    assert (park.grid.operator, park.grid.transport_rights) == ("Enexis", [])


def test_downgrade_to_0006_drops_only_the_rights_column(db_url):
    db.upgrade(db_url)
    db.downgrade(db_url, "0006")
    db.dispose_engines()
    columns = {c["name"] for c in inspect(db.get_engine(db_url)).get_columns("park")}
    assert "grid_transport_rights" not in columns
    assert {"grid_operator", "grid_origins", "refdata_overrides"} <= columns


def test_an_inventory_import_keeps_the_stored_rights():
    existing = _park(copy.deepcopy(RIGHTS))
    imported = Park(
        id="p",
        name="Park",
        grid=GridAvailability(available_import_kw=1200.0),
        companies=[Company(id="c1", name="Een")],
    )
    merged = merge_into(existing, imported, {"id", "grid"})
    assert merged.grid.available_import_kw == 1200.0
    assert merged.grid.transport_rights == RIGHTS
