"""The quick scan: rule-based findings, then recommendations ranked by impact and effort.

The "voorlopige conclusies en aanbevelingen" of a park. Every finding names the rule, the
companies it concerns and its evidence: each number with its unit, where it comes from (a
park-file field, the baseline, the simulation or a reference value by key) and its data
quality. Rules (thresholds in :class:`QuickscanFactors`, taken from reference data by the
services layer; see docs/assessment.md):

``energy_saving_obligation``
    Energy use on site (offtake + own production - feed-in, as InfoMil counts it) of at
    least 50,000 kWh, or natural gas of at least 25,000 m3 aardgasequivalent. The rule has
    two separate thresholds: electricity is not converted into gas equivalents and added.
    From 10 GWh or 170,000 m3 the research obligation applies.
``office_label_c``
    Office area at least 100 m2 and at least 50 % of the floor area (or BAG use
    ``kantoorfunctie`` only): label C or better required since 2023. The stored energy
    label decides: worse than C is ``label_below_c``; unknown is ``applies`` (check it).
``large_roof_without_pv``
    A roof without PV whose usable area holds at least the SDE++ lower bound (15 kWp).
``connection_capacity``
    A connection whose yearly peak (metered ``peak_kw``, else simulated) is near (>= 80 %) or
    over its contracted capacity (or fuse); or under-used (<= 50 %, grootverbruik).
``heat_pump_candidate``
    Natural gas users from 5,000 m3 a year, with gas intensity per m2 as the suitability test.
``complementary_profiles``
    Feed-in that neighbours could use in the same interval, surplus that a shared battery
    could shift to the evening and night of the same day, and the diversity of peaks.
``peak_drivers``
    The companies whose net load makes up 80 % of the park's peak interval.

The profile rules need the simulated series (:class:`Profiles`); without them they are
listed under ``not_assessed``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parkplan.assess.baseline import Figure, ParkBaseline, worst
from parkplan.domain.model import ENERGY_LABELS, Company, Origin, Park

Effort = Literal["low", "medium", "high"]
EFFORTS: tuple[str, ...] = ("low", "medium", "high")
EFFORT_LABELS: dict[str, tuple[str, str]] = {
    "low": ("laag", "low"),
    "medium": ("middel", "medium"),
    "high": ("hoog", "high"),
}

RULES: tuple[str, ...] = (
    "energy_saving_obligation",
    "office_label_c",
    "large_roof_without_pv",
    "connection_capacity",
    "heat_pump_candidate",
    "complementary_profiles",
    "peak_drivers",
)
"""The rules of the quick scan, in report order."""

PROFILE_RULES: tuple[str, ...] = ("complementary_profiles", "peak_drivers")
"""Rules that need the simulated 15-minute series."""


def fmt(value: float | None, decimals: int = 0, lang: str = "nl") -> str:
    """A number in Dutch (1.234,5) or English (1,234.5) notation; '–' for missing."""
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


LIST_LIMIT = 12
"""Texts name at most this many companies; the ``companies`` field lists them all."""


def ids_text(ids: Sequence[str], lang: str = "nl") -> str:
    """Company ids for a text: at most :data:`LIST_LIMIT`, then "en nog N" / "and N more"."""
    shown = ", ".join(ids[:LIST_LIMIT])
    more = len(ids) - LIST_LIMIT
    if more > 0:
        shown += f" en nog {more}" if lang == "nl" else f" and {more} more"
    return shown


def _n_companies(n: int, lang: str = "nl") -> str:
    if lang == "nl":
        return "1 bedrijf" if n == 1 else f"{n} bedrijven"
    return "1 company" if n == 1 else f"{n} companies"


QUALITY_LABELS: dict[str, tuple[str, str]] = {
    "measured": ("gemeten", "measured"),
    "reported": ("opgegeven", "reported"),
    "open_data": ("open data", "open data"),
    "estimated": ("geschat", "estimated"),
}
"""Data quality (Origin value) -> Dutch, English label."""


def pct(share: float | None, lang: str = "nl") -> str:
    """A share (0-1) as a whole percentage."""
    return "–" if share is None else f"{fmt(100 * share, 0, lang)} %"


# --------------------------------------------------------------------------------------------
# Inputs and results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuickscanFactors:
    """The thresholds and figures of the rules (services take them from reference data)."""

    saving_min_electricity_kwh: float
    saving_min_gas_m3: float
    research_min_electricity_kwh: float
    research_min_gas_m3: float
    label_c_min_office_m2: float
    label_c_min_office_share: float
    label_c_max_primary_kwh_per_m2: float
    pv_min_kwp: float
    """SDE++ lower bound: a roof that holds this much PV counts as large. [kWp]"""
    module_density_kwp_m2: float
    pv_yield_kwh_per_kwp: float
    connection_near_share: float
    connection_underused_share: float
    heat_pump_min_gas_m3: float
    heat_pump_max_gas_m3_per_m2: float
    gas_lower_kwh_per_m3: float
    boiler_efficiency: float
    heat_pump_scop: float
    hub_min_matched_share: float
    hub_min_diversity_share: float
    peak_driver_share: float
    peak_shave_quantile: float
    co2_electricity_kg_per_kwh: float
    co2_gas_kg_per_m3: float
    electricity_eur_per_kwh: float
    """Supply price of electricity (excl. taxes): the value of a kWh not bought. [EUR/kWh]"""
    feed_in_eur_per_kwh: float
    gas_eur_per_m3: float
    pv_capex_eur_per_kwp: float
    effort_weight: Mapping[str, float]
    keys: Mapping[str, str] = field(default_factory=dict)
    """Field name -> reference-data key it came from (for the evidence)."""
    label_c_from_year: float | None = None
    """Year from which offices need label C (``None``: not given; only shown in texts)."""

    def source(self, name: str) -> str:
        """Where a factor came from: ``refdata:<key>`` or ``parameter:<name>``."""
        return f"refdata:{self.keys[name]}" if name in self.keys else f"parameter:{name}"


@dataclass(frozen=True)
class Profiles:
    """The simulated series the profile rules use (companies x intervals). Energies in kWh.

    Build it from a simulation with :func:`profiles_from_simulation`, or by hand in tests.
    """

    company_ids: Sequence[str]
    index: pd.DatetimeIndex
    interval_h: float
    import_kwh: NDArray[np.float64]
    """Offtake per company and interval. [kWh]"""
    export_kwh: NDArray[np.float64]
    """Feed-in per company and interval. [kWh]"""
    pv_kwh: NDArray[np.float64]
    """PV production per company and interval. [kWh]"""
    estimated: Sequence[bool]
    """Whether a company's series rests on a standard profile."""
    peak_import_kw: NDArray[np.float64] | None = None
    """Yearly peak offtake per company; default the maximum of ``import_kwh``. [kW]"""

    def peaks_kw(self) -> NDArray[np.float64]:
        """Yearly peak offtake per company. [kW]"""
        if self.peak_import_kw is not None:
            return np.asarray(self.peak_import_kw, dtype=float)
        if self.import_kwh.shape[1] == 0:
            return np.zeros(len(self.company_ids))
        return self.import_kwh.max(axis=1) / self.interval_h


def profiles_from_simulation(sim: Any) -> Profiles:
    """The series of a :class:`parkplan.energy.simulate.SimulationResult` kept with
    ``keep_series=True``."""
    if sim.flows is None or sim.pv_kwh is None:
        raise ValueError("simulation kept no series (use keep_series=True)")
    return Profiles(
        company_ids=list(sim.company_ids),
        index=sim.index,
        interval_h=float(sim.interval_h),
        import_kwh=np.asarray(sim.flows.import_kwh, dtype=float),
        export_kwh=np.asarray(sim.flows.export_kwh, dtype=float),
        pv_kwh=np.asarray(sim.pv_kwh, dtype=float),
        estimated=[bool(c.estimated) for c in sim.companies],
        peak_import_kw=np.array([c.peak_import_kw for c in sim.companies], dtype=float),
    )


@dataclass(frozen=True)
class Evidence:
    """One number behind a finding: value, unit, source and data quality."""

    key: str
    value: float | str | None
    unit: str
    source: str
    """``park:<path>`` (park file / database), ``baseline:<quantity>``, ``simulation:<what>``,
    ``refdata:<key>`` or ``derived:<formula>``."""
    quality: Origin
    company: str | None = None


@dataclass(frozen=True)
class Finding:
    """A rule that fires, with the companies it concerns and its evidence."""

    rule: str
    status: str
    companies: tuple[str, ...]
    title: tuple[str, str]
    """Dutch, English."""
    text: tuple[str, str]
    evidence: tuple[Evidence, ...]
    quality: Origin
    """The worst data quality of the evidence."""


@dataclass(frozen=True)
class Impact:
    """Yearly impact of a recommendation (``None`` where not quantified)."""

    co2_kg: float | None = None
    eur: float | None = None
    kw: float | None = None


