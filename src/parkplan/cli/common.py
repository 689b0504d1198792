"""Shared helpers of the command-line face: language, JSON output, tables, errors."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from parkplan.domain.errors import Lang, ParkplanError, ValidationError

T = TypeVar("T")

json_option = click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")


def lang_of(ctx: click.Context | None = None) -> Lang:
    """The message language chosen with ``parkplan --lang``."""
    ctx = ctx or click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "lang" in ctx.obj:
            return "en" if ctx.obj["lang"] == "en" else "nl"
        ctx = ctx.parent
    return "nl"


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _clean(value: Any) -> Any:
    """Replace NaN and infinities by ``None`` (JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON (UTF-8, NaN as null)."""
    click.echo(json.dumps(_clean(data), indent=2, ensure_ascii=False, default=_default))


def echo_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None
) -> None:
    """Print a readable table for people."""
    import shutil

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    # escape: text such as "[kW]" in a header or a company name is not rich markup
    table = Table(title=escape(title) if title else None, show_lines=False)
    for h in headers:
        table.add_column(escape(h))
    for row in rows:
        table.add_row(*("" if v is None else escape(str(v)) for v in row))
    width = max(100, shutil.get_terminal_size().columns)
    Console(width=width, soft_wrap=True).print(table)


def run_guarded(func: Callable[[], T], ctx: click.Context | None = None) -> T:
    """Run a command; a domain error becomes a clear message on stderr and exit status 1."""
    try:
        return func()
    except ValidationError as exc:
        click.echo(exc.render(lang_of(ctx)), err=True)
        raise SystemExit(1) from None
    except ParkplanError as exc:
        prefix = "fout" if lang_of(ctx) == "nl" else "error"
        click.echo(f"{prefix}: {exc.message(lang_of(ctx))}", err=True)
        raise SystemExit(1) from None


# -- click's own texts in Dutch ------------------------------------------------------------

CLICK_TEXTS_NL: dict[str, str] = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Probeer '{command} {option}' voor hulp.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "Missing command.": "Geen opdracht gegeven.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing {param_type}": "Ontbrekend {param_type}",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} neemt {nargs} waarden.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    # the type's name ("file", "path") stays English: it is the metavar in help texts
    "{name} {filename!r} does not exist.": "{filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{filename!r} is een bestand, geen map.",
    "{name} {filename!r} is a directory.": "{filename!r} is een map, geen bestand.",
    "{name} {filename!r} is not readable.": "{filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{filename!r} is niet uitvoerbaar.",
    "Could not open file {filename!r}: {message}": (
        "Kan bestand {filename!r} niet openen: {message}"
    ),
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(dynamisch)",
    "deprecated": "verouderd",
    "Aborted!": "Afgebroken!",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden verschillen.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "unknown error": "onbekende fout",
}
"""Dutch for click's built-in texts (help headers, help option, parse errors)."""

CLICK_PLURALS_NL: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Onverwacht extra argument ({args})",
        "Onverwachte extra argumenten ({args})",
    ),
    "Option {name!r} requires an argument.": (
        "Optie {name!r} vraagt een waarde.",
        "Optie {name!r} vraagt {nargs} waarden.",
    ),
    "Did you mean {possibility}?": (
        "Bedoelde u {possibility}?",
        "(Bedoelde u een van: {possibilities}?)",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} is niet {choice}.",
        "{value!r} is niet een van {choices}.",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Neemt {nargs} waarden, maar er is 1 gegeven.",
        "Neemt {nargs} waarden, maar er zijn er {len} gegeven.",
    ),
    "{value!r} does not match the format {format}.": (
        "{value!r} past niet bij het formaat {format}.",
        "{value!r} past niet bij de formaten {formats}.",
    ),
}
"""Dutch for click's built-in texts with a singular and a plural form."""

ALWAYS_DUTCH = frozenset({"Show this message and exit.", "Show the version and exit."})
"""Texts of options click creates once per command (and caches): Dutch whatever the
language, like the help texts of parkplan's own options."""

_click_lang: list[Lang] = []
"""The language of the running command, remembered for texts click writes after the
command's context has closed (the error message of a usage error)."""


def _click_text_lang() -> Lang:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "lang" in ctx.obj:
            lang: Lang = "en" if ctx.obj["lang"] == "en" else "nl"
            _click_lang[:] = [lang]
            return lang
        if ctx.params.get("lang") in ("nl", "en"):  # parsed, before the group ran
            lang = "en" if ctx.params["lang"] == "en" else "nl"
            _click_lang[:] = [lang]
            return lang
        ctx = ctx.parent
    if _click_lang:
        return _click_lang[0]
    import os

    return "en" if os.environ.get("PARKPLAN_LANG") == "en" else "nl"


def click_gettext(message: str) -> str:
    """Click's ``gettext``: the Dutch text unless the command runs with ``--lang en``."""
    if message in ALWAYS_DUTCH:
        return CLICK_TEXTS_NL[message]
    if _click_text_lang() == "en":
        return message
    return CLICK_TEXTS_NL.get(message, message)


def click_ngettext(singular: str, plural: str, n: int) -> str:
    """Click's ``ngettext``, as :func:`click_gettext`."""
    forms = CLICK_PLURALS_NL.get(singular)
    if forms is None or _click_text_lang() == "en":
        return singular if n == 1 else plural
    return forms[0] if n == 1 else forms[1]


def reset_click_lang() -> None:
    """Forget the language of a previous command (several commands in one process)."""
    _click_lang.clear()


def localise_click() -> None:
    """Let click's own texts (``Usage:``, ``Options``, errors) follow parkplan's language.

    Click translates its texts through ``gettext`` imported into each of its modules; those
    names are replaced by :func:`click_gettext` and :func:`click_ngettext`. Only click is
    affected, not other users of ``gettext`` (argparse) in the same process.
    """
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]
