"""``parkplan demo``: load the illustrative demo parks into the database."""

from __future__ import annotations

from typing import Any

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of

DEFAULT_SEED = 2026
"""Same as :data:`parkplan.demo.DEFAULT_SEED` (kept here so ``--help`` imports nothing heavy)."""


def _fmt(value: float | int | None, lang: str) -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}"
    return text.replace(",", ".") if lang == "nl" else text


@click.command("demo", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--if-empty",
    is_flag=True,
    help="Alleen laden als de database nog geen enkel park bevat (zo gebruikt door make run).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Demoparken die al in de database staan vervangen (anders: foutmelding).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=DEFAULT_SEED,
    show_default=True,
    help="Startgetal van de generator: dezelfde seed geeft dezelfde parken.",
)
@click.option(
    "--park",
    "park_ids",
    multiple=True,
    metavar="ID",
    help="Alleen dit demopark laden (herhaalbaar), bv. --park demo-de-wieken.",
)
@json_option
def demo_command(
    if_empty: bool, replace: bool, seed: int, park_ids: tuple[str, ...], as_json: bool
) -> None:
    """Laad de illustratieve demoparken in de database.

    Acht parken: het pilotdeel van De Wieken (Hoogeveen), Riegmeer en Buitenvaart
    (Hoogeveen) en een park in Aa en Hunze, Borger-Odoorn, Emmen, Coevorden en Hardenberg.
    Parknamen en gemeenten zijn echt; bedrijven, namen en cijfers zijn synthetisch
    (illustratief), gegenereerd uit gedocumenteerde verdelingen (docs/demo-data.md).
    """
    from parkplan.services.demo import load_demo_parks
    from parkplan.store import db

    lang = lang_of()
    db.ensure_schema()  # create or migrate the database when needed
    with db.session_scope() as session:
        result = load_demo_parks(
            session,
            seed=seed,
            if_empty=if_empty,
            replace=replace,
            park_ids=list(park_ids) or None,
        )
        accounts = _demo_accounts(session, result)
    if as_json:
        data = result.to_dict()
        data["database"] = str(db.sqlite_path() or db.display_url())
        data["accounts"] = [
            {"email": info.email, "role": info.role.value, "password": password}
            for info, password in accounts
        ]
        echo_json(data)
        return
    if not result.loaded:
        if lang == "nl":
            click.echo(
                f"De database bevat al {result.parks_before} park(en); demoparken niet geladen "
                "(--if-empty). Bekijk de parken met: parkplan parks"
            )
        else:
            click.echo(
                f"The database already holds {result.parks_before} park(s); demo parks not "
                "loaded (--if-empty). List the parks with: parkplan parks"
            )
        return
    nl = lang == "nl"
    headers = (
        ["Park-id", "Naam", "Gemeente", "ha", "Bedrijven", "Netbeheerder", ""]
        if nl
        else ["Park id", "Name", "Municipality", "ha", "Companies", "Grid operator", ""]
    )
    marker = "illustratief" if nl else "illustrative"
    rows = [
        [
            p.id,
            p.name,
            p.municipality,
            _fmt(p.area_ha, lang),
            _fmt(p.companies, lang),
            p.operator,
            marker,
        ]
        for p in result.parks
    ]
    title = "Demoparken geladen (illustratief)" if nl else "Demo parks loaded (illustrative)"
    echo_table(headers, rows, title=title)
    n, total = len(result.parks), _fmt(result.total_companies, lang)
    if nl:
        click.echo(
            f"{n} illustratieve demopark{'en' if n != 1 else ''} geladen met {total} "
            f"bedrijven (seed {seed}"
            f"{', bestaande vervangen' if result.replaced else ''}). Alle bedrijven, namen en "
            "cijfers zijn synthetisch: illustratief, geen echte gegevens."
        )
        click.echo("Verder: parkplan parks, parkplan companies demo-de-wieken")
    else:
        click.echo(
            f"{n} illustrative demo park{'s' if n != 1 else ''} loaded with {total} "
            f"companies (seed {seed}"
            f"{', existing ones replaced' if result.replaced else ''}). All companies, names "
            "and figures are synthetic: illustrative, not real data."
        )
        click.echo("Next: parkplan parks, parkplan companies demo-de-wieken")
    _print_accounts(accounts, lang)


DEMO_PARK = "demo-de-wieken"
"""The park the demo accounts belong to (the entrepreneur gets its first company)."""


def _demo_accounts(session: Any, result: Any) -> list[tuple[Any, str]]:
    """One account per role when the demo was loaded into an empty database."""
    from parkplan.services.parks import get_park
    from parkplan.services.users import create_demo_accounts

    if not result.loaded or result.parks_before != 0:
        return []
    ids = [p.id for p in result.parks]
    park_id = DEMO_PARK if DEMO_PARK in ids else ids[0]
    park = get_park(session, park_id)
    if not park.companies:
        return []
    others = [i for i in ids if i != park_id]
    return create_demo_accounts(session, park_id, park.companies[0].id, others)


def _print_accounts(accounts: list[tuple[Any, str]], lang: str) -> None:
    """Show the generated demo accounts once, with how to log in."""
    if not accounts:
        return
    from parkplan.domain.access import ROLE_LABELS

    nl = lang == "nl"
    rows = [
        [ROLE_LABELS[info.role][0 if nl else 1], info.email, password]
        for info, password in accounts
    ]
    headers = ["Rol", "E-mailadres", "Wachtwoord"] if nl else ["Role", "E-mail", "Password"]
    title = "Demo-accounts (één per rol)" if nl else "Demo accounts (one per role)"
    echo_table(headers, rows, title=title)
    if nl:
        click.echo(
            "Start de webapplicatie met: parkplan serve  en log in op "
            "http://127.0.0.1:8000/inloggen met een van deze accounts. De wachtwoorden "
            "worden alleen nu getoond; bewaar ze (nieuwe: parkplan users add)."
        )
    else:
        click.echo(
            "Start the web application with: parkplan serve  and log in at "
            "http://127.0.0.1:8000/inloggen with one of these accounts. The passwords are "
            "shown only now; keep them (new ones: parkplan users add)."
        )


COMMANDS = [demo_command]
