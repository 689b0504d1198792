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
