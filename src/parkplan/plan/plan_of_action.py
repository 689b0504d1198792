"""The plan van aanpak for a funding application (Regio Deal), from the park's numbers.

Built on the uitvoeringsplan: the same roadmap, roles and risks; goals linked to the goals of
the programme *Toekomstbestendige Bedrijventerreinen* (Regio Deal Zuid- en Oost-Drenthe);
a budget whose amounts come only from business-case results (investment, subsidy), with the
remaining lines marked "to be decided" rather than guessed.
"""

from __future__ import annotations

from parkplan.plan.implementation_plan import PlanInputs, _t, build_implementation_plan
from parkplan.plan.model import (
    BudgetLine,
    ImplementationPlan,
    PlanOfAction,
    ProgrammeGoal,
    format_value,
)


def programme_goals(plan: ImplementationPlan, inputs: PlanInputs) -> list[ProgrammeGoal]:
    """The programme's goals and this plan's contribution to each, in the park's numbers."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    n = lambda x, d=0: format_value(x, d, lang)  # noqa: E731
    base = plan.baseline
    target = next((x for x in plan.targets if x.key == "co2_2030"), None)
    goals = []
    if base is not None and target is not None:
        goals.append(
            ProgrammeGoal(
                "co2",
                t("CO2-neutrale en energieneutrale bedrijventerreinen",
                  "CO2-neutral and energy-neutral business parks"),
                t(f"van {n(base.co2_t)} t CO2 per jaar (nulmeting) naar {n(target.value)} t in "
                  f"{target.year}",
                  f"from {n(base.co2_t)} t CO2 a year (baseline) to {n(target.value)} t in "
                  f"{target.year}"),
            )
        )  # fmt: skip
    sim = (inputs.simulation or {}).get("park") or {}
    if sim.get("available_import_kw"):
        contribution = t(
            f"netcongestie aanpakken: nu {n(sim.get('exceeded_import_hours'), 1)} uur per jaar "
            f"boven het beschikbare vermogen van {n(sim.get('available_import_kw'))} kW",
            f"tackle grid congestion: now {n(sim.get('exceeded_import_hours'), 1)} hours a year "
            f"above the available {n(sim.get('available_import_kw'))} kW",
        )
    else:
        contribution = t(
            "ruimte op het net voor groei en elektrificatie (simulatie nog niet uitgevoerd)",
            "grid room for growth and electrification (simulation not run yet)",
        )
    goals.append(
        ProgrammeGoal(
            "climate",
            t("Aantrekkelijk en toekomstbestendig vestigingsklimaat",
              "Attractive, future-proof business climate"),
            contribution,
        )
    )  # fmt: skip
    rec = [o for o in plan.organisation if o.fit == "recommended"]
    goals.append(
        ProgrammeGoal(
            "cooperation",
            t("Samenwerking en organisatiegraad van ondernemers",
              "Cooperation and organisation of entrepreneurs"),
            t("organisatievorm: " + (", ".join(o.label for o in rec) or "nog te kiezen"),
              "organisation form: " + (", ".join(o.label for o in rec) or "to be chosen")),
        )
    )  # fmt: skip
    greening = sum(
        1
        for c in inputs.park.companies
        if c.engagement is not None
        and (
            c.engagement.interest.get("greening") == "yes"
            or c.engagement.interest.get("water_storage") == "yes"
        )
    )
    goals.append(
        ProgrammeGoal(
            "green",
            t("Groen en klimaatbestendig park", "Green and climate-resilient park"),
            t(f"{n(greening)} bedrijven willen meedoen aan vergroening of waterberging",
              f"{n(greening)} companies want to take part in greening or water storage"),
        )
    )  # fmt: skip
    return goals


def budget(plan: ImplementationPlan, inputs: PlanInputs) -> list[BudgetLine]:
    """Budget lines per action; amounts only from business cases, the rest to be decided."""
    lang = inputs.lang
    bc = inputs.business_case or {}
    subsidy_individual = sum(float(c.get("subsidy_eur") or 0.0) for c in bc.get("companies") or [])
    capex_individual = sum(
        m.investment_eur or 0.0 for m in plan.measures if m.scope == "individual"
    )
    out = []
    for phase in plan.phases:
        for a in phase.actions:
            total = a.budget_eur
            subsidy = None
            own = None
            if total is not None and a.key.startswith("measure_"):
                m = next((m for m in plan.measures if f"measure_{m.key}" == a.key), None)
                if m is not None and m.scope == "individual" and capex_individual:
                    subsidy = subsidy_individual * total / capex_individual
                elif m is not None and m.scope == "collective":
                    subsidy = float((bc.get("collective") or {}).get("subsidy_eur") or 0.0)
                own = total - (subsidy or 0.0)
            out.append(
                BudgetLine(
                    label=a.label,
                    total_eur=total,
                    own_contribution_eur=own,
                    subsidy_eur=subsidy,
                    requested_eur=None,
                    source=a.budget_source or _t(lang, "nog te begroten", "to be budgeted"),
                )
            )
    return out


def build_plan_of_action(inputs: PlanInputs) -> tuple[PlanOfAction, ImplementationPlan]:
    """The plan van aanpak (and the uitvoeringsplan it rests on)."""
    plan = build_implementation_plan(inputs)
    poa = PlanOfAction(
        park_id=plan.park_id,
        park_name=plan.park_name,
        goals=programme_goals(plan, inputs),
        phases=plan.phases,
        budget=budget(plan, inputs),
        risks=plan.risks,
        roles=plan.roles,
        missing=plan.missing,
    )
    return poa, plan
