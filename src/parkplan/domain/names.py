"""Companies by name in human-readable texts: "Transport Bakker BV (c01)".

A company's name is visible only to who may see the company list
(:func:`parkplan.domain.access.can_view_company_list`); the faces pass ``names`` only then
and otherwise ``None``, which keeps the bare ids. JSON output keeps ids (docs/cli.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

NAMES_LIMIT = 10
"""A list in a text names at most this many companies, then "en N andere"."""


def company_label(company_id: str, names: Mapping[str, str] | None) -> str:
    """``"Name (id)"``, or the bare id without a (known, non-empty) name."""
    name = (names or {}).get(company_id)
    name = str(name).strip() if name else ""
    if not name or name == company_id:
        return company_id
    return f"{name} ({company_id})"


def companies_text(
    ids: Sequence[str],
    names: Mapping[str, str] | None,
    lang: str = "nl",
    limit: int = NAMES_LIMIT,
) -> str:
    """Companies for a text: at most ``limit`` labels, then "en N andere" / "and N others"."""
    ids = list(ids)
    shown = ", ".join(company_label(c, names) for c in ids[:limit])
    more = len(ids) - limit
    if more > 0:
        shown += f" en {more} andere" if lang == "nl" else f" and {more} others"
    return shown


def with_company_names(text: str, names: Mapping[str, str] | None) -> str:
    """``text`` with every whole-word company id replaced by :func:`company_label`.

    For texts built in the core with ids (the quick scan's findings); ids not in
    ``names`` and ids already followed by their name stay as they are.
    """
    if not names or not text:
        return text
    ids = sorted((c for c in names if company_label(c, names) != c), key=len, reverse=True)
    if not ids:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")

    def label(m: re.Match[str]) -> str:
        cid = m.group(1)
        named = f"{str(names[cid]).strip()} ("
        if text.endswith(")", m.end(), m.end() + 1) and text.endswith(named, 0, m.start()):
            return cid  # already "Name (id)"
        return company_label(cid, names)

    return pattern.sub(label, text)