@dataclass(frozen=True)
class Recommendation:
    """A recommendation drawn from findings, with impact and effort."""

    id: str
    based_on: tuple[str, ...]
    companies: tuple[str, ...]
    title: tuple[str, str]
    text: tuple[str, str]
    impact: Impact
    effort: str
    obligation: bool
    score: float = 0.0
    rank: int = 0
    formula: tuple[str, ...] = ()
    """How each impact figure was computed (traceability)."""
    interest: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Survey answers of the companies concerned: ``yes``/``maybe``/``no`` -> company ids
    (the most positive answer over :data:`MEASURE_INTEREST` of the recommendation)."""


MEASURE_INTEREST: dict[str, tuple[str, ...]] = {
    "rooftop_pv": ("rooftop_pv", "shared_solar"),
    "heat_pumps": ("heat_pump",),
    "energy_hub": ("energy_hub", "shared_solar", "shared_battery"),
    "connection_peaks": ("battery", "shared_battery"),
    "peak_management": ("battery", "shared_battery", "energy_hub"),
}
"""Recommendation id -> engagement-survey measures that show interest in it."""


def survey_interest(
    park: Park, company_ids: Sequence[str], measures: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """Per answer (``yes`` > ``maybe`` > ``no``), the companies whose most positive answer
    on ``measures`` it is; companies without an answer are left out."""
    order = {"yes": 0, "maybe": 1, "no": 2}
    by_answer: dict[str, list[str]] = {}
    wanted = set(company_ids)
    for c in park.companies:
        if c.id not in wanted or c.engagement is None:
            continue
        answers = [c.engagement.interest[m] for m in measures if m in c.engagement.interest]
        if answers:
            best = min(answers, key=order.__getitem__)
            by_answer.setdefault(best, []).append(c.id)
    return {a: tuple(by_answer[a]) for a in ("yes", "maybe", "no") if a in by_answer}


def _with_interest(rec: Recommendation, park: Park) -> Recommendation:
    from dataclasses import replace

    measures = MEASURE_INTEREST.get(rec.id)
    if not measures:
        return rec
    interest = survey_interest(park, rec.companies, measures)
    if not interest:
        return rec
    labels = {"yes": ("ja", "yes"), "maybe": ("misschien", "maybe"), "no": ("nee", "no")}
    nl = "; ".join(f"{labels[a][0]} {ids_text(ids)}" for a, ids in interest.items())
    en = "; ".join(f"{labels[a][1]} {ids_text(ids, 'en')}" for a, ids in interest.items())
    return replace(
        rec,
        interest=interest,
        text=(
            f"{rec.text[0]} Interesse (enquête): {nl}.",
            f"{rec.text[1]} Interest (survey): {en}.",
        ),
    )


@dataclass(frozen=True)
class NotAssessed:
    """A rule that could not be applied, and why."""

    rule: str
    reason: tuple[str, str]
    companies: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuickScan:
    """The quick scan of a park."""

    park_id: str
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]
    not_assessed: tuple[NotAssessed, ...]


def _finding(  # noqa: PLR0917 - one argument per part of a finding
    rule: str,
    status: str,
    companies: Sequence[str],
    title: tuple[str, str],
    text: tuple[str, str],
    evidence: Sequence[Evidence],
) -> Finding:
    return Finding(
        rule=rule,
        status=status,
        companies=tuple(companies),
        title=title,
        text=text,
        evidence=tuple(evidence),
        quality=worst(e.quality for e in evidence),
    )


def _ref(factors: QuickscanFactors, name: str, unit: str) -> Evidence:
    return Evidence(name, getattr(factors, name), unit, factors.source(name), Origin.REPORTED)


def _fig_evidence(key: str, fig: Figure, company: str, source: str) -> Evidence:
    return Evidence(key, fig.value, fig.unit, source, fig.quality, company)


# --------------------------------------------------------------------------------------------
# Rules on annual figures
# --------------------------------------------------------------------------------------------


def energy_saving_obligation(
    baseline: ParkBaseline, factors: QuickscanFactors
) -> tuple[list[Finding], list[NotAssessed]]:
    """Companies under the energy-saving obligation (and the research obligation).

    Electricity: use on site = offtake + own production - feed-in [kWh] (InfoMil: bought plus
    self-generated energy, feed-in does not count). Gas: natural gas [m3], which is its own
    m3 aardgasequivalent. Each has its own threshold.
    """
    applies: list[tuple[str, list[Evidence], str]] = []
    research: list[str] = []
    unknown: list[str] = []
    for row in baseline.companies:
        el = row.electricity_demand_kwh
        gas = row.gas_m3
        if el is None and gas is None:
            unknown.append(row.company_id)
            continue
        ev: list[Evidence] = []
        reasons: list[str] = []
        if el is not None:
            ev.append(
                _fig_evidence(
                    "electricity_use_kwh",
                    el,
                    row.company_id,
                    "baseline:electricity_demand_kwh (offtake + production - feed-in)",
                )
            )
            if el.value >= factors.saving_min_electricity_kwh:
                reasons.append("electricity")
            if el.value >= factors.research_min_electricity_kwh:
                research.append(row.company_id)
        if gas is not None:
            ev.append(_fig_evidence("gas_m3_equivalent", gas, row.company_id, "baseline:gas_m3"))
            if gas.value >= factors.saving_min_gas_m3:
                reasons.append("gas")
            if gas.value >= factors.research_min_gas_m3 and row.company_id not in research:
                research.append(row.company_id)
        if reasons:
            applies.append((row.company_id, ev, "+".join(reasons)))
    findings: list[Finding] = []
    if applies:
        ids = [a[0] for a in applies]
        evidence = [e for a in applies for e in a[1]]
        evidence += [
            _ref(factors, "saving_min_electricity_kwh", "kWh/yr"),
            _ref(factors, "saving_min_gas_m3", "m3/yr"),
        ]
        estimated = [a[0] for a in applies if any(e.quality is Origin.ESTIMATED for e in a[1])]
        note_nl = (
            f" Voor {ids_text(estimated)} rust dit op geschatte cijfers (sectornormen)."
            if estimated
            else ""
        )
        note_en = (
            f" For {ids_text(estimated, 'en')} this rests on estimated figures (sector norms)."
            if estimated
            else ""
        )
        carrier_nl = {"electricity": "elektriciteit", "gas": "gas", "electricity+gas": "beide"}
        carrier_en = {"electricity": "electricity", "gas": "gas", "electricity+gas": "both"}
        more = len(applies) - LIST_LIMIT
        by = "; ".join(f"{a[0]} ({carrier_nl[a[2]]})" for a in applies[:LIST_LIMIT])
        by_en = "; ".join(f"{a[0]} ({carrier_en[a[2]]})" for a in applies[:LIST_LIMIT])
        if more > 0:
            by += f" en nog {more}"
            by_en += f" and {more} more"
        findings.append(
            _finding(
                "energy_saving_obligation",
                "applies",
                ids,
                ("Energiebesparingsplicht", "Energy-saving obligation"),
                (
                    f"{_n_companies(len(ids))} vallen onder de energiebesparingsplicht en de"
                    f" informatieplicht (vanaf {fmt(factors.saving_min_electricity_kwh)} kWh"
                    f" elektriciteit of {fmt(factors.saving_min_gas_m3)} m3"
                    f" aardgasequivalent per jaar): {by}. Zij moeten alle maatregelen met een"
                    f" terugverdientijd van 5 jaar of minder nemen.{note_nl}",
                    f"{_n_companies(len(ids), 'en')} fall under the energy-saving obligation and"
                    f" the reporting duty (from {fmt(factors.saving_min_electricity_kwh, 0, 'en')}"
                    f" kWh of electricity or {fmt(factors.saving_min_gas_m3, 0, 'en')} m3 natural"
                    f" gas equivalent a year): {by_en}. They must take every measure with a"
                    f" payback of 5 years or less.{note_en}",
                ),
                evidence,
            )
        )
    if research:
        findings.append(
            _finding(
                "energy_saving_obligation",
                "research_obligation",
                research,
                ("Onderzoeksplicht energiebesparing", "Energy-saving research obligation"),
                (
                    f"{ids_text(research)}: verbruik vanaf"
                    f" {fmt(factors.research_min_electricity_kwh)} kWh of"
                    f" {fmt(factors.research_min_gas_m3)} m3; onderzoeksplicht en"
                    " uitvoeringsplan.",
                    f"{ids_text(research, 'en')}: use from"
                    f" {fmt(factors.research_min_electricity_kwh, 0, 'en')} kWh or"
                    f" {fmt(factors.research_min_gas_m3, 0, 'en')} m3; research obligation and"
                    " implementation plan.",
                ),
                [e for a in applies if a[0] in research for e in a[1]]
                + [
                    _ref(factors, "research_min_electricity_kwh", "kWh/yr"),
                    _ref(factors, "research_min_gas_m3", "m3/yr"),
                ],
            )
        )
    missing = (
        [
            NotAssessed(
                "energy_saving_obligation",
                (
                    "Geen elektriciteits- of gasgegevens en geen vloeroppervlak om ze te schatten.",
                    "No electricity or gas figures and no floor area to estimate them.",
                ),
                tuple(unknown),
            )
        ]
        if unknown
        else []
    )
    return findings, missing


OFFICE_USE = "kantoorfunctie"
"""The BAG use (gebruiksdoel) of offices."""
OFFICE_REQUIRED_LABEL = "C"
"""The worst energy label an office may have: label C (Besluit bouwwerken leefomgeving
art. 5.11, before 2024 Bouwbesluit 2012 art. 5.11; RVO "Energielabel C kantoren"). The
figures of the rule (date, area, share, primary energy) are reference data
(``obligation.office_label_c.*``)."""


def _label_worse_than(label: str, required: str) -> bool:
    """True when energy label ``label`` is worse than ``required`` (``D`` vs ``C``)."""
    return ENERGY_LABELS.index(label) > ENERGY_LABELS.index(required)


def _office_evidence(c: Company, i: int, share: float, share_source: str) -> list[Evidence]:
    area = c.office_area_m2 if c.office_area_m2 is not None else c.floor_area_m2
    area_key = "office_area_m2" if c.office_area_m2 is not None else "floor_area_m2"
    out = [
        Evidence(
            "office_area_m2",
            area,
            "m2",
            f"park:companies[{i}].{area_key}",
            c.origin_of(area_key),
            c.id,
        ),
        Evidence(
            "floor_area_m2",
            c.floor_area_m2,
            "m2",
            f"park:companies[{i}].floor_area_m2",
            c.origin_of("floor_area_m2"),
            c.id,
        ),
    ]
    if share_source == "building_use":
        out.append(
            Evidence(
                "building_use",
                ", ".join(c.building_use),
                "",
                f"park:companies[{i}].building_use",
                c.origin_of("building_use"),
                c.id,
            )
        )
        out.append(
            Evidence(
                "office_share",
                round(share, 4),
                "fraction",
                "derived:building_use only kantoorfunctie",
                c.origin_of("building_use"),
                c.id,
            )
        )
    else:
        out.append(
            Evidence(
                "office_share",
                round(share, 4),
                "fraction",
                "derived:office_area_m2 / floor_area_m2",
                worst([c.origin_of("office_area_m2"), c.origin_of("floor_area_m2")]),
                c.id,
            )
        )
    return out


def _office_share(c: Company) -> tuple[float | None, str]:
    """The office share of the floor area and where it comes from: the stated office area,
    else the BAG uses when the premises are offices only; ``None`` when unknown."""
    if not c.floor_area_m2:
        return None, ""
    if c.office_area_m2 is not None:
        return c.office_area_m2 / c.floor_area_m2, "office_area_m2"
    if c.building_use and set(c.building_use) == {OFFICE_USE}:
        return 1.0, "building_use"
    return None, ""


def office_label_c(
    park: Park, factors: QuickscanFactors
) -> tuple[list[Finding], list[NotAssessed]]:
    """Offices that need energy label C or better, checked against their stored label.

    An office (office area at least ``label_c_min_office_m2`` and at least
    ``label_c_min_office_share`` of the floor area; the office area from ``office_area_m2``,
    or the whole floor area when the BAG uses are ``kantoorfunctie`` only) with a label
    worse than C is a finding ``label_below_c``; without a known label ``applies`` (check
    the label); with label C or better nothing is found.
    """
    below: list[str] = []
    unknown_label: list[str] = []
    evidence_below: list[Evidence] = []
    evidence_unknown: list[Evidence] = []
    unknown: list[str] = []
    mixed: list[str] = []
    for i, c in enumerate(park.companies):
        share, share_source = _office_share(c)
        if share is None:
            if c.office_area_m2 is None and c.floor_area_m2:
                if OFFICE_USE in c.building_use:
                    mixed.append(c.id)
                elif _is_office_sector(c):
                    unknown.append(c.id)
            continue
        area = c.office_area_m2 if c.office_area_m2 is not None else c.floor_area_m2
        if not (
            area is not None
            and area >= factors.label_c_min_office_m2
            and share >= factors.label_c_min_office_share
        ):
            continue
        evidence = _office_evidence(c, i, share, share_source)
        label = c.energy_label
        if label is None:
            unknown_label.append(c.id)
            evidence_unknown += evidence
        elif _label_worse_than(label, OFFICE_REQUIRED_LABEL):
            below.append(c.id)
            evidence_below += [
                *evidence,
                Evidence(
                    "energy_label",
                    label,
                    "",
                    f"park:companies[{i}].energy_label",
                    c.origin_of("energy_label"),
                    c.id,
                ),
            ]
    refs = [
        _ref(factors, "label_c_min_office_m2", "m2"),
        _ref(factors, "label_c_min_office_share", "fraction"),
        _ref(factors, "label_c_max_primary_kwh_per_m2", "kWh/m2/yr"),
    ]
    if factors.label_c_from_year is not None:
        refs.append(_ref(factors, "label_c_from_year", "year"))
    since_nl = since_en = ""
    if factors.label_c_from_year is not None:
        since_nl = f" sinds 1-1-{int(factors.label_c_from_year)}"
        since_en = f" since 1 January {int(factors.label_c_from_year)}"
    findings: list[Finding] = []
    if below:
        labels = {c.id: c.energy_label for c in park.companies}
        which_nl = ", ".join(f"{cid} label {labels[cid]}" for cid in below)
        findings.append(
            _finding(
                "office_label_c",
                "label_below_c",
                below,
                (
                    "Kantoren met een energielabel slechter dan C",
                    "Offices with an energy label worse than C",
                ),
                (
                    f"{which_nl}: een kantoor van minstens"
                    f" {fmt(factors.label_c_min_office_m2)} m2 moet{since_nl} label"
                    f" {OFFICE_REQUIRED_LABEL} of beter hebben (hoogstens"
                    f" {fmt(factors.label_c_max_primary_kwh_per_m2)} kWh primaire fossiele"
                    " energie per m2 per jaar); met dit label mag het gebouw niet als kantoor"
                    " worden gebruikt.",
                    f"{which_nl}: an office of at least"
                    f" {fmt(factors.label_c_min_office_m2, 0, 'en')} m2 needs label"
                    f" {OFFICE_REQUIRED_LABEL} or better{since_en} (at most"
                    f" {fmt(factors.label_c_max_primary_kwh_per_m2, 0, 'en')} kWh primary fossil"
                    " energy per m2 a year); with this label the building may not be used as an"
                    " office.",
                ),
                evidence_below + refs,
            )
        )
    if unknown_label:
        findings.append(
            _finding(
                "office_label_c",
                "applies",
                unknown_label,
                ("Kantoren: energielabel C verplicht", "Offices: energy label C required"),
                (
                    f"{ids_text(unknown_label)}: kantoorfunctie van minstens"
                    f" {fmt(factors.label_c_min_office_m2)} m2 en minstens"
                    f" {pct(factors.label_c_min_office_share)} van het vloeroppervlak; het"
                    f" gebouw moet{since_nl} label {OFFICE_REQUIRED_LABEL} of beter hebben"
                    f" (hoogstens {fmt(factors.label_c_max_primary_kwh_per_m2)} kWh primaire"
                    " fossiele energie per m2 per jaar). Het energielabel is onbekend:"
                    " controleer het in EP-Online (of vul het met parkplan enrich --labels).",
                    f"{ids_text(unknown_label, 'en')}: office use of at least"
                    f" {fmt(factors.label_c_min_office_m2, 0, 'en')} m2 and at least"
                    f" {pct(factors.label_c_min_office_share, 'en')} of the floor area; the"
                    f" building needs label {OFFICE_REQUIRED_LABEL} or better{since_en} (at most"
                    f" {fmt(factors.label_c_max_primary_kwh_per_m2, 0, 'en')} kWh primary fossil"
                    " energy per m2 a year). The energy label is unknown: check it in EP-Online"
                    " (or fill it with parkplan enrich --labels).",
                ),
                evidence_unknown + refs,
            )
        )
    missing: list[NotAssessed] = []
    if unknown:
        missing.append(
            NotAssessed(
                "office_label_c",
                (
                    "Kantoorsector zonder opgegeven kantooroppervlak (office_area_m2).",
                    "Office sector without a stated office area (office_area_m2).",
                ),
                tuple(unknown),
            )
        )
    if mixed:
        missing.append(
            NotAssessed(
                "office_label_c",
                (
                    "Kantoorfunctie naast andere gebruiksdoelen (BAG) zonder opgegeven"
                    " kantooroppervlak (office_area_m2).",
                    "Office use next to other uses (BAG) without a stated office area"
                    " (office_area_m2).",
                ),
                tuple(mixed),
            )
        )
    return findings, missing


def _is_office_sector(c: Company) -> bool:
    from parkplan.assess.baseline import sector_group

    return sector_group(c.sbi) == "offices"


def large_roofs_without_pv(
    park: Park, factors: QuickscanFactors
) -> tuple[list[Finding], dict[str, dict[str, float]]]:
    """Roofs without PV that hold at least ``pv_min_kwp``; returns potential per company."""
    evidence: list[Evidence] = []
    per_company: dict[str, dict[str, float]] = {}
    for i, c in enumerate(park.companies):
        for k, r in enumerate(c.roofs):
            if (r.existing_pv_kwp or 0.0) > 0:
                continue
            kwp = r.area_m2 * r.usable_fraction * factors.module_density_kwp_m2
            if kwp < factors.pv_min_kwp:
                continue
            kwh = kwp * factors.pv_yield_kwh_per_kwp
            d = per_company.setdefault(c.id, {"kwp": 0.0, "kwh": 0.0, "area_m2": 0.0})
            d["kwp"] += kwp
            d["kwh"] += kwh
            d["area_m2"] += r.area_m2
            path = f"park:companies[{i}].roofs[{k}]"
            q = worst([r.origin_of("area_m2"), r.origin_of("usable_fraction")])
            evidence += [
                Evidence("roof_area_m2", r.area_m2, "m2", f"{path}.area_m2", q, c.id),
                Evidence(
                    "usable_fraction",
                    r.usable_fraction,
                    "fraction",
                    f"{path}.usable_fraction",
                    q,
                    c.id,
                ),
                Evidence(
                    "potential_kwp",
                    round(kwp, 2),
                    "kWp",
                    "derived:area_m2 x usable_fraction x module_density_kwp_m2",
                    Origin.ESTIMATED,
                    c.id,
                ),
                Evidence(
                    "potential_kwh",
                    round(kwh, 1),
                    "kWh/yr",
                    "derived:potential_kwp x pv_yield_kwh_per_kwp",
                    Origin.ESTIMATED,
                    c.id,
                ),
            ]
    if not per_company:
        return [], {}
    evidence += [
        _ref(factors, "pv_min_kwp", "kWp"),
        _ref(factors, "module_density_kwp_m2", "kWp/m2"),
        _ref(factors, "pv_yield_kwh_per_kwp", "kWh/kWp/yr"),
    ]
    kwp = sum(d["kwp"] for d in per_company.values())
    kwh = sum(d["kwh"] for d in per_company.values())
    area = sum(d["area_m2"] for d in per_company.values())
    ids = list(per_company)
    return [
        _finding(
            "large_roof_without_pv",
            "unused",
            ids,
            ("Grote daken zonder zonnepanelen", "Large roofs without solar panels"),
            (
                f"{_n_companies(len(ids))} ({ids_text(ids)}) hebben samen {fmt(area)} m2"
                f" dak zonder zonnepanelen, goed voor ongeveer {fmt(kwp)} kWp en"
                f" {fmt(kwh / 1000)} MWh per jaar.",
                f"{_n_companies(len(ids), 'en')} ({ids_text(ids, 'en')}) have"
                f" {fmt(area, 0, 'en')} m2 of roof without solar panels together, good for"
                f" about {fmt(kwp, 0, 'en')} kWp and {fmt(kwh / 1000, 0, 'en')} MWh a year.",
            ),
            evidence,
        )
    ], per_company


def _limit_kw(c: Company) -> float | None:
    from parkplan.energy import grid as gridmod

    conns = c.electricity_connections
    if not conns:
        return None
    limits = [gridmod.import_limit_kw(x) for x in conns]
    if any(v is None for v in limits):
        return gridmod.import_limit_kw(conns[0])
    return float(sum(v for v in limits if v is not None))


def connection_capacity(
    park: Park, factors: QuickscanFactors, profiles: Profiles | None
) -> tuple[list[Finding], list[NotAssessed], dict[str, dict[str, float]]]:
    """Connections near or over their contracted capacity (or fuse), and under-used ones."""
    groups: dict[str, list[tuple[str, list[Evidence], float, float]]] = {
        f"{status}{suffix}": []
        for suffix in ("", "_estimated")
        for status in ("over", "near", "underused")
    }
    unknown: list[str] = []
    pos = {cid: k for k, cid in enumerate(profiles.company_ids)} if profiles else {}
    sim_peaks = profiles.peaks_kw() if profiles else None
    for i, c in enumerate(park.companies):
        limit = _limit_kw(c)
        conn = c.main_connection
        peak: float | None = None
        ev: list[Evidence] = []
        if c.electricity is not None and c.electricity.peak_kw is not None:
            peak = float(c.electricity.peak_kw)
            ev.append(
                Evidence(
                    "peak_kw",
                    peak,
                    "kW",
                    f"park:companies[{i}].electricity.peak_kw",
                    c.electricity.origin_of("peak_kw"),
                    c.id,
                )
            )
        elif sim_peaks is not None and c.id in pos:
            assert profiles is not None
            peak = float(sim_peaks[pos[c.id]])
            ev.append(
                Evidence(
                    "peak_kw",
                    round(peak, 2),
                    "kW",
                    "simulation:peak_import_kw",
                    Origin.ESTIMATED if profiles.estimated[pos[c.id]] else Origin.MEASURED,
                    c.id,
                )
            )
        if limit is None or peak is None or conn is None:
            unknown.append(c.id)
            continue
        field_name = "contracted_kw" if conn.contracted_kw is not None else "fuse"
        ev.append(
            Evidence(
                "limit_kw",
                round(limit, 2),
                "kW",
                f"park:companies[{i}].connection.{field_name}",
                conn.origin_of(field_name),
                c.id,
            )
        )
        share = peak / limit if limit > 0 else math.inf
        ev.append(
            Evidence(
                "peak_share",
                round(share, 4),
                "fraction",
                "derived:peak_kw / limit_kw",
                worst(e.quality for e in ev),
                c.id,
            )
        )
        # a peak from a standard profile is only an indication: its own status
        suffix = "_estimated" if any(e.quality is Origin.ESTIMATED for e in ev) else ""
        if share > 1.0:
            groups["over" + suffix].append((c.id, ev, peak, limit))
        elif share >= factors.connection_near_share:
            groups["near" + suffix].append((c.id, ev, peak, limit))
        elif (
            conn.kind == "grootverbruik"
            and conn.contracted_kw is not None
            and share <= factors.connection_underused_share
        ):
            groups["underused" + suffix].append((c.id, ev, peak, limit))
    findings: list[Finding] = []
    excess: dict[str, dict[str, float]] = {}
    texts = {
        "over": (
            ("Aansluiting boven contract", "Connection over its contract"),
            "piek boven het gecontracteerde vermogen of de zekering",
            "peak above the contracted capacity or fuse",
        ),
        "near": (
            ("Aansluiting dicht bij contract", "Connection near its contract"),
            f"piek op {pct(factors.connection_near_share)} of meer van het contract",
            f"peak at {pct(factors.connection_near_share, 'en')} or more of the contract",
        ),
        "underused": (
            ("Contract ruim onderbenut", "Contract largely unused"),
            f"piek op {pct(factors.connection_underused_share)} of minder van het contract"
            " ('use it or lose it')",
            f"peak at {pct(factors.connection_underused_share, 'en')} or less of the contract"
            " ('use it or lose it')",
        ),
    }
    for status, rows in groups.items():
        if not rows:
            continue
        base_status = status.removesuffix("_estimated")
        estimated = status != base_status
        title, what_nl, what_en = texts[base_status]
        if estimated:
            title = (f"{title[0]} (geschat)", f"{title[1]} (estimated)")
        evidence = [e for r in rows for e in r[1]]
        evidence.append(
            _ref(
                factors,
                "connection_underused_share"
                if base_status == "underused"
                else "connection_near_share",
                "fraction",
            )
        )
        shown = rows[:LIST_LIMIT]
        more = len(rows) - len(shown)
        detail_nl = "; ".join(f"{r[0]} {fmt(r[2])} van {fmt(r[3])} kW" for r in shown)
        detail_en = "; ".join(
            f"{r[0]} {fmt(r[2], 0, 'en')} of {fmt(r[3], 0, 'en')} kW" for r in shown
        )
        if more:
            detail_nl += f" en nog {more}"
            detail_en += f" and {more} more"
        est_nl = (
            " Geschat met een standaardprofiel: controleer met kwartierwaarden (meterdata)."
            if estimated
            else ""
        )
        est_en = (
            " Estimated from a standard profile: check with 15-minute meter data."
            if estimated
            else ""
        )
        findings.append(
            _finding(
                "connection_capacity",
                status,
                [r[0] for r in rows],
                title,
                (
                    f"{what_nl.capitalize()}: {detail_nl}.{est_nl}",
                    f"{what_en.capitalize()}: {detail_en}.{est_en}",
                ),
                evidence,
            )
        )
        for cid, _ev, peak, limit in rows:
            excess[cid] = {"status": status, "peak_kw": peak, "limit_kw": limit}  # type: ignore[dict-item]
    missing = (
        [
            NotAssessed(
                "connection_capacity",
                (
                    "Geen piek (meting of simulatie) of geen gecontracteerd vermogen/zekering.",
                    "No peak (metered or simulated) or no contracted capacity/fuse.",
                ),
                tuple(unknown),
            )
        ]
        if unknown
        else []
    )
    return findings, missing, excess


def heat_pump_candidates(
    park: Park, baseline: ParkBaseline, factors: QuickscanFactors
) -> tuple[list[Finding], dict[str, dict[str, float]]]:
    """Gas users suited for a heat pump, with the yearly effect of replacing all gas.

    Useful heat = gas [m3] x lower calorific value [kWh/m3] x boiler efficiency; heat-pump
    electricity = useful heat / SCOP; CO2 saved = gas x f_gas - electricity x f_el.
    """
    rows = {r.company_id: r for r in baseline.companies}
    suited: dict[str, dict[str, float]] = {}
    evidence: list[Evidence] = []
    check_first: list[str] = []
    planned: list[str] = []
    for i, c in enumerate(park.companies):
        gas = rows[c.id].gas_m3
        if gas is None or gas.value < factors.heat_pump_min_gas_m3:
            continue
        if c.plans is not None and "heat_pump" in c.plans.electrification:
            planned.append(c.id)
            continue
        ev = [_fig_evidence("gas_m3", gas, c.id, "baseline:gas_m3")]
        intensity = gas.value / c.floor_area_m2 if c.floor_area_m2 else None
        if intensity is not None:
            ev.append(
                Evidence(
                    "gas_m3_per_m2",
                    round(intensity, 3),
                    "m3/m2/yr",
                    f"derived:gas_m3 / park:companies[{i}].floor_area_m2",
                    worst([gas.quality, c.origin_of("floor_area_m2")]),
                    c.id,
                )
            )
            if intensity > factors.heat_pump_max_gas_m3_per_m2:
                check_first.append(c.id)
        heat = gas.value * factors.gas_lower_kwh_per_m3 * factors.boiler_efficiency
        hp_kwh = heat / factors.heat_pump_scop
        co2 = gas.value * factors.co2_gas_kg_per_m3 - hp_kwh * factors.co2_electricity_kg_per_kwh
        eur = gas.value * factors.gas_eur_per_m3 - hp_kwh * factors.electricity_eur_per_kwh
        ev += [
            Evidence(
                "heat_pump_kwh",
                round(hp_kwh, 1),
                "kWh/yr",
                "derived:gas_m3 x gas_lower_kwh_per_m3 x boiler_efficiency / heat_pump_scop",
                Origin.ESTIMATED,
                c.id,
            ),
            Evidence(
                "co2_saved_kg",
                round(co2, 1),
                "kg/yr",
                "derived:gas_m3 x co2_gas - heat_pump_kwh x co2_electricity",
                Origin.ESTIMATED,
                c.id,
            ),
        ]
        evidence += ev
        suited[c.id] = {"gas_m3": gas.value, "hp_kwh": hp_kwh, "co2_kg": co2, "eur": eur}
    if not suited:
        return [], {}
    evidence += [
        _ref(factors, "heat_pump_min_gas_m3", "m3/yr"),
        _ref(factors, "heat_pump_max_gas_m3_per_m2", "m3/m2/yr"),
        _ref(factors, "gas_lower_kwh_per_m3", "kWh/m3"),
        _ref(factors, "boiler_efficiency", "fraction"),
        _ref(factors, "heat_pump_scop", "-"),
        _ref(factors, "co2_gas_kg_per_m3", "kg/m3"),
        _ref(factors, "co2_electricity_kg_per_kwh", "kg/kWh"),
    ]
    ids = list(suited)
    gas_total = sum(d["gas_m3"] for d in suited.values())
    co2_total = sum(d["co2_kg"] for d in suited.values())
    first_nl = (
        f" Bij {ids_text(check_first)} is het gasverbruik per m2 hoger dan"
        f" {fmt(factors.heat_pump_max_gas_m3_per_m2, 1)} m3/m2: eerst isoleren of"
        " proceswarmte nagaan."
        if check_first
        else ""
    )
    first_en = (
        f" At {ids_text(check_first, 'en')} gas use per m2 exceeds"
        f" {fmt(factors.heat_pump_max_gas_m3_per_m2, 1, 'en')} m3/m2: insulate or check process"
        " heat first."
        if check_first
        else ""
    )
    plan_nl = f" Al gepland: {ids_text(planned)}." if planned else ""
    plan_en = f" Already planned: {ids_text(planned, 'en')}." if planned else ""
    return [
        _finding(
            "heat_pump_candidate",
            "suited",
            ids,
            ("Gasverbruikers geschikt voor een warmtepomp", "Gas users suited for a heat pump"),
            (
                f"{ids_text(ids)} gebruiken samen {fmt(gas_total)} m3 gas per jaar. Met een"
                f" warmtepomp daalt de CO2-uitstoot met ongeveer {fmt(co2_total / 1000, 1)} ton"
                f" per jaar; de aansluiting moet het extra vermogen aankunnen.{first_nl}{plan_nl}",
                f"{ids_text(ids, 'en')} use {fmt(gas_total, 0, 'en')} m3 of gas a year together. A"
                f" heat pump cuts CO2 by about {fmt(co2_total / 1000, 1, 'en')} tonnes a year;"
                f" the connection must carry the extra load.{first_en}{plan_en}",
            ),
            evidence,
        )
    ], suited


# --------------------------------------------------------------------------------------------
# Rules on the simulated series
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Complementarity:
    """How much of the park's feed-in neighbours could use. Energies per year in kWh."""

    export_kwh: float
    """Park feed-in (sum of the companies' own feed-in)."""
    import_kwh: float
    matched_kwh: float
    """sum over intervals of min(park feed-in, park offtake): usable by neighbours at once."""
    shiftable_kwh: float
    """Surplus left after matching that a shared store could move to the evening and night
    of the same day: sum over days of min(surplus left, offtake in intervals without PV)."""
    by_exporter_kwh: Mapping[str, float]
    """Each company's feed-in usable by others at once (pro rata of the park feed-in)."""
    partners_kwh: Mapping[str, Mapping[str, float]]
    """Exporter -> importer -> sum over intervals of min(feed-in, offtake) (pairwise bound)."""
    sum_of_peaks_kw: float
    coincident_peak_kw: float

    @property
    def matched_share(self) -> float:
        """Share of the park feed-in usable by neighbours at once."""
        return self.matched_kwh / self.export_kwh if self.export_kwh > 0 else 0.0

    @property
    def diversity_kw(self) -> float:
        """Sum of individual peaks minus the coincident peak. [kW]"""
        return self.sum_of_peaks_kw - self.coincident_peak_kw

    @property
    def diversity_share(self) -> float:
        """Diversity as a share of the sum of individual peaks."""
        return self.diversity_kw / self.sum_of_peaks_kw if self.sum_of_peaks_kw > 0 else 0.0


