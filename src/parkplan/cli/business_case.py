"""``parkplan business-case`` and ``parkplan share``: what a scenario yields, and who gets what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of
from parkplan.cli.simulate import weather_for, weather_options


def _eur(x: Any) -> str:
    if x is None:
        return "onbekend"
    return f"{x:,.0f}".replace(",", ".")


_scenario = click.option(
    "--scenario",
    "scenario_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Scenariobestand (YAML) met maatregelen.",
)
_year = click.option("--year", default=2026, show_default=True, type=int, help="Tariefjaar.")


@click.command("business-case")
@click.argument("park_or_file")
@_scenario
@_year
@click.option("--discount-rate", type=float, help="Disconteringsvoet, fractie per jaar (0.06).")
@click.option("--horizon", "horizon_years", type=int, help="Horizon in jaren.")
@click.option("--price-escalation", type=float, help="Jaarlijkse prijsstijging, fractie.")
@click.option(
    "--tornado",
    "tornado_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Schrijf per bedrijf een tornadodiagram (PNG) naar deze map: energieprijs en "
    "investering x0,8/x1,2, disconteringsvoet -/+ 2 procentpunt, opbrengst x0,9/x1,1.",
)
@click.option(
    "--prices",
    "prices_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Leveringsprijzen per kwartier of per uur (CSV, laatste kolom EUR/kWh), bijv. "
    "day-ahead plus opslag; anders de vaste prijs uit de referentiedata.",
)
@json_option
@weather_options
def business_case_command(
    park_or_file: str,
    scenario_file: Path,
    year: int,
    discount_rate: float | None,
    horizon_years: int | None,
    price_escalation: float | None,
    tornado_dir: Path | None,
    prices_file: Path | None,
    as_json: bool,
    weather_file: Path | None,
    weather_format: str | None,
) -> None:
    """Businesscase van een scenario per bedrijf en voor het collectief.

    PARK_OR_FILE is een park-id of een parkbestand. Bedragen in EUR (excl. btw), irr als
    fractie per jaar, terugverdientijd in jaren. Onbekende tarieven worden genoemd, niet
    geraden; vul ze in via refdata_overrides. Zie docs/business-case.md.
    """
    from parkplan.services.business_case import business_case
    from parkplan.services.weather import weather_label

    data = business_case(
        park_or_file,
        scenario=scenario_file,
        year=year,
        finance={
            "discount_rate": discount_rate,
            "horizon_years": horizon_years,
            "price_escalation": price_escalation,
        },
        sensitivity=None if tornado_dir is None else TORNADO_RANGES,
        prices=prices_file,
        weather=weather_for(weather_file, weather_format, year=year),
    )
    if tornado_dir is not None:
        from parkplan.economics.sensitivity import TornadoBar
        from parkplan.reports.tornado import tornado_chart

        files = []
        for c in data["companies"]:
            if c.get("sensitivity"):
                bars = [
                    TornadoBar(**{k: v for k, v in b.items() if k != "swing"})
                    for b in c["sensitivity"]
                ]
                files.append(str(tornado_chart(bars, tornado_dir / f"tornado-{c['id']}.png")))
        data["files"] = files
    if as_json:
        echo_json(data)
        return
    nl = lang_of() == "nl"
    rows = [
        [
            c["id"],
            _eur(c.get("bill_before_eur")),
            _eur(c.get("bill_after_eur")),
            _eur(c.get("capex_eur")),
            _eur(c.get("subsidy_eur")),
            _eur(c.get("npv_eur")),
            "-" if c.get("irr") is None else f"{100 * c['irr']:.1f}%".replace(".", ","),
            "-"
            if c.get("payback_years") is None
            else f"{c['payback_years']:.1f}".replace(".", ","),
        ]
        for c in data["companies"]
    ]
    head = (
        [
            "Bedrijf",
            "Rekening voor",
            "Rekening na",
            "Investering",
            "Subsidie",
            "NCW",
            "IRR",
            "TVT jr",
        ]
        if nl
        else [
            "Company",
            "Bill before",
            "Bill after",
            "Capex",
            "Subsidy",
            "NPV",
            "IRR",
            "Payback yr",
        ]
    )
    echo_table(head, rows, f"Businesscase {data['scenario']} ({data['year']}), EUR")
    col = data["collective"]
    click.echo(
        ("Collectief: investering " if nl else "Collective: capex ")
        + f"{_eur(col.get('capex_eur'))}, "
        + ("jaarlijks voordeel " if nl else "annual benefit ")
        + f"{_eur(col.get('annual_benefit_eur'))}, NCW {_eur(col.get('npv_eur'))}"
    )
    if data["unknown"]:
        click.echo(
            ("Onbekend (vul in via refdata_overrides): " if nl else "Unknown (supply via "
             "refdata_overrides): ") + ", ".join(data["unknown"])
        )  # fmt: skip
    overridden = sorted({v["key"] for v in data.get("refdata_used") or [] if v.get("overridden")})
    if overridden:
        click.echo(
            ("Vervangen referentiewaarden (park override, zie --json refdata_used): " if nl
             else "Overridden reference values (park override, see --json refdata_used): ")
            + ", ".join(overridden)
        )  # fmt: skip
    click.echo(weather_label((data.get("provenance") or {}).get("weather"), "nl" if nl else "en"))


TORNADO_RANGES: dict[str, tuple[float, float]] = {
    "price_factor": (0.8, 1.2),
    "capex_factor": (0.8, 1.2),
    "discount_rate_delta": (-0.02, 0.02),
    "yield_factor": (0.9, 1.1),
}
"""The ranges of --tornado (stated in the option's help and in docs/business-case.md)."""


@click.command("share")
@click.argument("park_or_file")
@_scenario
@_year
@click.option(
    "--method",
    type=click.Choice(
        ["shapley", "proportional-kwh", "proportional-kw", "proportional-peak", "cost-covering"]
    ),
    default="shapley",
    show_default=True,
    help="Verdeelmethode.",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Zaad voor de steekproef.")
@json_option
@weather_options
def share_command(
    park_or_file: str,
    scenario_file: Path,
    year: int,
    method: str,
    seed: int,
    as_json: bool,
    weather_file: Path | None,
    weather_format: str | None,
) -> None:
    """Verdeel het voordeel van de energiehub (GTO) over de deelnemers.

    benefit_eur in EUR per jaar, share als fractie (0-1), ci95_eur de halve breedte van het
    95%-interval (0 bij exacte berekening). stable: geen subgroep is alleen beter af.
    """
    from parkplan.services.business_case import share
    from parkplan.services.weather import weather_label

    data = share(
        park_or_file,
        scenario=scenario_file,
        method=method,
        year=year,
        seed=seed,
        weather=weather_for(weather_file, weather_format, year=year),
    )
    if as_json:
        echo_json(data)
        return
    nl = lang_of() == "nl"
    rows = [
        [c["id"], _eur(c["benefit_eur"]), f"{100 * c['share']:.1f}%".replace(".", ","),
         _eur(c["ci95_eur"])]
        for c in data["companies"]
    ]  # fmt: skip
    head = ["Bedrijf", "Voordeel EUR/jr", "Aandeel", "± 95%"] if nl else [
        "Company", "Benefit EUR/yr", "Share", "± 95%"]  # fmt: skip
    echo_table(head, rows, f"{data['hub']}: {_eur(data['total_benefit_eur'])} EUR/jr")
    if data["stable"]:
        click.echo("Stabiel: geen subgroep is alleen beter af." if nl else "Stable.")
    else:
        click.echo(
            ("Niet stabiel; deze groep is alleen beter af: " if nl else "Not stable; blocking: ")
            + ", ".join(data["blocking_coalition"])
        )
    click.echo(weather_label((data.get("provenance") or {}).get("weather"), "nl" if nl else "en"))


COMMANDS = [business_case_command, share_command]
