"""``parkplan validate`` and ``parkplan export``: check a park file, write a park as a file."""

from __future__ import annotations

from pathlib import Path

import click

from parkplan.cli.common import echo_json, json_option, lang_of


def _summary(n_errors: int, n_warnings: int, name: str, lang: str) -> str:
    if lang == "en":
        if n_errors:
            return f"{name}: {n_errors} error(s), {n_warnings} warning(s); the file is not valid."
        return f"{name}: valid ({n_warnings} warning(s))."
    if n_errors:
        return (
            f"{name}: {n_errors} fout(en), {n_warnings} waarschuwing(en); "
            "het bestand is niet geldig."
        )
    return f"{name}: geldig ({n_warnings} waarschuwing(en))."


@click.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def validate_command(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Controleer een parkbestand (YAML of JSON, formaat parkplan/1).

    Meldt alle fouten en waarschuwingen tegelijk, elk met de plaats in het bestand (bv.
    companies[2].connection.contracted_kw; lijsten tellen vanaf 0), de gevonden waarde en wat
    er verwacht werd. Exitstatus 1 bij fouten, 0 als het bestand geldig is (ook met
    waarschuwingen).
    """
    from parkplan.io.parkfile import validate_file

    lang = lang_of(ctx)
    problems = validate_file(file)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    if as_json:
        echo_json(
            {
                "file": str(file),
                "valid": not errors,
                "errors": len(errors),
                "warnings": len(warnings),
                "problems": [p.to_dict(lang) for p in problems],
            }
        )
    else:
        click.echo(_summary(len(errors), len(warnings), file.name, lang))
        for p in problems:
            click.echo(p.render(lang))
    ctx.exit(1 if errors else 0)


@click.command("export")
@click.argument("park")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default=None,
    help="Bestandsformaat (standaard: uit de extensie van --out, anders yaml).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Schrijf naar dit bestand in plaats van naar het scherm.",
)
@click.pass_context
def export_command(ctx: click.Context, park: str, fmt: str | None, out: Path | None) -> None:
    """Exporteer een park als parkbestand (formaat parkplan/1), zonder verlies.

    PARK is een park-id uit de database of het pad van een parkbestand. Het resultaat kan
    weer worden ingelezen met parkplan import of parkplan validate.
    """
    from parkplan.io.parkfile import dump_park, park_to_document, validate_document
    from parkplan.services.parks import load_park

    lang = lang_of(ctx)
    if fmt is None:
        fmt = "json" if out is not None and out.suffix.lower() == ".json" else "yaml"
    loaded = load_park(park)
    text = dump_park(loaded, "json" if fmt == "json" else "yaml")
    # the file must read back: say so when data in the database breaks a rule of the format
    for p in validate_document(park_to_document(loaded)):
        click.echo(p.render(lang), err=True)
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    n = len(loaded.companies)
    if lang == "en":
        click.echo(f"park '{loaded.id}' ({n} companies) written to {out}", err=True)
    else:
        click.echo(f"park '{loaded.id}' ({n} bedrijven) geschreven naar {out}", err=True)


COMMANDS = [validate_command, export_command]
