"""Scenarios: small sets of measures added to a park before simulating it.

A scenario document (YAML or JSON, read at the edge) looks like::

    format: parkplan-scenario/1
    name: Zon, batterijen en een energiehub
    description: Vult de daken en deelt de capaciteit in een GTO.
    measures:
      - type: rooftop_pv          # PV on a roof: kWp, or fill the usable area
        company: c01
        roof: 0                   # roof index (0-based) or roof id; omitted: every roof
        fill: true                # or kwp: 250
      - type: battery
        company: c01
        energy_kwh: 200
        power_kw: 100             # optional: default capacity x C-rate (refdata)
        strategy: peak_shaving    # self_consumption | peak_shaving
        target_import_kw: 120     # optional: default the contracted capacity
      - type: heat_pump           # replaces (part of) the gas use
        company: c03
        share_of_gas: 1.0
      - type: ev_charging
        company: c01
        vehicles: 10              # company vehicles charged on site
        annual_km_per_vehicle: 30000   # optional: default the company's fleet
        charger_kw: 11
        kind: van                 # optional: car | van | truck
        window: evening           # evening (18-07) | daytime (09-16)
        strategy: spread          # spread (smart) | immediate (full power on arrival)
      - type: transport_right     # non-firm / time-block import limit
        company: c02
        default_kw: 350
        blocks: [{from: "16:00", to: "20:00", kw: 150}]
      - type: energy_hub          # group transport agreement (GTO)
        members: [c01, c02, c03]  # or "all"
        group_capacity_kw: 450
        group_feed_in_kw: 400
        shared_battery: {energy_kwh: 500, power_kw: 250}
        shared_pv: {kwp: 150, tilt_deg: 10, azimuth_deg: 180}

:func:`parse_scenario` checks the document and, given a park, that every company and roof it
names exists; all problems are reported at once, in Dutch and English.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

from parkplan.domain.errors import Problem, error, raise_if_errors
from parkplan.domain.model import Park

SCENARIO_FORMAT = "parkplan-scenario/1"
MEASURE_TYPES: tuple[str, ...] = (
    "rooftop_pv",
    "battery",
    "heat_pump",
    "ev_charging",
    "transport_right",
    "energy_hub",
)
STRATEGIES: tuple[str, ...] = ("self_consumption", "peak_shaving")


@dataclass(frozen=True)
class RooftopPv:
    """PV on one roof (or on every roof of the company when ``roof`` is ``None``)."""

    company: str
    roof: int | str | None = None
    kwp: float | None = None
    """Added peak power; ``None`` with ``fill`` fills the usable area. [kWp]"""
    fill: bool = False


@dataclass(frozen=True)
class BatteryMeasure:
    """A battery behind a company's connection."""

    company: str
    energy_kwh: float
    power_kw: float | None = None
    strategy: str = "self_consumption"
    target_import_kw: float | None = None


@dataclass(frozen=True)
class HeatPump:
    """A heat pump that replaces a share of the company's gas use."""

    company: str
    share_of_gas: float = 1.0


@dataclass(frozen=True)
class EvCharging:
    """Charging company vehicles on site."""

    company: str
    vehicles: int
    annual_km_per_vehicle: float | None = None
    charger_kw: float | None = None
    kind: str | None = None
    """Vehicle kind (``car``, ``van``, ``truck``); default the company's fossil fleet."""
    window: str = "evening"
    """``evening`` (at the depot overnight) or ``daytime`` (office hours)."""
    strategy: str = "spread"
    """``spread`` (smart charging) or ``immediate`` (full power on arrival)."""


@dataclass(frozen=True)
class TransportRight:
    """A non-firm or time-block transport right: an import limit per interval."""

    company: str
    default_kw: float
    blocks: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class SharedPv:
    """Shared PV of an energy hub."""

    kwp: float
    tilt_deg: float = 10.0
    azimuth_deg: float = 180.0


@dataclass(frozen=True)
class SharedBattery:
    """The shared battery of an energy hub (peak-shaves the group's net load)."""

    energy_kwh: float
    power_kw: float | None = None
    target_import_kw: float | None = None


@dataclass(frozen=True)
class EnergyHub:
    """Companies joining an energy hub under a group transport agreement (GTO)."""

    members: tuple[str, ...]
    group_capacity_kw: float | None = None
    group_feed_in_kw: float | None = None
    shared_battery: SharedBattery | None = None
    shared_pv: SharedPv | None = None
    name: str = "energiehub"


Measure = RooftopPv | BatteryMeasure | HeatPump | EvCharging | TransportRight | EnergyHub


