"""Sharing service beyond the exact limit: sampled Shapley with intervals and a stability search."""

from __future__ import annotations

import pytest

from parkplan.demo import generate_demo_parks
from parkplan.energy.scenario import parse_scenario
from parkplan.services.business_case import EXACT_MAX_MEMBERS, share


def test_share_samples_beyond_the_exact_limit():
    park = next(p for p in generate_demo_parks() if "Wieken" in p.name)
    park.grid.operator = "Stedin"  # De Wieken lies in the Rendo area; Rendo tariffs are unknown
    members = [
        c.id
        for c in park.companies
        if c.connections
        and c.connections[0].kind == "grootverbruik"
        and c.connections[0].contracted_kw
    ][: EXACT_MAX_MEMBERS + 2]
    assert len(members) == EXACT_MAX_MEMBERS + 2
    sc = parse_scenario({"name": "hub", "measures": [{"type": "energy_hub", "members": members}]},
                        park)  # fmt: skip
    out = share(park, scenario=sc, method="shapley", year=2026, max_seconds=3.0)
    assert out["exact"] is False and out["stability_check"] == "sampled search"
    total = out["total_benefit_eur"]
    assert total > 0
    assert sum(c["benefit_eur"] for c in out["companies"]) == pytest.approx(total)
    assert all(c["ci95_eur"] > 0 for c in out["companies"])
    assert isinstance(out["stable"], bool)
    if not out["stable"]:
        assert set(out["blocking_coalition"]) <= set(members)
        assert out["blocking_excess_eur"] > 0


def test_owner_tenant_split_for_a_tenant_with_rooftop_pv():
    from pathlib import Path

    from parkplan.services.business_case import business_case
    from parkplan.services.parks import load_park

    data = Path(__file__).parents[1] / "data" / "economics"
    park = load_park(str(data / "park_stedin.yaml"))
    park.company("c01").building_owner = "tenant"
    doc = {
        "name": "zon op een gehuurd dak",
        "finance": {"discount_rate": 0.06, "horizon_years": 15},
        "measures": [
            {"type": "rooftop_pv", "company": "c01", "kwp": 50, "arrangement": "ppa",
             "ppa_price_eur_per_kwh": 0.07, "building_owner_name": "Vastgoed BV"},
        ],
    }  # fmt: skip
    out = business_case(park, scenario=parse_scenario(doc, park), year=2026)
    c01 = next(c for c in out["companies"] if c["id"] == "c01")
    model = c01["owner_tenant"]
    assert model["investor"] == "Vastgoed BV" and model["route"] == "ppa"
    (flow,) = model["flows"]
    assert flow["payer"] == "c01" and flow["payee"] == "Vastgoed BV"
    assert c01["measure_cases"][0]["lcoe_eur_per_kwh"] > 0  # a PV-only company
    assert flow["amount_eur_per_year"] > 0
    # without an arrangement the split is reported as unknown, not guessed
    doc["measures"][0].pop("arrangement")
    out = business_case(park, scenario=parse_scenario(doc, park), year=2026)
    c01 = next(c for c in out["companies"] if c["id"] == "c01")
    assert c01["owner_tenant"]["unknown"] == ["arrangement"]