def complementarity(profiles: Profiles, top_partners: int = 3) -> Complementarity:
    """Quantify complementary profiles (see :class:`Complementarity`)."""
    imp = profiles.import_kwh
    exp = profiles.export_kwh
    ids = list(profiles.company_ids)
    e_t = exp.sum(axis=0)
    i_t = imp.sum(axis=0)
    matched_t = np.minimum(e_t, i_t)
    ratio = np.divide(matched_t, e_t, out=np.zeros_like(e_t), where=e_t > 0)
    by_exporter = {cid: float((exp[k] * ratio).sum()) for k, cid in enumerate(ids)}
    partners: dict[str, dict[str, float]] = {}
    for k, cid in enumerate(ids):
        if exp[k].sum() <= 0:
            continue
        pair = np.minimum(exp[k][None, :], imp).sum(axis=1)
        pair[k] = 0.0
        order = np.argsort(-pair, kind="stable")[:top_partners]
        partners[cid] = {ids[j]: float(pair[j]) for j in order if pair[j] > 0}
    # same-day shift: surplus left after matching, offtake in intervals without PV
    surplus_t = e_t - matched_t
    no_pv = profiles.pv_kwh.sum(axis=0) <= 0
    local = profiles.index.tz_convert("Europe/Amsterdam") if profiles.index.tz else profiles.index
    day = np.asarray(local.normalize().asi8)
    _, day_id = np.unique(day, return_inverse=True)
    n_days = int(day_id.max()) + 1 if len(day_id) else 0
    s_d = np.bincount(day_id, weights=surplus_t, minlength=n_days)
    n_d = np.bincount(day_id, weights=np.where(no_pv, i_t - matched_t, 0.0), minlength=n_days)
    shiftable = float(np.minimum(s_d, n_d).sum())
    net_t = (imp - exp).sum(axis=0)
    coincident = float(net_t.max() / profiles.interval_h) if len(net_t) else 0.0
    return Complementarity(
        export_kwh=float(e_t.sum()),
        import_kwh=float(i_t.sum()),
        matched_kwh=float(matched_t.sum()),
        shiftable_kwh=shiftable,
        by_exporter_kwh=by_exporter,
        partners_kwh=partners,
        sum_of_peaks_kw=float(profiles.peaks_kw().sum()),
        coincident_peak_kw=coincident,
    )


