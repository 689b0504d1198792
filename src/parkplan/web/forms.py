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
