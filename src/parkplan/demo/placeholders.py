"""Illustrative placeholder reference values for the demo parks (``refdata_overrides``).

The demo parks' grid operators (Rendo, Enexis) publish no transport tariffs that parkplan
has, and some energy-tax brackets are not published for 2025/2026 (``unknown`` in refdata).
Without them no demo park can be optimised or get a business case. Each demo park therefore
carries, as ``Park.refdata_overrides``, exactly the unknown keys its runs need (the years of
``demo/placeholders.yaml``: optimisation 2025, business case 2026), each copied from the
closest SOURCED row of refdata and labelled ILLUSTRATIEF (source, note, ``indicative``).
Overridden values are marked ``overridden`` wherever reference values are reported.

Pure: reads only package files (``demo/placeholders.yaml`` and the refdata tables).
See ``docs/demo-data.md``, *Plaatsvervangende referentiewaarden*.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import Park
from parkplan.refdata import RefData, load_refdata

PLACEHOLDERS_FILE = "placeholders.yaml"
LABEL = "ILLUSTRATIEF demo placeholder"
"""Start of the ``source`` of every placeholder (shown as ``park override (ILLUSTRATIEF ...)``)."""


class PlaceholderError(ParkplanError):
    """The placeholder rules cannot fill a key the demo needs (a sourced row is missing)."""


@lru_cache(maxsize=1)
def read_placeholder_rules() -> dict[str, Any]:
    """The rules of ``demo/placeholders.yaml`` (which sourced row stands in for what)."""
    text = resources.files("parkplan.demo").joinpath(PLACEHOLDERS_FILE).read_text("utf-8")
    return dict(yaml.safe_load(text))


def run_years(rules: dict[str, Any] | None = None) -> list[int]:
    """The tariff years the demo parks are run for (optimisation, business case)."""
    rules = rules or read_placeholder_rules()
    return sorted({int(y) for y in rules["runs"].values()})


def _slug(operator: str) -> str:
    return operator.strip().lower().replace(" ", "_")


def _unknown(refdata: RefData, key: str, years: list[int]) -> list[int]:
    """The years of ``years`` for which ``key`` is unknown (an absent key: none)."""
    if key not in refdata:
        return []
    return [y for y in years if not refdata.lookup(key, y).known]


def _spec(
    refdata: RefData, key: str, years: list[int], source_key: str | None, source_year: int | None
) -> dict[str, Any]:
    """An override mapping for ``key`` copied from the sourced row ``source_key``."""
    if source_key is None:
        raise PlaceholderError(
            f"geen plaatsvervanger voor {key}", f"no placeholder for {key}"
        )  # pragma: no cover - guarded by the callers
    src = refdata.lookup(source_key, source_year)
    if not src.known or src.overridden:
        raise PlaceholderError(
            f"demo-plaatsvervanger voor {key}: bronrij {source_key} ({source_year}) is onbekend",
            f"demo placeholder for {key}: source row {source_key} ({source_year}) is unknown",
        )
    year_text = f" {src.year}" if src.year is not None else ""
    spec: dict[str, Any] = {"value": src.value}
    if len(years) == 1:
        spec["year"] = years[0]
    spec |= {
        "source": f"{LABEL}: {source_key}{year_text} ({src.source})",
        "note": (
            f"Illustratief, alleen voor het demopark: {key} is onbekend voor "
            f"{', '.join(map(str, years))} (niet gepubliceerd in de bronnen van parkplan); "
            f"overgenomen van {source_key}{year_text}. Vervang door het echte tarief. / "
            f"Illustrative, demo park only: copied from the closest sourced row."
        ),
        "indicative": True,
    }
    return spec


def _left_out(key: str, years: list[int], value: float) -> dict[str, Any]:
    """An override mapping for a component that has no sourced figure at all."""
    return {
        "value": float(value),
        "source": f"{LABEL}: geen bronrij / no sourced row (component niet meegeteld)",
        "note": (
            f"Illustratief, alleen voor het demopark: {key} is voor geen enkele netbeheerder "
            f"bekend in refdata; {value:g} = dit onderdeel telt in de demo niet mee. / "
            f"Illustrative, demo park only: no sourced figure; the component is left out."
        ),
        "indicative": True,
    }


def placeholder_overrides(park: Park, refdata: RefData | None = None) -> dict[str, Any]:
    """The illustrative ``refdata_overrides`` a demo park needs for its runs.

    Exactly the keys that are unknown for the run years and that the park's companies use:
    the operator's category bounds (when unknown), the transport tariffs of the categories
    its connections fall in (kleinverbruik: ``kv``), and the electricity energy-tax rates up
    to the bracket of its largest offtake.

    Parameters
    ----------
    park
        A demo park (without overrides).
    refdata
        Reference data without overrides; default the packaged tables.

    Returns
    -------
    dict
        ``key -> {value, year?, source, note, indicative}``, sorted by key; values in the
        key's unit.
    """
    from parkplan.economics.tariffs import (
        CATEGORY_SLUG,
        TRANSPORT_COMPONENTS,
        energy_tax_brackets,
        tariff_category,
    )
    from parkplan.optimize.sizing import bracket_of

    rules = read_placeholder_rules()
    ref = refdata if refdata is not None else load_refdata()
    years = run_years(rules)
    out: dict[str, Any] = {}

    grid = rules["grid"]
    src_op = str(grid["source_operator"])
    op = _slug(park.grid.operator or "")
    if op and op != src_op:
        # category bounds: all three are read together
        bound_keys = [f"grid_category.{op}.{s}.max_kw" for s in ("ls", "ms_ls", "ms")]
        missing = {k: _unknown(ref, k, years) for k in bound_keys}
        if any(missing.values()):
            for k in bound_keys:
                source = k.replace(f".{op}.", f".{src_op}.", 1)
                out[k] = _spec(ref, k, years, source, int(grid["category_year"]))
        with_bounds = ref.with_overrides({k: v["value"] for k, v in out.items()})
        used: set[str] = set()
        for c in park.companies:
            conn = c.main_connection
            if conn is None:
                continue
            if conn.kind == "kleinverbruik":
                used.add("kv")
            elif conn.contracted_kw is not None:
                for y in years:
                    cat = tariff_category(conn.contracted_kw, op, y, with_bounds, conn.grid_level)
                    used.add(CATEGORY_SLUG[cat])
        left_out = {str(k): float(v) for k, v in (grid.get("left_out") or {}).items()}
        substitutes = {str(k): str(v) for k, v in (grid.get("substitutes") or {}).items()}
        for slug in sorted(used):
            components = ("fixed_eur_per_year",) if slug == "kv" else TRANSPORT_COMPONENTS
            for comp in components:
                part = f"{slug}.{comp}"
                key = f"grid_tariff.{op}.{part}"
                need = _unknown(ref, key, years)
                if not need:
                    continue
                if part in left_out:
                    out[key] = _left_out(key, need, left_out[part])
                    continue
                source = f"grid_tariff.{src_op}.{substitutes.get(part, part)}"
                out[key] = _spec(ref, key, need, source, int(grid["tariff_year"]))

    for carrier in rules["energy_tax"]["carriers"]:
        unit = "kwh" if carrier == "electricity" else "m3"
        largest = 0.0
        for c in park.companies:
            use = c.electricity if carrier == "electricity" else c.gas
            amount = getattr(use, f"annual_{unit}", None) if use is not None else None
            largest = max(largest, float(amount or 0.0))
        needed: dict[str, list[int]] = {}
        for y in years:
            brackets = energy_tax_brackets(carrier, y, ref)
            top = bracket_of(largest, [b.upper for b in brackets])
            for b in brackets[:top]:
                if b.rate is None:
                    needed.setdefault(b.key, []).append(y)
        for key, need in sorted(needed.items()):
            sourced = [y for y in ref.years(key) if y < min(need) and ref.lookup(key, y).known]
            if not sourced:
                raise PlaceholderError(
                    f"demo-plaatsvervanger voor {key}: geen eerder bekend jaar",
                    f"demo placeholder for {key}: no earlier known year",
                )
            out[key] = _spec(ref, key, need, key, sourced[-1])
    return dict(sorted(out.items()))
