"""Turn a plan into a :class:`~parkplan.plan.model.Document`: chapters, tables, charts, text.

Pure: the charts come in ready-made (drawn by the services layer), the narratives as stored.
Numbers stay numbers in the tables; the renderers format them. Chapters whose analysis has
not been run carry a ``not_run`` notice instead of numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from parkplan.domain.model import Origin
from parkplan.plan.implementation_plan import PlanInputs, _t
from parkplan.plan.model import (
    Chapter,
    Chart,
    Column,
    Document,
    ImplementationPlan,
    KeyFigure,
    KeyFigures,
    Narrative,
    Notice,
    Paragraph,
    PlanOfAction,
    Table,
    format_date,
    format_value,
)
from parkplan.plan.narrative import merge

QUALITY_LABELS: dict[str, tuple[str, str]] = {
    "measured": ("gemeten", "measured"),
    "reported": ("opgegeven", "reported"),
    "open_data": ("open data", "open data"),
    "estimated": ("geschat", "estimated"),
}
FIT_LABELS: dict[str, tuple[str, str]] = {
    "recommended": ("aanbevolen", "recommended"),
    "possible": ("mogelijk", "possible"),
    "less_suitable": ("minder geschikt", "less suitable"),
}
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "planned": ("gepland", "planned"),
    "running": ("loopt", "running"),
    "done": ("gereed", "done"),
}
LEVEL_EN = {"laag": "low", "midden": "medium", "hoog": "high"}


def variables(plan: ImplementationPlan, inputs: PlanInputs) -> dict[str, str]:
    """Generated figures, formatted, that narrative text may cite as ``{{ name }}``."""
    lang = inputs.lang
    n = lambda x, d=0: format_value(x, d, lang)  # noqa: E731
    out = {"park_name": plan.park_name, "municipality": inputs.park.municipality or "-"}
    b = plan.baseline
    if b is not None:
        out |= {
            "companies": n(b.companies),
            "co2_t": n(b.co2_t),
            "electricity_offtake_mwh": n(b.electricity_offtake_kwh / 1000.0),
            "gas_m3": n(b.gas_m3),
            "estimated_pct": n(b.estimated_share * 100),
        }
    for t in plan.targets:
        out[f"target_{t.key}"] = n(t.value, t.decimals)
        out[f"target_{t.key}_year"] = str(t.year)
    sim = (inputs.simulation or {}).get("park") or {}
    for k, d in (("pv_kwh", 0), ("coincident_peak_kw", 0), ("exceeded_import_hours", 1),
                 ("available_import_kw", 0)):  # fmt: skip
        if sim.get(k) is not None:
            out[k] = n(sim[k], d)
    if inputs.park.area_ha is not None:
        out["area_ha"] = n(inputs.park.area_ha)
    return out


def _l(lang: str, pair: tuple[str, str]) -> str:
    return pair[1] if lang == "en" else pair[0]


def _not_run(plan_missing: Mapping[str, str], key: str) -> Notice | None:
    text = plan_missing.get(key)
    return Notice("not_run", text) if text else None


def _chapter(
    key: str,
    title: str,
    *,
    narratives: Mapping[str, Narrative],
    variables_: Mapping[str, str],
    lang: str,
    narrative_key: str | None = None,
) -> Chapter:
    ch = Chapter(key, title)
    ch.blocks.append(merge(narrative_key or key, narratives, variables_, lang))
    return ch


# --------------------------------------------------------------------------------------------
# Shared chapters
# --------------------------------------------------------------------------------------------


def park_chapter(inputs: PlanInputs, charts: Mapping[str, Chart], ch: Chapter) -> Chapter:
    """The park: map, size, organisation degree and engagement."""
    from parkplan.plan.implementation_plan import park_profile

    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    park = inputs.park
    p = park_profile(park)
    yes, no, unknown = t("ja", "yes"), t("nee", "no"), t("onbekend", "unknown")
    yn = lambda v: unknown if v is None else (yes if v else no)  # noqa: E731
    if "map" in charts:
        ch.blocks.append(charts["map"])
    rows: list[tuple[Any, ...]] = [
        (t("Gemeente", "Municipality"), park.municipality or unknown, ""),
        (t("Oppervlakte", "Area"), park.area_ha, "ha"),
        (t("Bedrijven", "Companies"), p.companies, ""),
        (t("Grootverbruikaansluitingen", "Large-consumer connections"), p.grootverbruik, ""),
        (t("Respons enquête", "Survey response"), p.response_share * 100, "%"),
        (t("Binding met het park (1-5)", "Bond with the park (1-5)"), p.mean_bond_park, ""),
        (t("Binding met andere ondernemers (1-5)", "Bond with other entrepreneurs (1-5)"),
         p.mean_bond_companies, ""),
        (t("Interesse in energiehub of gedeelde batterij", "Interest in hub or shared battery"),
         p.hub_interest, t("bedrijven", "companies")),
        (t("Ondernemersvereniging", "Business association"), yn(p.business_association), ""),
        (t("Parkmanagement", "Park management"), yn(p.park_management), ""),
        (t("BIZ", "BIZ"), yn(p.biz), ""),
        (t("Duurzaamheidsgroep", "Sustainability group"), yn(p.sustainability_group), ""),
        (t("Netbeheerder", "Grid operator"), park.grid.operator or unknown, ""),
        (t("Beschikbaar afnamevermogen park", "Available import capacity"),
         park.grid.available_import_kw, "kW"),
    ]  # fmt: skip
    ch.blocks.append(
        Table(
            "park_profile",
            t("Kenmerken van het park", "Park characteristics"),
            (Column(t("Kenmerk", "Item")), Column(t("Waarde", "Value"), decimals=1,
             align="right"), Column(t("Eenheid", "Unit"))),
            tuple(rows),
            source=t("parkgegevens en enquête", "park data and survey"),
        )
    )  # fmt: skip
    return ch


def baseline_blocks(
    plan: ImplementationPlan, inputs: PlanInputs, charts: Mapping[str, Chart], ch: Chapter
) -> Chapter:
    """The baseline chapter: key figures, CO2 per source and sector, data quality."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    b = plan.baseline
    if b is None:
        ch.blocks.append(Notice("not_run", t("Geen nulmeting.", "No baseline.")))
        return ch
    ch.blocks.append(
        KeyFigures((
            KeyFigure("companies", t("bedrijven", "companies"), b.companies, "", 0),
            KeyFigure("electricity", t("elektriciteit van het net", "grid electricity"),
                      b.electricity_offtake_kwh / 1000.0, "MWh/" + t("jr", "yr"), 0),
            KeyFigure("gas", t("aardgas", "natural gas"), b.gas_m3, "m3/" + t("jr", "yr"), 0),
            KeyFigure("co2", "CO2", b.co2_t, "t/" + t("jr", "yr"), 0),
        ))
    )  # fmt: skip
    if b.estimated_share > 0:
        ch.blocks.append(
            Notice(
                "estimate",
                t(f"{format_value(b.estimated_share * 100, 0, lang)} % van de elektriciteits"
                  "afname is geschat uit sectorkentallen; zie bijlage C.",
                  f"{format_value(b.estimated_share * 100, 0, lang)} % of the electricity "
                  "offtake is estimated from sector norms; see appendix C."),
            )
        )  # fmt: skip
    src = b.co2_by_source_t
    ch.blocks.append(
        Table(
            "co2_by_source",
            t("CO2-uitstoot per bron", "CO2 emissions by source"),
            (Column(t("Bron", "Source")), Column("CO2", "t/" + t("jr", "yr"), 0, "right"),
             Column(t("Aandeel", "Share"), "%", 0, "right")),
            tuple(
                (lab, src[k], (src[k] / b.co2_t * 100) if b.co2_t else None)
                for k, lab in (("electricity", t("Elektriciteit", "Electricity")),
                               ("gas", t("Aardgas", "Natural gas")),
                               ("fleet", t("Wagenpark", "Fleet")))
            ),
            source=t("nulmeting (parkplan baseline)", "baseline (parkplan baseline)"),
            total_row=(t("Totaal", "Total"), b.co2_t, 100.0 if b.co2_t else None),
        )
    )  # fmt: skip
    ch.blocks.append(
        Table(
            "co2_by_sector",
            t("CO2-uitstoot per sector", "CO2 emissions by sector"),
            (Column(t("Sector", "Sector")), Column(t("Bedrijven", "Companies"), "", 0, "right"),
             Column("CO2", "t/" + t("jr", "yr"), 0, "right")),
            tuple((s, c, v) for s, c, v in b.sectors),
            source=t("nulmeting (parkplan baseline)", "baseline (parkplan baseline)"),
        )
    )  # fmt: skip
    if "co2_sectors" in charts:
        ch.blocks.append(charts["co2_sectors"])
    return ch


