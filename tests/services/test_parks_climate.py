"""Park-level climate adaptation and circularity: saved, replaced, audited and checked
before the database sees them."""

from __future__ import annotations

import copy

import pytest

from parkplan.domain.errors import ValidationError
from parkplan.domain.model import Circularity, ClimateAdaptation, Origin, Park
from parkplan.services import parks
from parkplan.store import db, repository


def test_climate_and_circularity_are_replaced_and_audited(db_url, full_park):
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park, actor="anna")
    changed = copy.deepcopy(full_park)
    assert changed.climate is not None
    changed.climate.green_share = 0.25
    changed.climate.origins["green_share"] = Origin.MEASURED
    changed.circularity = None
    with db.session_scope(db_url) as session:
        parks.save_park(session, changed, replace=True, actor="bert")
    with db.session_scope(db_url) as session:
        again = repository.read_park(session, "testpark")
        log = {
            (e.field, e.old_value, e.new_value)
            for e in repository.list_audit(session, park_id="testpark")
            if e.action == "update"
        }
    assert again == changed
    assert again.climate is not None and again.climate.origin_of("green_share") is Origin.MEASURED
    assert again.circularity is None
    assert ("climate.green_share", "0.18", "0.25") in log
    assert ("climate.origins.green_share", None, "measured") in log
    assert any(field.startswith("circularity") for field, _, _ in log)


def test_non_finite_climate_values_are_refused(db_url):
    park = Park(
        id="p",
        name="P",
        climate=ClimateAdaptation(water_storage_m3=float("nan")),
        circularity=Circularity(circular_company_share=float("inf")),
    )
    with db.session_scope(db_url) as session, pytest.raises(ValidationError) as exc:
        parks.save_park(session, park)
    assert [(p.path, p.code) for p in exc.value.errors] == [
        ("park.climate.water_storage_m3", "not_a_number"),
        ("park.circularity.circular_company_share", "not_a_number"),
    ]
