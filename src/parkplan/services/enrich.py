"""Use case: enrich a park with open data (BAG, EP-Online, KvK, IBIS, grid operators).

Read the files, build the proposal (:func:`parkplan.enrich.propose.propose`) and, only
when asked, apply it: in the database in one transaction through
:func:`parkplan.services.parks.save_park` (every changed field in the audit log), or for a
park file by writing the enriched park to a new file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parkplan.domain.errors import Lang, ParkplanError, ValidationError
from parkplan.domain.model import Park
from parkplan.enrich.propose import (
    SOURCE_BAG,
    SOURCE_CONSUMPTION,
    SOURCE_IBIS,
    SOURCE_KVK,
    SOURCE_LABELS,
    EnrichSettings,
    Proposal,
    Sources,
    apply_changes,
    propose,
)


@dataclass
class EnrichResult:
    """The proposal and what was done with it."""

    proposal: Proposal
    applied: bool
    """The changes were written (database or ``out`` file)."""
    applied_changes: int
    """Changes written (0 when only proposed). [-]"""
    held_back_conflicts: int
    """Conflicts with reported or measured values that were not applied. [-]"""
    written_to: str | None = None
    """The park file written, for a park given as a file."""

    def to_dict(self, lang: Lang = "nl") -> dict[str, Any]:
        """JSON-ready form."""
        return {
            **self.proposal.to_dict(lang),
            "applied": self.applied,
            "applied_changes": self.applied_changes,
            "held_back_conflicts": self.held_back_conflicts,
            "written_to": self.written_to,
        }


def read_sources(
    *,
    bag: str | Path | None = None,
    labels: str | Path | None = None,
    kvk: str | Path | None = None,
    ibis: str | Path | None = None,
    consumption: str | Path | None = None,
    bbox_rd: tuple[float, float, float, float] | None = None,
) -> Sources:
    """Read the open-data files that are given; their per-record problems are collected.

    BAG is read only inside ``bbox_rd`` (RD New, metres) when given, else inside the IBIS
    outlines (widened by the matching distance) when an IBIS file is given, else whole.
    """
    sources = Sources()

    def take(name: str, meta: dict[str, Any]) -> None:
        sources.files[name] = meta["file"]
        sources.problems.extend(meta["problems"])

    if ibis is not None:
        from parkplan.io.opendata.ibis import read_ibis

        sources.ibis, meta = read_ibis(ibis)
        take(SOURCE_IBIS, meta)
    if bag is not None:
        from parkplan.io.opendata.bag import read_bag

        area = _bag_area(bbox_rd, sources)
        sources.bag, meta = read_bag(bag, area_rd=area)
        take(SOURCE_BAG, meta)
    if labels is not None:
        from parkplan.io.opendata.eponline import read_energy_labels

        sources.labels, meta = read_energy_labels(labels)
        take(SOURCE_LABELS, meta)
    if kvk is not None:
        from parkplan.io.opendata.kvk import read_kvk

        sources.kvk, meta = read_kvk(kvk)
        take(SOURCE_KVK, meta)
    if consumption is not None:
        from parkplan.io.opendata.netbeheer import read_consumption

        sources.consumption, meta = read_consumption(consumption)
        take(SOURCE_CONSUMPTION, meta)
    return sources


def _bag_area(bbox_rd: tuple[float, float, float, float] | None, sources: Sources) -> Any:
    """The area to read BAG in (RD New), or ``None`` for all of it."""
    import shapely

    if bbox_rd is not None:
        x_min, y_min, x_max, y_max = bbox_rd
        if not (x_min < x_max and y_min < y_max):
            raise ParkplanError(
                "--bbox: verwacht x_min,y_min,x_max,y_max in RD New met min < max",
                "--bbox: expected x_min,y_min,x_max,y_max in RD New with min < max",
            )
        return shapely.box(x_min, y_min, x_max, y_max)
    outlines = [p.outline for p in sources.ibis or [] if p.outline is not None]
    if not outlines:
        return None
    from parkplan.refdata import load_refdata

    margin_m = load_refdata().value("opendata.match_max_distance_m")
    return shapely.union_all(outlines).buffer(margin_m)


def propose_for(park: Park, sources: Sources, *, ibis_id: str | None = None) -> Proposal:
    """The proposal for a park, with the park's reference-data overrides."""
    from parkplan.refdata import load_refdata

    refdata = load_refdata().with_overrides(park.refdata_overrides)
    return propose(park, sources, EnrichSettings.from_refdata(refdata), ibis_id=ibis_id)


