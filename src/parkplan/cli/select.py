"""``parkplan select``: compare candidate parks and choose a pilot."""

from __future__ import annotations

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of


@click.command("select")
@click.argument("parks", nargs=-1)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Kandidaatparken uit een CSV.",
)
@click.option(
    "--weights",
    "weights_path",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML met gewichten (en richtingen).",
)
@click.option(
    "--method",
    type=click.Choice(["wsm", "topsis"]),
    default=None,
    help="Gewogen som of TOPSIS (standaard: topsis).",
)
@click.option(
    "--samples",
    type=int,
    default=2000,
    show_default=True,
    help="Trekkingen voor de stabiliteitsanalyse.",
)
@click.option(
    "--seed", type=int, default=2026, show_default=True, help="Startwaarde van de trekkingen."
)
@json_option
def select_command(
    parks: tuple[str, ...],
    csv_path: str | None,
    weights_path: str | None,
    method: str | None,
    samples: int,
    seed: int,
    as_json: bool,
) -> None:
    """Vergelijk kandidaatparken op gewogen criteria en toon hoe stabiel de rangorde is.

    PARKS zijn park-ids of parkbestanden; zonder PARKS en zonder --csv worden alle parken in
    de database vergeleken.
    """
    from dataclasses import replace

    from parkplan.assess.selection import CRITERIA, default_settings, select
    from parkplan.services.parks import list_parks, load_park
    from parkplan.services.selection import (
        criteria_for_parks,
        read_candidates_csv,
        read_weights,
        selection_to_dict,
    )
    from parkplan.store.db import session_scope
    from parkplan.web.i18n import format_number

    lang = lang_of()
    settings = (
        read_weights(weights_path, method) if weights_path else default_settings(method or "topsis")
    )  # type: ignore[arg-type]
    settings = replace(settings, n_samples=samples, seed=seed)
    if csv_path:
        candidates = read_candidates_csv(csv_path)
    else:
        if not parks:
            with session_scope() as session:
                parks = tuple(p.id for p in list_parks(session))
        candidates = criteria_for_parks([load_park(p) for p in parks])
    outcome = select(candidates, settings)
    data = selection_to_dict(outcome, candidates, lang)
    if as_json:
        echo_json(data)
        return
    nl = lang == "nl"
    rows = [
        [
            p["rank"],
            p["name"],
            format_number(p["score"], 3, lang),
            f"{format_number(100 * p['rank_share'][0], 0, lang)} %",
            p["explanation"],
        ]
        for p in data["parks"]
    ]
    headers = (
        ["Plaats", "Park", "Score", "Vaak eerste", "Toelichting"]
        if nl
        else ["Rank", "Park", "Score", "First in", "Explanation"]
    )
    method_name = {"wsm": "gewogen som" if nl else "weighted sum", "topsis": "TOPSIS"}[
        data["method"]
    ]
    echo_table(headers, rows, title=("Parkkeuze" if nl else "Park selection") + f" ({method_name})")
    labels = {c.key: c.nl if nl else c.en for c in CRITERIA}
    weights = ", ".join(
        f"{labels.get(c['key'], c['key'])} {format_number(100 * c['weight'], 0, lang)} %"
        for c in data["criteria"]
    )
    click.echo(("Gewichten: " if nl else "Weights: ") + weights)
    click.echo(
        f"Stabiliteit: {samples} trekkingen met verstoorde gewichten (seed {seed})."
        if nl
        else f"Stability: {samples} draws of perturbed weights (seed {seed})."
    )
    for note in data["notes"]:
        click.echo(f"- {note['message']}")


COMMANDS = [select_command]