def energy_blocks(inputs: PlanInputs, charts: Mapping[str, Chart], ch: Chapter) -> Chapter:
    """Energy balance and grid capacity from the stored simulation."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    sim = inputs.simulation
    if not sim:
        ch.blocks.append(Notice("not_run", t(
            f"De simulatie van het park is nog niet uitgevoerd (parkplan plan {inputs.park.id} "
            "--prepare); energiebalans en netcapaciteit volgen daarna.",
            f"The park simulation has not been run (parkplan plan {inputs.park.id} --prepare); "
            "energy balance and grid capacity follow after it.")))  # fmt: skip
        return ch
    p = sim.get("park") or {}
    if p.get("estimated"):
        ch.blocks.append(Notice("estimate", t(
            "De simulatie rust (deels) op standaardprofielen en schattingen.",
            "The simulation rests (partly) on standard profiles and estimates.")))  # fmt: skip
    yr = t("jr", "yr")
    rows = [
        (t("Vraag op locatie", "Demand on site"), p.get("demand_kwh"), f"kWh/{yr}"),
        (t("Zonnestroom", "Solar"), p.get("pv_kwh"), f"kWh/{yr}"),
        (t("Zelf verbruikt", "Self-consumed"), p.get("self_consumed_kwh"), f"kWh/{yr}"),
        (t("Afname van het net", "Grid offtake"), p.get("import_kwh"), f"kWh/{yr}"),
        (t("Teruglevering", "Feed-in"), p.get("export_kwh"), f"kWh/{yr}"),
        (t("Gelijktijdige piek", "Coincident peak"), p.get("coincident_peak_kw"), "kW"),
        (t("Som van de eigen pieken", "Sum of own peaks"), p.get("sum_of_individual_peaks_kw"),
         "kW"),
        (t("Beschikbaar afnamevermogen", "Available import capacity"),
         p.get("available_import_kw"), "kW"),
        (t("Uren boven beschikbaar vermogen", "Hours above available capacity"),
         p.get("exceeded_import_hours"), f"h/{yr}"),
        ("CO2", (p.get("co2_kg") or 0.0) / 1000.0, f"t/{yr}"),
    ]  # fmt: skip
    ch.blocks.append(
        Table(
            "simulation",
            t("Energiebalans en netcapaciteit (simulatie)", "Energy balance and grid capacity "
              "(simulation)"),
            (Column(t("Grootheid", "Quantity")), Column(t("Waarde", "Value"), "", 0, "right"),
             Column(t("Eenheid", "Unit"))),
            tuple(rows),
            source=inputs.sources.get("simulation", "simulation"),
        )
    )  # fmt: skip
    for key in ("monthly_balance", "load_duration", "peaks"):
        if key in charts:
            ch.blocks.append(charts[key])
    return ch


def _when(iso: Any, lang: str) -> str:
    """An ISO date or timestamp as dd-mm-jjjj [HH:MM] (Dutch) or yyyy-mm-dd [HH:MM]."""
    from datetime import datetime

    if not iso:
        return "-"
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    day = format_date(moment.date(), lang)
    return day if len(str(iso)) <= 10 else f"{day} {moment:%H:%M}"


def scorecard_blocks(inputs: PlanInputs, charts: Mapping[str, Chart]) -> list[Any]:
    """The stored scorecard: overall score, a table of themes and the radar chart."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    card = inputs.scorecard
    if not card:
        cmd = f"parkplan plan {inputs.park.id} --prepare"
        return [Notice("not_run", t(f"De scorekaart is nog niet uitgevoerd ({cmd}).",
                                    f"The scorecard has not been run ({cmd})."))]  # fmt: skip
    yes, no = t("ja", "yes"), t("nee", "no")
    missing = t("zonder gegevens: ", "no data: ")
    rows = tuple(
        (str(x["label"]),
         x["score"] if x.get("score") is not None else t("niet beoordeeld", "not assessed"),
         yes if x.get("weak") else no,
         "; ".join([*(x.get("notes") or []),
                    *([missing + ", ".join(x["not_assessed"])] if x.get("not_assessed") else [])]))
        for x in card["themes"]
    )  # fmt: skip
    blocks: list[Any] = [
        Table(
            "scorecard",
            t("Scorekaart toekomstbestendigheid (0-100)", "Future-proof scorecard (0-100)"),
            (Column(t("Thema", "Theme")), Column(t("Score", "Score"), "", 0, "right"),
             Column(t("Zwak punt", "Weak spot")), Column(t("Toelichting", "Notes"))),
            rows,
            source=inputs.sources.get("scorecard", "scorecard"),
            total_row=(t("Totaal", "Overall"), card.get("score"), "", ""),
        )
    ]  # fmt: skip
    if "radar" in charts:
        blocks.append(charts["radar"])
    return blocks


