"""Reading form fields: Dutch numbers with bounds, and errors per field (no framework)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def form_number(
    form: Mapping[str, Any],
    key: str,
    errors: dict[str, str],
    lang: str,
    *,
    integer: bool = False,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    required: bool = False,
) -> float | int | None:
    """A number from a form field in Dutch (or English) notation; errors go to ``errors``.

    Empty fields give ``None`` (or an error when ``required``).
    """
    from parkplan.io.dutch_numbers import is_empty, parse_number

    raw = form.get(key)
    text = raw.strip() if isinstance(raw, str) else ""
    if is_empty(text):
        if required:
            errors[key] = "Vul een getal in." if lang == "nl" else "Enter a number."
        return None
    if len(text) > 40:
        errors[key] = "Te lang voor een getal." if lang == "nl" else "Too long for a number."
        return None
    try:
        return parse_number(
            text,
            decimal_sep="," if lang == "nl" else ".",
            integer=integer,
            minimum=minimum,
            maximum=maximum,
        )
    except ValueError as exc:
        found = "gevonden" if lang == "nl" else "found"
        reason = getattr(exc, "nl" if lang == "nl" else "en", None) or str(exc)
        errors[key] = f"{reason} ({found}: '{text}')"
        return None


def form_text(
    form: Mapping[str, Any],
    key: str,
    errors: dict[str, str],
    lang: str,
    *,
    max_length: int = 200,
    required: bool = False,
) -> str:
    """A trimmed text field of at most ``max_length`` characters."""
    raw = form.get(key)
    text = raw.strip() if isinstance(raw, str) else ""
    if required and not text:
        errors[key] = "Dit veld is verplicht." if lang == "nl" else "This field is required."
    elif len(text) > max_length or "\x00" in text:
        errors[key] = (
            f"Hoogstens {max_length} tekens."
            if lang == "nl"
            else f"At most {max_length} characters."
        )
    return text


def posted_values(form: Mapping[str, Any]) -> dict[str, str]:
    """The posted fields as text, to show in the form again (without the CSRF token)."""
    return {k: str(v) for k, v in form.items() if k != "csrf_token"}


# ------------------------------------------------------- company edit: the building's data

BUILDING_FIELDS: tuple[str, ...] = ("energy_label", "construction_year", "building_use")
"""The fields of the company edit form about the building (often open data at first)."""

ORIGIN_TEXTS: dict[str, tuple[str, str]] = {
    "measured": ("gemeten", "measured"),
    "reported": ("opgegeven door het bedrijf", "reported by the company"),
    "open_data": ("open data", "open data"),
    "estimated": ("geschat", "estimated"),
}
"""How an origin (:class:`~parkplan.domain.model.Origin`) reads, in Dutch and English."""


def read_building_form(
    form: Any,
    errors: dict[str, str],
    lang: str,
    *,
    known_uses: tuple[str, ...] = (),
    this_year: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The energy label, construction year and BAG uses from the company edit form.

    ``form`` is the posted form (``get`` and ``getlist``); problems go to ``errors`` by
    field name, naming the field and the value found. An empty label or year means
    unknown (``None``); no ticked use means none known. ``known_uses`` are the stored
    uses, accepted even when they are not in today's BAG list.

    Returns
    -------
    changes, shown
        The changes as park-file paths, and the values to show in the form again.
    """
    from parkplan.domain.model import ENERGY_LABELS
    from parkplan.services.companies import building_use_problems, construction_year_problem

    nl = lang == "nl"
    label = str(form.get("energy_label") or "").strip()
    year_text = str(form.get("construction_year") or "").strip()
    uses = [u.strip() for u in form.getlist("building_use") if isinstance(u, str) and u.strip()]
    shown = {"energy_label": label, "construction_year": year_text, "building_use": uses}
    changes: dict[str, Any] = {}

    if label and label not in ENERGY_LABELS:
        errors["energy_label"] = (
            f"Energielabel '{label[:40]}' bestaat niet; kies A+++++ tot en met G of 'onbekend'."
            if nl
            else f"Energy label '{label[:40]}' does not exist; choose A+++++ to G or 'unknown'."
        )
    else:
        changes["energy_label"] = label or None

    year: Any = None
    if year_text:
        year = int(year_text) if year_text.isascii() and year_text.isdigit() else year_text[:40]
        if isinstance(year, int) and len(year_text) > 6:
            year = year_text[:40]  # a long run of digits is no year (and no huge int)
    problem = construction_year_problem(year, this_year=this_year)
    if problem is not None:
        errors["construction_year"] = problem.message("nl" if nl else "en")
    else:
        changes["construction_year"] = year

    problems = building_use_problems(uses, known=known_uses)
    if problems:
        errors["building_use"] = " ".join(p.message("nl" if nl else "en") for p in problems)
    else:
        changes["building_use"] = sorted(set(uses))
    return changes, shown


def building_context(
    company: Any, shown: dict[str, Any] | None, lang: str, *, this_year: int | None = None
) -> dict[str, Any]:
    """What the edit template needs for the building's fields: current (or posted) values,
    the choices, and the origin of each stored value in words."""
    from datetime import date

    from parkplan.domain.model import BUILDING_USES, ENERGY_LABELS
    from parkplan.services.companies import CONSTRUCTION_YEAR_MIN

    nl = lang == "nl"
    if shown is None:
        year = company.construction_year
        shown = {
            "energy_label": company.energy_label or "",
            "construction_year": "" if year is None else str(year),
            "building_use": list(company.building_use),
        }
    origins = {}
    for name in BUILDING_FIELDS:
        if getattr(company, name) not in (None, []):
            text = ORIGIN_TEXTS.get(company.origin_of(name).value, ("", ""))
            origins[name] = text[0] if nl else text[1]
    uses = [*BUILDING_USES, *(u for u in company.building_use if u not in BUILDING_USES)]
    return {
        "label": shown["energy_label"],
        "labels": [("", "onbekend" if nl else "unknown"), *((x, x) for x in ENERGY_LABELS)],
        "year": shown["construction_year"],
        "year_min": CONSTRUCTION_YEAR_MIN,
        "year_max": this_year if this_year is not None else date.today().year,
        "uses": [(u, u in shown["building_use"]) for u in uses],
        "origins": origins,
    }
