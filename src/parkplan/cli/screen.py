"""``parkplan screen`` (many parks on Dask) and ``parkplan synthetic-national``."""

from __future__ import annotations

from pathlib import Path

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of
from parkplan.cli.simulate import weather_options


@click.command("screen")
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Resultaatbestand (.parquet); deelresultaten in <out>.parts/ (hervatten).",
)
@click.option("--scheduler", default=None, help="Adres van een bestaand Dask-cluster.")
@click.option(
    "--resolution",
    default="60",
    show_default=True,
    type=click.Choice(["60", "15"]),
    help="Intervallengte in minuten.",
)
@click.option(
    "--workers", default=2, show_default=True, type=int, help="Workers van het lokale cluster."
)
@click.option("--year", default=2025, show_default=True, type=int, help="Gesimuleerd jaar.")
@click.option(
    "--tariff-year", default=2026, show_default=True, type=int, help="Jaar van de tarieven."
)
@click.option(
    "--override",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Referentiewaarde voor deze run (bijv. een onbekend tarief); wordt gemeld.",
)
@click.option(
    "--reports",
    "reports_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Map voor summary.csv, parks.geojson, ranking.md/html (standaard: map van --out).",
)
@json_option
@weather_options
def screen_command(
    input_path: Path,
    out: Path,
    scheduler: str | None,
    resolution: str,
    workers: int,
    year: int,
    tariff_year: int,
    overrides: tuple[str, ...],
    reports_dir: Path | None,
    as_json: bool,
    weather_file: Path | None,
    weather_format: str | None,
) -> None:
    """Screen alle parken van INPUT op Dask: zon, hubwaarde, CO2 en netruimte per park.

    INPUT is een map met tabellen parks en companies (Parquet/CSV, zoals uit IBIS, KvK en
    BAG) of een map met parkbestanden. Een herstart slaat parken met een resultaat over.
    """
    from parkplan.reports.charts import format_number
    from parkplan.services.screening import parse_overrides, screen

    lang = lang_of()
    nl = lang == "nl"
    result = screen(
        input_path,
        out,
        scheduler=scheduler,
        workers=workers,
        resolution_minutes=int(resolution),
        year=year,
        tariff_year=tariff_year,
        overrides=parse_overrides(overrides),
        reports_dir=reports_dir,
        progress=not as_json,
        lang=lang,
        weather_file=weather_file,
        weather_format=weather_format,
    )
    if as_json:
        echo_json(result)
        return
    t = result["totals"]
    rows = [
        ("Parken" if nl else "Parks", result["parks"], ""),
        ("Nu gescreend" if nl else "Screened now", result["screened"], ""),
        ("Overgeslagen (al klaar)" if nl else "Skipped (done)", result["skipped"], ""),
        ("Met fout" if nl else "With error", result["errors"], ""),
        (
            "Doorvoer" if nl else "Throughput",
            format_number(result["company_years_per_s"], 1),
            "bedrijfsjaren/s" if nl else "company-years/s",
        ),
        (
            "Piekverlaging hubs" if nl else "Hub peak reduction",
            format_number((t.get("hub_peak_reduction_kw") or 0) / 1000, 1),
            "MW",
        ),
        (
            "Zon potentieel" if nl else "Solar potential",
            format_number((t.get("pv_potential_kwh") or 0) / 1e6, 1),
            "GWh",
        ),
        ("CO2", format_number((t.get("co2_kg") or 0) / 1e6, 1), "kt"),
    ]
    echo_table(
        ["", "Waarde" if nl else "Value", "Eenheid" if nl else "Unit"],
        rows,
        "Screening" + (" (SYNTHETISCH)" if result["input"].get("synthetic") else ""),
    )
    for r in result["error_parks"]:
        click.echo(f"{'fout' if nl else 'error'} {r['park_id']}: {r['error']}", err=True)
    from parkplan.services.weather import weather_label

    click.echo(weather_label(result.get("weather"), lang))
    for f in result["files"]:
        click.echo(("Geschreven: " if nl else "Written: ") + f)


@click.command("synthetic-national")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--parks", type=int, default=None, help="Aantal parken (standaard ~3.800).")
@click.option("--seed", type=int, default=None, help="Startwaarde van de toevalsgenerator.")
@json_option
def synthetic_national_command(
    out_dir: Path, parks: int | None, seed: int | None, as_json: bool
) -> None:
    """Maak een SYNTHETISCHE landelijke dataset (parks.parquet, companies.parquet).

    Gedocumenteerde verdelingen: refdata/synthetic_national.csv en demo_distributions.csv.
    """
    from parkplan.services.screening import synthetic_national

    meta = synthetic_national(out_dir, parks=parks, seed=seed)
    if as_json:
        echo_json(meta)
        return
    nl = lang_of() == "nl"
    click.echo(
        (
            f"SYNTHETISCH: {meta['parks']} parken en {meta['companies']} bedrijven"
            f" geschreven naar {out_dir} (seed {meta['seed']})."
        )
        if nl
        else (
            f"SYNTHETIC: {meta['parks']} parks and {meta['companies']} companies written"
            f" to {out_dir} (seed {meta['seed']})."
        )
    )


COMMANDS = [screen_command, synthetic_national_command]
