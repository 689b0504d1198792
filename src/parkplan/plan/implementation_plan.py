"""The model uitvoeringsplan, built from the park's own numbers (pure: no files, no database).

:func:`build_implementation_plan` turns a park, its baseline and the stored analysis results
(simulation, quick scan, business cases, benefit sharing, optimisation; each optional) into
an :class:`~parkplan.plan.model.ImplementationPlan`. Every number is taken from those
results or computed from them with a formula named in the plan; reference values (target
years, phase durations, organisation thresholds) come in through :class:`PlanFactors`,
which the services layer fills from ``refdata/plan.csv``. An analysis that has not been run
is listed in ``missing`` and its chapter says so; nothing is invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from parkplan.assess.baseline import SECTOR_GROUPS, ParkBaseline
from parkplan.domain.model import Origin, Park
from parkplan.plan.model import (
    Action,
    BaselineSummary,
    Conclusion,
    ImplementationPlan,
    Kpi,
    Measure,
    OrganisationOption,
    Phase,
    Risk,
    Role,
    Share,
    Target,
    format_value,
)


@dataclass(frozen=True)
class PlanFactors:
    """Reference values the plan needs (from ``refdata/plan.csv``, overridable per park)."""

    energy_neutral_year: int
    co2_reduction_2030: float
    """Reduction of CO2 in 2030 relative to the baseline. [fraction]"""
    climate_neutral_year: int
    phase_months: Mapping[str, int]
    """Duration per phase: preparation, feasibility, realisation, monitoring. [months]"""
    small_park_companies: int
    strong_bond: float
    """Mean bond score from which the bond counts as strong. [1-5]"""
    low_response_share: float
    biz_min_turnout: float
    biz_min_approval: float
    biz_max_years: int


@dataclass
class PlanInputs:
    """Everything the plan is built from."""

    park: Park
    baseline: ParkBaseline
    factors: PlanFactors
    start: date
    """First day of the roadmap (the plan's issue date)."""
    simulation: Mapping[str, Any] | None = None
    quickscan: Mapping[str, Any] | None = None
    scorecard: Mapping[str, Any] | None = None
    business_case: Mapping[str, Any] | None = None
    share: Mapping[str, Any] | None = None
    optimization: Mapping[str, Any] | None = None
    lang: str = "nl"
    sources: dict[str, str] = field(default_factory=dict)
    """Analysis -> description of the stored result used (kind, id, date)."""


PHASES: tuple[str, ...] = ("preparation", "feasibility", "realisation", "monitoring")

MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "energy_hub": ("Energiehub met groepstransportovereenkomst", "Energy hub with a GTO"),
    "shared_solar": ("Gedeeld zonnepark / gedeelde zonnepanelen", "Shared solar"),
    "shared_battery": ("Gedeelde batterij", "Shared battery"),
    "rooftop_pv": ("Zonnepanelen op eigen dak", "Rooftop PV"),
    "battery": ("Batterij per bedrijf", "Battery per company"),
    "heat_pump": ("Warmtepomp", "Heat pump"),
    "ev_charging": ("Laadpunten voor elektrische voertuigen", "EV charging"),
    "joint_procurement": ("Gezamenlijke energie-inkoop", "Joint procurement"),
    "greening": ("Vergroening", "Greening"),
    "water_storage": ("Waterberging", "Water storage"),
    "pv": ("Zonnepanelen", "Solar PV"),
    "charger": ("Laadpunten", "Chargers"),
    "shared_pv": ("Gedeelde zonnepanelen", "Shared PV"),
}


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (clipped to the 28th to stay valid)."""
    m = day.month - 1 + months
    return date(day.year + m // 12, m % 12 + 1, min(day.day, 28))


def _pick(text: Any, lang: str) -> str:
    """A text stored as ``[nl, en]``, ``{"nl":..,"en":..}`` or a plain string."""
    if isinstance(text, list | tuple) and text:
        return str(text[1] if lang == "en" and len(text) > 1 else text[0])
    if isinstance(text, Mapping):
        return str(text.get(lang) or text.get("nl") or "")
    return "" if text is None else str(text)


# --------------------------------------------------------------------------------------------
# Baseline and targets
# --------------------------------------------------------------------------------------------


def baseline_summary(baseline: ParkBaseline, lang: str = "nl") -> BaselineSummary:
    """Headline figures of the baseline, CO2 in tonnes, with data-quality shares."""
    totals = baseline.park.totals
    label = 1 if lang == "en" else 0
    sectors = sorted(
        ((SECTOR_GROUPS[s.key][label], s.companies, s.co2_kg / 1000.0) for s in baseline.sectors),
        key=lambda r: -r[2],
    )
    counts = dict.fromkeys(Origin, 0)
    known = 0
    for c in baseline.companies:
        f = c.electricity_offtake_kwh
        if f is not None:
            counts[f.quality] += 1
            known += 1
    quality = {o.value: (counts[o] / known if known else 0.0) for o in Origin}
    return BaselineSummary(
        companies=baseline.park.companies,
        electricity_offtake_kwh=totals["electricity_offtake_kwh"].value,
        gas_m3=totals["gas_m3"].value,
        co2_t=baseline.park.co2_kg / 1000.0,
        co2_by_source_t={
            "electricity": totals["co2_electricity_kg"].value / 1000.0,
            "gas": totals["co2_gas_kg"].value / 1000.0,
            "fleet": totals["co2_fleet_kg"].value / 1000.0,
        },
        sectors=tuple(sectors),
        estimated_share=totals["electricity_offtake_kwh"].estimated_share,
        measured_share=totals["electricity_offtake_kwh"].measured_share,
        quality_shares=quality,
    )


def renewable_share(inputs: PlanInputs) -> float | None:
    """Local solar production as a share of electricity demand on site (simulation). [0-1]"""
    sim = inputs.simulation
    if not sim:
        return None
    park = sim.get("park") or {}
    demand = park.get("demand_kwh")
    if not demand:
        return None
    return float(park.get("pv_kwh") or 0.0) / float(demand)


def targets(inputs: PlanInputs, base: BaselineSummary) -> list[Target]:
    """The ambition as targets with years: CO2 2030, energy neutral, climate neutral."""
    f, lang = inputs.factors, inputs.lang
    pct = round(f.co2_reduction_2030 * 100)
    out = [
        Target(
            "co2_2030",
            _t(lang, "CO2-uitstoot van het park in 2030", "Park CO2 emissions in 2030"),
            2030,
            base.co2_t * (1.0 - f.co2_reduction_2030),
            "t CO2/jr" if lang == "nl" else "t CO2/yr",
            _t(
                lang,
                f"nulmeting x (1 - {pct} %), Klimaatwet-doel toegepast op de nulmeting",
                f"baseline x (1 - {pct} %), the Climate Act target applied to the baseline",
            ),
        ),
        Target(
            "renewable_share",
            _t(lang, "Energieneutraal: lokale opwek / elektriciteitsvraag", "Energy neutral: "
               "local generation / electricity demand"),
            f.energy_neutral_year,
            100.0,
            "%",
            _t(lang, "provinciale ambitie energieneutrale bedrijventerreinen",
               "provincial ambition of energy-neutral business parks"),
        ),
        Target(
            "co2_neutral",
            _t(lang, "CO2-uitstoot van het park (klimaatneutraal)", "Park CO2 (climate neutral)"),
            f.climate_neutral_year,
            0.0,
            "t CO2/jr" if lang == "nl" else "t CO2/yr",
            _t(lang, "Klimaatwet: klimaatneutraal", "Climate Act: climate neutral"),
        ),
    ]  # fmt: skip
    return out


def kpi_years(start_year: int, factors: PlanFactors) -> list[int]:
    """The years the KPI table shows: every year up to 2030, then the target years."""
    years = list(range(start_year + 1, 2031))
    for y in (factors.energy_neutral_year, factors.climate_neutral_year):
        if y > start_year and y not in years:
            years.append(y)
    return sorted(years)


def _linear(v0: float, y0: int, v1: float, y1: int, year: int) -> float:
    if year >= y1:
        return v1
    return v0 + (v1 - v0) * (year - y0) / (y1 - y0)


def kpis(inputs: PlanInputs, base: BaselineSummary) -> list[Kpi]:
    """Monitoring KPIs with a target per year (straight lines between the targets)."""
    f, lang = inputs.factors, inputs.lang
    y0 = inputs.start.year
    years = kpi_years(y0, f)
    co2_2030 = base.co2_t * (1.0 - f.co2_reduction_2030)
    co2 = {}
    for y in years:
        if y <= 2030:
            co2[y] = _linear(base.co2_t, y0, co2_2030, 2030, y)
        else:
            co2[y] = _linear(co2_2030, 2030, 0.0, f.climate_neutral_year, y)
    out = [
        Kpi(
            "co2_t",
            _t(lang, "CO2-uitstoot park", "Park CO2 emissions"),
            "t/jr" if lang == "nl" else "t/yr",
            base.co2_t,
            co2,
            0,
            _t(lang, "nulmeting; doelen uit de ambitie", "baseline; targets from the ambition"),
        )
    ]
    share = renewable_share(inputs)
    if share is not None:
        out.append(
            Kpi(
                "renewable_share",
                _t(lang, "Lokale opwek / vraag", "Local generation / demand"),
                "%",
                share * 100.0,
                {
                    y: _linear(share * 100.0, y0, 100.0, f.energy_neutral_year, y)
                    for y in years
                },
                0,
                _t(lang, "simulatie (zonnestroom / vraag op locatie)",
                   "simulation (solar / demand on site)"),
            )
        )  # fmt: skip
        park = (inputs.simulation or {}).get("park") or {}
        if park.get("available_import_kw"):
            end = add_months(inputs.start, sum(f.phase_months[p] for p in PHASES[:3])).year
            h0 = float(park.get("exceeded_import_hours") or 0.0)
            out.append(
                Kpi(
                    "exceeded_hours",
                    _t(lang, "Uren boven beschikbaar netvermogen", "Hours above available grid "
                       "capacity"),
                    "h/jr" if lang == "nl" else "h/yr",
                    h0,
                    {y: _linear(h0, y0, 0.0, max(end, y0 + 1), y) for y in years},
                    1,
                    _t(lang, "simulatie; doel 0 aan het eind van de realisatie",
                       "simulation; target 0 at the end of realisation"),
                )
            )  # fmt: skip
    kwp0 = sum(r.existing_pv_kwp for c in inputs.park.companies for r in c.roofs)
    opt = inputs.optimization
    if opt:
        added = _optimum_pv_kwp(opt)
        if added is not None:
            kwp1 = kwp0 + added
            end = add_months(inputs.start, sum(f.phase_months[p] for p in PHASES[:3])).year
            out.append(
                Kpi(
                    "pv_kwp",
                    _t(lang, "Opgesteld zonvermogen", "Installed solar capacity"),
                    "kWp",
                    kwp0,
                    {y: _linear(kwp0, y0, kwp1, max(end, y0 + 1), y) for y in years},
                    0,
                    _t(
                        lang,
                        "parkgegevens; doel uit de optimale configuratie",
                        "park data; target from the optimal configuration",
                    ),
                )
            )
    return out


def _optimum_pv_kwp(opt: Mapping[str, Any]) -> float | None:
    """PV the optimal configuration adds (companies outside the hub alone, plus the hub),
    when the result names it. [kWp]"""
    total = 0.0
    found = False
    sites = [c.get("alone") for c in opt.get("companies") or [] if not c.get("in_hub")]
    if opt.get("hub"):
        sites.append(opt["hub"])
    for s in sites:
        if isinstance(s, Mapping) and s.get("pv_added_kwp") is not None:
            total += float(s["pv_added_kwp"])
            found = True
    return total if found else None


# --------------------------------------------------------------------------------------------
# Quick scan, measures, sharing
# --------------------------------------------------------------------------------------------


def conclusions(quickscan: Mapping[str, Any] | None, lang: str = "nl") -> list[Conclusion]:
    """The quick scan's recommendations (ranked) as conclusions, text as stored."""
    if not quickscan:
        return []
    recs = list(quickscan.get("recommendations") or [])
    recs.sort(key=lambda r: r.get("rank") or 10**6)
    out = []
    for r in recs:
        impact = r.get("impact") or {}
        co2 = impact.get("co2_kg")
        out.append(
            Conclusion(
                title=_pick(r.get("title"), lang),
                text=_pick(r.get("text"), lang),
                co2_t=None if co2 is None else float(co2) / 1000.0,
                eur=impact.get("eur"),
                kw=impact.get("kw"),
                obligation=bool(r.get("obligation")),
            )
        )
    return out


