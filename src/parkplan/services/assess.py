"""Use cases of the assessment: the baseline (nulmeting) of a park."""

from __future__ import annotations

from typing import Any

from parkplan.assess.baseline import (
    SECTOR_GROUPS,
    BaselineFactors,
    Figure,
    ParkBaseline,
    park_baseline,
)
from parkplan.domain.model import Park
from parkplan.refdata import RefData, load_refdata


def park_refdata(park: Park) -> RefData:
    """Reference data with the park's own overrides applied (a fresh record of use)."""
    return load_refdata(park.refdata_overrides or None)


def baseline_factors(refdata: RefData, year: int | None = None) -> BaselineFactors:
    """The reference figures of the baseline, looked up (and so recorded) in ``refdata``."""
    fuel_l_per_km: dict[tuple[str, str], float] = {}
    for row in refdata.table("fleet.fuel_l_per_km."):
        kind, fuel = row.key.split(".")[-2:]
        fuel_l_per_km[(kind, fuel)] = refdata.value(row.key, year)

    def norms(prefix: str) -> dict[str, float]:
        return {r.key.rsplit(".", 1)[-1]: refdata.value(r.key, year) for r in refdata.table(prefix)}

    return BaselineFactors(
        co2_electricity_kg_per_kwh=refdata.value("co2.electricity_kg_per_kwh", year),
        co2_gas_kg_per_m3=refdata.value("co2.natural_gas_kg_per_m3", year),
        co2_fuel_kg_per_l={
            "diesel": refdata.value("co2.diesel_kg_per_l", year),
            "petrol": refdata.value("co2.petrol_kg_per_l", year),
        },
        fuel_l_per_km=fuel_l_per_km,
        electricity_kwh_per_m2=norms("sector_norm.electricity_kwh_per_m2."),
        gas_m3_per_m2=norms("sector_norm.gas_m3_per_m2."),
    )


def compute_baseline(park: Park, *, year: int | None = None) -> tuple[ParkBaseline, RefData]:
    """The baseline of a park and the reference data used (``.used()`` lists the values)."""
    refdata = park_refdata(park)
    return park_baseline(park, baseline_factors(refdata, year)), refdata


def _figure(f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"value": f.value, "unit": f.unit, "quality": f.quality.value}


def baseline_to_dict(
    base: ParkBaseline, park: Park, refdata: RefData, lang: str = "nl"
) -> dict[str, Any]:
    """JSON-ready baseline: companies, sectors, park totals, values used, provenance."""
    names = {c.id: c.name for c in park.companies}

    def group(g: Any) -> dict[str, Any]:
        return {
            "companies": g.companies,
            "co2_kg": g.co2_kg,
            "totals": {
                k: {
                    "value": t.value,
                    "unit": t.unit,
                    "estimated_share": t.estimated_share,
                    "measured_share": t.measured_share,
                    "companies_missing": t.companies_missing,
                }
                for k, t in g.totals.items()
            },
        }

    label = 1 if lang == "en" else 0
    return {
        "park_id": park.id,
        "illustrative": park.illustrative,
        "park": group(base.park),
        "sectors": [
            {"sector": s.key, "label": SECTOR_GROUPS[s.key][label], **group(s)}
            for s in base.sectors
        ],
        "companies": [
            {
                "id": c.company_id,
                "name": names[c.company_id],
                "sector": c.sector,
                "electricity_offtake_kwh": _figure(c.electricity_offtake_kwh),
                "electricity_feed_in_kwh": _figure(c.electricity_feed_in_kwh),
                "electricity_produced_kwh": _figure(c.electricity_produced_kwh),
                "electricity_demand_kwh": _figure(c.electricity_demand_kwh),
                "gas_m3": _figure(c.gas_m3),
                "fleet_fuel_l": {k: _figure(v) for k, v in c.fleet_fuel_l.items()},
                "co2_electricity_kg": _figure(c.co2_electricity_kg),
                "co2_gas_kg": _figure(c.co2_gas_kg),
                "co2_fleet_kg": _figure(c.co2_fleet_kg),
                "co2_kg": _figure(c.co2_kg),
                "missing": list(c.missing),
            }
            for c in base.companies
        ],
        "refdata_used": [v.to_dict() for v in refdata.used()],
        "refdata_version": refdata.version,
    }
