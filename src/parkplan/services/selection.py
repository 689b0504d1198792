"""Use case: compare candidate parks and choose a pilot (``parkplan select``)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from parkplan.assess.selection import (
    CRITERIA,
    ParkCriteria,
    Selection,
    Settings,
    default_settings,
    explain,
    park_criteria,
)
from parkplan.domain.errors import ParkplanError, ValidationError, error
from parkplan.domain.model import Park
from parkplan.refdata import RefData, load_refdata
from parkplan.services.assess import compute_baseline

ORIENTATION_STEP_DEG = 5.0
"""Roof orientations are rounded to this step to share PV profiles between roofs. [deg]"""


def pv_potential_kwh(
    parks: Sequence[Park], refdata: RefData | None = None, year: int = 2025
) -> list[float]:
    """Yearly PV yield of all usable roof area per park, on the default weather. [kWh/yr]

    Each roof gets ``roof_kwp`` (usable area x module density, at least the PV it has) and
    the specific yield of its orientation (hourly pvlib model, orientations rounded to 5
    degrees so that profiles are shared).
    """
    from parkplan.energy.solar import (
        pv_profiles_for_orientations,
        roof_kwp,
        solar_parameters,
        specific_yield_kwh_per_kwp,
    )
    from parkplan.services.weather import default_weather

    params = solar_parameters(refdata or load_refdata(), year)
    weather, _ = default_weather(year, freq_minutes=60)

    def key(tilt: float, azimuth: float) -> tuple[float, float]:
        step = ORIENTATION_STEP_DEG
        return (round(tilt / step) * step, (round(azimuth / step) * step) % 360)

    out = []
    for park in parks:
        roofs = [r for c in park.companies for r in c.roofs]
        if not roofs:
            out.append(0.0)
            continue
        orientations = sorted({key(r.tilt_deg, r.azimuth_deg) for r in roofs})
        lat, lon = (park.location.lat, park.location.lon) if park.location else (52.73, 6.49)
        profiles = pv_profiles_for_orientations(
            weather,
            lat,
            lon,
            orientations,
            losses_fraction=params["system_losses_fraction"],
            inverter_ratio=params["inverter_dc_ac_ratio"],
            params=params,
        )
        yields = dict(zip(orientations, specific_yield_kwh_per_kwp(profiles), strict=True))
        total = sum(
            roof_kwp(
                r.area_m2, r.usable_fraction, params["module_density_kwp_m2"], r.existing_pv_kwp
            )
            * float(yields[key(r.tilt_deg, r.azimuth_deg)])
            for r in roofs
        )
        out.append(total)
    return out


def criteria_for_parks(parks: Sequence[Park]) -> list[ParkCriteria]:
    """Criteria of each park from its data (PV potential, baseline CO2, survey, grid)."""
    pv = pv_potential_kwh(parks)
    out = []
    for park, pv_kwh in zip(parks, pv, strict=True):
        base, refdata = compute_baseline(park)
        out.append(
            park_criteria(
                park,
                pv_potential_kwh=pv_kwh,
                co2_kg=base.park.co2_kg,
                weak_response_rate=refdata.value("survey.min_response_rate"),
            )
        )
    return out


def read_candidates_csv(path: str | Path) -> list[ParkCriteria]:
    """Candidate parks from a CSV (Dutch Excel: ``;`` and decimal comma, or ``,`` and point).

    Columns: ``id``, ``name`` and any of the criteria keys (see ``docs/cli.md``); an empty
    cell is a missing value (treated as the worst value observed, and reported).
    """
    from parkplan.io.dutch_numbers import is_empty, parse_number

    p = Path(path)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    if not text.strip():
        raise ParkplanError(f"{p.name} is leeg.", f"{p.name} is empty.")
    delimiter = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    known = {c.key for c in CRITERIA}
    problems = []
    header = rows[0].keys() if rows else []
    for column in header:
        if column not in known | {"id", "name"}:
            problems.append(
                error(
                    column,
                    f"onbekende kolom '{column}'; verwacht id, name of: {', '.join(sorted(known))}",
                    f"unknown column '{column}'; expected id, name or: {', '.join(sorted(known))}",
                    column,
                ).located(file=p.name, row=1, column=column)
            )
    out = []
    for i, row in enumerate(rows, start=2):
        values: dict[str, float] = {}
        for k in known & set(row):
            cell = row[k]
            if cell is None or is_empty(cell):
                values[k] = math.nan
                continue
            try:
                values[k] = float(
                    parse_number(cell, decimal_sep="," if delimiter == ";" else ".", minimum=None)
                )
            except ValueError as exc:
                problems.append(
                    error(
                        k, getattr(exc, "nl", str(exc)), getattr(exc, "en", str(exc)), cell
                    ).located(file=p.name, row=i, column=k)
                )
        if not row.get("id"):
            problems.append(
                error("id", "id ontbreekt", "id is missing").located(
                    file=p.name, row=i, column="id"
                )
            )
        out.append(
            ParkCriteria(
                row.get("id") or "", row.get("name") or row.get("id") or "", values, math.nan
            )
        )
    if problems:
        raise ValidationError(problems=problems, source=p.name)
    return out


def read_weights(path: str | Path, method: str | None = None) -> Settings:
    """Weights (and optionally directions) from YAML: ``{criterion: weight}`` or
    ``{criterion: {weight: w, direction: max|min}}``, optionally under ``criteria:`` with a
    ``method:`` beside it."""
    p = Path(path)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParkplanError(
            f"{p.name} is geen geldige YAML: {exc}", f"{p.name} is not valid YAML: {exc}"
        ) from None
    if not isinstance(doc, Mapping):
        raise ParkplanError(
            f"{p.name}: verwacht een lijst criterium: gewicht.",
            f"{p.name}: expected criterion: weight.",
        )
    base = default_settings()
    criteria = doc.get("criteria", doc)
    weights: dict[str, float] = {}
    directions = dict(base.directions)
    for key, spec in criteria.items():
        if key == "method":
            continue
        if isinstance(spec, Mapping):
            weights[key] = float(spec.get("weight", 0))
            if "direction" in spec:
                found = spec["direction"]
                if found not in ("max", "min"):
                    raise ParkplanError(
                        f"{p.name}: richting van '{key}' moet max of min zijn (gevonden: {found}).",
                        f"{p.name}: direction of '{key}' must be max or min (found: {found}).",
                    )
                directions[key] = spec["direction"]
        else:
            try:
                weights[key] = float(spec)
            except (TypeError, ValueError):
                raise ParkplanError(
                    f"{p.name}: gewicht van '{key}' is geen getal (gevonden: {spec!r}).",
                    f"{p.name}: weight of '{key}' is not a number (found: {spec!r}).",
                ) from None
    chosen = method or doc.get("method") or base.method
    return Settings(weights=weights, directions=directions, method=chosen)  # type: ignore[arg-type]


def selection_to_dict(
    sel: Selection, candidates: Sequence[ParkCriteria], lang: str = "nl"
) -> dict[str, Any]:
    """JSON-ready outcome (scores 0-1, ranks from 1, shares 0-1)."""
    labels = {c.key: (c.nl if lang == "nl" else c.en) for c in CRITERIA}
    units = {c.key: c.unit for c in CRITERIA}
    response = {c.park_id: c.response_rate for c in candidates}
    share = sel.stability.rank_share
    # the rows of the stability matrix follow the input order of the candidates
    row_of = {c.park_id: i for i, c in enumerate(candidates)}
    return {
        "method": sel.method,
        "criteria": [
            {
                "key": k,
                "label": labels.get(k, k),
                "unit": units.get(k, ""),
                "direction": sel.directions[k],
                "weight": sel.weights[k],
            }
            for k in sel.criteria
        ],
        "parks": [
            {
                "id": p.park_id,
                "name": p.name,
                "rank": p.rank,
                "score": p.score,
                "values": p.values,
                "normalised": p.normalised,
                "contributions": p.contributions,
                "response_rate": None if math.isnan(response[p.park_id]) else response[p.park_id],
                "explanation": explain(p, lang),
                "rank_share": [float(x) for x in share[row_of[p.park_id]]],
            }
            for p in sel.parks
        ],
        "stability": {
            "n_samples": sel.stability.n_samples,
            "seed": sel.stability.seed,
            "concentration": sel.stability.concentration,
            "first_place_share": {p.park_id: float(share[row_of[p.park_id], 0]) for p in sel.parks},
        },
        "notes": [n.to_dict(lang) for n in sel.notes],  # type: ignore[arg-type]
    }
