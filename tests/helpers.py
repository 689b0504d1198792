"""Shared test inputs of the optimiser tests (CLI, core, web): the example park with the
HYPOTHETICAL tariffs it needs, and the cost inputs of the small synthetic parks.

Import it relatively (``from ..helpers import ...``; pytest runs with importlib mode).

The example park's operator (Rendo) has no published transport tariffs or connection
categories in refdata, and Stedin's kWh transport tariffs for 2026 are not published
either: the values below are HYPOTHETICAL (stated test values, not facts). The tests check
the arithmetic, not them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from parkplan.optimize.sizing import CostInputs

EXAMPLE_PARK_FILE = Path(__file__).parent / "data" / "parkfile-v1.example.yaml"


def hypothetical_grid_tariffs(operator: str) -> dict[str, float]:
    """HYPOTHETICAL transport tariffs of ``operator`` for the LS, MS/LS and MS categories:
    2 EUR/kW/month contracted, 3 EUR/kW/month monthly peak, 0.01 EUR/kWh."""
    return {
        f"grid_tariff.{operator}.{cat}.{comp}": value
        for cat in ("ls", "ms_ls", "ms")
        for comp, value in (
            ("kw_contract_eur_per_kw_month", 2.0),
            ("kw_max_eur_per_kw_month", 3.0),
            ("kwh_eur_per_kwh", 0.01),
        )
    }


HYPOTHETICAL_RENDO: dict[str, float] = {
    "grid_category.rendo.ls.max_kw": 50,
    "grid_category.rendo.ms_ls.max_kw": 150,
    "grid_category.rendo.ms.max_kw": 1500,
    **hypothetical_grid_tariffs("rendo"),
}
"""What the example park (operator Rendo) needs to be optimised. [kW, EUR]"""

HYPOTHETICAL_STEDIN: dict[str, float] = {
    "grid_tariff.stedin.ms_ls.kwh_eur_per_kwh": 0.01,
    "grid_tariff.stedin.ls.kwh_eur_per_kwh": 0.012,
}
"""Stedin's kWh transport tariffs for 2026 (synthetic parks of operator Stedin). [EUR/kWh]"""


def example_park_document(
    overrides: Mapping[str, Any] | None = HYPOTHETICAL_RENDO, **grid: Any
) -> dict[str, Any]:
    """The example park file as a document: ``overrides`` (none when ``None``) added to the
    park's ``refdata_overrides`` and ``grid`` fields set in ``park.grid``."""
    doc = yaml.safe_load(EXAMPLE_PARK_FILE.read_text(encoding="utf-8"))
    if overrides is not None:
        doc["park"].setdefault("refdata_overrides", {}).update(overrides)
    doc["park"]["grid"].update(grid)
    return doc


def example_park_file(tmp_path: Path, **grid: Any) -> Path:
    """:func:`example_park_document` with the HYPOTHETICAL Rendo tariffs, written to
    ``tmp_path / "park.yaml"``."""
    path = tmp_path / "park.yaml"
    path.write_text(yaml.safe_dump(example_park_document(**grid), allow_unicode=True), "utf-8")
    return path


def sizing_costs(**changes: Any) -> CostInputs:
    """Cost inputs of the small synthetic parks (one PV class of 600 EUR/kWp, 12 EUR/kWp/yr
    O&M; a battery of 350 EUR/kWh and 150 EUR/kW), with ``changes`` to its fields. [EUR]"""
    from parkplan.optimize.sizing import CostInputs

    fields: dict[str, Any] = {
        "discount_rate": 0.05,
        "pv_classes": [(float("inf"), 600.0, 12.0)],
        "pv_lifetime_years": 25,
        "battery_capex_eur_per_kwh": 350.0,
        "battery_capex_eur_per_kw": 150.0,
        "battery_om_fraction": 0.02,
        "battery_lifetime_years": 15,
        "battery_round_trip_efficiency": 0.85,
        "battery_soc_min_fraction": 0.05,
        "battery_soc_max_fraction": 0.95,
    }
    return CostInputs(**{**fields, **changes})
