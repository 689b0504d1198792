"""The optimum in words: what to build, what it costs and what cooperation is worth."""

from __future__ import annotations

from typing import Any


def _eur(x: float) -> str:
    return f"EUR {x:,.0f}".replace(",", ".")


def _num(x: float, nd: int = 0) -> str:
    s = f"{x:,.{nd}f}"
    if s.startswith("-") and not any(c in "123456789" for c in s):
        s = s[1:]  # a solver's -0.0 (or -0.3 rounded) reads as 0, not -0
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def explain(opt: Any, inputs: Any, lang: str = "nl") -> list[str]:
    """Sentences (Dutch, or English with ``lang="en"``) that explain the optimum.

    Parameters
    ----------
    opt : parkplan.optimize.sizing.ParkOptimum
        The optimum.
    inputs : parkplan.optimize.sizing.ParkSizingInputs
        The inputs it was computed from.
    lang : str
        ``nl`` or ``en``.
    """
    nl = lang != "en"
    out: list[str] = []
    alone_pv = sum(sum(sum(v) for v in s.pv_added_kwp.values()) for s in opt.alone.values())
    alone_bat = sum(s.solution.battery_kwh for s in opt.alone.values())
    if nl:
        out.append(
            f"Elk bedrijf apart: samen {_eur(opt.alone_total_eur)} per jaar, met"
            f" {_num(alone_pv)} kWp extra zon en {_num(alone_bat)} kWh batterijen."
        )
    else:
        out.append(
            f"Every company alone: {_eur(opt.alone_total_eur)} per year in total, with"
            f" {alone_pv:,.0f} kWp more solar and {alone_bat:,.0f} kWh of batteries."
        )
    hub = opt.hub
    if hub is None:
        out.append(
            "Geen energiehub: minder dan twee bedrijven met een grootverbruikaansluiting."
            if nl
            else "No energy hub: fewer than two companies with a grootverbruik connection."
        )
        return out
    s = hub.solution
    pv = sum(sum(v) for v in hub.pv_added_kwp.values())
    v = opt.value_of_cooperation_eur
    if nl:
        out.append(
            f"Samen in een energiehub ({len(hub.members)} bedrijven, groepstransport-"
            f"overeenkomst, categorie {hub.category}): {_eur(hub.objective_eur)} per jaar met"
            f" {_num(pv)} kWp extra zon, een gedeelde batterij van {_num(s.battery_kwh)} kWh /"
            f" {_num(s.battery_kw)} kW en een groepsvermogen van {_num(s.contract_kw)} kW."
        )
        out.append(
            f"Waarde van samenwerking: {_eur(v)} per jaar"
            + (" (samen is goedkoper)." if v > 0 else " (samen is niet goedkoper).")
        )
    else:
        out.append(
            f"Together in an energy hub ({len(hub.members)} companies, group transport"
            f" agreement, category {hub.category}): {_eur(hub.objective_eur)} per year with"
            f" {pv:,.0f} kWp more solar, a shared battery of {s.battery_kwh:,.0f} kWh /"
            f" {s.battery_kw:,.0f} kW and a group capacity of {s.contract_kw:,.0f} kW."
        )
        out.append(
            f"Value of cooperation: {_eur(v)} per year"
            + (" (together is cheaper)." if v > 0 else " (together is not cheaper).")
        )
    curt = float(s.curtailed_kwh.sum())
    if curt > 1.0 and s.pv_kwh.sum() > 0:
        share = curt / float(s.pv_kwh.sum()) * 100
        out.append(
            f"De hub regelt {_num(curt)} kWh zonnestroom af ({_num(share, 1)} %): meer"
            f" terugleveren laat de teruglevergrens niet toe of loont niet."
            if nl
            else f"The hub curtails {curt:,.0f} kWh of solar ({share:.1f} %): feeding in more"
            f" is not allowed by the feed-in limit or does not pay."
        )
    changes = [c for site in [*opt.alone.values(), hub] for c in site.bracket_changes]
    if changes:
        ids = ", ".join(sorted({c["company"] for c in changes}))
        out.append(
            f"Na de optimalisatie valt het verbruik van {ids} in een andere schijf van de"
            " energiebelasting; daarmee is opnieuw gerekend."
            if nl
            else f"After optimisation the use of {ids} falls in another energy-tax bracket;"
            " the optimisation was run again with it."
        )
    if opt.aggregated:
        a = opt.aggregated
        out.append(
            f"Snelle modus: {a['typical_days']} typische dagen in plaats van het hele jaar."
            if nl
            else f"Fast mode: {a['typical_days']} typical days instead of the whole year."
        )
    return out
