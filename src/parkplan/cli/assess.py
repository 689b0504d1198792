"""Assessment commands: the baseline (nulmeting), the quick scan and the scorecard."""

from __future__ import annotations

from pathlib import Path

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of
from parkplan.cli.simulate import weather_for, weather_options

SIMULATION_YEAR = 2025
"""Calendar year of the simulation of the quick scan and scorecard when ``--year`` is not
given (the default of :func:`parkplan.services.simulate.simulate`)."""


@click.command("baseline")
@click.argument("park_or_file")
@click.option(
    "--year", type=int, default=None, help="Jaar van de referentiewaarden (standaard: nieuwste)."
)
@json_option
def baseline_command(park_or_file: str, year: int | None, as_json: bool) -> None:
    """Nulmeting: energie en CO2 per bedrijf, sector en park, met datakwaliteit.

    PARK_OR_FILE is een park-id uit de database of het pad van een parkbestand.
    """
    from parkplan.assess.baseline import SECTOR_GROUPS
    from parkplan.services.assess import baseline_to_dict, compute_baseline
    from parkplan.services.parks import load_park
    from parkplan.web.i18n import format_number

    lang = lang_of()
    park = load_park(park_or_file)
    base, refdata = compute_baseline(park, year=year)
    data = baseline_to_dict(base, park, refdata, lang)
    if as_json:
        echo_json(data)
        return
    nl = lang == "nl"

    def pct(x: float) -> str:
        return f"{format_number(100 * x, 0, lang)} %"

    title = f"{'Nulmeting' if nl else 'Baseline'} {park.name}"
    if park.illustrative and "illustrat" not in park.name.lower():
        title += " (illustratief)" if nl else " (illustrative)"
    rows = []
    for s in base.sectors:
        t = s.totals
        rows.append(
            [
                SECTOR_GROUPS[s.key][0 if nl else 1],
                s.companies,
                format_number(t["electricity_offtake_kwh"].value / 1000, 0, lang),
                format_number(t["gas_m3"].value, 0, lang),
                format_number(s.co2_kg / 1000, 1, lang),
            ]
        )
    p = base.park.totals
    rows.append(
        [
            "Totaal park" if nl else "Park total",
            base.park.companies,
            format_number(p["electricity_offtake_kwh"].value / 1000, 0, lang),
            format_number(p["gas_m3"].value, 0, lang),
            format_number(base.park.co2_kg / 1000, 1, lang),
        ]
    )
    headers = (
        ["Sector", "Bedrijven", "Elektriciteit [MWh]", "Gas [m3]", "CO2 [ton]"]
        if nl
        else ["Sector", "Companies", "Electricity [MWh]", "Gas [m3]", "CO2 [t]"]
    )
    echo_table(headers, rows, title=title)
    e = p["electricity_offtake_kwh"]
    g = p["gas_m3"]
    if nl:
        click.echo(
            f"Datakwaliteit: elektriciteit {pct(e.measured_share)} gemeten, "
            f"{pct(e.estimated_share)} geschat; gas {pct(g.estimated_share)} geschat. "
            f"Zonder gegevens: {e.companies_missing} bedrijven (elektriciteit), "
            f"{g.companies_missing} (gas)."
        )
        click.echo(
            f"Referentiegegevens versie {refdata.version}; zie --json voor de gebruikte waarden."
        )
    else:
        click.echo(
            f"Data quality: electricity {pct(e.measured_share)} measured, {pct(e.estimated_share)}"
            f" estimated; gas {pct(g.estimated_share)} estimated. Without data: "
            f"{e.companies_missing} companies (electricity), {g.companies_missing} (gas)."
        )
        click.echo(f"Reference data version {refdata.version}; see --json for the values used.")


@click.command("quickscan")
@click.argument("park_or_file")
@click.option(
    "--year", type=int, default=None, help="Jaar van de referentiewaarden (standaard: nieuwste)."
)
@json_option
@click.option("--md", "as_md", is_flag=True, help="Uitvoer als Markdown-rapport.")
@click.option(
    "--no-store",
    is_flag=True,
    help="Resultaat van een databasepark niet opslaan.",
)
@weather_options
def quickscan_command(
    park_or_file: str,
    year: int | None,
    as_json: bool,
    as_md: bool,
    no_store: bool,
    weather_file: Path | None,
    weather_format: str | None,
) -> None:
    """Quickscan: voorlopige conclusies en aanbevelingen, elk met onderbouwing.

    PARK_OR_FILE is een park-id uit de database of het pad van een parkbestand. Voor een
    databasepark wordt het resultaat met herkomst opgeslagen (soort 'quickscan').
    """
    from parkplan.services.assess import quickscan_to_markdown, run_quickscan

    lang = lang_of()
    weather = weather_for(weather_file, weather_format, year=year or SIMULATION_YEAR)
    data = run_quickscan(park_or_file, year=year, lang=lang, store=not no_store, weather=weather)
    if as_json:
        echo_json(data)
        return
    # the command line has the whole park: companies by name with their id (text only)
    names = data.get("company_names") or {}
    if as_md:
        click.echo(quickscan_to_markdown(data, lang, names), nl=False)
        return
    from parkplan.domain.names import companies_text, with_company_names

    nl = lang == "nl"
    title = f"{'Quickscan' if nl else 'Quick scan'} {data['park_name']}"
    rows = [
        [
            r["rank"],
            r["title"] + (" *" if r["obligation"] else ""),
            companies_text(r["companies"], names, lang),
            _n(r["impact"]["co2_kg"], 1000, 1, lang),
            _n(r["impact"]["eur"], 1, 0, lang),
            _n(r["impact"]["kw"], 1, 0, lang),
            r["effort_label"],
        ]
        for r in data["recommendations"]
    ]
    headers = (
        ["#", "Aanbeveling", "Bedrijven", "CO2 [t/jr]", "EUR/jr", "kW", "Inspanning"]
        if nl
        else ["#", "Recommendation", "Companies", "CO2 [t/yr]", "EUR/yr", "kW", "Effort"]
    )
    for f in data["findings"]:
        click.echo(f"- {f['title']}: {with_company_names(f['text'], names)}")
    echo_table(headers, rows, title=title)
    click.echo(
        "* wettelijke plicht. Volledig rapport: --md; onderbouwing per getal: --json."
        if nl
        else "* legal obligation. Full report: --md; evidence per number: --json."
    )
    _echo_weather(data, lang)


