"""``parkplan optimize`` on the demo parks: it runs where the reference values are known, and
stops early with a message naming the missing key (and how to supply it) where they are not.

The demo parks' operators (Rendo, Enexis) have no published transport tariffs in refdata (see
docs/refdata.md, *Gezocht, niet gevonden*). One park is run with HYPOTHETICAL values (stated
test values, not facts) to show the whole pipeline works on a demo park.
"""

from __future__ import annotations

import pytest

from parkplan.demo.generator import generate_demo_parks
from parkplan.refdata import UnknownValueError, load_refdata
from parkplan.services.optimize import check_tariffs, optimize

PARKS = {p.id: p for p in generate_demo_parks()}
YEAR = 2025
HYPOTHETICAL_ENEXIS = {
    f"grid_tariff.enexis.{cat}.{comp}": value
    for cat in ("ls", "ms_ls", "ms")
    for comp, value in (
        ("kwh_eur_per_kwh", 0.01),
        ("kw_contract_eur_per_kw_month", 2.0),
        ("kw_max_eur_per_kw_month", 3.0),
    )
}


def _known(park) -> bool:
    try:
        check_tariffs(park, load_refdata(park.refdata_overrides or None), YEAR)
    except UnknownValueError:
        return False
    return True


@pytest.mark.parametrize("park_id", sorted(PARKS))
def test_demo_park_optimises_or_names_the_missing_value(park_id):
    park = PARKS[park_id]
    if _known(park):
        out = optimize(park, year=YEAR, fast=True)
        assert out["status"] == "optimal"
        return
    with pytest.raises(UnknownValueError) as exc:
        optimize(park, year=YEAR, fast=True)
    key = exc.value.key
    assert key.startswith(("grid_tariff.", "grid_category.", "energy_tax."))
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
