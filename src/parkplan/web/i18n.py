"""Dutch-first user texts with an English option, and Dutch number and date formats."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

LANGS = ("nl", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("parkplan", "parkplan"),
    "app.tagline": (
        "Toekomstbestendige bedrijventerreinen",
        "Future-proof business parks",
    ),
    "nav.parks": ("Parken", "Parks"),
    "nav.selection": ("Parkkeuze", "Park selection"),
    "nav.users": ("Gebruikers", "Users"),
    "nav.privacy": ("Privacy", "Privacy"),
    "nav.logout": ("Uitloggen", "Log out"),
    "nav.login": ("Inloggen", "Log in"),
    "nav.skip": ("Naar de inhoud", "Skip to content"),
    "lang.switch": ("English", "Nederlands"),
    "login.title": ("Inloggen", "Log in"),
    "login.email": ("E-mailadres", "E-mail address"),
    "login.password": ("Wachtwoord", "Password"),
    "login.submit": ("Inloggen", "Log in"),
    "login.failed": (
        "Onbekend e-mailadres of verkeerd wachtwoord.",
        "Unknown e-mail address or wrong password.",
    ),
    "login.throttled": (
        "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.",
        "Too many failed attempts. Try again in fifteen minutes.",
    ),
    "login.expired": (
        "Uw sessie is verlopen. Log opnieuw in.",
        "Your session has expired. Please log in again.",
    ),
    "error.csrf": (
        "Het formulier is verlopen of niet vanuit parkplan verstuurd. Laad de pagina opnieuw.",
        "The form has expired or was not sent from parkplan. Reload the page.",
    ),
    "error.forbidden": (
        "U heeft geen toegang tot deze gegevens.",
        "You do not have access to this data.",
    ),
    "error.not_found": ("Niet gevonden.", "Not found."),
    "error.too_large": ("Het bestand is te groot.", "The file is too large."),
    "error.bad_type": (
        "Dit bestandstype wordt niet ondersteund (gebruik .xlsx, .csv, .yaml of .json).",
        "This file type is not supported (use .xlsx, .csv, .yaml or .json).",
    ),
    "parks.title": ("Parken", "Parks"),
    "parks.none": ("Er zijn nog geen parken zichtbaar voor u.", "No parks are visible to you yet."),
    "park.companies": ("Bedrijven", "Companies"),
    "park.area": ("Oppervlakte", "Area"),
    "park.municipality": ("Gemeente", "Municipality"),
    "park.illustrative": (
        "illustratief: synthetische demogegevens",
        "illustrative: synthetic demo data",
    ),
    "park.baseline": ("Nulmeting", "Baseline"),
    "park.key_figures": ("Kerncijfers", "Key figures"),
    "park.map": ("Kaart", "Map"),
    "company.title": ("Bedrijf", "Company"),
    "company.edit": ("Gegevens wijzigen", "Edit data"),
    "company.save": ("Opslaan", "Save"),
    "company.saved": ("Opgeslagen.", "Saved."),
    "unit.kwh": ("kWh", "kWh"),
}


def t(key: str, lang: str = "nl", **params: Any) -> str:
    """The text for ``key`` in ``lang`` (Dutch when unknown), formatted with ``params``."""
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text


def format_number(value: Any, decimals: int = 0, lang: str = "nl") -> str:
    """A number in Dutch (1.234,5) or English (1,234.5) notation; '–' for missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_eur(value: Any, lang: str = "nl") -> str:
    """An amount in euros: ``€ 1.234`` (no cents for yearly amounts)."""
    return "–" if value is None else f"€ {format_number(value, 0, lang)}"


def format_date(value: date | datetime | None, lang: str = "nl") -> str:
    """A date as dd-mm-jjjj (Dutch) or yyyy-mm-dd (English)."""
    if value is None:
        return "–"
    return value.strftime("%d-%m-%Y") if lang == "nl" else value.strftime("%Y-%m-%d")