def _checked(park: Park) -> None:
    """The enriched park must still be a valid park (file rules)."""
    from parkplan.io.parkfile import park_to_document, validate_document

    problems = validate_document(park_to_document(park))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValidationError(problems=errors, source=f"park '{park.id}' na verrijking")


def enrich(
    park_or_file: str,
    sources: Sources,
    *,
    ibis_id: str | None = None,
    apply: bool = False,
    overwrite_reported: bool = False,
    out: str | Path | None = None,
    actor: str = "cli",
) -> EnrichResult:
    """Propose open-data changes for a park and apply them when asked.

    Parameters
    ----------
    park_or_file
        A park id in the database, or the path of a park file.
    sources
        The open-data records (:func:`read_sources`).
    ibis_id
        The IBIS park id when the IBIS file holds several parks.
    apply
        Write the changes: a database park in one transaction (audit log with ``actor``),
        a park file to ``out``. Without it nothing is written.
    overwrite_reported
        Also apply conflicts: open-data values that replace reported or measured ones.
    out
        For a park file: where to write the enriched park (YAML or JSON by extension).

    Raises
    ------
    ParkplanError
        No source given; ``apply`` for a park file without ``out``.
    ValidationError
        The enriched park breaks a rule of the park format (nothing is written).
    """
    if not sources.files:
        raise ParkplanError(
            "Geef minstens één open-databestand op (--bag, --labels, --kvk, --ibis of "
            "--consumption).",
            "Give at least one open-data file (--bag, --labels, --kvk, --ibis or --consumption).",
        )
    path = Path(park_or_file)
    if path.is_file():
        return _enrich_file(
            path,
            sources,
            ibis_id=ibis_id,
            apply=apply,
            overwrite_reported=overwrite_reported,
            out=out,
        )
    from parkplan.services.parks import get_park, save_park
    from parkplan.store.db import session_scope

    with session_scope() as session:
        park = get_park(session, park_or_file)
        proposal = propose_for(park, sources, ibis_id=ibis_id)
        todo = proposal.applicable(overwrite_reported)
        held = len(proposal.changes) - len(todo)
        if not apply or not todo:
            return EnrichResult(proposal, False, 0, held)
        new = apply_changes(park, todo, overwrite_reported=overwrite_reported)
        _checked(new)
        save_park(session, new, replace=True, actor=actor)
    return EnrichResult(proposal, True, len(todo), held)


def _enrich_file(
    path: Path,
    sources: Sources,
    *,
    ibis_id: str | None,
    apply: bool,
    overwrite_reported: bool,
    out: str | Path | None,
) -> EnrichResult:
    from parkplan.io.parkfile import dump_park
    from parkplan.services.parks import load_park

    if apply and out is None:
        raise ParkplanError(
            f"{path.name} is een parkbestand: geef met --out aan waar het verrijkte park "
            "moet komen (het bestand zelf wordt niet overschreven), of importeer het park "
            "eerst in de database.",
            f"{path.name} is a park file: say with --out where the enriched park should go "
            "(the file itself is not overwritten), or import the park into the database first.",
        )
    park = load_park(str(path))
    proposal = propose_for(park, sources, ibis_id=ibis_id)
    todo = proposal.applicable(overwrite_reported)
    held = len(proposal.changes) - len(todo)
    if not apply:
        return EnrichResult(proposal, False, 0, held)
    assert out is not None
    new = apply_changes(park, todo, overwrite_reported=overwrite_reported)
    _checked(new)
    target = Path(out)
    text = dump_park(new, "json" if target.suffix.lower() == ".json" else "yaml")
    target.write_text(text, encoding="utf-8")
    return EnrichResult(proposal, True, len(todo), held, written_to=str(target))
