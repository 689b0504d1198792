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