def complementary_profiles(
    profiles: Profiles, factors: QuickscanFactors
) -> tuple[list[Finding], Complementarity]:
    """The hub finding: fires when matched share or peak diversity reaches its threshold."""
    comp = complementarity(profiles)
    q = Origin.ESTIMATED if any(profiles.estimated) else Origin.MEASURED
    fires = (
        comp.export_kwh > 0 and comp.matched_share >= factors.hub_min_matched_share
    ) or comp.diversity_share >= factors.hub_min_diversity_share
    if not fires:
        return [], comp
    evidence = [
        Evidence(
            "park_export_kwh", round(comp.export_kwh, 1), "kWh/yr", "simulation:export_kwh", q
        ),
        Evidence(
            "park_import_kwh", round(comp.import_kwh, 1), "kWh/yr", "simulation:import_kwh", q
        ),
        Evidence(
            "matched_kwh",
            round(comp.matched_kwh, 1),
            "kWh/yr",
            "derived:sum_t min(park export_t, park import_t)",
            q,
        ),
        Evidence(
            "matched_share",
            round(comp.matched_share, 4),
            "fraction",
            "derived:matched_kwh / park_export_kwh",
            q,
        ),
        Evidence(
            "shiftable_kwh",
            round(comp.shiftable_kwh, 1),
            "kWh/yr",
            "derived:sum_day min(surplus left, import in intervals without PV)",
            q,
        ),
        Evidence(
            "sum_of_peaks_kw",
            round(comp.sum_of_peaks_kw, 2),
            "kW",
            "simulation:peak_import_kw (sum)",
            q,
        ),
        Evidence(
            "coincident_peak_kw",
            round(comp.coincident_peak_kw, 2),
            "kW",
            "derived:max_t sum(import - export) / interval_h",
            q,
        ),
        Evidence(
            "diversity_kw",
            round(comp.diversity_kw, 2),
            "kW",
            "derived:sum_of_peaks_kw - coincident_peak_kw",
            q,
        ),
        _ref(factors, "hub_min_matched_share", "fraction"),
        _ref(factors, "hub_min_diversity_share", "fraction"),
    ]
    for exporter, partners in comp.partners_kwh.items():
        evidence.append(
            Evidence(
                "usable_by_others_kwh",
                round(comp.by_exporter_kwh[exporter], 1),
                "kWh/yr",
                "derived:export_i x matched_t / park export_t",
                q,
                exporter,
            )
        )
        for partner, kwh in partners.items():
            evidence.append(
                Evidence(
                    f"pair_kwh:{partner}",
                    round(kwh, 1),
                    "kWh/yr",
                    f"derived:sum_t min(export {exporter}, import {partner})",
                    q,
                    exporter,
                )
            )
    exporters = [cid for cid, v in comp.by_exporter_kwh.items() if v > 0]
    takers = sorted({p for d in comp.partners_kwh.values() for p in d})
    ids = sorted(set(exporters) | set(takers)) or list(profiles.company_ids)

    def pairs(lang: str) -> str:
        parts = []
        ranked = sorted(comp.partners_kwh, key=lambda e: (-comp.by_exporter_kwh[e], e))
        for e in ranked[:LIST_LIMIT]:
            d = comp.partners_kwh[e]
            if d:
                takers_text = ", ".join(f"{p} {fmt(v, 0, lang)} kWh" for p, v in d.items())
                parts.append(f"{e} → {takers_text}")
        return "; ".join(parts)

    pairs_nl, pairs_en = pairs("nl"), pairs("en")
    return [
        _finding(
            "complementary_profiles",
            "hub_worthwhile",
            ids,
            ("Profielen vullen elkaar aan: energiehub", "Complementary profiles: energy hub"),
            (
                f"Van de {fmt(comp.export_kwh)} kWh teruglevering per jaar kunnen buren"
                f" {fmt(comp.matched_kwh)} kWh ({pct(comp.matched_share)}) in hetzelfde kwartier"
                f" gebruiken; nog {fmt(comp.shiftable_kwh)} kWh overschot overdag past in de"
                f" avond- en nachtvraag van dezelfde dag (met opslag). De gezamenlijke piek"
                f" ({fmt(comp.coincident_peak_kw)} kW) ligt {fmt(comp.diversity_kw)} kW"
                f" ({pct(comp.diversity_share)}) onder de som van de pieken."
                f" Paren: {pairs_nl or '–'}.",
                f"Of the {fmt(comp.export_kwh, 0, 'en')} kWh fed in per year, neighbours can use"
                f" {fmt(comp.matched_kwh, 0, 'en')} kWh ({pct(comp.matched_share, 'en')}) in the"
                f" same quarter hour; another {fmt(comp.shiftable_kwh, 0, 'en')} kWh of daytime"
                " surplus fits the evening and night demand of the same day (with storage). The"
                f" coincident peak ({fmt(comp.coincident_peak_kw, 0, 'en')} kW) is"
                f" {fmt(comp.diversity_kw, 0, 'en')} kW ({pct(comp.diversity_share, 'en')}) below"
                f" the sum of the peaks. Pairs: {pairs_en or '–'}.",
            ),
            evidence,
        )
    ], comp


