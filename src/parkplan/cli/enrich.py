"""``parkplan enrich``: propose (and on request apply) changes from open data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parkplan.cli.common import echo_json, echo_table, json_option, lang_of

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _value(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "(omtrek)" if lang == "nl" else "(outline)"
    if isinstance(value, float):
        from parkplan.cli.parks import fmt_number

        decimals = 0 if value.is_integer() else 2
        return fmt_number(value, decimals, lang)
    if hasattr(value, "lat") and hasattr(value, "lon"):
        return f"{value.lat:.6f}, {value.lon:.6f}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


_ORIGIN_NL = {
    "open_data": "open data",
    "estimated": "geschat",
    "reported": "opgegeven",
    "measured": "gemeten",
}


def _source(change: Any) -> str:
    if change.source_file and change.source_file not in change.record:
        return f"{change.source} {change.source_file}: {change.record}"
    return f"{change.source}: {change.record}"


def _print(result: Any, lang: str) -> None:
    proposal = result.proposal
    nl = lang == "nl"
    if proposal.changes:
        rows = []
        for c in proposal.changes:
            origin = _ORIGIN_NL.get(c.origin.value, c.origin.value) if nl else c.origin.value
            mark = ""
            if c.conflict:
                mark = "CONFLICT"
            elif c.action == "add":
                mark = "nieuw" if nl else "new"
            rows.append(
                [
                    c.entity_id,
                    c.field,
                    _value(c.old_value, lang),
                    _value(c.new_value, lang),
                    origin,
                    _source(c),
                    mark,
                ]
            )
        headers = (
            ["wat", "veld", "oud", "nieuw", "herkomst", "bron", ""]
            if nl
            else ["what", "field", "old", "new", "origin", "source", ""]
        )
        echo_table(
            headers,
            rows,
            title="Voorgestelde wijzigingen" if nl else "Proposed changes",
        )
    else:
        click.echo("Geen wijzigingen voorgesteld." if nl else "No changes proposed.")
    if proposal.labels:
        echo_table(
            ["bedrijf" if nl else "company", "label", "geldig tot" if nl else "valid until"],
            [[x.company_id, x.label_class, x.valid_until or ""] for x in proposal.labels],
            title=(
                "Energielabels (EP-Online; voorgesteld als energy_label, nieuwste registratie)"
                if nl
                else "Energy labels (EP-Online; proposed as energy_label, newest registration)"
            ),
        )
    if proposal.net_area_ha is not None:
        from parkplan.cli.parks import fmt_number

        text = fmt_number(proposal.net_area_ha, 1, lang)
        click.echo(
            f"Netto oppervlakte volgens IBIS: {text} ha (alleen getoond)."
            if nl
            else f"Net area according to IBIS: {text} ha (shown only)."
        )
    if proposal.problems:
        click.echo(
            "\nNiet gekoppeld of niet bruikbaar (per record):"
            if nl
            else "\nNot matched or not usable (per record):"
        )
        for p in proposal.problems:
            click.echo(p.render(lang))
    n = len(proposal.changes)
    conflicts = len(proposal.conflicts)
    click.echo("")
    if result.applied:
        where = f" ({result.written_to})" if result.written_to else ""
        click.echo(
            f"{result.applied_changes} wijziging(en) toegepast{where}; "
            f"{result.held_back_conflicts} conflict(en) niet toegepast."
            if nl
            else f"{result.applied_changes} change(s) applied{where}; "
            f"{result.held_back_conflicts} conflict(s) not applied."
        )
    else:
        click.echo(
            f"{n} wijziging(en) voorgesteld, waarvan {conflicts} conflict(en) met opgegeven of "
            "gemeten waarden. Er is niets opgeslagen: gebruik --apply om toe te passen "
            "(conflicten alleen met --overwrite-reported)."
            if nl
            else f"{n} change(s) proposed, {conflicts} of them conflict(s) with reported or "
            "measured values. Nothing was saved: use --apply to apply them (conflicts only "
            "with --overwrite-reported)."
        )


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    from parkplan.domain.errors import ParkplanError

    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    try:
        x_min, y_min, x_max, y_max = (float(p) for p in parts)
    except ValueError:
        raise ParkplanError(
            f"--bbox: verwacht vier getallen x_min,y_min,x_max,y_max in RD New (gevonden: {text})",
            f"--bbox: expected four numbers x_min,y_min,x_max,y_max in RD New (found: {text})",
        ) from None
    return (x_min, y_min, x_max, y_max)


@click.command("enrich")
@click.argument("park", metavar="PARK_OR_FILE")
@click.option("--bag", type=_FILE, help="BAG-panden: PDOK GeoPackage (.gpkg) of GeoJSON.")
@click.option("--labels", type=_FILE, help="EP-Online energielabels (CSV-export).")
@click.option("--kvk", type=_FILE, help="KvK-export (CSV of JSON) met vestigingen.")
@click.option("--ibis", type=_FILE, help="IBIS-parkrecords (GeoJSON of CSV).")
@click.option(
    "--consumption",
    type=_FILE,
    help="Kleinverbruiksgegevens van de netbeheerder (CSV per postcodereeks).",
)
@click.option(
    "--bbox",
    default=None,
    metavar="X_MIN,Y_MIN,X_MAX,Y_MAX",
    help="Lees BAG alleen binnen dit gebied (RD New, meter); standaard binnen de "
    "IBIS-omtrek als --ibis gegeven is.",
)
@click.option(
    "--ibis-id", default=None, help="IBIS-park-id (RIN-nummer) als het bestand er meer heeft."
)
@click.option("--apply", "do_apply", is_flag=True, help="Pas de voorgestelde wijzigingen toe.")
@click.option(
    "--overwrite-reported",
    is_flag=True,
    help="Overschrijf met --apply ook opgegeven en gemeten waarden (conflicten).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Voor een parkbestand: schrijf het verrijkte park naar dit bestand (met --apply).",
)
@json_option
@click.pass_context
def enrich_command(
    ctx: click.Context,
    park: str,
    bag: Path | None,
    labels: Path | None,
    kvk: Path | None,
    ibis: Path | None,
    consumption: Path | None,
    bbox: str | None,
    ibis_id: str | None,
    do_apply: bool,
    overwrite_reported: bool,
    out: Path | None,
    as_json: bool,
) -> None:
    """Vul een park aan met open data: BAG, EP-Online, KvK, IBIS en netbeheerders.

    Toont per wijziging wat verandert, de oude en nieuwe waarde, de herkomst (open data of
    geschat) en uit welk bestand en record het komt, en per record wat niet gekoppeld kon
    worden (geen pand, meerdere panden, verkeerde projectie, kapotte geometrie). Er wordt
    niets opgeslagen zonder --apply; waarden die het bedrijf opgaf of die gemeten zijn
    worden alleen met --overwrite-reported overschreven. PARK_OR_FILE is een park-id in de
    database (toepassen in één transactie, met auditlog) of een parkbestand (toepassen met
    --out).
    """
    from parkplan.services.enrich import enrich, read_sources

    lang = lang_of(ctx)
    sources = read_sources(
        bag=bag,
        labels=labels,
        kvk=kvk,
        ibis=ibis,
        consumption=consumption,
        bbox_rd=_bbox(bbox),
    )
    result = enrich(
        park,
        sources,
        ibis_id=ibis_id,
        apply=do_apply,
        overwrite_reported=overwrite_reported,
        out=out,
        actor="cli",
    )
    if as_json:
        echo_json(result.to_dict(lang))
        return
    _print(result, lang)


COMMANDS = [enrich_command]
