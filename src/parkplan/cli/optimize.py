"""``parkplan optimize``: the optimal configuration of a park, alone vs together."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of
from parkplan.cli.simulate import weather_for, weather_options


def progress_option(f: Callable) -> Callable:
    """``--progress/--no-progress``: stage lines on stderr (default: when stderr is a
    terminal); never on stdout, so ``--json`` output stays clean."""
    return click.option(
        "--progress/--no-progress",
        "show_progress",
        default=None,
        help="Toon de voortgang op stderr (standaard: alleen in een terminal).",
    )(f)


def progress_printer(show: bool | None) -> Callable[[float, str], None] | None:
    """A ``progress(fraction, label)`` callback that writes ``[ 42%] label`` lines to
    stderr, or ``None`` when progress is off (``show`` ``None``: only on a terminal)."""
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        return None
    last = [-1.0, ""]

    def emit(fraction: float, label: str) -> None:
        if (fraction, label) == tuple(last):
            return
        last[:] = [fraction, label]
        click.echo(f"[{round(100 * fraction):3d}%] {label}", err=True)

    return emit


@click.command("optimize")
@click.argument("park_or_file")
@click.option("--year", default=2025, show_default=True, type=int, help="Tarief- en kalenderjaar.")
@click.option(
    "--resolution",
    default="60",
    show_default=True,
    type=click.Choice(["60", "15"]),
    help="Intervallengte in minuten.",
)
@click.option(
    "--co2-cap-tonnes",
    type=float,
    default=None,
    help="Plafond voor de CO2 van de netafname van het park [ton per jaar].",
)
@click.option(
    "--save-scenario",
    "save_scenario",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Schrijf het optimum als scenariobestand (YAML, parkplan-scenario/1).",
)
@click.option(
    "--fast",
    is_flag=True,
    help="Snelle modus: typische dagen in plaats van elk interval (fout in docs/optimize.md).",
)
@click.option(
    "--scenario",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Scenariobestand met warmtepompen, laden (meer vraag) en tijdsblok-transportrechten "
    "waaronder geoptimaliseerd wordt.",
)
@click.option(
    "--override",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Referentiewaarde voor deze run (bijv. een onbekend tarief); staat in provenance.",
)
@progress_option
@json_option
@weather_options
def optimize_command(
    park_or_file: str,
    year: int,
    resolution: str,
    co2_cap_tonnes: float | None,
    save_scenario: Path | None,
    fast: bool,
    scenario: Path | None,
    overrides: tuple[str, ...],
    show_progress: bool | None,
    as_json: bool,
    weather_file: Path | None,
    weather_format: str | None,
) -> None:
    """Optimale configuratie: zon per dak, batterijen en groepsvermogen, apart en samen.

    PARK_OR_FILE is een park-id uit de database of een parkbestand. Lost een lineair
    programma op (HiGHS) over elk interval van het jaar, voor elk bedrijf apart en voor de
    energiehub; de waarde van samenwerking is het verschil. Sleutels en eenheden staan in
    docs/optimize.md.
    """
    from parkplan.optimize.sizing import InfeasibleError
    from parkplan.services.optimize import optimize
    from parkplan.services.screening import parse_overrides
    from parkplan.services.weather import weather_label

    lang = lang_of()
    weather = weather_for(
        weather_file, weather_format, year=year, resolution_minutes=int(resolution)
    )
    try:
        out = optimize(
            park_or_file,
            year=year,
            resolution_minutes=int(resolution),
            co2_cap_tonnes=co2_cap_tonnes,
            fast=fast,
            save_scenario=save_scenario,
            lang=lang,
            scenario=scenario,
            progress=progress_printer(show_progress),
            overrides=parse_overrides(overrides),
            weather=weather,
        )
    except InfeasibleError as exc:
        if as_json:
            echo_json({"status": "infeasible", "message": exc.message(lang), **exc.details})
        else:
            prefix = "niet haalbaar" if lang == "nl" else "infeasible"
            click.echo(f"{prefix}: {exc.message(lang)}", err=True)
        raise SystemExit(1) from None
    if as_json:
        echo_json(out)
        return
    nl = lang == "nl"
    from parkplan.domain.names import company_label
    from parkplan.optimize.report import explain_result
    from parkplan.services.parks import load_park

    # the command line has the whole park: companies by name with their id (text only)
    names = {c.id: c.name for c in load_park(park_or_file).companies}
    for line in explain_result(out, lang, names):
        click.echo(line)

    def num(x: float) -> str:
        text = f"{x:,.0f}"
        return text.replace(",", ".") if nl else text

    rows = []
    for c in out["companies"]:
        a = c["alone"]
        in_hub = ("ja" if nl else "yes") if c["in_hub"] else "-"
        rows.append(
            (
                company_label(c["id"], names),
                in_hub,
                num(a["objective_eur"]),
                num(a["pv_added_kwp"]),
                num(a["battery_kwh"]),
            )
        )
    echo_table(
        ["Bedrijf" if nl else "Company", "In hub", "Alleen EUR/jr" if nl else "Alone EUR/yr",
         "Extra kWp" if nl else "Added kWp", "Batterij kWh" if nl else "Battery kWh"],
        rows,
        "Apart" if nl else "Alone",
    )  # fmt: skip
    s = out["solver"]
    click.echo(
        f"HiGHS: {s['n_lps']} LP's, {s['seconds']:.2f} s".replace(".", ",")
        if nl
        else f"HiGHS: {s['n_lps']} LPs, {s['seconds']:.2f} s"
    )
    overridden = sorted({v["key"] for v in out["provenance"].get("refdata_overridden", [])})
    if overridden:
        click.echo(
            ("Vervangen referentiewaarden (park override, zie --json "
             "provenance.refdata_overridden): " if nl else "Overridden reference values (park "
             "override, see --json provenance.refdata_overridden): ") + ", ".join(overridden)
        )  # fmt: skip
    click.echo(weather_label(out["provenance"].get("weather"), lang))
    if out.get("scenario_file"):
        click.echo(("Scenario geschreven: " if nl else "Scenario written: ") + out["scenario_file"])


COMMANDS = [optimize_command]