@dataclass(frozen=True)
class PeakDrivers:
    """The companies that drive the park's peak."""

    peak_kw: float
    interval: str
    """Start of the peak interval (ISO, local time)."""
    contributions_kw: Mapping[str, float]
    """Net load of each company in the peak interval, largest first. [kW]"""
    drivers: tuple[str, ...]
    shave_kw: float
    """Park peak minus the ``peak_shave_quantile`` of the park's net load. [kW]"""
    months_as_driver: Mapping[str, int] = field(default_factory=dict)
    """Per company: in how many monthly park peaks it is a driver (same rule)."""
    months: int = 0
    """Calendar months in the series."""


def _drivers_at(net: NDArray[np.float64], t: int, share: float, ids: Sequence[str]) -> list[str]:
    """Companies (largest net load first) that make up ``share`` of the park load at ``t``."""
    load = net[:, t]
    peak = float(load.sum())
    order = sorted(range(len(ids)), key=lambda k: (-load[k], ids[k]))
    out: list[str] = []
    total = 0.0
    for k in order:
        if load[k] <= 0 or (peak > 0 and total >= share * peak):
            break
        out.append(ids[k])
        total += float(load[k])
    return out


def peak_drivers(
    profiles: Profiles, factors: QuickscanFactors
) -> tuple[list[Finding], PeakDrivers]:
    """The companies making up ``peak_driver_share`` of the park's net load at its peak."""
    net = profiles.import_kwh - profiles.export_kwh
    park_net = net.sum(axis=0)
    t = int(np.argmax(park_net))
    dt = profiles.interval_h
    peak_kw = float(park_net[t] / dt)
    ids = list(profiles.company_ids)
    contrib = {cid: float(net[k, t] / dt) for k, cid in enumerate(ids)}
    order = sorted(contrib, key=lambda c: (-contrib[c], c))
    drivers = _drivers_at(net, t, factors.peak_driver_share, ids)
    total = sum(contrib[c] for c in drivers)
    # the same rule at each calendar month's park peak
    local_index = (
        profiles.index.tz_convert("Europe/Amsterdam") if profiles.index.tz else profiles.index
    )
    month_key = np.asarray(local_index.year * 12 + local_index.month - 1)
    months_as_driver: dict[str, int] = {}
    months = np.unique(month_key)
    for m in months:
        idx = np.flatnonzero(month_key == m)
        tm = int(idx[np.argmax(park_net[idx])])
        if park_net[tm] <= 0:
            continue
        for cid in _drivers_at(net, tm, factors.peak_driver_share, ids):
            months_as_driver[cid] = months_as_driver.get(cid, 0) + 1
    shave = peak_kw - float(np.quantile(park_net, factors.peak_shave_quantile) / dt)
    local = (
        profiles.index[t].tz_convert("Europe/Amsterdam") if profiles.index.tz else profiles.index[t]
    )
    pd_ = PeakDrivers(
        peak_kw=peak_kw,
        interval=local.isoformat(),
        contributions_kw={c: contrib[c] for c in order},
        drivers=tuple(drivers),
        shave_kw=shave,
        months_as_driver=dict(sorted(months_as_driver.items(), key=lambda kv: (-kv[1], kv[0]))),
        months=len(months),
    )
    if peak_kw <= 0 or not drivers:
        return [], pd_
    q = Origin.ESTIMATED if any(profiles.estimated) else Origin.MEASURED
    evidence = [
        Evidence("park_peak_kw", round(peak_kw, 2), "kW", "simulation:max_t park net load", q),
        Evidence("peak_interval", pd_.interval, "time", "simulation:argmax_t park net load", q),
    ]
    evidence += [
        Evidence(
            "contribution_kw",
            round(contrib[c], 2),
            "kW",
            "simulation:net load in the peak interval",
            q,
            c,
        )
        for c in drivers
    ]
    evidence += [
        Evidence(
            "shave_kw",
            round(shave, 2),
            "kW",
            "derived:park_peak_kw - quantile(park net load, peak_shave_quantile)",
            q,
        ),
        _ref(factors, "peak_driver_share", "fraction"),
        _ref(factors, "peak_shave_quantile", "fraction"),
    ]
    evidence += [
        Evidence(
            "months_as_driver",
            n,
            "months",
            "simulation:drivers at each calendar month's park peak (same rule)",
            q,
            c,
        )
        for c, n in pd_.months_as_driver.items()
    ]
    share = total / peak_kw
    top = list(pd_.months_as_driver.items())[:3]
    months_txt = ", ".join(f"{c} {n}×" for c, n in top)
    when_nl = local.strftime("%d-%m-%Y %H:%M")
    who_nl = ", ".join(f"{c} ({fmt(contrib[c])} kW)" for c in drivers[:LIST_LIMIT])
    who_en = ", ".join(f"{c} ({fmt(contrib[c], 0, 'en')} kW)" for c in drivers[:LIST_LIMIT])
    if len(drivers) > LIST_LIMIT:
        who_nl += f" en nog {len(drivers) - LIST_LIMIT}"
        who_en += f" and {len(drivers) - LIST_LIMIT} more"
    return [
        _finding(
            "peak_drivers",
            "drivers",
            drivers,
            ("Bedrijven die de parkpiek bepalen", "Companies that drive the park peak"),
            (
                f"De parkpiek van {fmt(peak_kw)} kW (kwartier vanaf {when_nl}) komt voor"
                f" {pct(share)} van {who_nl}."
                f" Boven het {fmt(100 * factors.peak_shave_quantile)}e percentiel ligt"
                f" {fmt(shave)} kW piek die met piekmanagement bij deze bedrijven te scheren is."
                f" Maandpieken (van {pd_.months}) bepaald door: {months_txt}.",
                f"The park peak of {fmt(peak_kw, 0, 'en')} kW (quarter hour from"
                f" {local.strftime('%Y-%m-%d %H:%M')}) comes for {pct(share, 'en')} from"
                f" {who_en}."
                f" Above the {fmt(100 * factors.peak_shave_quantile, 0, 'en')}th percentile lie"
                f" {fmt(shave, 0, 'en')} kW of peak that peak management at these companies"
                f" could shave. Monthly peaks (of {pd_.months}) driven by: {months_txt}.",
            ),
            evidence,
        )
    ], pd_