def measures(inputs: PlanInputs) -> list[Measure]:
    """Measures from the business cases: per measure kind for companies, and collective."""
    bc = inputs.business_case
    if not bc:
        return []
    lang = inputs.lang
    label = 1 if lang == "en" else 0
    src = inputs.sources.get("business_case", "business_case")
    by_kind: dict[str, dict[str, Any]] = {}
    saving: dict[str, list[tuple[Any, Any, Any]]] = {}
    mixed: set[str] = set()
    for c in bc.get("companies") or []:
        kinds = {str(m.get("kind") or "measure") for m in c.get("measures") or []}
        for kind in kinds:
            saving.setdefault(kind, []).append(
                (c.get("annual_saving_eur"), c.get("npv_eur"), c.get("payback_years"))
            )
            if len(kinds) > 1:
                mixed.add(kind)
        for m in c.get("measures") or []:
            kind = str(m.get("kind") or "measure")
            empty = {"companies": set(), "size": 0.0, "capex": 0.0, "unknown": False}
            agg = by_kind.setdefault(kind, {**empty, "unit": m.get("size_unit") or ""})
            agg["companies"].add(c.get("id"))
            agg["size"] += float(m.get("size") or 0.0)
            if m.get("capex_eur") is None:
                agg["unknown"] = True
            else:
                agg["capex"] += float(m["capex_eur"])
    out = []
    for kind, agg in by_kind.items():
        rows = saving.get(kind, [])
        single = kind not in mixed and rows and all(r[0] is not None for r in rows)
        npv_known = single and all(r[1] is not None for r in rows)
        out.append(
            Measure(
                key=kind,
                label=MEASURE_LABELS.get(kind, (kind, kind))[label],
                scope="individual",
                companies=len(agg["companies"]),
                size=agg["size"] or None,
                size_unit=str(agg["unit"]),
                investment_eur=None if agg["unknown"] else agg["capex"],
                yearly_saving_eur=sum(float(r[0]) for r in rows) if single else None,
                npv_eur=sum(float(r[1]) for r in rows) if npv_known else None,
                irr=None,
                payback_years=rows[0][2] if single and len(rows) == 1 else None,
                co2_saving_t=None,
                source=src,
            )
        )
    coll = bc.get("collective") or {}
    if coll.get("capex_eur") or coll.get("annual_benefit_eur") or coll.get("hubs"):
        members = {m for h in coll.get("hubs") or [] for m in h.get("members") or []}
        out.append(
            Measure(
                key="collective",
                label=_t(lang, "Collectief: energiehub en gedeelde installaties",
                         "Collective: energy hub and shared assets"),
                scope="collective",
                companies=len(members),
                size=None,
                size_unit="",
                investment_eur=coll.get("capex_eur"),
                yearly_saving_eur=coll.get("annual_benefit_eur"),
                npv_eur=coll.get("npv_eur"),
                irr=coll.get("irr"),
                payback_years=coll.get("payback_years"),
                co2_saving_t=None,
                source=src,
            )
        )  # fmt: skip
    return out