def _echo_weather(data: dict, lang: str, prefix: str = "") -> None:
    """The line naming the weather of the simulation behind a result (when simulated)."""
    from parkplan.services.weather import weather_label

    sim = (data.get("provenance") or {}).get("simulation")
    if sim:
        click.echo(prefix + weather_label(sim.get("weather"), lang))


def _n(value: float | None, divisor: float, decimals: int, lang: str) -> str:
    from parkplan.assess.quickscan import fmt

    return "–" if value is None else fmt(value / divisor, decimals, lang)


@click.command("scorecard")
@click.argument("park_or_file", nargs=-1, required=True)
@click.option(
    "--year", type=int, default=None, help="Jaar van de referentiewaarden (standaard: nieuwste)."
)
@click.option(
    "--inputs",
    "inputs_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="YAML met optionele invoer: climate (paved_share, green_share, water_storage_m3), "
    "circularity (collective_waste_contract, circular_company_share).",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False),
    default=None,
    help="Radargrafiek naar dit bestand (.png of .svg).",
)
@json_option
@click.option("--no-store", is_flag=True, help="Resultaat van een databasepark niet opslaan.")
@weather_options
def scorecard_command(
    park_or_file: tuple[str, ...],
    year: int | None,
    inputs_file: str | None,
    chart: str | None,
    as_json: bool,
    no_store: bool,
    weather_file: Path | None,
    weather_format: str | None,
) -> None:
    """Scorekaart toekomstbestendigheid: zes thema's van 0 tot 100 tegen een doel.

    PARK_OR_FILE is een park-id uit de database of het pad van een parkbestand; meerdere
    parken worden met dezelfde doelen gescoord en zijn dus vergelijkbaar.
    """
    from parkplan.services.assess import run_scorecards

    lang = lang_of()
    cards = run_scorecards(
        list(park_or_file),
        year=year,
        lang=lang,
        inputs_file=inputs_file,
        chart=chart,
        store=not no_store,
        weather=weather_for(weather_file, weather_format, year=year or SIMULATION_YEAR),
    )
    if as_json:
        if len(cards) == 1:
            echo_json(cards[0])
        else:
            from parkplan.services.assess import compare_scorecards

            echo_json({"parks": cards, "comparison": compare_scorecards(cards, lang)})
        return
    nl = lang == "nl"
    headers = ["Thema" if nl else "Theme", *(c["park_name"] for c in cards)]
    rows = []
    for j, theme in enumerate(cards[0]["themes"]):
        row = [theme["label"]]
        for c in cards:
            t = c["themes"][j]
            cell = _n(t["score"], 1, 0, lang)
            if t["weak"]:
                cell += " (zwak)" if nl else " (weak)"
            row.append(cell)
        rows.append(row)
    rows.append(
        [
            "Totaal" if nl else "Overall",
            *(
                f"{_n(c['score'], 1, 0, lang)} ({c['themes_assessed']}/{c['themes_total']})"
                for c in cards
            ),
        ]
    )
    echo_table(headers, rows, title="Scorekaart (0-100)" if nl else "Scorecard (0-100)")
    for c in cards:
        for t in c["themes"]:
            for note in t["notes"]:
                click.echo(f"{c['park_name']} – {t['label']}: {note}")
            if t["not_assessed"]:
                click.echo(
                    f"{c['park_name']} – {t['label']}: "
                    + ("niet beoordeeld: " if nl else "not assessed: ")
                    + ", ".join(t["not_assessed"])
                )
    for c in cards:
        _echo_weather(c, lang, prefix=f"{c['park_name']} – " if len(cards) > 1 else "")
    if chart:
        click.echo(f"{'Grafiek' if nl else 'Chart'}: {chart}")


COMMANDS = [baseline_command, quickscan_command, scorecard_command]