# --------------------------------------------------------------------------------------------
# Recommendations
# --------------------------------------------------------------------------------------------


def _recommendations(  # noqa: PLR0917 - the outputs of the rules
    findings: Sequence[Finding],
    factors: QuickscanFactors,
    roofs: Mapping[str, Mapping[str, float]],
    connections: Mapping[str, Mapping[str, float]],
    heat_pumps: Mapping[str, Mapping[str, float]],
    comp: Complementarity | None,
    peaks: PeakDrivers | None,
) -> list[Recommendation]:
    recs: list[Recommendation] = []
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    f_el = factors.co2_electricity_kg_per_kwh
    for f in by_rule.get("energy_saving_obligation", []):
        if f.status != "applies":
            continue
        who = ids_text(f.companies)
        recs.append(
            Recommendation(
                id="energy_saving_measures",
                based_on=("energy_saving_obligation",),
                companies=f.companies,
                title=(
                    "Erkende maatregelen nemen en melden",
                    "Take and report the recognised measures",
                ),
                text=(
                    f"{who}: loop de Erkende Maatregelenlijst van de sector na, neem alle"
                    " maatregelen met een terugverdientijd van 5 jaar of minder en meld ze"
                    " (informatieplicht, elke 4 jaar) via het eLoket van RVO.",
                    f"{who}: go through the sector's list of recognised measures, take every"
                    " measure with a payback of 5 years or less and report them (every 4 years)"
                    " through RVO's eLoket.",
                ),
                impact=Impact(),
                effort="low",
                obligation=True,
            )
        )
    for f in by_rule.get("office_label_c", []):
        who = ids_text(f.companies)
        below = f.status == "label_below_c"
        recs.append(
            Recommendation(
                id="office_label_c_upgrade" if below else "office_label_c",
                based_on=("office_label_c",),
                companies=f.companies,
                title=("Energielabel C voor kantoren", "Energy label C for offices"),
                text=(
                    f"{who}: verbeter het gebouw tot label C of beter (isolatie, installaties,"
                    " zonnepanelen) en laat een nieuw label registreren; laat een maatwerkadvies"
                    " maken.",
                    f"{who}: improve the building to label C or better (insulation,"
                    " installations, solar panels) and have a new label registered; have a"
                    " tailored advice made.",
                )
                if below
                else (
                    f"{who}: controleer het energielabel; zonder label C mag het kantoor niet"
                    " als kantoor worden gebruikt. Laat zo nodig een maatwerkadvies maken.",
                    f"{who}: check the energy label; without label C the building may not be"
                    " used as an office. Have a tailored advice made where needed.",
                ),
                impact=Impact(),
                effort="medium",
                obligation=True,
            )
        )
    if roofs:
        kwp = sum(d["kwp"] for d in roofs.values())
        kwh = sum(d["kwh"] for d in roofs.values())
        ids = tuple(roofs)
        recs.append(
            Recommendation(
                id="rooftop_pv",
                based_on=("large_roof_without_pv",),
                companies=ids,
                title=("Zonnepanelen op grote daken", "Solar panels on large roofs"),
                text=(
                    f"Leg ongeveer {fmt(kwp)} kWp op de daken van {ids_text(ids)}"
                    f" (investering rond € {fmt(kwp * factors.pv_capex_eur_per_kwp)}); check de"
                    " dakconstructie en de terugleverruimte van de aansluiting.",
                    f"Install about {fmt(kwp, 0, 'en')} kWp on the roofs of {ids_text(ids, 'en')}"
                    f" (investment around EUR {fmt(kwp * factors.pv_capex_eur_per_kwp, 0, 'en')});"
                    " check the roof structure and the connection's feed-in capacity.",
                ),
                impact=Impact(co2_kg=kwh * f_el, eur=kwh * factors.electricity_eur_per_kwh),
                effort="medium",
                obligation=False,
                formula=(
                    "co2_kg = potential_kwh x co2_electricity_kg_per_kwh",
                    "eur = potential_kwh x electricity_eur_per_kwh (supply price; lower bound)",
                ),
            )
        )
    over = [c for c, d in connections.items() if d["status"] == "over"]
    near = [c for c, d in connections.items() if d["status"] == "near"]
    under = [c for c, d in connections.items() if d["status"] == "underused"]
    if over or near:
        ids = tuple(over + near)
        kw = sum(connections[c]["peak_kw"] - connections[c]["limit_kw"] for c in over)
        recs.append(
            Recommendation(
                id="connection_peaks",
                based_on=("connection_capacity",),
                companies=ids,
                title=("Pieken binnen het contract houden", "Keep peaks within the contract"),
                text=(
                    f"{ids_text(ids)}: verschuif of beperk pieken (sturing, batterij) of vraag"
                    " tijdig meer transportvermogen aan; bij netcongestie kan dat lang duren.",
                    f"{ids_text(ids, 'en')}: shift or limit peaks (control, battery) or apply for"
                    " more transport capacity in time; under congestion that can take long.",
                ),
                impact=Impact(kw=kw if over else None),
                effort="low",
                obligation=False,
                formula=("kw = sum over connections above contract of (peak_kw - limit_kw)",),
            )
        )
    unsure = [
        c for c, d in connections.items() if d["status"] in ("over_estimated", "near_estimated")
    ]
    if unsure:
        recs.append(
            Recommendation(
                id="meter_data",
                based_on=("connection_capacity",),
                companies=tuple(unsure),
                title=("Kwartierwaarden opvragen", "Request 15-minute meter data"),
                text=(
                    f"{ids_text(unsure)}: de piek is geschat met een standaardprofiel en ligt"
                    " dicht bij of boven de grens van de aansluiting; vraag de kwartierwaarden"
                    " op (netbeheerder, slimme meter) voordat er maatregelen volgen.",
                    f"{ids_text(unsure, 'en')}: the peak is estimated from a standard profile and"
                    " lies near or above the connection's limit; request the 15-minute values"
                    " (grid operator, smart meter) before taking measures.",
                ),
                impact=Impact(),
                effort="low",
                obligation=False,
            )
        )
    if under:
        kw = sum(connections[c]["limit_kw"] - connections[c]["peak_kw"] for c in under)
        recs.append(
            Recommendation(
                id="release_capacity",
                based_on=("connection_capacity",),
                companies=tuple(under),
                title=("Ongebruikt transportvermogen benutten", "Put unused capacity to use"),
                text=(
                    f"{ids_text(under)}: gebruik het ongebruikte contractvermogen voor"
                    " elektrificatie of deel het in een groepscontract (GTO); anders kan de"
                    " netbeheerder het verlagen ('use it or lose it').",
                    f"{ids_text(under, 'en')}: use the unused contracted capacity for"
                    " electrification or share it in a group contract (GTO); otherwise the grid"
                    " operator may reduce it ('use it or lose it').",
                ),
                impact=Impact(kw=kw),
                effort="low",
                obligation=False,
                formula=("kw = sum of (limit_kw - peak_kw) of the under-used connections",),
            )
        )
    if heat_pumps:
        ids = tuple(heat_pumps)
        recs.append(
            Recommendation(
                id="heat_pumps",
                based_on=("heat_pump_candidate",),
                companies=ids,
                title=("Van gas naar warmtepomp", "From gas to heat pumps"),
                text=(
                    f"{ids_text(ids)}: laat een warmtepompadvies maken (temperatuurniveau,"
                    " isolatie, ruimte op de aansluiting); combineer met zonnepanelen.",
                    f"{ids_text(ids, 'en')}: have a heat-pump advice made (temperature level,"
                    " insulation, room on the connection); combine with solar panels.",
                ),
                impact=Impact(
                    co2_kg=sum(d["co2_kg"] for d in heat_pumps.values()),
                    eur=sum(d["eur"] for d in heat_pumps.values()),
                ),
                effort="high",
                obligation=False,
                formula=(
                    "co2_kg = gas_m3 x co2_gas_kg_per_m3"
                    " - heat_pump_kwh x co2_electricity_kg_per_kwh",
                    "eur = gas_m3 x gas_eur_per_m3 - heat_pump_kwh x electricity_eur_per_kwh"
                    " (supply prices, excl. taxes)",
                ),
            )
        )
    if comp is not None and "complementary_profiles" in by_rule:
        f = by_rule["complementary_profiles"][0]
        recs.append(
            Recommendation(
                id="energy_hub",
                based_on=("complementary_profiles",),
                companies=f.companies,
                title=(
                    "Energiehub met groepstransportovereenkomst verkennen",
                    "Explore an energy hub with a group transport agreement",
                ),
                text=(
                    f"Deel zonnestroom binnen het park ({fmt(comp.matched_kwh)} kWh per jaar"
                    f" gelijktijdig bruikbaar) en één groepscontract: de gezamenlijke piek ligt"
                    f" {fmt(comp.diversity_kw)} kW onder de som van de pieken. Simuleer een"
                    " hubscenario (parkplan simulate --scenario).",
                    f"Share solar power within the park ({fmt(comp.matched_kwh, 0, 'en')} kWh a"
                    " year usable at the same time) and one group contract: the coincident peak"
                    f" is {fmt(comp.diversity_kw, 0, 'en')} kW below the sum of the peaks."
                    " Simulate a hub scenario (parkplan simulate --scenario).",
                ),
                impact=Impact(
                    co2_kg=comp.matched_kwh * f_el,
                    eur=comp.matched_kwh
                    * (factors.electricity_eur_per_kwh - factors.feed_in_eur_per_kwh),
                    kw=comp.diversity_kw,
                ),
                effort="high",
                obligation=False,
                formula=(
                    "co2_kg = matched_kwh x co2_electricity_kg_per_kwh",
                    "eur = matched_kwh x (electricity_eur_per_kwh - feed_in_eur_per_kwh)",
                    "kw = sum_of_peaks_kw - coincident_peak_kw",
                ),
            )
        )
    if peaks is not None and "peak_drivers" in by_rule and peaks.shave_kw > 0:
        recs.append(
            Recommendation(
                id="peak_management",
                based_on=("peak_drivers",),
                companies=peaks.drivers,
                title=("Piekmanagement bij de piekbepalers", "Peak management at the peak drivers"),
                text=(
                    f"Spreek met {ids_text(peaks.drivers)} af om pieken te verschuiven; dat"
                    f" scheert tot {fmt(peaks.shave_kw)} kW van de parkpiek.",
                    f"Agree with {ids_text(peaks.drivers, 'en')} to shift peaks; that shaves up to"
                    f" {fmt(peaks.shave_kw, 0, 'en')} kW off the park peak.",
                ),
                impact=Impact(kw=peaks.shave_kw),
                effort="medium",
                obligation=False,
                formula=("kw = park_peak_kw - quantile(park net load, peak_shave_quantile)",),
            )
        )
    return rank_recommendations(recs, factors.effort_weight)