def appendices(
    inputs: PlanInputs,
    provenance: Mapping[str, Any],
    refdata_used: Sequence[Mapping[str, Any]],
    start: str,
) -> list[Chapter]:
    """Appendices A (sources), B (reference values used) and C (data quality)."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    a = Chapter("sources", f"{t('Bijlage', 'Appendix')} A. {t('Bronnen', 'Sources')}",
                appendix=True)  # fmt: skip
    a.blocks.append(Paragraph(t(
        "Alle getallen in dit plan komen uit de onderstaande analyses van parkplan, uitgevoerd "
        "op de gegevens van het park. Niets is met de hand overgetypt.",
        "Every number in this plan comes from the parkplan analyses below, run on the park's "
        "data. Nothing was retyped by hand.")))  # fmt: skip
    rows = [
        (str(r.get("analysis")), str(r.get("what")), _when(r.get("created"), lang),
         str(r.get("refdata_version") or "-"), str(r.get("code_version") or "-"))
        for r in provenance.get("results", [])
    ]  # fmt: skip
    a.blocks.append(
        Table(
            "provenance",
            t("Gebruikte analyses", "Analyses used"),
            (Column(t("Analyse", "Analysis")), Column(t("Resultaat", "Result")),
             Column(t("Gemaakt", "Created")), Column(t("Referentieversie", "Reference version")),
             Column("parkplan")),
            tuple(rows),
        )
    )  # fmt: skip
    a.blocks.append(
        Table(
            "data_sources",
            t("Gegevensbronnen", "Data sources"),
            (Column(t("Bron", "Source")), Column(t("Gebruik", "Use"))),
            (
                (t("Parkgegevens (parkbestand / inventarisatie)", "Park data (park file / "
                   "inventory)"), t("bedrijven, aansluitingen, daken, verbruik, enquête",
                                    "companies, connections, roofs, use, survey")),
                (t("Referentiewaarden parkplan (bijlage B)", "parkplan reference values "
                   "(appendix B)"), t("emissiefactoren, kentallen, tarieven, doelen",
                                      "emission factors, norms, tariffs, targets")),
                (t("Weerjaar van de simulatie", "Weather year of the simulation"),
                 str((inputs.simulation or {}).get("provenance", {}).get("weather_source")
                     or t("referentiejaar van parkplan", "parkplan reference year"))),
            ),
        )
    )  # fmt: skip
    b = Chapter(
        "refdata",
        f"{t('Bijlage', 'Appendix')} B. "
        f"{t('Gebruikte referentiewaarden', 'Reference values used')}",
        appendix=True,
    )
    yes, no = t("ja", "yes"), t("nee", "no")
    b.blocks.append(
        Table(
            "refdata_used",
            t("Referentiewaarden", "Reference values"),
            (Column(t("Sleutel", "Key")), Column(t("Waarde", "Value"), "", 0, "right"),
             Column(t("Eenheid", "Unit")), Column(t("Jaar", "Year")),
             Column(t("Bron", "Source")), Column(t("Indicatief", "Indicative"))),
            tuple(
                (str(v["key"]), ref_value_text(v.get("value"), str(v.get("unit") or ""), lang),
                 str(v.get("unit") or ""),
                 str(v.get("year") or "-"), str(v.get("source") or ""),
                 yes if v.get("indicative") else no)
                for v in sorted(refdata_used, key=lambda v: str(v["key"]))
            ),
            source=t("parkplan refdata, versie ", "parkplan refdata, version ")
            + str(provenance.get("refdata_version") or "-"),
        )
    )  # fmt: skip
    c = Chapter("quality", f"{t('Bijlage', 'Appendix')} C. {t('Datakwaliteit', 'Data quality')}",
                appendix=True)  # fmt: skip
    c.blocks.append(
        Paragraph(
            t(
                "Per grootheid het aandeel (naar hoeveelheid) dat gemeten, door het bedrijf "
                "opgegeven, uit open data afgeleid of geschat is, en het aantal bedrijven "
                "zonder gegeven.",
                "Per quantity the share (by amount) that is measured, reported by the company, "
                "derived from open data or estimated, and the number of companies without "
                "a figure.",
            )
        )
    )
    c.blocks.append(quality_table(inputs))
    return [a, b, c]


def ref_value_text(value: Any, unit: str, lang: str) -> str:
    """A reference value as text: years without separators, up to 4 significant decimals."""
    if value is None:
        return "onbekend" if lang == "nl" else "unknown"
    if isinstance(value, str):
        return value
    x = float(value)
    if unit == "year" and x.is_integer():
        return str(int(x))
    decimals = 0
    while decimals < 6 and abs(x * 10**decimals - round(x * 10**decimals)) > 1e-9 * max(
        1.0, abs(x) * 10**decimals
    ):
        decimals += 1
    return format_value(x, decimals, lang)


QUALITY_QUANTITIES: tuple[tuple[str, str, str], ...] = (
    ("electricity_offtake_kwh", "Elektriciteit van het net", "Grid electricity"),
    ("electricity_feed_in_kwh", "Teruglevering", "Feed-in"),
    ("gas_m3", "Aardgas", "Natural gas"),
    ("co2_kg", "CO2 totaal", "CO2 total"),
)


def quality_shares(inputs: PlanInputs) -> list[tuple[str, dict[str, float], int]]:
    """Per quantity: share by data quality (value-weighted) and companies without a figure."""
    out = []
    for attr, nl, en in QUALITY_QUANTITIES:
        sums = dict.fromkeys(Origin, 0.0)
        missing = 0
        for c in inputs.baseline.companies:
            f = getattr(c, attr)
            if f is None:
                missing += 1
                continue
            sums[f.quality] += abs(f.value)
        total = sum(sums.values())
        shares = {o.value: (v / total if total else 0.0) for o, v in sums.items()}
        out.append((en if inputs.lang == "en" else nl, shares, missing))
    return out


def quality_table(inputs: PlanInputs) -> Table:
    """The data-quality table of appendix C."""
    lang = inputs.lang
    cols = [Column(_t(lang, "Grootheid", "Quantity"))]
    cols += [Column(_l(lang, QUALITY_LABELS[o.value]), "%", 0, "right") for o in Origin]
    cols.append(Column(_t(lang, "Zonder gegeven", "Missing"), "", 0, "right"))
    rows = tuple(
        (label, *(shares[o.value] * 100 for o in Origin), missing)
        for label, shares, missing in quality_shares(inputs)
    )
    return Table("data_quality", _t(lang, "Datakwaliteit", "Data quality"), tuple(cols), rows,
                 source=_t(lang, "nulmeting", "baseline"))  # fmt: skip


def roadmap_table(phases: Sequence[Any], lang: str, key: str = "roadmap") -> Table:
    """Actions with owner, start, end, budget, funding and status."""
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    rows = []
    for ph in phases:
        for a in ph.actions:
            rows.append((ph.label, a.label, a.owner, format_date(a.start, lang),
                         format_date(a.end, lang), a.budget_eur if a.budget_eur is not None
                         else t("n.t.b.", "t.b.d."), a.funding,
                         _l(lang, STATUS_LABELS[a.status])))  # fmt: skip
    return Table(
        key,
        t("Acties", "Actions"),
        (Column(t("Fase", "Phase")), Column(t("Actie", "Action")), Column(t("Eigenaar", "Owner")),
         Column(t("Start", "Start")), Column(t("Einde", "End")),
         Column(t("Budget", "Budget"), "EUR", 0, "right"), Column(t("Financiering", "Funding")),
         Column(t("Status", "Status"))),
        tuple(rows),
        source=t("budgetten uit de businesscases; n.t.b. = nog te bepalen",
                 "budgets from the business cases; t.b.d. = to be decided"),
    )  # fmt: skip


def risks_table(risks: Sequence[Any], lang: str) -> Table:
    """Risks with likelihood, impact, mitigation and owner."""
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    lv = (lambda x: LEVEL_EN[x]) if lang == "en" else (lambda x: x)
    return Table(
        "risks",
        t("Risico's en beheersmaatregelen", "Risks and mitigations"),
        (Column(t("Risico", "Risk")), Column(t("Kans", "Likelihood")),
         Column(t("Impact", "Impact")), Column(t("Beheersmaatregel", "Mitigation")),
         Column(t("Eigenaar", "Owner"))),
        tuple((r.label, lv(r.likelihood), lv(r.impact), r.mitigation, r.owner) for r in risks),
    )  # fmt: skip


def roles_table(roles: Sequence[Any], lang: str) -> Table:
    """Parties and their tasks."""
    return Table(
        "roles",
        _t(lang, "Rollen en taken", "Roles and tasks"),
        (Column(_t(lang, "Partij", "Party")), Column(_t(lang, "Taken", "Tasks"))),
        tuple((r.party, "; ".join(r.tasks)) for r in roles),
    )


# --------------------------------------------------------------------------------------------
# The uitvoeringsplan
# --------------------------------------------------------------------------------------------


def implementation_plan_document(
    plan: ImplementationPlan,
    inputs: PlanInputs,
    *,
    charts: Mapping[str, Chart],
    narratives: Mapping[str, Narrative],
    provenance: Mapping[str, Any],
    refdata_used: Sequence[Mapping[str, Any]],
    issued: date,
) -> Document:
    """The uitvoeringsplan as a document."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    var = variables(plan, inputs)
    ch = lambda key, title: _chapter(key, title, narratives=narratives, variables_=var, lang=lang)  # noqa: E731
    chapters: list[Chapter] = []

    summary = ch("summary", t("1. Samenvatting", "1. Summary"))
    if plan.baseline is not None:
        b = plan.baseline
        t2030 = next(x for x in plan.targets if x.key == "co2_2030")
        summary.blocks.append(KeyFigures((
            KeyFigure("companies", t("bedrijven", "companies"), b.companies, "", 0),
            KeyFigure("co2", t("CO2 nulmeting", "CO2 baseline"), b.co2_t, "t/" + t("jr", "yr")),
            KeyFigure("co2_2030", t(f"CO2-doel {t2030.year}", f"CO2 target {t2030.year}"),
                      t2030.value, "t/" + t("jr", "yr")),
            KeyFigure("measures", t("maatregelen", "measures"), len(plan.measures), "", 0),
        )))  # fmt: skip
    if plan.missing:
        summary.blocks.append(
            Notice(
                "not_run",
                " ".join(plan.missing.values()),
            )
        )
    chapters.append(summary)

    amb = ch("ambition", t("2. Ambitie en doelen", "2. Ambition and targets"))
    amb.blocks.append(
        Table(
            "targets",
            t("Doelen", "Targets"),
            (Column(t("Doel", "Target")), Column(t("Jaar", "Year")),
             Column(t("Waarde", "Value"), "", 0, "right"), Column(t("Eenheid", "Unit")),
             Column(t("Onderbouwing", "Basis"))),
            tuple((x.label, str(x.year), x.value, x.unit, x.basis) for x in plan.targets),
            source=t("nulmeting en referentiewaarden plan.ambition.* (bijlage B)",
                     "baseline and reference values plan.ambition.* (appendix B)"),
        )
    )  # fmt: skip
    chapters.append(amb)
    chapters.append(park_chapter(inputs, charts, ch("park", t("3. Het park", "3. The park"))))
    chapters.append(baseline_blocks(plan, inputs, charts,
                                    ch("baseline", t("4. Nulmeting", "4. Baseline"))))  # fmt: skip
    chapters.append(
        energy_blocks(
            inputs,
            charts,
            ch(
                "energy",
                t("5. Energiesysteem en netcapaciteit", "5. Energy system and grid capacity"),
            ),
        )
    )

    qs = ch("quickscan", t("6. Quick scan: conclusies en aanbevelingen",
                           "6. Quick scan: conclusions and recommendations"))  # fmt: skip
    if plan.conclusions:
        qs.blocks.append(
            Table(
                "conclusions",
                t("Aanbevelingen uit de quick scan", "Recommendations of the quick scan"),
                (Column("#"), Column(t("Aanbeveling", "Recommendation")),
                 Column(t("Toelichting", "Explanation")),
                 Column("CO2", "t/" + t("jr", "yr"), 1, "right"),
                 Column(t("Geld", "Money"), "EUR/" + t("jr", "yr"), 0, "right"),
                 Column(t("Vermogen", "Capacity"), "kW", 0, "right")),
                tuple((str(i + 1), c.title + (" *" if c.obligation else ""), c.text, c.co2_t,
                       c.eur, c.kw) for i, c in enumerate(plan.conclusions)),
                source=inputs.sources.get("quickscan", "quickscan")
                + t("; * = wettelijke plicht", "; * = legal obligation"),
            )
        )  # fmt: skip
    else:
        qs.blocks.append(_not_run(plan.missing, "quickscan") or Notice(
            "info", t("De quick scan gaf geen aanbevelingen.", "The quick scan gave no "
                      "recommendations.")))  # fmt: skip
    qs.blocks.extend(scorecard_blocks(inputs, charts))
    chapters.append(qs)

    ms = ch("measures", t("7. Maatregelen en businesscases", "7. Measures and business cases"))
    if plan.measures:
        ms.blocks.append(
            Table(
                "measures",
                t("Gekozen maatregelen", "Chosen measures"),
                (Column(t("Maatregel", "Measure")), Column(t("Soort", "Scope")),
                 Column(t("Bedrijven", "Companies"), "", 0, "right"),
                 Column(t("Omvang", "Size"), "", 0, "right"), Column(t("Eenheid", "Unit")),
                 Column(t("Investering", "Investment"), "EUR", 0, "right"),
                 Column(t("Besparing", "Saving"), "EUR/" + t("jr", "yr"), 0, "right"),
                 Column(t("Netto contante waarde", "NPV"), "EUR", 0, "right"),
                 Column(t("Terugverdientijd", "Payback"), t("jr", "yr"), 1, "right")),
                tuple((m.label, t("collectief", "collective") if m.scope == "collective"
                       else t("individueel", "individual"), m.companies, m.size, m.size_unit,
                       m.investment_eur, m.yearly_saving_eur, m.npv_eur, m.payback_years)
                      for m in plan.measures),
                source=inputs.sources.get("business_case", "business_case"),
            )
        )  # fmt: skip
        from parkplan.plan.implementation_plan import company_cases

        cases = company_cases(inputs.business_case)
        if cases:
            ms.blocks.append(
                Table(
                    "company_cases",
                    t("Businesscase per bedrijf", "Business case per company"),
                    (Column(t("Bedrijf", "Company")),
                     Column(t("Rekening voor", "Bill before"), "EUR/" + t("jr", "yr"), 0,
                            "right"),
                     Column(t("Rekening na", "Bill after"), "EUR/" + t("jr", "yr"), 0, "right"),
                     Column(t("Investering", "Investment"), "EUR", 0, "right"),
                     Column(t("Subsidie", "Subsidy"), "EUR", 0, "right"),
                     Column(t("Netto contante waarde", "NPV"), "EUR", 0, "right"),
                     Column("IRR", "%", 1, "right"),
                     Column(t("Terugverdientijd", "Payback"), t("jr", "yr"), 1, "right")),
                    tuple((c["name"], c["bill_before_eur"], c["bill_after_eur"], c["capex_eur"],
                           c["subsidy_eur"], c["npv_eur"],
                           None if c["irr"] is None else c["irr"] * 100, c["payback_years"])
                          for c in cases),
                    source=inputs.sources.get("business_case", "business_case"),
                )
            )  # fmt: skip
        unknown = (inputs.business_case or {}).get("unknown") or []
        if unknown:
            ms.blocks.append(Notice("estimate", t(
                "Onbekende referentiewaarden (in te vullen via refdata_overrides): ",
                "Unknown reference values (supply through refdata_overrides): ")
                + ", ".join(map(str, unknown))))  # fmt: skip
    else:
        ms.blocks.append(
            _not_run(plan.missing, "business_case")
            or Notice("info", t("Geen maatregelen.", "No measures."))
        )
    if inputs.optimization:
        o = inputs.optimization
        ms.blocks.append(
            Table(
                "optimization",
                t("Optimale configuratie: alleen of samen", "Optimal configuration: alone or "
                  "together"),
                (Column(t("Grootheid", "Quantity")),
                 Column(t("Waarde", "Value"), "EUR/" + t("jr", "yr"), 0, "right")),
                ((t("Kosten als ieder bedrijf alleen optimaliseert", "Cost when each company "
                    "optimises alone"), o.get("alone_total_eur")),
                 (t("Kosten samen (energiehub)", "Cost together (energy hub)"),
                  o.get("together_total_eur")),
                 (t("Waarde van samenwerking", "Value of cooperation"),
                  o.get("value_of_cooperation_eur"))),
                source=inputs.sources.get("optimization", "optimization"),
            )
        )  # fmt: skip
    else:
        ms.blocks.append(_not_run(plan.missing, "optimization") or Notice("info", ""))
    chapters.append(ms)

    sh = ch("sharing", t("8. Verdeling van collectieve baten", "8. Sharing collective benefits"))
    if plan.shares:
        method = str((inputs.share or {}).get("method") or "")
        sh.blocks.append(
            Table(
                "shares",
                t(f"Verdeling van het voordeel van de energiehub ({method})",
                  f"Split of the energy hub's benefit ({method})"),
                (Column(t("Bedrijf", "Company")),
                 Column(t("Voordeel", "Benefit"), "EUR/" + t("jr", "yr"), 0, "right")),
                tuple((s.company, s.shapley_eur if s.shapley_eur is not None
                       else s.simple_key_eur) for s in plan.shares),
                source=inputs.sources.get("share", "share"),
                total_row=(t("Totaal", "Total"), (inputs.share or {}).get("total_benefit_eur")),
            )
        )  # fmt: skip
    else:
        sh.blocks.append(_not_run(plan.missing, "share") or Notice("info", ""))
    chapters.append(sh)

    org = ch("organisation", t("9. Organisatievorm", "9. Organisation form"))
    org.blocks.append(
        Table(
            "organisation",
            t("Organisatievormen voor dit park", "Organisation forms for this park"),
            (Column(t("Vorm", "Form")), Column(t("Waarvoor", "Purpose")),
             Column(t("Voordelen hier", "Pros here")), Column(t("Nadelen hier", "Cons here")),
             Column(t("Advies", "Advice"))),
            tuple((o.label, o.purpose, "; ".join(o.pros), "; ".join(o.cons),
                   _l(lang, FIT_LABELS[o.fit])) for o in plan.organisation),
            source=t("afgeleid uit omvang, organisatiegraad en enquête van het park "
                     "(drempels plan.organisation.*, bijlage B)",
                     "derived from the park's size, organisation degree and survey "
                     "(thresholds plan.organisation.*, appendix B)"),
        )
    )  # fmt: skip
    chapters.append(org)
    rl = ch("roles", t("10. Rollen", "10. Roles"))
    rl.blocks.append(roles_table(plan.roles, lang))
    chapters.append(rl)
    rm = ch("roadmap", t("11. Routekaart", "11. Roadmap"))
    if "gantt" in charts:
        rm.blocks.append(charts["gantt"])
    rm.blocks.append(roadmap_table(plan.phases, lang))
    chapters.append(rm)
    rk = ch("risks", t("12. Risico's", "12. Risks"))
    rk.blocks.append(risks_table(plan.risks, lang))
    chapters.append(rk)
    mo = ch("monitoring", t("13. Monitoring", "13. Monitoring"))
    years = sorted({y for k in plan.kpis for y in k.targets})
    mo.blocks.append(
        Table(
            "kpis",
            t("KPI's met doel per jaar", "KPIs with a target per year"),
            (Column("KPI"), Column(t("Eenheid", "Unit")),
             Column(t("Nulmeting", "Baseline"), "", 0, "right"),
             *(Column(str(y), "", 0, "right") for y in years)),
            tuple((k.label, k.unit, k.baseline, *(k.targets.get(y) for y in years))
                  for k in plan.kpis),
            source=t("doelen lineair tussen nulmeting en doeljaren",
                     "targets linear between baseline and target years"),
        )
    )  # fmt: skip
    chapters.append(mo)
    chapters += appendices(inputs, provenance, refdata_used, str(inputs.start))
    return Document(
        kind="uitvoeringsplan",
        title=t("Uitvoeringsplan", "Implementation plan"),
        subtitle=t("Toekomstbestendig bedrijventerrein", "Future-proof business park"),
        park_id=plan.park_id,
        park_name=plan.park_name,
        municipality=inputs.park.municipality,
        illustrative=inputs.park.illustrative,
        lang=lang,
        issued=issued,
        chapters=chapters,
        provenance=dict(provenance),
        variables=var,
    )


