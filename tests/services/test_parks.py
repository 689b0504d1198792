"""Park use cases: list, get, load, save all-or-nothing, delete, audit log."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from parkplan.domain.errors import NotFoundError, ParkplanError, ValidationError
from parkplan.domain.model import Company, Connection, ElectricityUse, Park
from parkplan.services import parks
from parkplan.store import db, repository
from parkplan.store.tables import Base

EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"


def _row_counts(url: str) -> dict[str, int]:
    with db.session_scope(url) as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }


def test_save_then_get_and_list(db_url, full_park):
    expected = copy.deepcopy(full_park)
    with db.session_scope(db_url) as session:
        assert parks.count_parks(session) == 0
        assert parks.list_parks(session) == []
        parks.save_park(session, full_park, actor="tester")
        parks.save_park(session, Park(id="aaa", name="Leeg"))
    with db.session_scope(db_url) as session:
        assert parks.get_park(session, "testpark") == expected
        assert parks.count_parks(session) == 2
        summaries = parks.list_parks(session)
    assert [s.id for s in summaries] == ["aaa", "testpark"]
    empty, test = summaries
    assert (empty.company_count, empty.total_annual_kwh, empty.illustrative) == (0, 0.0, False)
    assert test.company_count == 3
    assert test.illustrative is True
    assert test.total_annual_kwh == 310000.0 + 820000.0
    assert test.total_annual_m3 == 18000.0
    assert test.connection_count == 3  # two electricity connections of c01, one of c03
    assert test.total_contracted_kw == 160.0 + 350.0
    assert test.total_roof_area_m2 == 4500.0
    assert test.area_ha == 42.5
    assert test == parks.summarise_park(expected)
    assert test.to_dict()["total_annual_kwh"] == 1130000.0


def test_list_companies(db_url, full_park):
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park)
        rows = parks.list_companies(session, "testpark")
    assert [r.id for r in rows] == ["c01", "c02", "c03"]
    c01, c02, c03 = rows
    assert (c01.connection_kind, c01.contracted_kw, c01.connection_count) == (
        "grootverbruik",
        160.0,
        3,
    )
    assert (c01.annual_kwh, c01.annual_m3, c01.roof_area_m2, c01.existing_pv_kwp) == (
        310000.0,
        18000.0,
        4500.0,
        20.0,
    )
    assert (c02.connection_kind, c02.contracted_kw, c02.annual_kwh) == (None, None, None)
    assert (c03.sbi, c03.contracted_kw) == ("2562", 350.0)


def test_get_park_names_the_missing_and_the_existing_ids(db_url, full_park):
    with db.session_scope(db_url) as session:
        with pytest.raises(NotFoundError) as empty:
            parks.get_park(session, "nergens")
        assert "nog geen parken" in empty.value.nl
        parks.save_park(session, full_park)
        with pytest.raises(NotFoundError) as missing:
            parks.get_park(session, "nergens")
    assert "'nergens'" in missing.value.nl
    assert "testpark" in missing.value.nl
    assert "testpark" in missing.value.en


def test_existing_id_is_an_error_unless_replace(db_url, full_park):
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park)
    before = _row_counts(db_url)
    changed = copy.deepcopy(full_park)
    changed.name = "Ander park"
    with db.session_scope(db_url) as session, pytest.raises(parks.ParkExistsError) as exc:
        parks.save_park(session, changed)
    assert "testpark" in exc.value.nl
    assert _row_counts(db_url) == before
    with db.session_scope(db_url) as session:
        parks.save_park(session, changed, replace=True)
    with db.session_scope(db_url) as session:
        assert parks.get_park(session, "testpark") == changed


def test_duplicates_are_all_reported_and_nothing_is_written(db_url, full_park):
    bad = copy.deepcopy(full_park)
    twin = copy.deepcopy(bad.companies[0])  # same id, KvK and three EANs as c01
    bad.companies.append(twin)
    with db.session_scope(db_url) as session, pytest.raises(ValidationError) as exc:
        parks.save_park(session, bad)
    paths = [p.path for p in exc.value.errors]
    assert paths == [
        "companies[3].id",
        "companies[3].kvk",
        "companies[3].connections[0].ean",
        "companies[3].connections[1].ean",
        "companies[3].connections[2].ean",
    ]
    assert all(p.code == "duplicate" for p in exc.value.errors)
    assert "companies[0].kvk" in exc.value.errors[1].nl
    assert _row_counts(db_url)["park"] == 0


def test_too_long_text_is_reported_before_writing(db_url):
    park = Park(id="p", name="P", companies=[Company(id="c", name="C", kvk="1" * 30)])
    with db.session_scope(db_url) as session, pytest.raises(ValidationError) as exc:
        parks.save_park(session, park)
    [problem] = exc.value.errors
    assert (problem.path, problem.code) == ("companies[0].kvk", "too_long")


def _fails_halfway(park_id: str) -> Park:
    """A park whose third company cannot be stored (a name is mandatory in the database)."""
    return Park(
        id=park_id,
        name="Halverwege",
        companies=[
            Company(
                id="ok1",
                name="Goed",
                electricity=ElectricityUse(annual_kwh=1000.0),
                connections=[Connection(ean="871234567890001018", kind="kleinverbruik")],
            ),
            Company(id="ok2", name="Ook goed"),
            Company(id="bad", name=None),  # type: ignore[arg-type]
        ],
    )


def test_a_save_that_fails_halfway_changes_nothing(db_url, full_park):
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park)
    before = _row_counts(db_url)
    with db.session_scope(db_url) as session, pytest.raises(ParkplanError) as exc:
        parks.save_park(session, _fails_halfway("nieuw"))
    assert "niets opgeslagen" in exc.value.nl
    assert _row_counts(db_url) == before
    # replacing an existing park with a broken one keeps the old park intact
    with db.session_scope(db_url) as session, pytest.raises(ParkplanError):
        parks.save_park(session, _fails_halfway("testpark"), replace=True)
    assert _row_counts(db_url) == before
    with db.session_scope(db_url) as session:
        assert parks.get_park(session, "testpark") == full_park


def test_a_failed_save_keeps_earlier_work_in_the_same_session(db_url):
    with db.session_scope(db_url) as session:
        parks.save_park(session, Park(id="eerst", name="Eerst"))
        with pytest.raises(ParkplanError):
            parks.save_park(session, _fails_halfway("daarna"))
        parks.save_park(session, Park(id="laatst", name="Laatst"))
    with db.session_scope(db_url) as session:
        assert [s.id for s in parks.list_parks(session)] == ["eerst", "laatst"]


def test_every_change_is_audited(db_url, full_park):
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park, actor="anna")
    changed = copy.deepcopy(full_park)
    changed.companies[0].employees = 40
    changed.companies[0].connections[0].contracted_kw = 200.0
    del changed.companies[1]
    changed.companies.append(Company(id="c04", name="Nieuw BV"))
    with db.session_scope(db_url) as session:
        parks.save_park(session, changed, replace=True, actor="bert")
        parks.delete_park(session, "testpark", actor="carla")
    with db.session_scope(db_url) as session:
        log = [
            (e.actor, e.action, e.entity, e.entity_id, e.field, e.old_value, e.new_value)
            for e in repository.list_audit(session, park_id="testpark")
        ]
    assert log[0][:4] == ("anna", "create", "park", "testpark")
    assert log[1][:4] == ("bert", "replace", "park", "testpark")
    assert set(log[2:-1]) == {
        ("bert", "update", "company", "c01", "employees", "35", "40"),
        (
            "bert",
            "update",
            "company",
            "c01",
            "connections.871234567890001018.contracted_kw",
            "160.0",
            "200.0",
        ),
        ("bert", "delete", "company", "c02", None, "Administratiekantoor Hoogeveen", None),
        ("bert", "create", "company", "c04", None, None, "Nieuw BV"),
    }
    assert log[-1][:4] == ("carla", "delete", "park", "testpark")


def test_delete_park(db_url, full_park):
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park)
        with pytest.raises(NotFoundError):
            parks.delete_park(session, "nergens")
        parks.delete_park(session, "testpark")
    counts = _row_counts(db_url)
    assert counts["park"] == counts["company"] == counts["connection"] == 0
    assert counts["audit_log"] == 2


def test_load_park_by_id_uses_the_configured_database(tmp_database_url, full_park):
    with db.session_scope() as session:
        parks.save_park(session, full_park)
    assert parks.load_park("testpark") == full_park
    with db.session_scope() as session:
        assert parks.load_park("testpark", session) == full_park
    with pytest.raises(NotFoundError) as exc:
        parks.load_park("nergens")
    assert "Park 'nergens' staat niet in de database" in exc.value.nl
    with pytest.raises(NotFoundError) as exc:
        parks.load_park("ontbreekt.yaml")
    assert "Bestand 'ontbreekt.yaml' bestaat niet" in exc.value.nl
    assert "testpark" in exc.value.nl


def test_load_park_reads_a_park_file(tmp_database_url, tmp_path):
    pytest.importorskip("parkplan.io.parkfile", reason="park file reader not yet present")
    path = tmp_path / "voorbeeld.yaml"
    shutil.copy(EXAMPLE, path)
    park = parks.load_park(str(path))
    assert park.id == "voorbeeldpark"
    assert [c.id for c in park.companies] == ["c01", "c02", "c03"]
    with db.session_scope() as session:
        assert parks.count_parks(session) == 0  # reading a file writes nothing


def test_replace_keeps_stored_results_and_creation_time(db_url, full_park):
    from parkplan.store.tables import ParkRow

    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park)
        repository.save_result(session, "testpark", "baseline", {"co2_kg": 12.5})
    with db.session_scope(db_url) as session:
        created = session.get(ParkRow, "testpark").created_at
    changed = copy.deepcopy(full_park)
    changed.organisation = None
    changed.companies.reverse()
    changed.companies[0].connections[0].ean = "871234567890001063"
    with db.session_scope(db_url) as session:
        parks.save_park(session, changed, replace=True)
    with db.session_scope(db_url) as session:
        assert parks.get_park(session, "testpark") == changed
        row = session.get(ParkRow, "testpark")
        assert row.created_at == created
        assert row.updated_at >= created
        [result] = repository.list_results(session, "testpark")
        assert result.payload == {"co2_kg": 12.5}
    # and back: the organisation returns, the order is restored
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park, replace=True)
    with db.session_scope(db_url) as session:
        assert parks.get_park(session, "testpark") == full_park
    counts = _row_counts(db_url)
    assert (counts["company"], counts["connection"], counts["organisation"]) == (3, 4, 1)


def test_load_park_reads_an_inventory_csv(tmp_database_url):
    pytest.importorskip("parkplan.services.imports")
    csv = Path(__file__).parents[1] / "data" / "inventory" / "bedrijven-nl-cp1252.csv"
    park = parks.load_park(str(csv))
    assert park.id == "bedrijven-nl-cp1252"  # a CSV names no park: the file does
    assert [c.id for c in park.companies] == ["c01", "c02", "c03"]
    assert park.company("c02").electricity is not None
    assert park.company("c02").electricity.annual_kwh == 1234567.25
    with pytest.raises(ValidationError):
        parks.load_park(str(csv.with_name("vijf-fouten.csv")))


def test_values_the_database_cannot_hold_are_all_reported(db_url):
    from parkplan.domain.model import Location, Roof

    park = Park(
        id="p",
        name="P\x00",
        location=Location(lat=float("nan"), lon=6.5),
        companies=[
            Company(
                id="c",
                name="C",
                electricity=ElectricityUse(annual_kwh=float("inf")),
                roofs=[Roof(area_m2=100.0, tilt_deg=float("nan"))],
            )
        ],
    )
    with db.session_scope(db_url) as session, pytest.raises(ValidationError) as exc:
        parks.save_park(session, park)
    assert [(p.path, p.code) for p in exc.value.errors] == [
        ("park.name", "invalid_text"),
        ("companies[0].electricity.annual_kwh", "not_a_number"),
        ("companies[0].roofs[0].tilt_deg", "not_a_number"),
        ("park.location.lat", "not_a_number"),
    ]
    assert _row_counts(db_url)["park"] == 0
