"""The ``parkplan`` command line.

Each module in this package that defines ``COMMANDS`` (a list of click commands) adds them
to the ``parkplan`` group, so command groups live beside each other without a central list.
Command modules import heavy libraries inside the command functions, so that ``parkplan
--help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

import click

from parkplan import __version__
from parkplan.cli.common import localise_click, reset_click_lang, run_guarded
from parkplan.domain.errors import ParkplanError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


localise_click()  # click's own texts ("Usage:", "Options", errors) in Dutch, before commands


class _Group(click.Group):
    """A group that turns domain errors into a clear message and exit status 1."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        reset_click_lang()  # click's texts follow this run's --lang, not a previous run's
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        return run_guarded(lambda: super(_Group, self).invoke(ctx), ctx)


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="parkplan")
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="Taal van meldingen / language of messages (standaard: nl, of PARKPLAN_LANG).",
)
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """parkplan: toekomstbestendige bedrijventerreinen, van inventarisatie tot uitvoeringsplan.

    Elke analyse-opdracht neemt een park-id uit de database of het pad van een parkbestand
    (PARK_OR_FILE). Gebruik --json voor machineleesbare uitvoer; eenheden staan in docs/cli.md.
    """
    from parkplan.settings import get_settings

    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang or get_settings().lang


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "common":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            main.add_command(command)


_register_commands()

__all__ = ["ParkplanError", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
