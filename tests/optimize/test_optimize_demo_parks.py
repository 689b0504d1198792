"""``parkplan optimize`` on the demo parks: they carry illustrative placeholders for the
tariffs and tax rates that are unknown in refdata (``refdata_overrides``, see
docs/demo-data.md), so every demo park has every value the optimiser needs; without them
the run stops early with a message naming the missing key (and how to supply it).

The demo parks' operators (Rendo, Enexis) have no published transport tariffs in refdata (see
docs/refdata.md, *Gezocht, niet gevonden*). One park is also run with HYPOTHETICAL run
overrides (stated test values, not facts) on top of its placeholders.
"""

from __future__ import annotations

import dataclasses

import pytest

from parkplan.demo.generator import generate_demo_parks
from parkplan.refdata import UnknownValueError, load_refdata
from parkplan.services.optimize import check_tariffs, optimize

from ..helpers import hypothetical_grid_tariffs

PARKS = {p.id: p for p in generate_demo_parks()}
YEAR = 2025
HYPOTHETICAL_ENEXIS = hypothetical_grid_tariffs("enexis")


@pytest.mark.parametrize("park_id", sorted(PARKS))
def test_demo_park_has_every_value_the_optimiser_needs(park_id):
    park = PARKS[park_id]
    for year in (YEAR, 2026):  # optimisation and business-case years
        check_tariffs(park, load_refdata(park.refdata_overrides), year)


@pytest.mark.parametrize("park_id", sorted(PARKS))
def test_without_its_placeholders_a_demo_park_names_the_missing_value(park_id):
    park = dataclasses.replace(PARKS[park_id], refdata_overrides={})
    with pytest.raises(UnknownValueError) as exc:
        optimize(park, year=YEAR, fast=True)
    key = exc.value.key
    assert key.startswith(("grid_tariff.", "grid_category.", "energy_tax."))
    assert key in PARKS[park_id].refdata_overrides
    assert key in exc.value.nl and f"--override {key}=<getal>" in exc.value.nl
    assert "park.refdata_overrides" in exc.value.nl
    assert f"--override {key}=<number>" in exc.value.en


def test_a_demo_park_optimises_once_its_tariffs_are_supplied():
    park = PARKS["demo-gieten"]
    out = optimize(park, year=YEAR, fast=True, overrides=HYPOTHETICAL_ENEXIS)
    assert out["status"] == "optimal"
    assert out["value_of_cooperation_eur"] == pytest.approx(
        out["alone_total_eur"] - out["together_total_eur"], abs=0.02
    )
    assert out["provenance"]["overrides"] == HYPOTHETICAL_ENEXIS