def rank_recommendations(
    recs: Sequence[Recommendation], effort_weight: Mapping[str, float]
) -> list[Recommendation]:
    """Order recommendations: legal obligations first, then by score.

    score = (co2 / max co2 + eur / max eur + kw / max kw) / effort weight, each impact
    normalised by the largest of its kind among the recommendations (missing or negative
    impacts count 0). Ties are broken by id.
    """
    from dataclasses import replace

    def max_of(attr: str) -> float:
        vals = [getattr(r.impact, attr) or 0.0 for r in recs]
        return max([v for v in vals if v > 0], default=0.0)

    maxima = {a: max_of(a) for a in ("co2_kg", "eur", "kw")}
    scored = []
    for r in recs:
        s = 0.0
        for a, m in maxima.items():
            v = getattr(r.impact, a) or 0.0
            if m > 0 and v > 0:
                s += v / m
        scored.append(replace(r, score=round(s / effort_weight[r.effort], 6)))
    scored.sort(key=lambda r: (not r.obligation, -r.score, r.id))
    return [replace(r, rank=k + 1) for k, r in enumerate(scored)]


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def quickscan(
    park: Park,
    baseline: ParkBaseline,
    factors: QuickscanFactors,
    profiles: Profiles | None = None,
    *,
    profiles_missing: tuple[str, str] | None = None,
) -> QuickScan:
    """The quick scan of a park: findings, ranked recommendations, rules not assessed.

    Parameters
    ----------
    park : Park
        The park.
    baseline : ParkBaseline
        Its baseline (energy figures with data quality).
    factors : QuickscanFactors
        Thresholds and figures, with their reference-data keys.
    profiles : Profiles, optional
        Simulated series; without them the profile rules are not assessed and connection
        peaks come only from metered ``peak_kw``.
    profiles_missing : (str, str), optional
        Why there are no series (Dutch, English), for ``not_assessed``.
    """
    findings: list[Finding] = []
    not_assessed: list[NotAssessed] = []
    f, na = energy_saving_obligation(baseline, factors)
    findings += f
    not_assessed += na
    f, na = office_label_c(park, factors)
    findings += f
    not_assessed += na
    f, roofs = large_roofs_without_pv(park, factors)
    findings += f
    f, na, conns = connection_capacity(park, factors, profiles)
    findings += f
    not_assessed += na
    f, hps = heat_pump_candidates(park, baseline, factors)
    findings += f
    comp: Complementarity | None = None
    peaks: PeakDrivers | None = None
    if profiles is not None and len(profiles.company_ids) > 0:
        f, comp = complementary_profiles(profiles, factors)
        findings += f
        f, peaks = peak_drivers(profiles, factors)
        findings += f
    else:
        for rule in PROFILE_RULES:
            not_assessed.append(
                NotAssessed(
                    rule,
                    profiles_missing
                    or (
                        "Geen gesimuleerde kwartierreeksen beschikbaar.",
                        "No simulated 15-minute series available.",
                    ),
                )
            )
    recs = [
        _with_interest(r, park)
        for r in _recommendations(findings, factors, roofs, conns, hps, comp, peaks)
    ]
    return QuickScan(park.id, tuple(findings), tuple(recs), tuple(not_assessed))
