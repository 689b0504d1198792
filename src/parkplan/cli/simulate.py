"""``parkplan simulate``: a park-year at 15-minute resolution, with an optional scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of

WEATHER_FORMATS = ("knmi", "pvgis-csv", "pvgis-json", "dwd-try")
"""Formats of ``--weather-format`` (as :data:`parkplan.io.weather.WEATHER_FORMATS`; kept
here so the CLI imports no readers at start-up)."""


def weather_options(command: Any) -> Any:
    """``--weather FILE`` and ``--weather-format``, for every command that simulates.

    The command receives ``weather_file`` (Path or None) and ``weather_format`` (str or
    None) and passes them to :func:`parkplan.services.simulate.simulate`.
    """
    command = click.option(
        "--weather-format",
        "weather_format",
        type=click.Choice(WEATHER_FORMATS),
        help="Formaat van --weather (standaard herkend aan de inhoud).",
    )(command)
    return click.option(
        "--weather",
        "weather_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Weerbestand: KNMI-uurbestand, PVGIS-TMY (CSV/JSON) of DWD-testreferentiejaar;"
        " standaard het DWD-testreferentiejaar regio 5.",
    )(command)


def weather_for(
    weather_file: Path | None,
    weather_format: str | None,
    *,
    year: int = 2025,
    resolution_minutes: int = 15,
) -> Any:
    """The weather of ``--weather`` for one simulated year, or ``None`` (the default).

    Read once with :func:`parkplan.services.weather.load_weather` (its metadata travel in
    ``weather.attrs`` into ``provenance.weather``). ``None`` without a file, so that the
    services keep their own default. A file that cannot be used is a Dutch error naming it.
    """
    if weather_file is None:
        if weather_format is not None:
            from parkplan.domain.errors import ParkplanError

            raise ParkplanError(
                "--weather-format zonder --weather: geef ook het weerbestand.",
                "--weather-format without --weather: give the weather file too.",
            )
        return None
    from parkplan.services.weather import load_weather

    weather, _meta = load_weather(
        weather_file, fmt=weather_format, year=year, resolution_minutes=resolution_minutes
    )
    return weather


def _n(value: Any, decimals: int = 0) -> str:
    from parkplan.reports.charts import format_number

    return format_number(value, decimals)


@click.command("simulate")
@click.argument("park_or_file")
@click.option(
    "--scenario",
    "scenario_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Scenariobestand (YAML) met maatregelen om toe te voegen.",
)
@click.option("--year", default=2025, show_default=True, type=int, help="Kalenderjaar.")
@click.option(
    "--resolution",
    default="15",
    show_default=True,
    type=click.Choice(["15", "60"]),
    help="Intervallengte in minuten.",
)
@json_option
@click.option(
    "--timeseries",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schrijf de kwartierreeksen naar dit parquet-bestand (lang formaat).",
)
@click.option(
    "--charts",
    "charts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Schrijf grafieken (PNG en SVG) naar deze map.",
)
@click.option(
    "--fill-gaps",
    type=click.Choice(["linear", "same_weekday", "zero"]),
    help="Vul gaten in meetdata met deze methode (wordt gemeld).",
)
@weather_options
def simulate_command(
    park_or_file: str,
    scenario_file: Path | None,
    year: int,
    resolution: str,
    as_json: bool,
    timeseries: Path | None,
    charts_dir: Path | None,
    fill_gaps: str | None,
    weather_file: Path | None,
    weather_format: str | None,
) -> None:
    """Simuleer een parkjaar: vraag, zon, batterijen, aansluitingen en energiehubs.

    PARK_OR_FILE is een park-id uit de database of een parkbestand. Zonder --json een
    Nederlandse samenvatting; eenheden en JSON-sleutels staan in docs/simulation.md.
    """
    from parkplan.services.simulate import simulate, write_timeseries

    lang = lang_of()
    keep = timeseries is not None or charts_dir is not None
    result = simulate(
        park_or_file,
        scenario=scenario_file,
        year=year,
        resolution_minutes=int(resolution),
        keep_series=keep,
        fill_gaps=fill_gaps,
        weather_file=weather_file,
        weather_format=weather_format,
    )
    written: list[str] = []
    if timeseries is not None:
        written.append(str(write_timeseries(result, timeseries)))
    if charts_dir is not None:
        from parkplan.reports.charts import simulation_charts

        written.extend(str(p) for p in simulation_charts(result, charts_dir))
    if as_json:
        data = result.to_dict(lang)
        data["files"] = written
        echo_json(data)
        return
    _summary(result, lang)
    for path in written:
        click.echo(("Geschreven: " if lang == "nl" else "Written: ") + path)


def _summary(result: Any, lang: str) -> None:
    p = result.park
    nl = lang == "nl"
    est = " (schatting)" if nl and p.estimated else (" (estimate)" if p.estimated else "")
    title = (
        f"Simulatie {result.provenance.get('year')}{est}, scenario: "
        f"{result.provenance.get('scenario') or 'basis'}"
        if nl
        else f"Simulation {result.provenance.get('year')}{est}, scenario: "
        f"{result.provenance.get('scenario') or 'baseline'}"
    )
    rows = [
        ("Vraag op locatie" if nl else "Demand on site", _n(p.demand_kwh), "kWh"),
        ("Zonnestroom" if nl else "Solar", _n(p.pv_kwh), "kWh"),
        ("Afname van het net" if nl else "Grid offtake", _n(p.import_kwh), "kWh"),
        ("Teruglevering" if nl else "Feed-in", _n(p.export_kwh), "kWh"),
        ("Afgeregeld" if nl else "Curtailed", _n(p.curtailed_kwh), "kWh"),
        ("Gelijktijdige piek" if nl else "Coincident peak", _n(p.coincident_peak_kw, 1), "kW"),
        (
            "Som van de eigen pieken" if nl else "Sum of individual peaks",
            _n(p.sum_of_individual_peaks_kw, 1),
            "kW",
        ),
        (
            "Beschikbaar voor het park" if nl else "Available to the park",
            _n(p.available_import_kw, 0) if p.available_import_kw else "-",
            "kW",
        ),
        ("Overschrijding park" if nl else "Park exceedance", _n(p.exceeded_import_hours, 2), "h"),
        ("CO2", _n(p.co2_kg / 1000, 1), "t"),
    ]
    echo_table(["Park", "Waarde" if nl else "Value", "Eenheid" if nl else "Unit"], rows, title)
    headers_nl = ["Bedrijf", "Vraag kWh", "Zon kWh", "Zelf verbruikt kWh", "Afname kWh"]
    headers_nl += ["Teruglevering kWh", "Piek kW", "Overschreden h", "CO2 t", "Schatting"]
    headers_en = ["Company", "Demand kWh", "Solar kWh", "Self-consumed kWh", "Offtake kWh"]
    headers_en += ["Feed-in kWh", "Peak kW", "Exceeded h", "CO2 t", "Estimate"]
    headers = headers_nl if nl else headers_en
    yes, no = ("ja", "nee") if nl else ("yes", "no")
    crow = [
        [
            c.id,
            _n(c.demand_kwh),
            _n(c.pv_kwh),
            _n(c.self_consumed_kwh),
            _n(c.import_kwh),
            _n(c.export_kwh),
            _n(c.peak_import_kw, 1),
            _n(c.exceeded_hours, 2),
            _n(c.co2_kg / 1000, 1),
            yes if c.estimated else no,
        ]
        for c in result.companies
    ]
    echo_table(headers, crow, "Bedrijven" if nl else "Companies")
    for h in result.hubs:
        click.echo(
            (
                f"Energiehub {h.name}: groepspiek {_n(h.peak_kw, 1)} kW (som eigen pieken "
                f"{_n(h.sum_of_member_peaks_kw, 1)} kW), gedeeld {_n(h.shared_kwh)} kWh, "
                f"overschrijding {_n(h.exceeded_hours, 2)} h"
            )
            if nl
            else (
                f"Energy hub {h.name}: group peak {_n(h.peak_kw, 1)} kW (sum of own peaks "
                f"{_n(h.sum_of_member_peaks_kw, 1)} kW), shared {_n(h.shared_kwh)} kWh, "
                f"exceedance {_n(h.exceeded_hours, 2)} h"
            )
        )
    for prob in result.problems:
        click.echo(prob.render("nl" if nl else "en"))
    from parkplan.services.weather import weather_label

    click.echo(weather_label(result.provenance.get("weather"), "nl" if nl else "en"))
    click.echo(
        ("Herkomst: invoer-sha256 " if nl else "Provenance: inputs sha256 ")
        + result.provenance["inputs_sha256"][:16]
        + f", refdata {result.provenance.get('refdata_version')}"
        + f", code {result.provenance.get('code_version')}"
    )


COMMANDS = [simulate_command]
