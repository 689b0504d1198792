"""``parkplan meterdata check``: read a 15-minute meter-data export and report its faults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of


@click.group("meterdata")
def meterdata_group() -> None:
    """Meetdata (kwartierwaarden) controleren."""


@meterdata_group.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--year",
    type=int,
    help="Kalenderjaar dat de data moeten dekken (standaard: het jaar van de meeste kwartieren).",
)
@click.option(
    "--annual-kwh",
    type=float,
    help="Bekende jaarafname [kWh] (factuur, parkbestand), om kW in plaats van kWh te herkennen.",
)
@click.option(
    "--partial",
    is_flag=True,
    help="Alleen de periode van het eerste tot het laatste kwartier controleren "
    "(geen volledig jaar verwacht).",
)
@json_option
def check_command(
    file: Path, year: int | None, annual_kwh: float | None, partial: bool, as_json: bool
) -> None:
    """Controleer een meetdatabestand (CSV, kwartierwaarden).

    Meldt gaten, dubbele kwartieren, zomer-/wintertijddagen (92 en 100 kwartieren), kW waar
    kWh verwacht wordt, verkeerde tekens van teruglevering en een jaar dat niet klopt.
    Exitstatus 1 als er fouten zijn (waarschuwingen alleen: 0).
    """
    from parkplan.io.meterdata import check_meter_data, read_meter_data

    lang = lang_of()
    data, meta = read_meter_data(file)
    if year is None:
        years = data.index.year
        year = int(years.value_counts().idxmax()) if len(years) else None
    problems = list(meta.get("problems", []))
    if year is not None:
        problems += check_meter_data(
            data, year, annual_kwh=annual_kwh, full_year=not partial, file=meta.get("file")
        )
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    summary: dict[str, Any] = {
        "file": meta.get("file"),
        "year": year,
        "intervals": len(data),
        "first": data.index.min().isoformat() if len(data) else None,
        "last": data.index.max().isoformat() if len(data) else None,
        "offtake_kwh": float(data["offtake_kwh"].sum()),
        "feed_in_kwh": float(data["feed_in_kwh"].sum()),
        "columns": meta.get("columns"),
        "unit": meta.get("unit"),
        "timestamps": meta.get("timestamps"),
        "separator": meta.get("separator"),
        "decimal_comma": meta.get("decimal_comma"),
        "errors": errors,
        "warnings": warnings,
        "problems": [p.to_dict(lang) for p in problems],
    }
    if as_json:
        echo_json(summary)
    else:
        _print(summary, problems, lang)
    if errors:
        raise SystemExit(1)


def _print(summary: dict[str, Any], problems: list[Any], lang: str) -> None:
    from parkplan.reports.charts import format_number

    nl = lang == "nl"
    click.echo(
        (
            f"{summary['file']}: {summary['intervals']} kwartieren, jaar {summary['year']}, "
            f"afname {format_number(summary['offtake_kwh'], 1)} kWh, teruglevering "
            f"{format_number(summary['feed_in_kwh'], 1)} kWh."
        )
        if nl
        else (
            f"{summary['file']}: {summary['intervals']} intervals, year {summary['year']}, "
            f"offtake {summary['offtake_kwh']:,.1f} kWh, feed-in "
            f"{summary['feed_in_kwh']:,.1f} kWh."
        )
    )
    if not problems:
        click.echo("Geen problemen gevonden." if nl else "No problems found.")
        return
    rows = [
        (
            ("fout" if p.severity == "error" else "waarschuwing") if nl else p.severity,
            p.code,
            p.location(lang),  # type: ignore[arg-type]
            p.message(lang),  # type: ignore[arg-type]
        )
        for p in problems
    ]
    headers = (
        ["ernst", "soort", "waar", "melding"] if nl else ["severity", "kind", "where", "message"]
    )
    echo_table(headers, rows)
    click.echo(
        f"{summary['errors']} fouten, {summary['warnings']} waarschuwingen."
        if nl
        else f"{summary['errors']} errors, {summary['warnings']} warnings."
    )


COMMANDS = [meterdata_group]
