"""``parkplan plan`` and ``parkplan plan-text``: the uitvoeringsplan and the plan van aanpak."""

from __future__ import annotations

from pathlib import Path

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of
from parkplan.cli.optimize import progress_option, progress_printer
from parkplan.cli.simulate import weather_options


@click.command("plan")
@click.argument("park")
@click.option(
    "--kind",
    type=click.Choice(["uitvoeringsplan", "plan-van-aanpak"]),
    default="uitvoeringsplan",
    show_default=True,
    help="Soort plan.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "docx", "html", "md"]),
    default=None,
    help="Uitvoerformaat (standaard: uit de extensie van --out, anders pdf).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Bestand om te schrijven.",
)
@click.option(
    "--prepare",
    is_flag=True,
    help="Simuleer het park (en maak de quick scan) als er nog geen opgeslagen simulatie is.",
)
@click.option(
    "--scenario",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Scenariobestand: reken eerst de businesscase (en verdeling van de hub) door en "
    "sla die op.",
)
@click.option(
    "--optimize",
    "run_optimize",
    is_flag=True,
    help="Bereken eerst de optimale configuratie (snelle modus, typische dagen) en sla die op.",
)
@progress_option
@json_option
@weather_options
def plan_command(
    park: str,
    kind: str,
    fmt: str | None,
    out: Path,
    prepare: bool,
    scenario: Path | None,
    run_optimize: bool,
    show_progress: bool | None,
    as_json: bool,
    weather_file: Path | None,
    weather_format: str | None,
) -> None:
    """Maak het uitvoeringsplan of plan van aanpak van een park (PDF, Word, HTML, Markdown).

    PARK is een park-id uit de database. Alle getallen komen uit de opgeslagen analyses
    (simulatie, quick scan, businesscases, verdeling, optimalisatie); een analyse die nog
    niet is uitgevoerd staat in het plan als "nog niet uitgevoerd". Zie docs/plans.md.
    """
    from parkplan.services.plan import export_plan, summary

    lang = lang_of()
    if (weather_file or weather_format) and not (prepare or scenario or run_optimize):
        from parkplan.domain.errors import ParkplanError

        raise ParkplanError(
            "--weather geldt voor de analyses die plan zelf uitvoert: geef ook --prepare, "
            "--scenario of --optimize.",
            "--weather applies to the analyses plan runs itself: give --prepare, --scenario "
            "or --optimize too.",
        )
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("pdf", "docx", "html", "md") else "pdf"
    path, document = export_plan(
        park, kind, fmt, out, lang=lang, prepare_missing=prepare, scenario=scenario,
        optimize=run_optimize, progress=progress_printer(show_progress),
        weather_file=weather_file, weather_format=weather_format,
    )  # fmt: skip
    data = dict(summary(document))
    data["file"] = str(path)
    data["format"] = fmt
    data["weather"] = document.provenance.get("weather")
    if as_json:
        echo_json(data)
        return
    nl = lang == "nl"
    rows = [[r["analysis"], r["what"], r.get("refdata_version") or "-"] for r in data["results"]]
    echo_table(
        ["Analyse" if nl else "Analysis", "Resultaat" if nl else "Result", "Refdata"],
        rows,
        title=f"{document.title} {document.park_name}",
    )
    if document.illustrative:
        click.echo(
            "Let op: illustratief demopark; cijfers zijn synthetisch."
            if nl
            else "Note: illustrative demo park; figures are synthetic."
        )
    if data["weather"]:
        from parkplan.services.weather import weather_label

        click.echo(weather_label(data["weather"], lang))
    click.echo(("Geschreven: " if nl else "Written: ") + str(path))


@click.command("plan-text")
@click.argument("park")
@click.argument("section", required=False)
@click.option(
    "--file",
    "text_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Markdown-bestand met de tekst van de sectie.",
)
@json_option
def plan_text_command(
    park: str, section: str | None, text_file: Path | None, as_json: bool
) -> None:
    """Bewerkbare teksten van het plan: tonen, of een sectie opslaan uit een Markdown-bestand.

    Zonder SECTION: de secties en of ze al een eigen tekst hebben. Met SECTION en --file:
    sla de tekst op (een nieuwe versie). In de tekst kan {{ naam }} een berekend getal
    invoegen (zie docs/plans.md); getallen typ je nooit met de hand over.
    """
    from parkplan.plan.narrative import default_narrative, placeholders, section_keys
    from parkplan.services.plan import narratives, save_narrative
    from parkplan.store.db import session_scope

    lang = lang_of()
    nl = lang == "nl"
    with session_scope() as session:
        if section is not None and text_file is not None:
            text = text_file.read_text(encoding="utf-8")
            rid = save_narrative(session, park, section, text)
            if as_json:
                echo_json({"id": rid, "section": section, "placeholders": placeholders(text)})
            else:
                click.echo(("Opgeslagen: " if nl else "Stored: ") + f"{section} (#{rid})")
            return
        stored = narratives(session, park)
    keys = [section] if section else section_keys()
    items = [
        {
            "section": k,
            "stored": k in stored,
            "updated": stored[k].updated if k in stored else None,
            "markdown": (stored.get(k) or default_narrative(k, lang)).markdown,
        }
        for k in keys
    ]
    if as_json:
        echo_json(items)
        return
    if section:
        click.echo(items[0]["markdown"])
        return
    yes, no = ("ja", "nee") if nl else ("yes", "no")
    echo_table(
        ["Sectie" if nl else "Section", "Eigen tekst" if nl else "Own text",
         "Bijgewerkt" if nl else "Updated"],
        [[i["section"], yes if i["stored"] else no, i["updated"] or "-"] for i in items],
    )  # fmt: skip


COMMANDS = [plan_command, plan_text_command]