# --------------------------------------------------------------------------------------------
# The plan van aanpak
# --------------------------------------------------------------------------------------------


def _sum_known(values: Any) -> float | None:
    """The sum of the known values, or None when none is known."""
    known = [float(v) for v in values if v is not None]
    return sum(known) if known else None


def plan_of_action_document(
    poa: PlanOfAction,
    plan: ImplementationPlan,
    inputs: PlanInputs,
    *,
    charts: Mapping[str, Chart],
    narratives: Mapping[str, Narrative],
    provenance: Mapping[str, Any],
    refdata_used: Sequence[Mapping[str, Any]],
    issued: date,
) -> Document:
    """The plan van aanpak as a document."""
    lang = inputs.lang
    t = lambda nl, en: _t(lang, nl, en)  # noqa: E731
    var = variables(plan, inputs)
    ch = lambda key, title: _chapter(key, title, narratives=narratives, variables_=var, lang=lang)  # noqa: E731
    chapters: list[Chapter] = []
    s = ch("poa_summary", t("1. Aanleiding en samenvatting", "1. Background and summary"))
    if plan.baseline is not None:
        s.blocks.append(KeyFigures((
            KeyFigure("companies", t("bedrijven", "companies"), plan.baseline.companies, ""),
            KeyFigure("co2", t("CO2 nulmeting", "CO2 baseline"), plan.baseline.co2_t,
                      "t/" + t("jr", "yr")),
            KeyFigure("budget", t("begroot (bekend)", "budgeted (known)"),
                      _sum_known(b.total_eur for b in poa.budget), "EUR"),
        )))  # fmt: skip
    if poa.missing:
        s.blocks.append(Notice("not_run", " ".join(poa.missing.values())))
    chapters.append(s)
    g = ch("poa_goals", t("2. Doelen en aansluiting op de Regio Deal",
                          "2. Goals and fit with the Regio Deal"))  # fmt: skip
    g.blocks.append(
        Table(
            "programme_goals",
            t("Programmadoelen en bijdrage van dit plan", "Programme goals and this plan's "
              "contribution"),
            (Column(t("Programmadoel", "Programme goal")), Column(t("Bijdrage", "Contribution"))),
            tuple((x.goal, x.contribution) for x in poa.goals),
            source=t("programma Toekomstbestendige Bedrijventerreinen, Regio Deal Zuid- en "
                     "Oost-Drenthe; cijfers uit de nulmeting en simulatie",
                     "programme Future-proof Business Parks, Regio Deal Zuid- en Oost-Drenthe; "
                     "figures from the baseline and simulation"),
        )
    )  # fmt: skip
    chapters.append(g)
    a = ch("poa_activities", t("3. Activiteiten en resultaten", "3. Activities and deliverables"))
    a.blocks.append(
        Table(
            "activities",
            t("Activiteiten", "Activities"),
            (Column(t("Fase", "Phase")), Column(t("Activiteit", "Activity")),
             Column(t("Resultaat", "Deliverable")), Column(t("Trekker", "Lead"))),
            tuple((ph.label, x.label, x.deliverable, x.owner) for ph in poa.phases
                  for x in ph.actions),
        )
    )  # fmt: skip
    chapters.append(a)
    bu = ch("poa_budget", t("4. Begroting en cofinanciering", "4. Budget and co-financing"))
    known = [b for b in poa.budget if b.total_eur is not None]
    eur = "EUR"
    bu.blocks.append(
        Table(
            "budget",
            t("Begroting", "Budget"),
            (Column(t("Post", "Item")), Column(t("Totaal", "Total"), eur, 0, "right"),
             Column(t("Eigen bijdrage", "Own contribution"), eur, 0, "right"),
             Column(t("Subsidie (berekend)", "Subsidy (computed)"), eur, 0, "right"),
             Column(t("Gevraagd Regio Deal", "Requested Regio Deal"), eur, 0, "right"),
             Column(t("Bron", "Source"))),
            tuple((b.label, b.total_eur if b.total_eur is not None else t("n.t.b.", "t.b.d."),
                   b.own_contribution_eur, b.subsidy_eur,
                   b.requested_eur if b.requested_eur is not None else t("n.t.b.", "t.b.d."),
                   b.source) for b in poa.budget),
            source=t("bedragen uit de businesscases; n.t.b. = nog te begroten",
                     "amounts from the business cases; t.b.d. = to be budgeted"),
            total_row=(t("Totaal bekend", "Total known"),
                       _sum_known(b.total_eur for b in known),
                       _sum_known(b.own_contribution_eur for b in known),
                       _sum_known(b.subsidy_eur for b in known), None, ""),
        )
    )  # fmt: skip
    if not known:
        bu.blocks.append(_not_run(poa.missing, "business_case") or Notice("info", ""))
    chapters.append(bu)
    tl = ch("poa_timeline", t("5. Planning", "5. Timeline"))
    if "gantt" in charts:
        tl.blocks.append(charts["gantt"])
    tl.blocks.append(roadmap_table(poa.phases, lang, "timeline"))
    chapters.append(tl)
    o = ch("poa_organisation", t("6. Organisatie", "6. Organisation"))
    o.blocks.append(roles_table(poa.roles, lang))
    rec = [x for x in plan.organisation if x.fit == "recommended"]
    if rec:
        o.blocks.append(
            Paragraph(
                t(
                    "Aanbevolen organisatievorm(en) voor dit park: ",
                    "Recommended organisation form(s) for this park: ",
                )
                + ", ".join(f"**{x.label}**" for x in rec)
                + "."
            )
        )
    chapters.append(o)
    r = ch("poa_risks", t("7. Risico's", "7. Risks"))
    r.blocks.append(risks_table(poa.risks, lang))
    chapters.append(r)
    chapters += appendices(inputs, provenance, refdata_used, str(inputs.start))
    return Document(
        kind="plan-van-aanpak",
        title=t("Plan van aanpak", "Plan of action"),
        subtitle=t(
            "Aanvraag Regio Deal Zuid- en Oost-Drenthe",
            "Application Regio Deal Zuid- en Oost-Drenthe",
        ),
        park_id=poa.park_id,
        park_name=poa.park_name,
        municipality=inputs.park.municipality,
        illustrative=inputs.park.illustrative,
        lang=lang,
        issued=issued,
        chapters=chapters,
        provenance=dict(provenance),
        variables=var,
    )
