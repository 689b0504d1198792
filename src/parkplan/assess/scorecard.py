"""The future-proof scorecard: six themes, each 0-100 against a stated target.

Themes: ``energy``, ``grid``, ``climate``, ``mobility``, ``circularity`` and
``organisation``. A theme is the mean of the scores of its indicators that could be
assessed; an indicator scores

- higher is better: ``100 x clip(value / target, 0, 1)``;
- lower is better: ``100 x clip((reference - value) / (reference - target), 0, 1)``.

Targets and references are reference data with sources (``scorecard.*`` in
``refdata/scorecard.csv``), so parks scored with the same reference-data version are
comparable. An indicator without data is listed as not assessed (never scored 0); a theme
without any assessed indicator has no score. The overall score is the mean of the assessed
themes and states how many themes it covers. See docs/assessment.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from parkplan.assess.baseline import ParkBaseline
from parkplan.domain.model import Origin, Park, Sourced

Direction = Literal["higher", "lower"]

THEMES: dict[str, tuple[str, str]] = {
    "energy": ("Energie", "Energy"),
    "grid": ("Netruimte", "Grid headroom"),
    "climate": ("Klimaatadaptatie en groen", "Climate adaptation and greening"),
    "mobility": ("Mobiliteit", "Mobility"),
    "circularity": ("Circulariteit", "Circularity"),
    "organisation": ("Organisatie en samenwerking", "Organisation and cooperation"),
}
"""Theme code -> Dutch, English label, in report order."""

COLLECTIVE_MEASURES: tuple[str, ...] = (
    "energy_hub",
    "shared_solar",
    "shared_battery",
    "joint_procurement",
)


@dataclass(frozen=True)
class ScorecardTargets:
    """Targets and references of the indicators (services take them from reference data)."""

    energy_neutral_share: float
    self_sufficiency: float
    pv_roof_share: float
    co2_t_per_ha_reference: float
    co2_t_per_job_reference: float
    grid_headroom_share: float
    green_share: float
    paved_share_reference: float
    water_storage_m3_per_ha: float
    electric_fleet_share: float
    collective_waste_contract: float
    circular_company_share: float
    organisation_forms: float
    bond_score: float
    collective_interest_share: float
    min_response_rate: float
    gas_kwh_per_m3: float
    """Lower calorific value, to add gas to the energy use. [kWh/m3]"""
    pv_min_kwp: float
    """A roof that holds this much PV is suitable. [kWp]"""
    module_density_kwp_m2: float
    keys: Mapping[str, str] = field(default_factory=dict)
    """Field name -> reference-data key."""

    def source(self, name: str) -> str:
        """``refdata:<key>`` or ``parameter:<name>``."""
        return f"refdata:{self.keys[name]}" if name in self.keys else f"parameter:{name}"


@dataclass(frozen=True)
class ScorecardInputs:
    """Optional park-level inputs given beside the park (``parkplan scorecard --inputs``).

    The park itself may hold the same values (``park.climate.paved_share``,
    ``park.climate.green_share``, ``park.climate.water_storage_m3``,
    ``park.circularity.collective_waste_contract``,
    ``park.circularity.circular_company_share``); a value given here overrides the park's,
    field by field, and the indicator then names ``inputs:<field>`` as its source.
    """

    paved_share: float | None = None
    """Paved (sealed) share of the park area (0-1)."""
    green_share: float | None = None
    """Green, unpaved share of the park area (0-1)."""
    water_storage_m3: float | None = None
    """Rainwater storage on the park (ponds, crates, green roofs). [m3]"""
    collective_waste_contract: bool | None = None
    circular_company_share: float | None = None
    """Share of companies exchanging residual flows or reusing materials (0-1)."""


@dataclass(frozen=True)
class EnergyFigures:
    """Park figures from the simulation (annual). ``None`` without a simulation."""

    demand_kwh: float
    pv_kwh: float
    import_kwh: float
    coincident_peak_kw: float


@dataclass(frozen=True)
class Indicator:
    """One indicator: value, target, score and where the value comes from."""

    key: str
    label: tuple[str, str]
    value: float | None
    unit: str
    direction: Direction
    target: float
    reference: float | None
    score: float | None
    """0-100, ``None`` when not assessed."""
    source: str
    """How the value was obtained (park fields, baseline, simulation, inputs)."""
    target_source: str
    quality: Origin = Origin.REPORTED
    note: tuple[str, str] | None = None
    scored: bool = True
    """False for an indicator that informs but does not count (e.g. survey response)."""


@dataclass(frozen=True)
class Theme:
    """A theme: the mean of its assessed indicators."""

    key: str
    indicators: tuple[Indicator, ...]
    weak: bool = False
    """True when a key input is weakly founded (e.g. a survey with too few responses)."""
    notes: tuple[tuple[str, str], ...] = ()

    @property
    def score(self) -> float | None:
        """Mean score of the assessed indicators (0-100), ``None`` if none."""
        scores = [i.score for i in self.indicators if i.score is not None and i.scored]
        return sum(scores) / len(scores) if scores else None

    @property
    def not_assessed(self) -> list[str]:
        """Indicators without data."""
        return [i.key for i in self.indicators if i.score is None and i.scored]


@dataclass(frozen=True)
class Scorecard:
    """The scorecard of one park."""

    park_id: str
    name: str
    themes: tuple[Theme, ...]

    @property
    def score(self) -> float | None:
        """Mean of the assessed themes (0-100)."""
        scores = [t.score for t in self.themes if t.score is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def themes_assessed(self) -> int:
        """Number of themes with a score."""
        return sum(t.score is not None for t in self.themes)


def score_higher(value: float | None, target: float) -> float | None:
    """``100 x clip(value / target, 0, 1)``; ``None`` for a missing value."""
    if value is None or not math.isfinite(value):
        return None
    if target <= 0:
        return 100.0 if value >= target else 0.0
    return 100.0 * min(1.0, max(0.0, value / target))


def score_lower(value: float | None, reference: float, target: float = 0.0) -> float | None:
    """``100 x clip((reference - value) / (reference - target), 0, 1)``; ``None`` if missing."""
    if value is None or not math.isfinite(value):
        return None
    span = reference - target
    if span <= 0:
        return 100.0 if value <= target else 0.0
    return 100.0 * min(1.0, max(0.0, (reference - value) / span))


def _ind(  # noqa: PLR0917 - one argument per column of the indicator table
    key: str,
    label: tuple[str, str],
    value: float | None,
    unit: str,
    direction: Direction,
    target: float,
    targets: ScorecardTargets,
    target_name: str,
    source: str,
    *,
    reference: float | None = None,
    quality: Origin = Origin.REPORTED,
    note: tuple[str, str] | None = None,
) -> Indicator:
    if direction == "higher":
        score = score_higher(value, target)
    else:
        assert reference is not None
        score = score_lower(value, reference, target)
    return Indicator(
        key=key,
        label=label,
        value=value,
        unit=unit,
        direction=direction,
        target=target,
        reference=reference,
        score=score,
        source=source,
        target_source=targets.source(target_name),
        quality=quality,
        note=note,
    )


def _energy(
    park: Park,
    baseline: ParkBaseline,
    t: ScorecardTargets,
    energy: EnergyFigures | None,
) -> Theme:
    totals = baseline.park.totals
    demand_kwh = totals["electricity_demand_kwh"].value
    gas_kwh = totals["gas_m3"].value * t.gas_kwh_per_m3
    quality = (
        Origin.ESTIMATED
        if totals["electricity_demand_kwh"].estimated_share > 0
        else Origin.REPORTED
    )
    if energy is not None:
        produced = energy.pv_kwh
        prod_source = "simulation:pv_kwh (metered production where given)"
    else:
        produced = totals["electricity_produced_kwh"].value
        prod_source = "baseline:electricity_produced_kwh"
    use = demand_kwh + gas_kwh
    neutral = produced / use if use > 0 else None
    self_suff = (
        1.0 - energy.import_kwh / energy.demand_kwh
        if energy is not None and energy.demand_kwh > 0
        else None
    )
    co2_t = baseline.park.co2_kg / 1000
    jobs = sum(c.employees or 0 for c in park.companies)
    jobs_known = all(c.employees is not None for c in park.companies) and jobs > 0
    # suitable roofs: those that hold at least pv_min_kwp; share of their area with PV
    suitable = 0.0
    with_pv = 0.0
    for c in park.companies:
        for r in c.roofs:
            if r.area_m2 * r.usable_fraction * t.module_density_kwp_m2 >= t.pv_min_kwp:
                suitable += r.area_m2
                if (r.existing_pv_kwp or 0.0) > 0:
                    with_pv += r.area_m2
    return Theme(
        "energy",
        (
            _ind(
                "energy_neutral_share",
                ("Energieneutraliteit", "Energy neutrality"),
                neutral,
                "fraction",
                "higher",
                t.energy_neutral_share,
                t,
                "energy_neutral_share",
                f"{prod_source} / (baseline:electricity_demand_kwh + baseline:gas_m3 x"
                " gas_kwh_per_m3)",
                quality=quality,
            ),
            _ind(
                "self_sufficiency",
                ("Zelfvoorzienendheid", "Self-sufficiency"),
                self_suff,
                "fraction",
                "higher",
                t.self_sufficiency,
                t,
                "self_sufficiency",
                "simulation:1 - import_kwh / demand_kwh",
                quality=Origin.ESTIMATED,
            ),
            _ind(
                "co2_t_per_ha",
                ("CO2 per hectare", "CO2 per hectare"),
                co2_t / park.area_ha if park.area_ha else None,
                "t/ha/yr",
                "lower",
                0.0,
                t,
                "co2_t_per_ha_reference",
                "baseline:co2_kg / 1000 / park:area_ha",
                reference=t.co2_t_per_ha_reference,
                quality=quality,
            ),
            _ind(
                "co2_t_per_job",
                ("CO2 per arbeidsplaats", "CO2 per job"),
                co2_t / jobs if jobs_known else None,
                "t/job/yr",
                "lower",
                0.0,
                t,
                "co2_t_per_job_reference",
                "baseline:co2_kg / 1000 / sum(park:companies[].employees)",
                reference=t.co2_t_per_job_reference,
                quality=quality,
                note=None
                if jobs_known
                else (
                    "Niet van alle bedrijven is het aantal werknemers bekend.",
                    "The number of employees is not known for every company.",
                ),
            ),
            _ind(
                "pv_roof_share",
                ("Geschikte daken met zonnepanelen", "Suitable roofs with PV"),
                with_pv / suitable if suitable > 0 else None,
                "fraction",
                "higher",
                t.pv_roof_share,
                t,
                "pv_roof_share",
                "park:roofs area with existing_pv_kwp > 0 / area of suitable roofs",
            ),
        ),
    )


def _grid(park: Park, t: ScorecardTargets, energy: EnergyFigures | None) -> Theme:
    cap = park.grid.available_import_kw
    headroom = 1.0 - energy.coincident_peak_kw / cap if energy is not None and cap else None
    notes: tuple[tuple[str, str], ...] = ()
    if not cap:
        notes = (
            (
                "Het park heeft geen opgave van de netbeheerder (grid.available_import_kw).",
                "The park has no figure from the grid operator (grid.available_import_kw).",
            ),
        )
    return Theme(
        "grid",
        (
            _ind(
                "grid_headroom_share",
                ("Ruimte onder de netcapaciteit", "Headroom below grid capacity"),
                headroom,
                "fraction",
                "higher",
                t.grid_headroom_share,
                t,
                "grid_headroom_share",
                "1 - simulation:coincident_peak_kw / park:grid.available_import_kw",
                quality=Origin.ESTIMATED,
            ),
        ),
        notes=notes,
    )


def _pick(
    inputs: ScorecardInputs, part: Sourced | None, section: str, name: str
) -> tuple[Any, str, Origin]:
    """A park-level input: (value, source, origin).

    The inputs file wins (source ``inputs:<name>``, reported); otherwise the park's own
    value (source ``park:<section>.<name>``, with its origin); without either the value is
    ``None`` and the source names the park field.
    """
    given = getattr(inputs, name)
    if given is not None:
        return given, f"inputs:{name}", Origin.REPORTED
    own = getattr(part, name) if part is not None else None
    if own is not None and part is not None:
        return own, f"park:{section}.{name}", part.origin_of(name)
    return None, f"park:{section}.{name}", Origin.REPORTED


PARK_INPUTS: tuple[tuple[str, str], ...] = (
    ("climate", "paved_share"),
    ("climate", "green_share"),
    ("climate", "water_storage_m3"),
    ("circularity", "collective_waste_contract"),
    ("circularity", "circular_company_share"),
)
"""The park-level inputs of the scorecard: (park-file section, field)."""


def resolve_inputs(
    park: Park, inputs: ScorecardInputs | None = None
) -> dict[str, tuple[Any, str, Origin]]:
    """Field -> (value, source, origin) of the park-level inputs the scorecard uses.

    A value from ``inputs`` overrides the park's own (``park.climate``,
    ``park.circularity``); see :class:`ScorecardInputs`.
    """
    inp = inputs or ScorecardInputs()
    parts: dict[str, Sourced | None] = {"climate": park.climate, "circularity": park.circularity}
    return {name: _pick(inp, parts[section], section, name) for section, name in PARK_INPUTS}


def _climate(park: Park, t: ScorecardTargets, inputs: ScorecardInputs) -> Theme:
    green, green_src, green_q = _pick(inputs, park.climate, "climate", "green_share")
    paved, paved_src, paved_q = _pick(inputs, park.climate, "climate", "paved_share")
    water, water_src, water_q = _pick(inputs, park.climate, "climate", "water_storage_m3")
    storage = water / park.area_ha if water is not None and park.area_ha else None
    # storage per ha is as weak as the weaker of storage and area
    if Origin.ESTIMATED in (water_q, park.origin_of("area_ha")):
        water_q = Origin.ESTIMATED
    return Theme(
        "climate",
        (
            _ind(
                "green_share",
                ("Groen aandeel", "Green share"),
                green,
                "fraction",
                "higher",
                t.green_share,
                t,
                "green_share",
                green_src,
                quality=green_q,
            ),
            _ind(
                "paved_share",
                ("Verhard aandeel", "Paved share"),
                paved,
                "fraction",
                "lower",
                1.0 - t.green_share,
                t,
                "paved_share_reference",
                paved_src,
                reference=t.paved_share_reference,
                quality=paved_q,
            ),
            _ind(
                "water_storage_m3_per_ha",
                ("Waterberging per hectare", "Water storage per hectare"),
                storage,
                "m3/ha",
                "higher",
                t.water_storage_m3_per_ha,
                t,
                "water_storage_m3_per_ha",
                f"{water_src} / park:area_ha",
                quality=water_q,
            ),
        ),
    )


def _mobility(park: Park, t: ScorecardTargets) -> Theme:
    total = sum(v.count for c in park.companies for v in c.vehicles)
    electric = sum(v.count for c in park.companies for v in c.vehicles if v.fuel == "electric")
    return Theme(
        "mobility",
        (
            _ind(
                "electric_fleet_share",
                ("Elektrisch wagenpark", "Electric fleet"),
                electric / total if total else None,
                "fraction",
                "higher",
                t.electric_fleet_share,
                t,
                "electric_fleet_share",
                "park:companies[].vehicles count electric / count",
            ),
        ),
    )


def _circularity(park: Park, t: ScorecardTargets, inputs: ScorecardInputs) -> Theme:
    has, contract_src, contract_q = _pick(
        inputs, park.circularity, "circularity", "collective_waste_contract"
    )
    contract = None if has is None else float(has)
    share, share_src, share_q = _pick(
        inputs, park.circularity, "circularity", "circular_company_share"
    )
    return Theme(
        "circularity",
        (
            _ind(
                "collective_waste_contract",
                ("Collectief afvalcontract", "Collective waste contract"),
                contract,
                "bool",
                "higher",
                t.collective_waste_contract,
                t,
                "collective_waste_contract",
                contract_src,
                quality=contract_q,
            ),
            _ind(
                "circular_company_share",
                ("Bedrijven met circulaire praktijk", "Companies with circular practice"),
                share,
                "fraction",
                "higher",
                t.circular_company_share,
                t,
                "circular_company_share",
                share_src,
                quality=share_q,
            ),
        ),
    )


def _organisation(park: Park, t: ScorecardTargets) -> Theme:
    org = park.organisation
    forms = (
        float(
            sum(
                bool(x)
                for x in (
                    org.business_association,
                    org.park_management,
                    org.biz,
                    org.sustainability_group,
                )
            )
        )
        if org is not None
        else None
    )
    n = len(park.companies)
    answered = [
        c.engagement
        for c in park.companies
        if c.engagement is not None
        and (
            c.engagement.bond_with_park is not None
            or c.engagement.bond_with_companies is not None
            or c.engagement.interest
        )
    ]
    rate = len(answered) / n if n else 0.0
    bonds = [
        b for e in answered for b in (e.bond_with_park, e.bond_with_companies) if b is not None
    ]
    bond = sum(bonds) / len(bonds) if bonds else None
    yes = sum(1 for e in answered if any(e.interest.get(m) == "yes" for m in COLLECTIVE_MEASURES))
    interest = yes / len(answered) if answered else None
    weak = n > 0 and rate < t.min_response_rate
    notes: list[tuple[str, str]] = []
    if weak:
        notes.append(
            (
                f"Zwak onderbouwd: {len(answered)} van {n} bedrijven vulden de enquête in"
                f" ({round(100 * rate)} %, minder dan {round(100 * t.min_response_rate)} %).",
                f"Weakly founded: {len(answered)} of {n} companies answered the survey"
                f" ({round(100 * rate)} %, less than {round(100 * t.min_response_rate)} %).",
            )
        )
    survey_quality = Origin.ESTIMATED if weak else Origin.REPORTED
    bond_score = None if bond is None else score_higher(bond - 1.0, t.bond_score - 1.0)
    bond_ind = _ind(
        "bond_score",
        ("Band met park en ondernemers", "Bond with park and entrepreneurs"),
        bond,
        "score 1-5",
        "higher",
        t.bond_score,
        t,
        "bond_score",
        "park:companies[].engagement.bond_with_park/bond_with_companies (mean)",
        quality=survey_quality,
    )
    # the 1-5 scale starts at 1: score = (mean - 1) / (target - 1)
    bond_ind = replace(bond_ind, score=bond_score)
    return Theme(
        "organisation",
        (
            _ind(
                "organisation_forms",
                ("Organisatiegraad", "Degree of organisation"),
                forms,
                "count",
                "higher",
                t.organisation_forms,
                t,
                "organisation_forms",
                "park:organisation (association, park management, BIZ, sustainability group)",
            ),
            bond_ind,
            _ind(
                "collective_interest_share",
                ("Interesse in collectieve maatregelen", "Interest in collective measures"),
                interest,
                "fraction",
                "higher",
                t.collective_interest_share,
                t,
                "collective_interest_share",
                "park:companies[].engagement.interest 'yes' to a collective measure / answers",
                quality=survey_quality,
            ),
            Indicator(
                key="survey_response_rate",
                label=("Respons enquête", "Survey response"),
                value=rate if n else None,
                unit="fraction",
                direction="higher",
                target=t.min_response_rate,
                reference=None,
                score=None,
                source="companies with survey answers / companies",
                target_source=t.source("min_response_rate"),
                scored=False,
                note=(
                    "Bepaalt of het thema zwak is; telt niet mee in de score.",
                    "Decides whether the theme is weak; not part of the score.",
                ),
            ),
        ),
        weak=weak,
        notes=tuple(notes),
    )


def scorecard(
    park: Park,
    baseline: ParkBaseline,
    targets: ScorecardTargets,
    *,
    energy: EnergyFigures | None = None,
    inputs: ScorecardInputs | None = None,
    energy_missing: tuple[str, str] | None = None,
) -> Scorecard:
    """The scorecard of a park.

    Parameters
    ----------
    park : Park
        The park.
    baseline : ParkBaseline
        Its baseline (CO2, energy use).
    targets : ScorecardTargets
        Targets and references with their reference-data keys.
    energy : EnergyFigures, optional
        Simulated park figures; without them self-sufficiency and grid headroom are not
        assessed and production comes from the metered figures.
    inputs : ScorecardInputs, optional
        Park-level inputs (climate, circularity) given beside the park; each value given
        overrides ``park.climate`` / ``park.circularity`` and is named as the source.
    energy_missing : (str, str), optional
        Why there are no simulated figures (Dutch, English); noted in the energy and grid
        themes.
    """
    inp = inputs or ScorecardInputs()
    energy_theme = _energy(park, baseline, targets, energy)
    grid_theme = _grid(park, targets, energy)
    if energy is None and energy_missing:
        energy_theme = replace(energy_theme, notes=(*energy_theme.notes, energy_missing))
        grid_theme = replace(grid_theme, notes=(*grid_theme.notes, energy_missing))
    themes = (
        energy_theme,
        grid_theme,
        _climate(park, targets, inp),
        _mobility(park, targets),
        _circularity(park, targets, inp),
        _organisation(park, targets),
    )
    return Scorecard(park.id, park.name, themes)


def theme_scores(cards: Sequence[Scorecard]) -> dict[str, dict[str, float | None]]:
    """Park id -> theme -> score, for comparing parks (same targets, same formulas)."""
    return {c.park_id: {t.key: t.score for t in c.themes} for c in cards}


def parse_inputs(doc: Mapping[str, Any] | None) -> ScorecardInputs:
    """Scorecard inputs from a mapping (``climate:`` and ``circularity:`` sections).

    Raises
    ------
    ValidationError
        Shares outside 0-1, negative storage or unknown keys (all problems listed).
    """
    from parkplan.domain.errors import error, raise_if_errors

    doc = dict(doc or {})
    problems = []
    allowed = {
        "climate": {"paved_share", "green_share", "water_storage_m3"},
        "circularity": {"collective_waste_contract", "circular_company_share"},
    }
    values: dict[str, Any] = {}
    for section, data in doc.items():
        if section not in allowed or not isinstance(data, Mapping):
            problems.append(
                error(
                    section,
                    f"Onbekende sectie '{section}'; verwacht: climate of circularity.",
                    f"Unknown section '{section}'; expected: climate or circularity.",
                    section,
                    code="unknown_key",
                )
            )
            continue
        for k, v in data.items():
            path = f"{section}.{k}"
            if k not in allowed[section]:
                problems.append(
                    error(
                        path,
                        f"Onbekend veld '{path}'; verwacht: {', '.join(sorted(allowed[section]))}.",
                        f"Unknown field '{path}'; expected: {', '.join(sorted(allowed[section]))}.",
                        k,
                        code="unknown_key",
                    )
                )
            elif k == "collective_waste_contract":
                if not isinstance(v, bool):
                    problems.append(
                        error(path, f"{path} moet ja/nee zijn.", f"{path} must be yes/no.", v)
                    )
                else:
                    values[k] = v
            elif isinstance(v, bool) or not isinstance(v, int | float):
                problems.append(
                    error(path, f"{path} moet een getal zijn.", f"{path} must be a number.", v)
                )
            elif k.endswith("_share") and not 0.0 <= float(v) <= 1.0:
                problems.append(
                    error(
                        path,
                        f"{path} = {v}; verwacht een aandeel tussen 0 en 1.",
                        f"{path} = {v}; expected a share between 0 and 1.",
                        v,
                        code="out_of_range",
                    )
                )
            elif float(v) < 0:
                problems.append(
                    error(
                        path,
                        f"{path} = {v}; verwacht 0 of meer.",
                        f"{path} = {v}; expected 0 or more.",
                        v,
                        code="out_of_range",
                    )
                )
            else:
                values[k] = float(v)
    raise_if_errors(problems)
    return ScorecardInputs(**values)
