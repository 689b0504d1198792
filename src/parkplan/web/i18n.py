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
    "role.administrator": ("beheerder", "administrator"),
    "role.programme_lead": ("programmaleider", "programme lead"),
    "role.park_manager": ("parkmanager", "park manager"),
    "role.entrepreneur": ("ondernemer", "entrepreneur"),
    "role.advisor": ("adviseur", "advisor"),
    "origin.measured": ("gemeten", "measured"),
    "origin.reported": ("opgegeven", "reported"),
    "origin.open_data": ("open data", "open data"),
    "origin.estimated": ("geschat", "estimated"),
    "analysis.simulation": ("Simulatie (jaar op kwartierbasis)", "Simulation (one year, 15 min)"),
    "analysis.quickscan": ("Quickscan", "Quick scan"),
    "analysis.scorecard": ("Scorekaart", "Scorecard"),
    "analysis.business_case": ("Businesscase", "Business case"),
    "analysis.share": ("Verdeling van het voordeel", "Sharing of the benefit"),
    "analysis.optimization": ("Optimalisatie", "Optimisation"),
    "section.summary": ("Uitvoeringsplan 1. Samenvatting", "Implementation plan 1. Summary"),
    "section.ambition": (
        "Uitvoeringsplan 2. Ambitie en doelen",
        "Implementation plan 2. Ambition and targets",
    ),
    "section.park": ("Uitvoeringsplan 3. Het park", "Implementation plan 3. The park"),
    "section.baseline": ("Uitvoeringsplan 4. Nulmeting", "Implementation plan 4. Baseline"),
    "section.energy": (
        "Uitvoeringsplan 5. Energiesysteem en netcapaciteit",
        "Implementation plan 5. Energy system and grid capacity",
    ),
    "section.quickscan": (
        "Uitvoeringsplan 6. Quickscan: conclusies en aanbevelingen",
        "Implementation plan 6. Quick scan: conclusions and recommendations",
    ),
    "section.measures": (
        "Uitvoeringsplan 7. Maatregelen en businesscases",
        "Implementation plan 7. Measures and business cases",
    ),
    "section.sharing": (
        "Uitvoeringsplan 8. Verdeling van collectieve baten",
        "Implementation plan 8. Sharing collective benefits",
    ),
    "section.organisation": (
        "Uitvoeringsplan 9. Organisatievorm",
        "Implementation plan 9. Organisation form",
    ),
    "section.roles": ("Uitvoeringsplan 10. Rollen", "Implementation plan 10. Roles"),
    "section.roadmap": ("Uitvoeringsplan 11. Routekaart", "Implementation plan 11. Roadmap"),
    "section.risks": ("Uitvoeringsplan 12. Risico's", "Implementation plan 12. Risks"),
    "section.monitoring": ("Uitvoeringsplan 13. Monitoring", "Implementation plan 13. Monitoring"),
    "section.poa_summary": (
        "Plan van aanpak 1. Aanleiding en samenvatting",
        "Plan of action 1. Background and summary",
    ),
    "section.poa_goals": (
        "Plan van aanpak 2. Doelen en aansluiting op de Regio Deal",
        "Plan of action 2. Goals and fit with the Regio Deal",
    ),
    "section.poa_activities": (
        "Plan van aanpak 3. Activiteiten en resultaten",
        "Plan of action 3. Activities and deliverables",
    ),
    "section.poa_budget": (
        "Plan van aanpak 4. Begroting en cofinanciering",
        "Plan of action 4. Budget and co-financing",
    ),
    "section.poa_timeline": ("Plan van aanpak 5. Planning", "Plan of action 5. Timeline"),
    "section.poa_organisation": (
        "Plan van aanpak 6. Organisatie",
        "Plan of action 6. Organisation",
    ),
    "section.poa_risks": ("Plan van aanpak 7. Risico's", "Plan of action 7. Risks"),
    "solver.optimal": ("optimaal", "optimal"),
    "solver.infeasible": ("geen oplossing mogelijk", "infeasible"),
    "cost.pv": ("Zonnepanelen (annuïteit en onderhoud)", "Solar panels (annuity and O&M)"),
    "cost.battery": ("Batterijen (annuïteit en onderhoud)", "Batteries (annuity and O&M)"),
    "cost.supply": ("Levering elektriciteit", "Electricity supply"),
    "cost.energy_tax": ("Energiebelasting", "Energy tax"),
    "cost.transport.kwh": ("Transport per kWh", "Transport per kWh"),
    "cost.transport.kw_contract": (
        "Transport: gecontracteerd vermogen",
        "Transport: contracted capacity",
    ),
    "cost.transport.kw_max": (
        "Transport: hoogste vermogen per maand",
        "Transport: monthly peak capacity",
    ),
    "cost.transport.msls_surcharge": (
        "Transport: toeslag MS/LS-transformatie",
        "Transport: MV/LV transformation surcharge",
    ),
    "cost.feed_in": ("Teruglevering (opbrengst)", "Feed-in (revenue)"),
    "cost.feed_in.netted": ("Teruglevering, gesaldeerd (opbrengst)", "Feed-in, netted (revenue)"),
    "cost.co2": ("CO₂-kosten", "CO₂ costs"),
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
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # -0,04 rounds to 0,0, not -0,0
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
