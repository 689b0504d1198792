"""Import a park from a file: a park file (.yaml/.yml/.json) or an inventory (.xlsx/.csv).

Everything is validated first; only a file without errors is written, in one transaction
(all-or-nothing). A file with five faults gives five messages and leaves the database as
it was.

What happens to an existing park with the same id:

- without ``replace``: nothing is written; the import fails with a clear message.
- park file with ``replace``: the park is replaced as a whole by the file's park.
- inventory (.xlsx/.csv) with ``replace``: the park's companies are replaced by the
  companies of the file (companies missing from the file are removed, with their stored
  results); the park-level fields (name, municipality, grid capacity, ...) are kept, except
  those the file's Park sheet fills in.

A new park from an inventory gets its id from ``park_id`` (``--park``) or the Park sheet,
and its name from the Park sheet or else its id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from parkplan.domain.errors import Lang, Problem, ValidationError, error
from parkplan.domain.model import Company, Park

PARK_FILE_SUFFIXES = (".yaml", ".yml", ".json")
INVENTORY_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")


@dataclass
class ImportReport:
    """The outcome of an import (or of a dry run)."""

    park_id: str
    park_name: str
    file: str
    kind: str
    """``parkfile``, ``xlsx`` or ``csv``."""
    action: str
    """``created`` or ``replaced`` (what was done, or would be done in a dry run)."""
    dry_run: bool
    company_count: int
    """Companies in the imported park. [-]"""
    connection_count: int
    """Connections (electricity and gas) in the imported park. [-]"""
    roof_count: int
    """Roof faces in the imported park. [-]"""
    companies_removed: list[str] = field(default_factory=list)
    """Ids of companies of the existing park that the import removes."""
    warnings: list[Problem] = field(default_factory=list)

    def to_dict(self, lang: Lang = "nl") -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "park_id": self.park_id,
            "park_name": self.park_name,
            "file": self.file,
            "kind": self.kind,
            "action": self.action,
            "dry_run": self.dry_run,
            "company_count": self.company_count,
            "connection_count": self.connection_count,
            "roof_count": self.roof_count,
            "companies_removed": list(self.companies_removed),
            "warnings": [w.to_dict(lang) for w in self.warnings],
        }


@dataclass
class PreparedImport:
    """A validated park ready to be saved, with what is known about the source file."""

    park: Park
    kind: str
    file: str
    warnings: list[Problem]
    park_fields: set[str] | None = None
    """Park-level keys the file set (inventories); ``None``: the file sets the whole park."""


def file_kind(path: Path) -> str:
    """``parkfile``, ``xlsx`` or ``csv`` from the file name; a ``ValidationError`` else."""
    suffix = path.suffix.lower()
    if suffix in PARK_FILE_SUFFIXES:
        return "parkfile"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    raise ValidationError(
        problems=[
            error(
                "",
                f"onbekend bestandstype '{suffix or path.name}'; verwacht een parkbestand "
                "(.yaml, .yml, .json) of een inventarisatie (.xlsx, .csv)",
                f"unknown file type '{suffix or path.name}'; expected a park file (.yaml, "
                ".yml, .json) or an inventory (.xlsx, .csv)",
                path.name,
                code="unknown_format",
            ).located(file=path.name)
        ],
        source=path.name,
    )


def prepare_import(
    path: str | Path, *, park_id: str | None = None, name: str | None = None
) -> PreparedImport:
    """Read and validate a file completely, without touching the database.

    Parameters
    ----------
    path
        A park file or an inventory.
    park_id
        The id of the park to create or replace; for an inventory it overrides the Park
        sheet, for a park file it renames the file's park.
    name
        The file name for messages and to tell the type by (e.g. the original name of an
        upload stored under a temporary name); default ``path``'s name.

    Raises
    ------
    ValidationError
        Every problem of the file at once, each naming file, row, column and value.
    """
    path = Path(path)
    label = name or path.name
    kind = file_kind(Path(label))
    if kind == "parkfile":
        from parkplan.io.parkfile import read_park_file

        try:
            park, warnings = read_park_file(path)
        except ValidationError as exc:
            raise ValidationError(
                problems=_renamed(exc.problems, path.name, label), source=label
            ) from None
        if park_id and park_id != park.id:
            park = dataclasses.replace(park, id=park_id)
        return PreparedImport(park, kind, label, _renamed(warnings, path.name, label))
    return _prepare_inventory(path, kind, park_id, label)


def _renamed(problems: Sequence[Problem], old: str, new: str) -> list[Problem]:
    """Problems with the file name ``old`` replaced by ``new``."""
    if old == new:
        return list(problems)
    return [p.located(file=new) if p.file == old else p for p in problems]


def _prepare_inventory(path: Path, kind: str, park_id: str | None, label: str) -> PreparedImport:
    from parkplan.io.inventory import read_inventory_file
    from parkplan.io.parkfile import park_from_document

    reading = read_inventory_file(path, park_id=park_id, name=label)
    cell_problems = reading.problems
    if any(p.severity == "error" and p.code in _FILE_LEVEL for p in cell_problems):
        raise ValidationError(problems=cell_problems, source=label)
    try:
        park, semantic = park_from_document(reading.document)
    except ValidationError as exc:
        park, semantic = None, list(exc.problems)
    located = [reading.locate(p) for p in semantic]
    problems = [*cell_problems, *_without_repeats(located, cell_problems)]
    if park is None or any(p.severity == "error" for p in problems):
        raise ValidationError(problems=_sorted(problems), source=label)
    return PreparedImport(park, kind, label, _sorted(problems), set(reading.park_fields))


_FILE_LEVEL = frozenset(
    {
        "not_found",
        "empty",
        "too_large",
        "not_a_spreadsheet",
        "wrong_sheet",
        "wrong_format",
        "unknown_format",
        "missing_column",
    }
)


def _without_repeats(problems: list[Problem], cell_problems: list[Problem]) -> list[Problem]:
    """Semantic problems, minus those about a value the cell checks already refused.

    A cell that is refused is left out of the document, so the park-file rules may report
    the same value as missing; that would be the second message for one fault.
    """
    refused = [p.path for p in cell_problems if p.severity == "error" and p.path]
    refused_cells = {
        (p.file, p.row, p.column) for p in cell_problems if p.severity == "error" and p.row
    }

    def repeats(p: Problem) -> bool:
        if (p.file, p.row, p.column) in refused_cells and p.column:
            return True
        return any(
            p.path == r or p.path.startswith((r + ".", r + "[")) or r.startswith(p.path + ".")
            for r in refused
        )

    return [p for p in problems if not repeats(p)]


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Errors before warnings, in file order."""
    order = {"error": 0, "warning": 1}
    return sorted(
        problems,
        key=lambda p: (order[p.severity], p.file or "", p.row if p.row is not None else -1),
    )


