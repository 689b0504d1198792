"""Web app and accounts: ``parkplan serve`` and ``parkplan users``."""

from __future__ import annotations

import sys

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren.")
@click.option("--port", default=8000, show_default=True, type=int, help="Poort.")
@click.option(
    "--insecure-cookies",
    is_flag=True,
    help="Cookies zonder Secure-vlag (alleen voor http op een ander adres dan localhost).",
)
def serve_command(host: str, port: int, insecure_cookies: bool) -> None:
    """Start de webapplicatie (Nederlands, met Engelse keuze) op http://HOST:PORT."""
    import uvicorn

    from parkplan.store.db import ensure_schema
    from parkplan.web.app import create_app

    ensure_schema()
    app = create_app(secure_cookies=not insecure_cookies)
    nl = lang_of() == "nl"
    click.echo(
        f"parkplan draait op http://{host}:{port}/ (stoppen: Ctrl+C)"
        if nl
        else f"parkplan runs at http://{host}:{port}/ (stop: Ctrl+C)"
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.group("users")
def users_group() -> None:
    """Gebruikers en rollen beheren."""


@users_group.command("add")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice(
        ["administrator", "programme_lead", "park_manager", "entrepreneur", "advisor"]
    ),
    help="Rol van de gebruiker.",
)
@click.option("--park", "parks", multiple=True, help="Park-id (herhaalbaar).")
@click.option("--company", default=None, help="Bedrijf-id (alleen voor een ondernemer).")
@json_option
def users_add(
    email: str, role: str, parks: tuple[str, ...], company: str | None, as_json: bool
) -> None:
    """Maak een account; het wachtwoord komt van standaardinvoer (eerste regel)."""
    from parkplan.domain.errors import ParkplanError
    from parkplan.services.users import add_user
    from parkplan.store.db import session_scope

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise ParkplanError(
            "Geef het wachtwoord via standaardinvoer, bv. echo '...' | parkplan users add ...",
            "Give the password on standard input, e.g. echo 'secret...' | parkplan users add ...",
        )
    with session_scope() as session:
        info = add_user(
            session, email, role, password=password, park_ids=list(parks), company_id=company
        )
    data = {
        "id": info.id,
        "email": info.email,
        "role": info.role.value,
        "park_ids": list(info.park_ids),
        "company_id": info.company_id,
    }
    if as_json:
        echo_json(data)
    else:
        click.echo(
            ("Account aangemaakt: " if lang_of() == "nl" else "Account created: ") + info.email
        )


@users_group.command("list")
@json_option
def users_list(as_json: bool) -> None:
    """Toon alle accounts (zonder wachtwoorden)."""
    from parkplan.services.users import list_users
    from parkplan.store.db import session_scope

    with session_scope() as session:
        rows = list_users(session)
    data = [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role.value,
            "park_ids": list(u.park_ids),
            "company_id": u.company_id,
            "active": u.active,
        }
        for u in rows
    ]
    if as_json:
        echo_json(data)
        return
    echo_table(
        ["e-mail", "rol", "parken", "bedrijf"],
        [[d["email"], d["role"], ", ".join(d["park_ids"]), d["company_id"] or ""] for d in data],
    )


@users_group.command("invite")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice(
        ["administrator", "programme_lead", "park_manager", "entrepreneur", "advisor"]
    ),
)
@click.option("--park", default=None, help="Park-id.")
@click.option("--company", default=None, help="Bedrijf-id (alleen voor een ondernemer).")
@click.option(
    "--base-url", default="http://127.0.0.1:8000", show_default=True, help="Adres van de webapp."
)
def users_invite(
    email: str, role: str, park: str | None, company: str | None, base_url: str
) -> None:
    """Maak een uitnodigingslink (14 dagen geldig, eenmalig te gebruiken)."""
    from parkplan.services.users import invite
    from parkplan.store.db import session_scope

    with session_scope() as session:
        token = invite(session, email, role, park_id=park, company_id=company)
    click.echo(f"{base_url.rstrip('/')}/uitnodiging/{token}")


COMMANDS = [serve_command, users_group]