def company_cases(bc: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Per company: name, bill before and after, investment, subsidy, NPV, IRR, payback."""
    if not bc:
        return []
    return [
        {
            "id": c.get("id"),
            "name": c.get("name") or c.get("id"),
            "bill_before_eur": c.get("bill_before_eur"),
            "bill_after_eur": c.get("bill_after_eur"),
            "capex_eur": c.get("capex_eur"),
            "subsidy_eur": c.get("subsidy_eur"),
            "npv_eur": c.get("npv_eur"),
            "irr": c.get("irr"),
            "payback_years": c.get("payback_years"),
        }
        for c in bc.get("companies") or []
        if c.get("capex_eur")
    ]


def shares(share: Mapping[str, Any] | None, names: Mapping[str, str]) -> list[Share]:
    """The split of the collective benefit per company (as stored by ``parkplan share``)."""
    if not share:
        return []
    method = str(share.get("method") or "")
    out = []
    for c in share.get("companies") or []:
        value = c.get("benefit_eur")
        out.append(
            Share(
                company=names.get(str(c.get("id")), str(c.get("id"))),
                shapley_eur=value if method == "shapley" else None,
                simple_key_eur=None if method == "shapley" else value,
                simple_key=method,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Organisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParkProfile:
    """What the organisation advice rests on, from the park's data."""

    companies: int
    respondents: int
    response_share: float
    mean_bond_park: float | None
    mean_bond_companies: float | None
    hub_interest: int
    """Companies answering yes or maybe to the energy hub."""
    business_association: bool | None
    park_management: bool | None
    biz: bool | None
    sustainability_group: bool | None
    grootverbruik: int


def park_profile(park: Park) -> ParkProfile:
    """Size, organisation degree and engagement of a park."""
    answered = [c.engagement for c in park.companies if c.engagement is not None]
    bp = [e.bond_with_park for e in answered if e.bond_with_park is not None]
    bc = [e.bond_with_companies for e in answered if e.bond_with_companies is not None]
    hub = sum(
        1
        for e in answered
        if e.interest.get("energy_hub") in ("yes", "maybe")
        or e.interest.get("shared_battery") in ("yes", "maybe")
    )
    n = len(park.companies)
    org = park.organisation
    return ParkProfile(
        companies=n,
        respondents=len(answered),
        response_share=len(answered) / n if n else 0.0,
        mean_bond_park=sum(bp) / len(bp) if bp else None,
        mean_bond_companies=sum(bc) / len(bc) if bc else None,
        hub_interest=hub,
        business_association=org.business_association if org else None,
        park_management=org.park_management if org else None,
        biz=org.biz if org else None,
        sustainability_group=org.sustainability_group if org else None,
        grootverbruik=sum(
            1
            for c in park.companies
            for k in c.electricity_connections
            if k.kind == "grootverbruik"
        ),
    )


def _n(x: float, decimals: int = 0, lang: str = "nl") -> str:
    return format_value(x, decimals, lang)


def organisation_options(
    profile: ParkProfile, factors: PlanFactors, lang: str = "nl"
) -> list[OrganisationOption]:
    """Vereniging, stichting, BIZ, coöperatie and energy-hub entity: pros and cons here."""
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    n, p = profile.companies, profile
    bond = p.mean_bond_park
    strong = bond is not None and bond >= factors.strong_bond
    low_resp = p.response_share < factors.low_response_share
    small = n < factors.small_park_companies
    resp_txt = _n(p.response_share * 100, 0, lang)
    bond_txt = _n(bond, 1, lang) if bond is not None else "-"
    turnout = _n(factors.biz_min_turnout * 100, 0, lang)
    approval = _n(factors.biz_min_approval * 100, 0, lang)

    ver_pros = [
        t(
            "laagdrempelig: leden beslissen zelf in de algemene ledenvergadering",
            "low threshold: members decide in the general meeting",
        )
    ]
    if p.business_association:
        ver_pros.append(
            t(
                "het park heeft al een ondernemersvereniging om op voort te bouwen",
                "the park already has a business association to build on",
            )
        )
    ver_cons = [
        t(
            "lidmaatschap is vrijwillig: meeliften blijft mogelijk",
            "membership is voluntary: free riding remains possible",
        )
    ]
    if low_resp:
        ver_cons.append(
            t(
                f"slechts {resp_txt} % van de bedrijven deed mee aan de enquête",
                f"only {resp_txt} % of the companies answered the survey",
            )
        )
    options = [
        OrganisationOption(
            "vereniging", t("Vereniging (ondernemersvereniging)", "Association"),
            t("belangenbehartiging en gezamenlijke acties", "representation and joint action"),
            tuple(ver_pros), tuple(ver_cons),
            "recommended" if p.business_association or small else "possible",
        ),
        OrganisationOption(
            "stichting", t("Stichting parkmanagement", "Park-management foundation"),
            t("uitvoering van parkmanagement met een klein bestuur",
              "running park management with a small board"),
            (t("slagvaardig: het bestuur beslist", "decisive: the board decides"),
             *((t("sluit aan op het bestaande parkmanagement", "fits the existing park "
                  "management"),) if p.park_management else ())),
            (t("geen leden: ondernemers hebben minder directe zeggenschap",
               "no members: entrepreneurs have less direct say"),),
            "recommended" if p.park_management else "possible",
        ),
    ]  # fmt: skip
    biz_pros = [
        t(
            "iedere eigenaar of gebruiker betaalt mee: geen meeliften",
            "every owner or user pays: no free riding",
        )
    ]
    if strong:
        biz_pros.append(
            t(
                f"de binding met het park is sterk (gemiddeld {bond_txt} op 1-5)",
                f"the bond with the park is strong (mean {bond_txt} on 1-5)",
            )
        )
    biz_cons = [
        t(
            f"draagvlakmeting nodig: minstens {turnout} % opkomst en {approval} % voor",
            f"a ballot is needed: at least {turnout} % turnout and {approval} % in favour",
        ),
        t(
            f"looptijd hoogstens {factors.biz_max_years} jaar, daarna opnieuw stemmen",
            f"runs at most {factors.biz_max_years} years, then a new vote",
        ),
    ]
    if low_resp:
        biz_cons.append(
            t(
                f"de respons op de enquête ({resp_txt} %) maakt de opkomst onzeker",
                f"the survey response ({resp_txt} %) makes the turnout uncertain",
            )
        )
    if small:
        biz_cons.append(
            t(
                f"met {n} bedrijven weegt de uitvoeringslast zwaar",
                f"with {n} companies the administrative load weighs heavily",
            )
        )
    options.append(
        OrganisationOption(
            "biz", t("Bedrijveninvesteringszone (BIZ)", "Business improvement zone (BIZ)"),
            t("een heffing via de gemeente voor gezamenlijke investeringen in het park",
              "a levy collected by the municipality for joint investments in the park"),
            tuple(biz_pros), tuple(biz_cons),
            "recommended" if (strong and not low_resp and not small and not p.biz)
            else ("possible" if not small else "less_suitable"),
        )
    )  # fmt: skip
    hub_txt = _n(p.hub_interest, 0, lang)
    coop_pros = [
        t(
            "leden delen opbrengsten en risico's van gezamenlijke installaties",
            "members share revenues and risks of joint assets",
        ),
        t(
            f"{hub_txt} bedrijven tonen interesse in een energiehub of gedeelde batterij",
            f"{hub_txt} companies show interest in an energy hub or shared battery",
        ),
    ]
    coop_cons = [
        t(
            "vraagt inleg en een eigen bestuur en administratie",
            "needs capital and its own board and accounts",
        )
    ]
    options.append(
        OrganisationOption(
            "cooperatie", t("Coöperatie", "Cooperative"),
            t("gezamenlijk investeren in opwek, opslag en inkoop",
              "joint investment in generation, storage and procurement"),
            tuple(coop_pros), tuple(coop_cons),
            "recommended" if p.hub_interest >= factors.small_park_companies / 2 else "possible",
        )
    )  # fmt: skip
    gv = _n(p.grootverbruik, 0, lang)
    options.append(
        OrganisationOption(
            "energy_hub", t("Energiehub-entiteit (bv of coöperatie met GTO)",
                            "Energy-hub entity (company or cooperative with a GTO)"),
            t("contractpartij voor de netbeheerder bij een groepstransportovereenkomst",
              "the grid operator's counterparty for a group transport agreement"),
            (t(f"bundelt {gv} grootverbruikaansluitingen in één contract met de netbeheerder",
               f"bundles {gv} large-consumer connections in one contract with the operator"),
             t("kosten en baten vooraf verdelen (Shapley of een eenvoudige sleutel)",
               "costs and benefits split by agreement beforehand (Shapley or a simple key)")),
            (t("juridisch en technisch nieuw: afspraken over sturing en aansprakelijkheid nodig",
               "legally and technically new: agreements on control and liability needed"),),
            "recommended" if p.grootverbruik >= 2 and p.hub_interest > 0 else "less_suitable",
        )
    )  # fmt: skip
    return options


def roles(lang: str = "nl") -> list[Role]:
    """The parties and their tasks in carrying out the plan."""
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    return [
        Role(t("Ondernemers", "Entrepreneurs"), (
            t("leveren gegevens en nemen besluiten over eigen maatregelen",
              "supply data and decide on their own measures"),
            t("investeren individueel en in collectieve maatregelen",
              "invest individually and in collective measures"))),
        Role(t("Ondernemersvereniging", "Business association"), (
            t("is opdrachtgever van het plan en stelt het vast",
              "commissions and adopts the plan"),
            t("informeert en betrekt de leden via de duurzaamheidsgroep",
              "informs and involves members through the sustainability group"))),
        Role(t("Parkmanagement", "Park management"), (
            t("voert de acties uit en bewaakt planning, budget en KPI's",
              "carries out actions and monitors schedule, budget and KPIs"),
            t("is aanspreekpunt voor netbeheerder en leveranciers",
              "is the contact for the grid operator and suppliers"))),
        Role(t("Gemeente", "Municipality"), (
            t("ondersteunt met procesgeld, vergunningen en een eventuele BIZ-heffing",
              "supports with process funding, permits and any BIZ levy"),
            t("verbindt het plan met gemeentelijk beleid en ruimte",
              "links the plan with municipal policy and land use"))),
        Role(t("Provincie", "Province"), (
            t("programma-eigenaar Regio Deal: beoordeelt en cofinanciert",
              "Regio Deal programme owner: assesses and co-finances"),
            t("deelt kennis tussen de zes parken", "shares knowledge among the six parks"))),
        Role(t("Kennisinstellingen", "Knowledge institutions"), (
            t("leveren onderzoek, studenten en toetsing van de analyses",
              "provide research, students and review of the analyses"),
            t("helpen bij monitoring en evaluatie", "help with monitoring and evaluation"))),
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Roadmap and risks
# --------------------------------------------------------------------------------------------


def roadmap(inputs: PlanInputs, plan_measures: list[Measure]) -> list[Phase]:
    """Four phases with their actions; budgets only where an analysis gives them."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    months = inputs.factors.phase_months
    starts = [inputs.start]
    for p in PHASES:
        starts.append(add_months(starts[-1], int(months[p])))
    tbd = t("nog vast te stellen", "to be decided")
    own = t("eigen middelen ondernemers", "entrepreneurs' own funds")
    regio = t("Regio Deal (aan te vragen)", "Regio Deal (to apply for)")
    labels = {
        "preparation": t("Voorbereiding en organisatie", "Preparation and organisation"),
        "feasibility": t("Haalbaarheid en afspraken", "Feasibility and agreements"),
        "realisation": t("Realisatie", "Realisation"),
        "monitoring": t("Monitoring en bijsturing", "Monitoring and adjustment"),
    }
    pm = t("Parkmanagement", "Park management")
    ov = t("Ondernemersvereniging", "Business association")
    acts: dict[str, list[tuple[str, str, str, float | None, str, str, str]]] = {
        "preparation": [
            ("adopt", t("Uitvoeringsplan vaststellen in de ledenvergadering",
                        "Adopt the plan in the general meeting"), ov, None, tbd,
             t("vastgesteld uitvoeringsplan", "adopted plan"), ""),
            ("organise", t("Organisatievorm kiezen en oprichten", "Choose and set up the "
                           "organisation form"), ov, None, regio,
             t("statuten en bestuur", "articles and board"), ""),
            ("apply", t("Plan van aanpak indienen bij de Regio Deal",
                        "Submit the plan of action to the Regio Deal"), pm, None, tbd,
             t("subsidieaanvraag", "funding application"), ""),
        ],
        "feasibility": [
            ("grid", t("Gesprek netbeheerder over groepscontract en capaciteit",
                       "Talks with the grid operator on group contract and capacity"), pm,
             None, regio, t("afspraken netbeheerder", "agreement with the operator"), ""),
            ("study", t("Haalbaarheidsstudie collectieve maatregelen",
                        "Feasibility study of collective measures"), pm, None, regio,
             t("studierapport en offertes", "study report and quotes"), ""),
        ],
        "realisation": [],
        "monitoring": [
            ("monitor", t("Jaarlijkse monitoring van de KPI's en bijstellen van het plan",
                          "Yearly KPI monitoring and plan update"), pm, None, tbd,
             t("monitoringsrapport per jaar", "yearly monitoring report"), ""),
        ],
    }  # fmt: skip
    for m in plan_measures:
        acts["realisation"].append(
            (
                f"measure_{m.key}",
                t(f"Uitvoeren: {m.label}", f"Carry out: {m.label}"),
                ov if m.scope == "collective" else t("Ondernemers", "Entrepreneurs"),
                m.investment_eur,
                own
                if m.scope == "individual"
                else t("coöperatie / energiehub en subsidie", "cooperative / hub and subsidy"),
                t("gerealiseerde installaties", "installed assets"),
                m.source,
            )
        )
    if not plan_measures:
        acts["realisation"].append(
            ("measures", t("Uitvoeren van de gekozen maatregelen", "Carry out the chosen "
                           "measures"), t("Ondernemers", "Entrepreneurs"), None, tbd,
             t("gerealiseerde maatregelen", "measures carried out"), "")
        )  # fmt: skip
    phases = []
    for i, p in enumerate(PHASES):
        s, e = starts[i], starts[i + 1]
        phases.append(
            Phase(
                p,
                labels[p],
                s,
                e,
                tuple(
                    Action(k, lab, owner, s, e, budget, fund, "planned", deliv, bsrc)
                    for k, lab, owner, budget, fund, deliv, bsrc in acts[p]
                ),
            )
        )
    return phases


def risks(inputs: PlanInputs, profile: ParkProfile) -> list[Risk]:
    """The main risks, graded from the park's own data where it can."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    pm = t("Parkmanagement", "Park management")
    sim = (inputs.simulation or {}).get("park") or {}
    congested = bool(sim.get("exceeded_import_hours")) or bool(sim.get("exceeded_export_hours"))
    low_resp = profile.response_share < inputs.factors.low_response_share
    out = [
        Risk(t("Te weinig deelnemers voor collectieve maatregelen",
               "Too few participants for collective measures"),
             "hoog" if low_resp else "midden", "hoog",
             t("vroeg betrekken via de duurzaamheidsgroep; per bedrijf het eigen voordeel tonen",
               "involve early through the sustainability group; show each company its gain"),
             t("Ondernemersvereniging", "Business association")),
        Risk(t("Netcongestie vertraagt aansluitingen en uitbreidingen",
               "Grid congestion delays connections and expansions"),
             "hoog" if congested else "midden", "hoog",
             t("groepstransportovereenkomst en piekbeperking met batterijen onderzoeken",
               "study a group transport agreement and peak shaving with batteries"), pm),
        Risk(t("Subsidie of cofinanciering valt weg", "Funding or co-financing falls away"),
             "midden", "midden",
             t("business cases ook zonder subsidie doorrekenen; gefaseerd investeren",
               "compute the cases without subsidy too; invest in phases"), pm),
        Risk(t("Gegevens zijn geschat in plaats van gemeten",
               "Figures are estimated instead of measured"),
             "hoog" if inputs.baseline.park.totals["electricity_offtake_kwh"].estimated_share
             > 0.5 else "laag", "midden",
             t("meetdata (kwartierwaarden) opvragen met toestemming van de bedrijven",
               "request 15-minute meter data with the companies' consent"), pm),
        Risk(t("Wet- en regelgeving verandert (salderen, tarieven)",
               "Rules change (net metering, tariffs)"), "midden", "midden",
             t("plan jaarlijks opnieuw doorrekenen met actuele referentiewaarden",
               "recompute the plan yearly with current reference values"), pm),
    ]  # fmt: skip
    return out


MISSING_HINTS: dict[str, tuple[str, str, str]] = {
    "simulation": ("Simulatie van het park", "Park simulation", "parkplan plan PARK --prepare"),
    "quickscan": ("Quick scan", "Quick scan", "parkplan plan PARK --prepare"),
    "scorecard": ("Scorekaart", "Scorecard", "parkplan plan PARK --prepare"),
    "business_case": ("Businesscases", "Business cases",
                      "parkplan plan PARK --scenario SCENARIO.yaml"),
    "share": ("Verdeling van collectieve baten", "Sharing of collective benefits",
              "parkplan plan PARK --scenario SCENARIO.yaml"),
    "optimization": ("Optimale configuratie", "Optimal configuration",
                     "parkplan plan PARK --optimize"),
}  # fmt: skip


def build_implementation_plan(inputs: PlanInputs) -> ImplementationPlan:
    """The model uitvoeringsplan of a park from its baseline and stored results."""
    lang = inputs.lang
    base = baseline_summary(inputs.baseline, lang)
    profile = park_profile(inputs.park)
    plan_measures = measures(inputs)
    names = {c.id: c.name for c in inputs.park.companies}
    missing = {
        k: _t(lang, f"{nl} is nog niet uitgevoerd ({cmd}).", f"{en} has not been run ({cmd}).")
        for k, (nl, en, cmd0) in MISSING_HINTS.items()
        if not getattr(inputs, k)
        for cmd in [cmd0.replace("PARK", inputs.park.id)]  # the command to type, for this park
    }
    return ImplementationPlan(
        park_id=inputs.park.id,
        park_name=inputs.park.name,
        baseline_year=inputs.start.year,
        targets=targets(inputs, base),
        baseline=base,
        conclusions=conclusions(inputs.quickscan, lang),
        measures=plan_measures,
        shares=shares(inputs.share, names),
        organisation=organisation_options(profile, inputs.factors, lang),
        roles=roles(lang),
        phases=roadmap(inputs, plan_measures),
        risks=risks(inputs, profile),
        kpis=kpis(inputs, base),
        missing=missing,
    )
