"""Editable narrative sections (Markdown), merged with the generated sections of a plan.

Advisors and boards write the story; parkplan writes the numbers. A narrative may cite a
generated figure as ``{{ name }}`` (the names are listed by :func:`variable_names` and in
docs/plans.md); the figure is filled in from the analysis results every time the plan is
generated, so a number is never typed by hand and never goes stale. An unknown name is
shown as ``[onbekend: name]`` so it cannot slip through unnoticed.

The texts are stored with the park (results of kind ``plan_text``, key = section); a
section without a stored text shows the default text below, marked as not yet edited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from parkplan.plan.model import Narrative

KIND = "plan_text"
"""The result kind under which narrative sections are stored."""

PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")

DEFAULTS: dict[str, tuple[str, str]] = {
    "summary": (
        "Dit uitvoeringsplan beschrijft hoe **{{ park_name }}** toekomstbestendig wordt: "
        "groen, CO2-neutraal en georganiseerd. De {{ companies }} bedrijven stoten samen "
        "{{ co2_t }} ton CO2 per jaar uit (nulmeting). *Vul hier de kern van het plan aan: "
        "waarom nu, wat het park wil bereiken en wat het de ondernemers oplevert.*",
        "This implementation plan describes how **{{ park_name }}** becomes future-proof: "
        "green, CO2-neutral and organised. Its {{ companies }} companies together emit "
        "{{ co2_t }} tonnes of CO2 a year (baseline). *Add the core of the plan here: why "
        "now, what the park wants to achieve and what it brings the entrepreneurs.*",
    ),
    "ambition": (
        "*Beschrijf de ambitie van het park in eigen woorden. De doelen hieronder volgen "
        "uit de nulmeting en de referentiewaarden in bijlage B.*",
        "*Describe the park's ambition in your own words. The targets below follow from the "
        "baseline and the reference values in appendix B.*",
    ),
    "park": (
        "*Beschrijf het park: ligging, geschiedenis, type bedrijven en de samenwerking "
        "tot nu toe.*",
        "*Describe the park: location, history, types of companies and cooperation so far.*",
    ),
    "baseline": (
        "*Licht de nulmeting toe: welke gegevens zijn gemeten, welke geschat, en wat "
        "valt op?*",
        "*Explain the baseline: which figures are measured, which estimated, and what "
        "stands out?*",
    ),
    "energy": (
        "*Licht de energiebalans en de netsituatie toe, bijvoorbeeld de afspraken met de "
        "netbeheerder.*",
        "*Explain the energy balance and the grid situation, e.g. talks with the operator.*",
    ),
    "quickscan": (
        "*Welke conclusies trekt het bestuur uit de quick scan?*",
        "*Which conclusions does the board draw from the quick scan?*",
    ),
    "measures": (
        "*Waarom kiest het park voor deze maatregelen, en in welke volgorde?*",
        "*Why does the park choose these measures, and in which order?*",
    ),
    "sharing": (
        "*Hoe wil het park de collectieve baten verdelen, en waarom zo?*",
        "*How does the park want to share collective benefits, and why?*",
    ),
    "organisation": (
        "*Welke organisatievorm kiest het park, en wie neemt het initiatief?*",
        "*Which organisation form does the park choose, and who takes the lead?*",
    ),
    "roles": ("*Vul namen van trekkers en contactpersonen aan.*",
              "*Add the names of leads and contacts.*"),
    "roadmap": ("*Licht de planning toe.*", "*Explain the schedule.*"),
    "risks": ("*Vul risico's aan die specifiek zijn voor dit park.*",
              "*Add risks specific to this park.*"),
    "monitoring": (
        "*Beschrijf hoe en door wie de voortgang jaarlijks wordt gemeten en gedeeld.*",
        "*Describe how and by whom progress is measured and shared each year.*",
    ),
    "poa_summary": (
        "Dit plan van aanpak vraagt steun aan voor de uitvoering van het uitvoeringsplan van "
        "**{{ park_name }}** binnen het programma Toekomstbestendige Bedrijventerreinen van de "
        "Regio Deal Zuid- en Oost-Drenthe. *Beschrijf de aanleiding en de aanvrager.*",
        "This plan of action asks support for carrying out the implementation plan of "
        "**{{ park_name }}** within the programme Future-proof Business Parks of the Regio "
        "Deal Zuid- en Oost-Drenthe. *Describe the background and the applicant.*",
    ),
    "poa_goals": ("*Licht de aansluiting op de programmadoelen toe.*",
                  "*Explain how the plan fits the programme's goals.*"),
    "poa_activities": ("*Licht de activiteiten en resultaten toe.*",
                       "*Explain the activities and deliverables.*"),
    "poa_budget": (
        "*Licht de begroting toe en vul bedragen aan die nog vastgesteld moeten worden "
        "(offertes, uren).*",
        "*Explain the budget and add amounts still to be set (quotes, hours).*",
    ),
    "poa_timeline": ("*Licht de planning toe.*", "*Explain the timeline.*"),
    "poa_organisation": ("*Beschrijf de projectorganisatie.*",
                         "*Describe the project organisation.*"),
    "poa_risks": ("*Vul risico's aan.*", "*Add risks.*"),
}  # fmt: skip
"""Default narrative per section key (Dutch, English)."""


def section_keys() -> list[str]:
    """The keys of the narrative sections (both plan kinds)."""
    return list(DEFAULTS)


def default_narrative(key: str, lang: str = "nl") -> Narrative:
    """The default text of a section (not yet edited)."""
    nl, en = DEFAULTS.get(key, ("", ""))
    return Narrative(key=key, markdown=en if lang == "en" else nl, stored=False)


def fill(markdown: str, variables: Mapping[str, str], lang: str = "nl") -> str:
    """Replace ``{{ name }}`` with the generated figure; unknown names stay visible."""
    unknown = "onbekend" if lang == "nl" else "unknown"

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        return variables.get(name, f"[{unknown}: {name}]")

    return PLACEHOLDER.sub(sub, markdown)


def placeholders(markdown: str) -> list[str]:
    """The names a narrative cites."""
    return PLACEHOLDER.findall(markdown)


def merge(
    key: str,
    stored: Mapping[str, Narrative],
    variables: Mapping[str, str],
    lang: str = "nl",
) -> Narrative:
    """The narrative of a section: the stored text or the default, with figures filled in."""
    base = stored.get(key) or default_narrative(key, lang)
    return Narrative(
        key=key,
        markdown=fill(base.markdown, variables, lang),
        stored=base.stored,
        updated=base.updated,
        author=base.author,
    )