def import_file(
    session: Session,
    path: str | Path,
    *,
    park_id: str | None = None,
    replace: bool = False,
    actor: str = "cli",
    dry_run: bool = False,
    name: str | None = None,
) -> ImportReport:
    """Validate a park file or inventory completely, then save the park all-or-nothing.

    Parameters
    ----------
    session
        Database session; the caller owns the transaction
        (:func:`parkplan.store.db.session_scope`).
    path
        A park file (.yaml/.yml/.json) or an inventory (.xlsx/.csv).
    park_id
        The park to create or (with ``replace``) to replace; see the module docstring.
    replace
        Replace an existing park with the same id; otherwise an existing id is an error.
    actor
        Who imports, for the audit log.
    dry_run
        Validate and report what would happen, write nothing.
    name
        The file name for messages (an upload's original name); default ``path``'s name.

    Raises
    ------
    ValidationError
        The file has errors; every one is listed and nothing is written.
    ParkExistsError
        The park exists and ``replace`` is false; nothing is written.
    """
    from parkplan.services.parks import ParkExistsError, save_park
    from parkplan.store.repository import read_park

    prepared = prepare_import(path, park_id=park_id, name=name)
    park = prepared.park
    existing = read_park(session, park.id)
    if existing is not None and not replace:
        raise ParkExistsError(
            f"Park '{park.id}' staat al in de database; er is niets opgeslagen. Vervangen: "
            "vink 'Bestaand park vervangen' aan (webapplicatie) of gebruik --replace; of kies "
            "een andere id met --park.",
            f"Park '{park.id}' is already in the database; nothing was saved. To replace it, "
            "tick 'Replace the existing park' (web application) or use --replace; or choose "
            "another id with --park.",
        )
    removed: list[str] = []
    if existing is not None:
        if prepared.park_fields is not None:
            park = merge_into(existing, park, prepared.park_fields)
        new_ids = {c.id for c in park.companies}
        removed = [c.id for c in existing.companies if c.id not in new_ids]
    if not dry_run:
        save_park(session, park, replace=replace, actor=actor)
    return ImportReport(
        park_id=park.id,
        park_name=park.name,
        file=prepared.file,
        kind=prepared.kind,
        action="replaced" if existing is not None else "created",
        dry_run=dry_run,
        company_count=len(park.companies),
        connection_count=sum(len(c.connections) for c in park.companies),
        roof_count=sum(len(c.roofs) for c in park.companies),
        companies_removed=removed,
        warnings=prepared.warnings,
    )


def merge_into(existing: Park, imported: Park, park_fields: set[str]) -> Park:
    """The existing park with the imported companies and the park fields the file set.

    Parameters
    ----------
    existing
        The park in the database.
    imported
        The park read from an inventory.
    park_fields
        Top-level park keys the inventory's Park sheet filled in (``name``, ``grid``, ...);
        for ``grid`` only the sub-fields given replace the existing ones.

    What an inventory cannot hold is kept from the existing company with the same id: its
    vehicles and the reference to its meter data.
    """
    changes: dict[str, Any] = {
        "companies": [_keep_unlisted(existing, c) for c in imported.companies]
    }
    attribute = {"outline": "outline_geojson"}
    for key in park_fields - {"id"}:
        name = attribute.get(key, key)
        if key == "grid":
            given = {
                f.name: getattr(imported.grid, f.name)
                for f in dataclasses.fields(imported.grid)
                if f.name != "origins" and getattr(imported.grid, f.name) not in (None, [])
            }
            changes["grid"] = dataclasses.replace(existing.grid, **given)
        elif hasattr(existing, name):
            changes[name] = getattr(imported, name)
    return dataclasses.replace(existing, **changes)


def _keep_unlisted(existing: Park, company: Company) -> Company:
    """``company`` with the vehicles and meter-data reference of the existing company."""
    old = next((c for c in existing.companies if c.id == company.id), None)
    if old is None:
        return company
    changes: dict[str, Any] = {}
    if not company.vehicles and old.vehicles:
        changes["vehicles"] = old.vehicles
    if (
        company.electricity is not None
        and old.electricity is not None
        and company.electricity.meter_data is None
        and old.electricity.meter_data is not None
    ):
        changes["electricity"] = dataclasses.replace(
            company.electricity, meter_data=old.electricity.meter_data
        )
    return dataclasses.replace(company, **changes) if changes else company