def _fields(obj: Any) -> dict[str, Any]:
    """The fields of a dataclass instance, not converted (the JSON encoder recurses)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _json_default(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return _fields(obj)
    return str(obj)


@dataclass(frozen=True)
class Scenario:
    """A named set of measures."""

    name: str
    measures: tuple[Measure, ...] = ()
    description: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def of_type(self, kind: type) -> list[Any]:
        """The measures of one class."""
        return [m for m in self.measures if isinstance(m, kind)]

    @property
    def hubs(self) -> list[EnergyHub]:
        """The energy hubs of the scenario."""
        return self.of_type(EnergyHub)

    def identity(self) -> str:
        """sha256 of the canonical JSON of the measures.

        The JSON is that of ``{"name", "measures": [{"type", **asdict(measure)}]}`` with
        sorted keys; nested dataclasses are expanded by the encoder (no deep copies).
        """
        doc = {
            "name": self.name,
            "measures": [{"type": type(m).__name__, **_fields(m)} for m in self.measures],
        }
        return hashlib.sha256(
            json.dumps(doc, sort_keys=True, default=_json_default).encode("utf-8")
        ).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "description": self.description,
            "measures": [{"type": type(m).__name__, **asdict(m)} for m in self.measures],
        }


class _Reader:
    def __init__(self, park: Park | None) -> None:
        self.problems: list[Problem] = []
        self.park = park
        self.company_ids = {c.id for c in park.companies} if park else None

    def add(self, path: str, nl: str, en: str, value: Any = None, code: str = "invalid") -> None:
        self.problems.append(error(path, nl, en, value=value, code=code))

    def number(
        self,
        m: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        minimum: float = 0.0,
    ) -> float | None:
        if key not in m or m[key] is None:
            if required:
                self.add(
                    f"{path}.{key}",
                    f"'{key}' ontbreekt; verwacht een getal ≥ {minimum:g}.",
                    f"'{key}' is missing; expected a number ≥ {minimum:g}.",
                    code="missing",
                )
            return None
        v = m[key]
        if isinstance(v, bool) or not isinstance(v, int | float):
            self.add(
                f"{path}.{key}",
                f"'{key}' is geen getal.",
                f"'{key}' is not a number.",
                v,
                "not_a_number",
            )
            return None
        if v < minimum:
            self.add(
                f"{path}.{key}",
                f"'{key}' is kleiner dan {minimum:g}.",
                f"'{key}' is smaller than {minimum:g}.",
                v,
                "out_of_range",
            )
            return None
        return float(v)

    def company(self, m: Mapping[str, Any], path: str) -> str:
        cid = m.get("company")
        if not isinstance(cid, str) or not cid:
            self.add(
                f"{path}.company",
                "'company' ontbreekt; verwacht het id van een bedrijf in het park.",
                "'company' is missing; expected the id of a company in the park.",
                cid,
                "missing",
            )
            return ""
        self.check_company(cid, f"{path}.company")
        return cid

    def check_company(self, cid: str, path: str) -> None:
        if self.company_ids is not None and cid not in self.company_ids:
            known = ", ".join(sorted(self.company_ids))
            self.add(
                path,
                f"Onbekend bedrijf '{cid}'; bekende bedrijven: {known}.",
                f"Unknown company '{cid}'; known companies: {known}.",
                cid,
                "unknown_company",
            )


def parse_scenario(doc: Mapping[str, Any], park: Park | None = None) -> Scenario:
    """Check a scenario document and turn it into a :class:`Scenario`.

    Parameters
    ----------
    doc : mapping
        The parsed YAML/JSON document.
    park : Park, optional
        When given, every company and roof the scenario names must exist in it.

    Raises
    ------
    ValidationError
        With one problem per fault (Dutch and English, path in the document).
    """
    r = _Reader(park)
    if not isinstance(doc, Mapping):
        r.add(
            "",
            "Een scenario is een YAML-document met 'name' en 'measures'.",
            "A scenario is a YAML document with 'name' and 'measures'.",
            type(doc).__name__,
        )
        raise_if_errors(r.problems, "scenario")
    fmt = doc.get("format", SCENARIO_FORMAT)
    if fmt != SCENARIO_FORMAT:
        r.add(
            "format",
            f"Onbekend scenarioformaat; verwacht '{SCENARIO_FORMAT}'.",
            f"Unknown scenario format; expected '{SCENARIO_FORMAT}'.",
            fmt,
        )
    name = doc.get("name") or "scenario"
    raw_measures = doc.get("measures") or []
    if not isinstance(raw_measures, Sequence) or isinstance(raw_measures, str):
        r.add(
            "measures",
            "'measures' moet een lijst van maatregelen zijn.",
            "'measures' must be a list of measures.",
            raw_measures,
        )
        raw_measures = []
    measures: list[Measure] = []
    for k, m in enumerate(raw_measures):
        path = f"measures[{k}]"
        if not isinstance(m, Mapping):
            r.add(
                path,
                "Een maatregel is een mapping met 'type'.",
                "A measure is a mapping with 'type'.",
                m,
            )
            continue
        kind = m.get("type")
        if kind not in MEASURE_TYPES:
            r.add(
                f"{path}.type",
                f"Onbekend type maatregel; verwacht een van: {', '.join(MEASURE_TYPES)}.",
                f"Unknown measure type; expected one of: {', '.join(MEASURE_TYPES)}.",
                kind,
            )
            continue
        n_before = len(r.problems)
        measure = _PARSERS[kind](r, m, path)
        if measure is not None and len(r.problems) == n_before:
            measures.append(measure)
    raise_if_errors(r.problems, "scenario")
    return Scenario(
        name=str(name),
        measures=tuple(measures),
        description=doc.get("description"),
        raw=dict(doc),
    )


def check_against_park(scenario: Scenario, park: Park) -> None:
    """Check that every company and roof a (possibly programmatic) scenario names exists.

    Raises
    ------
    ValidationError
        With one problem per unknown company or roof.
    """
    r = _Reader(park)
    for k, m in enumerate(scenario.measures):
        path = f"measures[{k}]"
        if isinstance(m, EnergyHub):
            for j, cid in enumerate(m.members):
                r.check_company(cid, f"{path}.members[{j}]")
            continue
        r.check_company(m.company, f"{path}.company")
        if isinstance(m, RooftopPv) and m.roof is not None and m.company in (r.company_ids or ()):
            roofs = park.company(m.company).roofs
            ok = (isinstance(m.roof, int) and 0 <= m.roof < len(roofs)) or (
                isinstance(m.roof, str) and m.roof in [x.id for x in roofs]
            )
            if not ok:
                r.add(
                    f"{path}.roof",
                    f"Onbekend dak '{m.roof}' bij bedrijf '{m.company}'.",
                    f"Unknown roof '{m.roof}' of company '{m.company}'.",
                    m.roof,
                    "unknown_roof",
                )
    raise_if_errors(r.problems, "scenario")


def _parse_pv(r: _Reader, m: Mapping[str, Any], path: str) -> RooftopPv | None:
    cid = r.company(m, path)
    roof = m.get("roof")
    kwp = r.number(m, "kwp", path)
    fill = bool(m.get("fill", False))
    if kwp is None and not fill and "kwp" not in m:
        r.add(
            path,
            "Geef 'kwp' of 'fill: true' (het bruikbare dakoppervlak vullen).",
            "Give 'kwp' or 'fill: true' (fill the usable roof area).",
            code="missing",
        )
    if r.park is not None and cid in (r.company_ids or set()) and roof is not None:
        roofs = r.park.company(cid).roofs
        ids = [x.id for x in roofs]
        ok = (isinstance(roof, int) and not isinstance(roof, bool) and 0 <= roof < len(roofs)) or (
            isinstance(roof, str) and roof in ids
        )
        if not ok:
            r.add(
                f"{path}.roof",
                f"Onbekend dak '{roof}' bij bedrijf '{cid}'; verwacht een index 0..{len(roofs) - 1}"
                f" of een dak-id.",
                f"Unknown roof '{roof}' of company '{cid}'; expected an index 0..{len(roofs) - 1}"
                f" or a roof id.",
                roof,
                "unknown_roof",
            )
    return RooftopPv(company=cid, roof=roof, kwp=kwp, fill=fill)


def _parse_battery(r: _Reader, m: Mapping[str, Any], path: str) -> BatteryMeasure | None:
    cid = r.company(m, path)
    energy = r.number(m, "energy_kwh", path, required=True)
    power = r.number(m, "power_kw", path)
    target = r.number(m, "target_import_kw", path)
    strategy = m.get("strategy", "self_consumption")
    if strategy not in STRATEGIES:
        r.add(
            f"{path}.strategy",
            f"Onbekende strategie; verwacht een van: {', '.join(STRATEGIES)}.",
            f"Unknown strategy; expected one of: {', '.join(STRATEGIES)}.",
            strategy,
        )
    return BatteryMeasure(cid, energy or 0.0, power, str(strategy), target)


def _parse_heat_pump(r: _Reader, m: Mapping[str, Any], path: str) -> HeatPump | None:
    cid = r.company(m, path)
    share = r.number(m, "share_of_gas", path)
    if share is not None and share > 1:
        r.add(
            f"{path}.share_of_gas",
            "'share_of_gas' ligt tussen 0 en 1.",
            "'share_of_gas' lies between 0 and 1.",
            share,
            "out_of_range",
        )
    return HeatPump(cid, 1.0 if share is None else share)


def _parse_ev(r: _Reader, m: Mapping[str, Any], path: str) -> EvCharging | None:
    cid = r.company(m, path)
    n = r.number(m, "vehicles", path, required=True)
    km = r.number(m, "annual_km_per_vehicle", path)
    kw = r.number(m, "charger_kw", path)
    choices = {"window": ("evening", "daytime"), "strategy": ("spread", "immediate")}
    for key, allowed in choices.items():
        if key in m and m[key] not in allowed:
            r.add(
                f"{path}.{key}",
                f"Onbekende waarde voor '{key}'; verwacht een van: {', '.join(allowed)}.",
                f"Unknown value for '{key}'; expected one of: {', '.join(allowed)}.",
                m[key],
            )
    if m.get("strategy") == "immediate" and kw is None:
        r.add(
            f"{path}.charger_kw",
            "Direct laden vraagt 'charger_kw'.",
            "Immediate charging needs 'charger_kw'.",
            code="missing",
        )
    kind = m.get("kind")
    return EvCharging(
        cid,
        int(n or 0),
        km,
        kw,
        str(kind) if kind else None,
        str(m.get("window", "evening")),
        str(m.get("strategy", "spread")),
    )


def _parse_right(r: _Reader, m: Mapping[str, Any], path: str) -> TransportRight | None:
    cid = r.company(m, path)
    default = r.number(m, "default_kw", path, required=True)
    blocks = m.get("blocks") or []
    for j, b in enumerate(blocks):
        bp = f"{path}.blocks[{j}]"
        if not isinstance(b, Mapping) or not {"from", "to", "kw"} <= set(b):
            r.add(
                bp,
                "Een tijdblok heeft 'from', 'to' (UU:MM) en 'kw'.",
                "A time block has 'from', 'to' (HH:MM) and 'kw'.",
                b,
            )
            continue
        for key in ("from", "to"):
            text = str(b[key])
            hh, _, mm = text.partition(":")
            if not (hh.isdigit() and mm.isdigit() and int(hh) <= 24 and int(mm) < 60):
                r.add(
                    f"{bp}.{key}",
                    "Tijd niet herkend; verwacht UU:MM.",
                    "Time not recognised; expected HH:MM.",
                    text,
                )
        r.number(b, "kw", bp, required=True)
    return TransportRight(
        cid, default or 0.0, tuple(dict(b) for b in blocks if isinstance(b, Mapping))
    )


def _parse_hub(r: _Reader, m: Mapping[str, Any], path: str) -> EnergyHub | None:
    members_raw = m.get("members", "all")
    if members_raw == "all":
        members = tuple(sorted(r.company_ids)) if r.company_ids is not None else ()
        if r.park is not None:
            members = tuple(c.id for c in r.park.companies)
    elif isinstance(members_raw, Sequence) and not isinstance(members_raw, str):
        members = tuple(str(x) for x in members_raw)
        for j, cid in enumerate(members):
            r.check_company(cid, f"{path}.members[{j}]")
        if len(set(members)) != len(members):
            r.add(
                f"{path}.members",
                "Een bedrijf staat meer dan eens in de hub.",
                "A company is listed more than once in the hub.",
                list(members),
            )
    else:
        r.add(
            f"{path}.members",
            "'members' is een lijst van bedrijf-ids of 'all'.",
            "'members' is a list of company ids or 'all'.",
            members_raw,
        )
        members = ()
    cap = r.number(m, "group_capacity_kw", path)
    feed = r.number(m, "group_feed_in_kw", path)
    sb = m.get("shared_battery")
    shared_battery = None
    if isinstance(sb, Mapping):
        e = r.number(sb, "energy_kwh", f"{path}.shared_battery", required=True)
        shared_battery = SharedBattery(
            e or 0.0,
            r.number(sb, "power_kw", f"{path}.shared_battery"),
            r.number(sb, "target_import_kw", f"{path}.shared_battery"),
        )
    spv = m.get("shared_pv")
    shared_pv = None
    if isinstance(spv, Mapping):
        kwp = r.number(spv, "kwp", f"{path}.shared_pv", required=True)
        tilt = r.number(spv, "tilt_deg", f"{path}.shared_pv")
        az = r.number(spv, "azimuth_deg", f"{path}.shared_pv")
        shared_pv = SharedPv(
            kwp or 0.0, 10.0 if tilt is None else tilt, 180.0 if az is None else az
        )
    return EnergyHub(
        members, cap, feed, shared_battery, shared_pv, str(m.get("name", "energiehub"))
    )


_PARSERS: dict[str, Any] = {
    "rooftop_pv": _parse_pv,
    "battery": _parse_battery,
    "heat_pump": _parse_heat_pump,
    "ev_charging": _parse_ev,
    "transport_right": _parse_right,
    "energy_hub": _parse_hub,
}
