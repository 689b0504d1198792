"""The optimum in words: what to build, what it costs and what cooperation is worth.

The sentences are built from a few numbers (:func:`optimum_facts` from a solved optimum,
:func:`stored_facts` from its JSON-ready result), so a stored result can be read in the
viewer's language (:func:`explain_result`) whatever language it was computed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parkplan.domain.names import companies_text


def _eur(x: float) -> str:
    return f"EUR {x:,.0f}".replace(",", ".")


def _num(x: float, nd: int = 0) -> str:
    s = f"{x:,.{nd}f}"
    if s.startswith("-") and not any(c in "123456789" for c in s):
        s = s[1:]  # a solver's -0.0 (or -0.3 rounded) reads as 0, not -0
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def optimum_facts(opt: Any) -> dict[str, Any]:
    """The numbers the explanation names, from a solved optimum.

    Parameters
    ----------
    opt : parkplan.optimize.sizing.ParkOptimum
        The optimum.

    Returns
    -------
    dict
        ``alone_total_eur`` [EUR/yr], ``alone_pv_kwp`` [kWp], ``alone_battery_kwh`` [kWh],
        ``hub`` (``None`` or members ``n``, ``category``, ``objective_eur`` [EUR/yr],
        ``pv_kwp`` [kWp], ``battery_kwh`` [kWh], ``battery_kw`` [kW], ``contract_kw`` [kW],
        ``curtailed_kwh`` [kWh], ``pv_kwh`` [kWh]), ``value_eur`` [EUR/yr],
        ``bracket_ids`` (companies whose tax bracket changed), ``typical_days``.
    """
    hub = opt.hub
    facts: dict[str, Any] = {
        "alone_total_eur": float(opt.alone_total_eur),
        "alone_pv_kwp": float(
            sum(sum(sum(v) for v in s.pv_added_kwp.values()) for s in opt.alone.values())
        ),
        "alone_battery_kwh": float(sum(s.solution.battery_kwh for s in opt.alone.values())),
        "hub": None,
        "value_eur": float(opt.value_of_cooperation_eur),
        "bracket_ids": [],
        "typical_days": (opt.aggregated or {}).get("typical_days"),
    }
    if hub is None:
        return facts
    s = hub.solution
    facts["hub"] = {
        "n": len(hub.members),
        "category": hub.category,
        "objective_eur": float(hub.objective_eur),
        "pv_kwp": float(sum(sum(v) for v in hub.pv_added_kwp.values())),
        "battery_kwh": float(s.battery_kwh),
        "battery_kw": float(s.battery_kw),
        "contract_kw": float(s.contract_kw),
        "curtailed_kwh": float(s.curtailed_kwh.sum()),
        "pv_kwh": float(s.pv_kwh.sum()),
    }
    changes = [c for site in [*opt.alone.values(), hub] for c in site.bracket_changes]
    facts["bracket_ids"] = sorted({c["company"] for c in changes})
    return facts


def stored_facts(result: Mapping[str, Any]) -> dict[str, Any]:
    """The numbers of :func:`optimum_facts` from a JSON-ready result (``parkplan optimize
    --json``, as stored); its sizes are rounded to 0.1, so a sum may differ in the last
    digit. Raises ``KeyError``/``TypeError`` for a result without them."""
    companies = result["companies"]
    hub = result.get("hub") or None
    sites = [c["alone"] for c in companies] + ([hub] if hub else [])
    facts: dict[str, Any] = {
        "alone_total_eur": float(result["alone_total_eur"]),
        "alone_pv_kwp": float(sum(float(c["alone"]["pv_added_kwp"]) for c in companies)),
        "alone_battery_kwh": float(sum(float(c["alone"]["battery_kwh"]) for c in companies)),
        "hub": None,
        "value_eur": float(result["value_of_cooperation_eur"]),
        "bracket_ids": sorted(
            {ch["company"] for site in sites for ch in site.get("bracket_changes") or []}
        ),
        "typical_days": (result.get("aggregated") or {}).get("typical_days"),
    }
    if hub:
        facts["hub"] = {
            "n": len(hub["members"]),
            "category": hub["category"],
            "objective_eur": float(hub["objective_eur"]),
            "pv_kwp": float(hub["pv_added_kwp"]),
            "battery_kwh": float(hub["battery_kwh"]),
            "battery_kw": float(hub["battery_kw"]),
            "contract_kw": float(hub["contract_kw"]),
            "curtailed_kwh": float(hub["curtailed_kwh"]),
            "pv_kwh": float(hub["pv_kwh"]),
        }
    return facts


def explanation_lines(
    facts: Mapping[str, Any], lang: str = "nl", names: Mapping[str, str] | None = None
) -> list[str]:
    """Sentences (Dutch, or English with ``lang="en"``) from :func:`optimum_facts`.

    ``names`` (company id -> name) writes companies as "Name (id)", the first ten of a
    long list; pass it only to who may see the company list.
    """
    nl = lang != "en"
    out: list[str] = []
    alone_pv = facts["alone_pv_kwp"]
    alone_bat = facts["alone_battery_kwh"]
    total = facts["alone_total_eur"]
    if nl:
        out.append(
            f"Elk bedrijf apart: samen {_eur(total)} per jaar, met"
            f" {_num(alone_pv)} kWp extra zon en {_num(alone_bat)} kWh batterijen."
        )
    else:
        out.append(
            f"Every company alone: {_eur(total)} per year in total, with"
            f" {alone_pv:,.0f} kWp more solar and {alone_bat:,.0f} kWh of batteries."
        )
    hub = facts["hub"]
    if hub is None:
        out.append(
            "Geen energiehub: minder dan twee bedrijven met een grootverbruikaansluiting."
            if nl
            else "No energy hub: fewer than two companies with a grootverbruik connection."
        )
        return out
    pv = hub["pv_kwp"]
    v = facts["value_eur"]
    if nl:
        out.append(
            f"Samen in een energiehub ({hub['n']} bedrijven, groepstransport-"
            f"overeenkomst, categorie {hub['category']}): {_eur(hub['objective_eur'])} per"
            f" jaar met {_num(pv)} kWp extra zon, een gedeelde batterij van"
            f" {_num(hub['battery_kwh'])} kWh / {_num(hub['battery_kw'])} kW en een"
            f" groepsvermogen van {_num(hub['contract_kw'])} kW."
        )
        out.append(
            f"Waarde van samenwerking: {_eur(v)} per jaar"
            + (" (samen is goedkoper)." if v > 0 else " (samen is niet goedkoper).")
        )
    else:
        out.append(
            f"Together in an energy hub ({hub['n']} companies, group transport"
            f" agreement, category {hub['category']}): {_eur(hub['objective_eur'])} per year"
            f" with {pv:,.0f} kWp more solar, a shared battery of {hub['battery_kwh']:,.0f}"
            f" kWh / {hub['battery_kw']:,.0f} kW and a group capacity of"
            f" {hub['contract_kw']:,.0f} kW."
        )
        out.append(
            f"Value of cooperation: {_eur(v)} per year"
            + (" (together is cheaper)." if v > 0 else " (together is not cheaper).")
        )
    curt = hub["curtailed_kwh"]
    if curt > 1.0 and hub["pv_kwh"] > 0:
        share = curt / hub["pv_kwh"] * 100
        out.append(
            f"De hub regelt {_num(curt)} kWh zonnestroom af ({_num(share, 1)} %): meer"
            f" terugleveren laat de teruglevergrens niet toe of loont niet."
            if nl
            else f"The hub curtails {curt:,.0f} kWh of solar ({share:.1f} %): feeding in more"
            f" is not allowed by the feed-in limit or does not pay."
        )
    if facts["bracket_ids"]:
        ids = (
            companies_text(facts["bracket_ids"], names, lang)
            if names
            else ", ".join(facts["bracket_ids"])
        )
        out.append(
            f"Na de optimalisatie valt het verbruik van {ids} in een andere schijf van de"
            " energiebelasting; daarmee is opnieuw gerekend."
            if nl
            else f"After optimisation the use of {ids} falls in another energy-tax bracket;"
            " the optimisation was run again with it."
        )
    if facts["typical_days"]:
        k = facts["typical_days"]
        out.append(
            f"Snelle modus: {k} typische dagen in plaats van het hele jaar."
            if nl
            else f"Fast mode: {k} typical days instead of the whole year."
        )
    return out


def explain(opt: Any, inputs: Any, lang: str = "nl") -> list[str]:
    """Sentences (Dutch, or English with ``lang="en"``) that explain the optimum, with
    company ids (the ``explanation`` of ``parkplan optimize --json``).

    Parameters
    ----------
    opt : parkplan.optimize.sizing.ParkOptimum
        The optimum.
    inputs : parkplan.optimize.sizing.ParkSizingInputs
        The inputs it was computed from.
    lang : str
        ``nl`` or ``en``.
    """
    return explanation_lines(optimum_facts(opt), lang)


def explain_result(
    result: Mapping[str, Any], lang: str = "nl", names: Mapping[str, str] | None = None
) -> list[str]:
    """The explanation of a stored or returned result in ``lang``, rebuilt from its
    numbers, with company names when ``names`` is given; a result without those numbers
    (older or partial) keeps its stored ``explanation`` lines."""
    try:
        facts = stored_facts(result)
    except (KeyError, TypeError, ValueError):
        return list(result.get("explanation") or [])
    return explanation_lines(facts, lang, names)
