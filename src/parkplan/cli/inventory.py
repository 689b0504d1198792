"""Inventory commands: ``parkplan template`` (the Excel template) and ``parkplan import``."""

from __future__ import annotations

from pathlib import Path

import click

from parkplan.cli.common import echo_json, json_option, lang_of
from parkplan.domain.errors import ParkplanError, ValidationError


@click.command("template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--park",
    "park",
    metavar="PARK_OR_FILE",
    default=None,
    help="Vul het sjabloon met dit park (id in de database of parkbestand), om de "
    "inventarisatie bij te werken en opnieuw te importeren met --replace.",
)
@click.option("--force", is_flag=True, help="Overschrijf FILE als het al bestaat.")
@json_option
def template(file: Path, park: str | None, force: bool, as_json: bool) -> None:
    """Schrijf het Excel-invulsjabloon voor de inventarisatie (FILE.xlsx).

    Bladen: Bedrijven (één rij per bedrijf, met hoofdaansluiting en één dak), Daken en
    Aansluitingen (extra daken en aansluitingen, gekoppeld met de Bedrijf-id), Park
    (parkgegevens) en Toelichting (elke kolom: betekenis, eenheid, voorbeeld, verplicht).
    Identificatiekolommen (EAN, KvK, SBI, postcode) staan op 'Tekst', zodat Excel
    voorloopnullen bewaart.
    """
    from parkplan.io.inventory import COMPANY_COLUMNS, write_template

    lang = lang_of()
    if file.suffix.lower() != ".xlsx":
        raise ParkplanError(
            f"het sjabloon is een Excel-werkmap: geef een bestandsnaam op .xlsx (niet '{file}')",
            f"the template is an Excel workbook: give a file name ending in .xlsx (not '{file}')",
        )
    if file.exists() and not force:
        raise ParkplanError(
            f"'{file}' bestaat al; gebruik --force om het te overschrijven",
            f"'{file}' already exists; use --force to overwrite it",
        )
    loaded = None
    if park is not None:
        from parkplan.services.parks import load_park

        loaded = load_park(park)
    write_template(file, loaded)
    companies = len(loaded.companies) if loaded is not None else 0
    if as_json:
        echo_json(
            {
                "file": str(file),
                "park_id": loaded.id if loaded is not None else None,
                "company_count": companies,
                "columns": [c.header for c in COMPANY_COLUMNS],
            }
        )
        return
    if lang == "nl":
        filled = f", gevuld met park '{loaded.id}' ({companies} bedrijven)" if loaded else ""
        click.echo(f"Sjabloon geschreven: {file}{filled}.")
        click.echo(f"Vul het in en lees het in met: parkplan import {file} --park PARK-ID")
    else:
        filled = f", filled with park '{loaded.id}' ({companies} companies)" if loaded else ""
        click.echo(f"Template written: {file}{filled}.")
        click.echo(f"Fill it in and read it with: parkplan import {file} --park PARK-ID")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--park",
    "park_id",
    metavar="ID",
    default=None,
    help="Id van het park dat wordt aangemaakt (of met --replace vervangen). Nodig voor CSV; "
    "bij Excel gaat het voor de Park-id op het blad Park; bij een parkbestand hernoemt het "
    "het park.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Vervang een bestaand park met deze id. Parkbestand: het hele park. Excel/CSV: de "
    "bedrijven worden vervangen door die uit het bestand; parkgegevens blijven, behalve wat "
    "het blad Park invult.",
)
@click.option("--dry-run", is_flag=True, help="Alleen controleren en tonen wat er zou gebeuren.")
@json_option
def import_(file: Path, park_id: str | None, replace: bool, dry_run: bool, as_json: bool) -> None:
    """Lees een park in uit FILE: parkbestand (.yaml/.yml/.json), Excel (.xlsx) of CSV.

    Eerst wordt alles gecontroleerd; elke fout noemt bestand, rij, kolom en waarde. Alleen
    een foutloos bestand wordt opgeslagen, in één keer (alles of niets). CSV uit Nederlandse
    Excel (puntkomma, decimale komma, UTF-8 of Windows-1252) wordt herkend.
    """
    from parkplan.services.imports import import_file
    from parkplan.store.db import session_scope

    lang = lang_of()
    try:
        with session_scope() as session:
            report = import_file(
                session, file, park_id=park_id, replace=replace, actor="cli", dry_run=dry_run
            )
    except ValidationError as exc:
        if as_json:
            echo_json(
                {
                    "ok": False,
                    "file": file.name,
                    "message": exc.message(lang),
                    "problems": [p.to_dict(lang) for p in exc.problems],
                }
            )
            raise SystemExit(1) from None
        raise
    if as_json:
        echo_json({"ok": True, **report.to_dict(lang)})
        return
    for problem in report.warnings:
        click.echo(problem.render(lang), err=True)
    counts_nl = (
        f"{report.company_count} bedrijven, {report.connection_count} aansluitingen, "
        f"{report.roof_count} dakvlakken"
    )
    counts_en = (
        f"{report.company_count} companies, {report.connection_count} connections, "
        f"{report.roof_count} roof faces"
    )
    if lang == "nl":
        verb = {"created": "aangemaakt", "replaced": "vervangen"}[report.action]
        if dry_run:
            click.echo(
                f"Proefrun: {report.file} is foutloos; park '{report.park_id}' zou worden "
                f"{verb} ({counts_nl}). Er is niets opgeslagen."
            )
        else:
            click.echo(f"Park '{report.park_id}' {verb} uit {report.file}: {counts_nl}.")
        if report.companies_removed:
            word = "zouden worden verwijderd" if dry_run else "verwijderd"
            click.echo(f"Bedrijven {word}: {', '.join(report.companies_removed)}.")
    else:
        if dry_run:
            click.echo(
                f"Dry run: {report.file} has no errors; park '{report.park_id}' would be "
                f"{report.action} ({counts_en}). Nothing was saved."
            )
        else:
            click.echo(f"Park '{report.park_id}' {report.action} from {report.file}: {counts_en}.")
        if report.companies_removed:
            word = "would be removed" if dry_run else "removed"
            click.echo(f"Companies {word}: {', '.join(report.companies_removed)}.")


COMMANDS = [template, import_]
