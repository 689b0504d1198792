"""Commands on the database and its parks: ``db upgrade``, ``db status``, ``parks``,
``companies`` and ``start`` (the overview that ``make run`` shows)."""

from __future__ import annotations

from typing import Any

import click

from parkplan.cli.common import echo_json, json_option, lang_of

ILLUSTRATIVE_NL = "illustratief"
ILLUSTRATIVE_EN = "illustrative"


def fmt_number(value: float | int | None, decimals: int = 0, lang: str = "nl") -> str:
    """A number for people: ``1.234,5`` in Dutch, ``1,234.5`` in English; empty for ``None``."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def print_table(
    headers: list[str],
    rows: list[list[str]],
    *,
    title: str | None = None,
    keep: tuple[int, ...] = (0,),
    right: tuple[int, ...] = (),
) -> None:
    """A table for people; the columns in ``keep`` (ids people type) never wrap or shorten,
    the columns in ``right`` (numbers) are right-aligned."""
    import shutil

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(title) if title else None)
    for i, header in enumerate(headers):
        table.add_column(
            escape(header), no_wrap=i in keep, justify="right" if i in right else "left"
        )
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    Console(width=max(120, shutil.get_terminal_size().columns), soft_wrap=True).print(table)


def _marker(illustrative: bool, lang: str) -> str:
    if not illustrative:
        return ""
    return ILLUSTRATIVE_NL if lang == "nl" else ILLUSTRATIVE_EN


# ---------------------------------------------------------------------------- db


@click.group("db", context_settings={"help_option_names": ["-h", "--help"]})
def db_group() -> None:
    """De database: aanmaken, migreren en de toestand bekijken.

    Standaard een SQLite-bestand in de gebruikersmap; PARKPLAN_DATABASE_URL kiest een
    andere database (bv. postgresql+psycopg://gebruiker:wachtwoord@host/db).
    """


@db_group.command("upgrade")
@json_option
def db_upgrade(as_json: bool) -> None:
    """Maak de database aan of migreer hem naar de nieuwste versie; toont waar hij staat."""
    from parkplan.store import db

    lang = lang_of()
    before = db.current_revision()
    db.upgrade()
    head = db.head_revision()
    where = str(db.sqlite_path() or db.display_url())
    if as_json:
        echo_json({"database": where, "revision_before": before, "revision": head})
        return
    if before is None:
        what = "aangemaakt" if lang == "nl" else "created"
    elif before == head:
        what = "was al bijgewerkt" if lang == "nl" else "was up to date"
    else:
        what = f"gemigreerd van {before}" if lang == "nl" else f"migrated from {before}"
    click.echo(f"Database {what} ({'revisie' if lang == 'nl' else 'revision'} {head}): {where}")


@db_group.command("status")
@json_option
def db_status(as_json: bool) -> None:
    """Toon waar de database staat, de versie en het aantal parken (wijzigt niets)."""
    from parkplan.services.parks import count_parks
    from parkplan.store import db

    lang = lang_of()
    where = str(db.sqlite_path() or db.display_url())
    path = db.sqlite_path()
    exists = path.is_file() if path is not None else True
    revision = db.current_revision() if exists else None
    head = db.head_revision()
    n_parks = None
    if revision == head:
        with db.session_scope() as session:
            n_parks = count_parks(session)
    if as_json:
        echo_json(
            {
                "database": where,
                "revision": revision,
                "head_revision": head,
                "up_to_date": revision == head,
                "park_count": n_parks,
            }
        )
        return
    nl = lang == "nl"
    click.echo(f"Database: {where}")
    if revision is None:
        click.echo(
            "Nog niet aangemaakt: voer 'parkplan db upgrade' uit."
            if nl
            else "Not created yet: run 'parkplan db upgrade'."
        )
    elif revision != head:
        click.echo(
            f"Versie {revision}, nieuwste is {head}: voer 'parkplan db upgrade' uit."
            if nl
            else f"Revision {revision}, newest is {head}: run 'parkplan db upgrade'."
        )
    else:
        click.echo(
            f"Versie {revision} (nieuwste), {n_parks} park(en)."
            if nl
            else f"Revision {revision} (newest), {n_parks} park(s)."
        )


# ---------------------------------------------------------------------------- parks


def _park_rows(summaries: list[Any], lang: str) -> list[list[str]]:
    return [
        [
            s.id,
            s.name,
            s.municipality or "",
            fmt_number(s.area_ha, 1, lang),
            str(s.company_count),
            fmt_number(s.total_annual_kwh / 1000.0, 0, lang),
            _marker(s.illustrative, lang),
        ]
        for s in summaries
    ]


def _park_headers(lang: str) -> list[str]:
    if lang == "nl":
        return ["id", "naam", "gemeente", "ha", "bedrijven", "afname [MWh/jaar]", ""]
    return ["id", "name", "municipality", "ha", "companies", "offtake [MWh/yr]", ""]


@click.command("parks")
@json_option
def parks_command(as_json: bool) -> None:
    """Toon de parken in de database: id, naam, gemeente, oppervlakte en aantal bedrijven.

    Demoparken met verzonnen bedrijven zijn gemarkeerd als "illustratief".
    """
    from parkplan.services.parks import list_parks
    from parkplan.store.db import session_scope

    lang = lang_of()
    with session_scope() as session:
        summaries = list_parks(session)
    if as_json:
        echo_json([s.to_dict() for s in summaries])
        return
    if not summaries:
        click.echo(_empty_message(lang))
        return
    print_table(_park_headers(lang), _park_rows(summaries, lang), right=(3, 4, 5))


def _empty_message(lang: str) -> str:
    if lang == "nl":
        return (
            "De database bevat nog geen parken. Laad de illustratieve demoparken met "
            "'parkplan demo', of importeer een park met 'parkplan import BESTAND --park ID'."
        )
    return (
        "The database holds no parks yet. Load the illustrative demo parks with "
        "'parkplan demo', or import a park with 'parkplan import FILE --park ID'."
    )


# ---------------------------------------------------------------------------- companies


@click.command("companies")
@click.argument("park_or_file", metavar="PARK_OR_FILE")
@json_option
def companies_command(park_or_file: str, as_json: bool) -> None:
    """Toon de bedrijven van een park: id, naam, SBI, werknemers, vloeroppervlak, jaarverbruik
    en aansluiting.

    PARK_OR_FILE is een park-id uit de database of het pad van een parkbestand (YAML/JSON).
    """
    from parkplan.services.parks import load_park, summarise_companies

    lang = lang_of()
    park = load_park(park_or_file)
    rows = summarise_companies(park)
    if as_json:
        echo_json(
            {
                "park": {"id": park.id, "name": park.name, "illustrative": park.illustrative},
                "companies": [r.to_dict() for r in rows],
            }
        )
        return
    nl = lang == "nl"
    title = f"{park.name} ({park.id})"
    if park.illustrative and _marker(True, lang) not in park.name.lower():
        title += f" - {_marker(True, lang)}"
    headers = (
        [
            "id",
            "naam",
            "SBI",
            "werknemers",
            "vloer [m2]",
            "afname [kWh/jaar]",
            "aansluiting",
            "GTV [kW]",
        ]
        if nl
        else [
            "id",
            "name",
            "SBI",
            "employees",
            "floor [m2]",
            "offtake [kWh/yr]",
            "connection",
            "contracted [kW]",
        ]
    )
    table = [
        [
            r.id,
            r.name,
            r.sbi or "",
            "" if r.employees is None else str(r.employees),
            fmt_number(r.floor_area_m2, 0, lang),
            fmt_number(r.annual_kwh, 0, lang),
            " ".join(x for x in (r.connection_kind, r.fuse) if x),
            fmt_number(r.contracted_kw, 0, lang),
        ]
        for r in rows
    ]
    print_table(headers, table, title=title, right=(3, 4, 5, 7))
    if not rows:
        click.echo(
            "Dit park heeft nog geen bedrijven." if nl else "This park has no companies yet."
        )
    elif park.illustrative:
        click.echo(
            "Illustratief: bedrijven, namen en cijfers zijn verzonnen."
            if nl
            else "Illustrative: companies, names and figures are synthetic."
        )


# ---------------------------------------------------------------------------- changes


@click.command("history")
@click.argument("park", required=False)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Toon alleen de nieuwste N wijzigingen.",
)
@json_option
def history_command(park: str | None, limit: int, as_json: bool) -> None:
    """Toon het wijzigingslogboek: wie wat wanneer veranderde (oude en nieuwe waarde).

    PARK is een park-id; zonder PARK het logboek van alle parken. Ook verwijderde parken
    houden hun logboek.
    """
    from parkplan.services.parks import list_changes
    from parkplan.store.db import session_scope

    lang = lang_of()
    nl = lang == "nl"
    with session_scope() as session:
        entries = list_changes(session, park_id=park, limit=limit)
    if as_json:
        echo_json([e.to_dict() for e in entries])
        return
    if not entries:
        click.echo("Geen wijzigingen gevonden." if nl else "No changes found.")
        return
    headers = (
        ["tijd (UTC)", "door", "actie", "park", "wat", "veld", "oud", "nieuw"]
        if nl
        else ["time (UTC)", "by", "action", "park", "what", "field", "old", "new"]
    )
    rows = [
        [
            e.at.replace("T", " ").removesuffix("+00:00"),
            e.actor,
            e.action,
            e.park_id or "",
            e.entity if e.entity_id in (None, e.park_id) else f"{e.entity} {e.entity_id}",
            e.field or "",
            e.old_value or "",
            e.new_value or "",
        ]
        for e in entries
    ]
    print_table(headers, rows, keep=(0,))


@click.command("delete-park")
@click.argument("park")
@click.option("--yes", is_flag=True, help="Niet om bevestiging vragen.")
def delete_park_command(park: str, yes: bool) -> None:
    """Verwijder een park met zijn bedrijven en opgeslagen resultaten uit de database.

    Het wijzigingslogboek blijft bewaard (zie 'parkplan history').
    """
    from parkplan.services.parks import delete_park, get_park
    from parkplan.store.db import session_scope

    nl = lang_of() == "nl"
    with session_scope() as session:
        found = get_park(session, park)
    if not yes:
        question = (
            f"Park '{park}' ({found.name}, {len(found.companies)} bedrijven) verwijderen?"
            if nl
            else f"Delete park '{park}' ({found.name}, {len(found.companies)} companies)?"
        )
        click.confirm(question, abort=True)
    with session_scope() as session:
        delete_park(session, park, actor="cli")
    click.echo(f"Park '{park}' verwijderd." if nl else f"Park '{park}' deleted.")


# ---------------------------------------------------------------------------- start

NEXT_STEPS: tuple[tuple[str, str, str, str], ...] = (
    (
        "demo",
        "parkplan demo",
        "de illustratieve demoparken laden",
        "load the illustrative demo parks",
    ),
    ("companies", "parkplan companies {park}", "de bedrijven van een park", "a park's companies"),
    (
        "validate",
        "parkplan validate mijnpark.yaml",
        "een parkbestand controleren (alle fouten tegelijk)",
        "check a park file (all problems at once)",
    ),
    (
        "template",
        "parkplan template inventaris.xlsx",
        "een Excel-sjabloon voor de inventarisatie",
        "an Excel template for the inventory",
    ),
    (
        "import",
        "parkplan import inventaris.xlsx --park mijnpark",
        "een inventarisatie of parkbestand importeren (alles of niets)",
        "import an inventory or park file (all or nothing)",
    ),
    (
        "export",
        "parkplan export {park} --format yaml",
        "een park exporteren als parkbestand",
        "export a park as a park file",
    ),
    (
        "simulate",
        "parkplan simulate {park}",
        "een jaar op kwartierbasis doorrekenen",
        "simulate a year in 15-minute steps",
    ),
)
"""Next steps shown by ``start`` when the command exists: (command, example, nl, en)."""

LAST_STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("serve", "parkplan serve", "de webapplicatie starten", "start the web application"),
)

SHORT_HELP_EN: dict[str, str] = {
    "baseline": "baseline: energy and CO2 per company, sector and park, with data quality",
    "business-case": "business case of a scenario per company and for the collective",
    "optimize": "optimal configuration: solar per roof, batteries and group capacity",
    "quickscan": "quick scan: provisional conclusions and recommendations, each with grounds",
    "scorecard": "future-proofing scorecard: six themes from 0 to 100 against a target",
    "share": "share the energy hub's gain (group transport agreement) among participants",
}
"""English line in ``start --lang en`` for the analyses listed from their (Dutch) docstring.

The Dutch line is the first sentence of the command's docstring; a command without an
English line here is listed in Dutch (tests/cli/test_cli_texts.py names the missing ones).
"""


def _next_steps(root: click.Command, has_parks: bool, lang: str) -> list[tuple[str, str]]:
    """(example command, what it does) for the commands that exist, analyses included.

    Every registered command whose first argument is PARK_OR_FILE appears, so the list
    grows with each capability.
    """
    commands: dict[str, click.Command] = dict(getattr(root, "commands", {}))
    nl = lang == "nl"
    steps: list[tuple[str, str]] = []
    listed = {s[0] for s in (*NEXT_STEPS, *LAST_STEPS)} | {"start", "parks"}
    for name, example, text_nl, text_en in NEXT_STEPS:
        if name in commands and not (name == "demo" and has_parks):
            steps.append((example, text_nl if nl else text_en))
    for name, command in sorted(commands.items()):
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        if name in listed or not arguments or arguments[0].name != "park_or_file":
            continue
        text = command.get_short_help_str(100).rstrip(".")  # styled like the steps above
        if not nl and name in SHORT_HELP_EN:
            text = SHORT_HELP_EN[name]
        steps.append((f"parkplan {name} {{park}}", text[:1].lower() + text[1:]))
    for name, example, text_nl, text_en in LAST_STEPS:
        if name in commands:
            steps.append((example, text_nl if nl else text_en))
    return steps


@click.command("start")
@click.pass_context
def start_command(ctx: click.Context) -> None:
    """Overzicht van de parken in de database en de volgende stappen (wat 'make run' toont)."""
    from parkplan.services.parks import list_parks
    from parkplan.store import db

    lang = lang_of(ctx)
    nl = lang == "nl"
    with db.session_scope() as session:
        summaries = list_parks(session)
    where = str(db.sqlite_path() or db.display_url())
    click.echo(
        "parkplan - toekomstbestendige bedrijventerreinen"
        if nl
        else "parkplan - future-proof business parks"
    )
    click.echo(f"Database: {where}")
    click.echo("")
    if summaries:
        n_companies = sum(p.company_count for p in summaries)
        click.echo(
            f"{len(summaries)} park(en) met samen {n_companies} bedrijven in de database:"
            if nl
            else f"{len(summaries)} park(s) with {n_companies} companies in the database:"
        )
        print_table(_park_headers(lang), _park_rows(summaries, lang), right=(3, 4, 5))
        if any(s.illustrative for s in summaries):
            click.echo(
                "illustratief = demopark: de parknaam en gemeente zijn echt, de bedrijven, "
                "namen en cijfers zijn verzonnen (reproduceerbaar gegenereerd)."
                if nl
                else "illustrative = demo park: the park name and municipality are real, the "
                "companies, names and figures are synthetic (generated reproducibly)."
            )
    else:
        click.echo(_empty_message(lang))
    click.echo("")
    example = max(summaries, key=lambda p: p.company_count).id if summaries else "mijnpark"
    steps = [
        (command.format(park=example), text)
        for command, text in _next_steps(ctx.find_root().command, bool(summaries), lang)
    ]
    if steps:
        click.echo("Volgende stappen:" if nl else "Next steps:")
        width = max(len(command) for command, _ in steps)
        for command, text in steps:
            click.echo(f"  {command:<{width}}  {text}")
    click.echo("")
    click.echo(
        "Elke opdracht heeft --help; --json geeft machineleesbare uitvoer (zie docs/cli.md)."
        if nl
        else "Every command has --help; --json gives machine-readable output (see docs/cli.md)."
    )


COMMANDS = [
    db_group,
    parks_command,
    companies_command,
    history_command,
    delete_park_command,
    start_command,
]
