"""Use cases on parks, shared by the command line and the web app.

Load a park (from the database or a park file), list parks and companies, save a park
all-or-nothing, delete one. Every change is written to the audit log with the actor.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from parkplan.domain.errors import (
    NotFoundError,
    ParkplanError,
    Problem,
    ValidationError,
    error,
    raise_if_errors,
)
from parkplan.domain.model import Company, Park

PARK_FILE_SUFFIXES = (".yaml", ".yml", ".json")
"""Suffixes of park files (format v1)."""
_FILE_LIKE_SUFFIXES = (*PARK_FILE_SUFFIXES, ".xlsx", ".csv")


class ParkExistsError(ParkplanError):
    """A park with this id is already in the database (and replace was not asked for)."""


# ---------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class ParkSummary:
    """One line of the park overview."""

    id: str
    name: str
    municipality: str | None
    area_ha: float | None
    """Gross area. [ha]"""
    illustrative: bool
    """Demo / synthetic park: shown as "illustratief"."""
    company_count: int
    connection_count: int
    """Electricity connections. [-]"""
    total_annual_kwh: float
    """Sum of the companies' annual offtake from the grid. [kWh]"""
    total_annual_m3: float
    """Sum of the companies' annual natural gas use. [m3]"""
    total_contracted_kw: float
    """Sum of contracted transport capacity for offtake of electricity connections. [kW]"""
    total_roof_area_m2: float
    """Sum of all roof faces. [m2]"""
    grid_available_import_kw: float | None
    """What the grid operator can carry for the whole park (offtake). [kW]"""
    grid_available_export_kw: float | None
    """What the grid operator can carry for the whole park (feed-in). [kW]"""
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (keys as the field names, units in the names)."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class CompanySummary:
    """One line of a park's company list."""

    id: str
    name: str
    kvk: str | None
    sbi: str | None
    employees: int | None
    floor_area_m2: float | None
    """Floor area. [m2]"""
    annual_kwh: float | None
    """Annual offtake from the grid. [kWh]"""
    annual_m3: float | None
    """Annual natural gas use. [m3]"""
    connection_kind: str | None
    """Kind of the main electricity connection: kleinverbruik or grootverbruik."""
    fuse: str | None
    """Fuse of the main electricity connection (kleinverbruik), e.g. 3x35A."""
    contracted_kw: float | None
    """Contracted offtake capacity of the electricity connections together. [kW]"""
    connection_count: int
    """Connections of the company (electricity and gas). [-]"""
    roof_area_m2: float
    """Sum of the roof faces. [m2]"""
    existing_pv_kwp: float
    """PV already installed. [kWp]"""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (keys as the field names, units in the names)."""
        return dataclasses.asdict(self)


def summarise_company(company: Company) -> CompanySummary:
    """The list line of one company."""
    main = company.main_connection
    contracted = [
        c.contracted_kw for c in company.electricity_connections if c.contracted_kw is not None
    ]
    return CompanySummary(
        id=company.id,
        name=company.name,
        kvk=company.kvk,
        sbi=company.sbi,
        employees=company.employees,
        floor_area_m2=company.floor_area_m2,
        annual_kwh=company.electricity.annual_kwh if company.electricity else None,
        annual_m3=company.gas.annual_m3 if company.gas else None,
        connection_kind=main.kind if main else None,
        fuse=main.fuse if main else None,
        contracted_kw=sum(contracted) if contracted else None,
        connection_count=len(company.connections),
        roof_area_m2=sum(r.area_m2 for r in company.roofs),
        existing_pv_kwp=sum(r.existing_pv_kwp for r in company.roofs),
    )


def summarise_companies(park: Park) -> list[CompanySummary]:
    """The company list of a park, in the park's order."""
    return [summarise_company(c) for c in park.companies]


def summarise_park(park: Park) -> ParkSummary:
    """The overview line of a park held in memory (e.g. read from a park file)."""
    companies = park.companies
    return ParkSummary(
        id=park.id,
        name=park.name,
        municipality=park.municipality,
        area_ha=park.area_ha,
        illustrative=park.illustrative,
        company_count=len(companies),
        connection_count=sum(len(c.electricity_connections) for c in companies),
        total_annual_kwh=float(sum(c.electricity.annual_kwh for c in companies if c.electricity)),
        total_annual_m3=float(sum(c.gas.annual_m3 for c in companies if c.gas)),
        total_contracted_kw=float(
            sum(k.contracted_kw or 0.0 for c in companies for k in c.electricity_connections)
        ),
        total_roof_area_m2=float(sum(r.area_m2 for c in companies for r in c.roofs)),
        grid_available_import_kw=park.grid.available_import_kw,
        grid_available_export_kw=park.grid.available_export_kw,
        description=park.description,
    )


# ---------------------------------------------------------------------------- queries


def count_parks(session: Session) -> int:
    """Number of parks in the database."""
    from parkplan.store.tables import ParkRow

    return int(session.scalar(select(func.count()).select_from(ParkRow)) or 0)


def list_parks(session: Session) -> list[ParkSummary]:
    """All parks in the database with their totals, sorted by id."""
    from parkplan.store.tables import (
        CompanyRow,
        ConnectionRow,
        ElectricityUseRow,
        GasUseRow,
        ParkRow,
        RoofRow,
    )

    def per_park(query: Any) -> dict[str, Any]:
        return {row[0]: row[1] for row in session.execute(query)}

    companies = per_park(select(CompanyRow.park_id, func.count()).group_by(CompanyRow.park_id))
    kwh = per_park(
        select(CompanyRow.park_id, func.sum(ElectricityUseRow.annual_kwh))
        .join(ElectricityUseRow, ElectricityUseRow.company_pk == CompanyRow.pk)
        .group_by(CompanyRow.park_id)
    )
    m3 = per_park(
        select(CompanyRow.park_id, func.sum(GasUseRow.annual_m3))
        .join(GasUseRow, GasUseRow.company_pk == CompanyRow.pk)
        .group_by(CompanyRow.park_id)
    )
    electricity = ConnectionRow.carrier == "electricity"
    connections = per_park(
        select(ConnectionRow.park_id, func.count())
        .where(electricity)
        .group_by(ConnectionRow.park_id)
    )
    contracted = per_park(
        select(ConnectionRow.park_id, func.sum(ConnectionRow.contracted_kw))
        .where(electricity)
        .group_by(ConnectionRow.park_id)
    )
    roofs = per_park(
        select(CompanyRow.park_id, func.sum(RoofRow.area_m2))
        .join(RoofRow, RoofRow.company_pk == CompanyRow.pk)
        .group_by(CompanyRow.park_id)
    )
    parks = session.scalars(select(ParkRow).order_by(ParkRow.id))
    return [
        ParkSummary(
            id=p.id,
            name=p.name,
            municipality=p.municipality,
            area_ha=p.area_ha,
            illustrative=bool(p.illustrative),
            company_count=int(companies.get(p.id, 0)),
            connection_count=int(connections.get(p.id, 0)),
            total_annual_kwh=float(kwh.get(p.id) or 0.0),
            total_annual_m3=float(m3.get(p.id) or 0.0),
            total_contracted_kw=float(contracted.get(p.id) or 0.0),
            total_roof_area_m2=float(roofs.get(p.id) or 0.0),
            grid_available_import_kw=p.grid_available_import_kw,
            grid_available_export_kw=p.grid_available_export_kw,
            description=p.description,
        )
        for p in parks
    ]


def _not_found(session: Session, park_id: str, *, file_like: bool = False) -> NotFoundError:
    from parkplan.store.repository import park_ids

    ids = park_ids(session)
    if ids:
        known_nl = "Aanwezige parken: " + ", ".join(ids) + "."
        known_en = "Parks present: " + ", ".join(ids) + "."
    else:
        known_nl = (
            "De database bevat nog geen parken; laad de demoparken met 'parkplan demo' "
            "of importeer een park met 'parkplan import'."
        )
        known_en = (
            "The database holds no parks yet; load the demo parks with 'parkplan demo' "
            "or import a park with 'parkplan import'."
        )
    if file_like:
        return NotFoundError(
            f"Bestand '{park_id}' bestaat niet, en er is ook geen park met die id. {known_nl}",
            f"File '{park_id}' does not exist, and there is no park with that id. {known_en}",
        )
    return NotFoundError(
        f"Park '{park_id}' staat niet in de database. {known_nl}",
        f"Park '{park_id}' is not in the database. {known_en}",
    )


def get_park(session: Session, park_id: str) -> Park:
    """The park with this id from the database.

    Raises
    ------
    NotFoundError
        When there is no such park; the message names the ids that exist.
    """
    from parkplan.store.repository import read_park

    park = read_park(session, park_id)
    if park is None:
        raise _not_found(session, park_id)
    return park


def list_companies(session: Session, park_id: str) -> list[CompanySummary]:
    """The company list of a park in the database (``NotFoundError`` when absent)."""
    return summarise_companies(get_park(session, park_id))


def _looks_like_file(text: str) -> bool:
    return text.lower().endswith(_FILE_LIKE_SUFFIXES) or "/" in text or "\\" in text


def read_park_from_file(path: str | Path) -> tuple[Park, list[Problem]]:
    """Read a park file (YAML or JSON, format v1); errors raise ``ValidationError``.

    Returns the park and the warnings found.
    """
    from parkplan.io.parkfile import read_park_file

    park, problems = read_park_file(Path(path))
    raise_if_errors(problems, source=str(path))
    return park, [p for p in problems if p.severity != "error"]


def _read_inventory(path: Path) -> Park:
    """A park from an inventory (.xlsx, .csv); without a park id it is named after the file."""
    import re

    from parkplan.services.imports import prepare_import

    try:
        return prepare_import(path).park
    except ValidationError as exc:
        if not exc.errors or any(p.path not in ("park.id", "park.name") for p in exc.errors):
            raise
    park_id = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-") or "park"
    return prepare_import(path, park_id=park_id).park


def load_park(park_or_file: str, session: Session | None = None) -> Park:
    """A park by id from the database, or read from a park file.

    Parameters
    ----------
    park_or_file
        An existing file path: a park file (.yaml, .yml, .json) or an inventory (.xlsx,
        .csv; without a park id it is named after the file); otherwise a park id in the
        database.
    session
        Database session; default a session on the configured database.

    Raises
    ------
    ValidationError
        The file has errors (all are listed).
    NotFoundError
        Neither a file nor a park id in the database.
    """
    path = Path(park_or_file)
    if path.is_file():
        if path.suffix.lower() in PARK_FILE_SUFFIXES:
            return read_park_from_file(path)[0]
        return _read_inventory(path)

    def from_db(s: Session) -> Park:
        from parkplan.store.repository import read_park

        park = read_park(s, park_or_file)
        if park is None:
            raise _not_found(s, park_or_file, file_like=_looks_like_file(park_or_file))
        return park

    if session is not None:
        return from_db(session)
    from parkplan.store.db import session_scope

    with session_scope() as s:
        return from_db(s)


# ---------------------------------------------------------------------------- checks


def check_unique(park: Park) -> list[Problem]:
    """Errors for company ids, KvK numbers and EANs that occur more than once in a park."""
    problems: list[Problem] = []
    seen_id: dict[str, str] = {}
    seen_kvk: dict[str, str] = {}
    seen_ean: dict[str, str] = {}

    def dup(path: str, what_nl: str, what_en: str, value: str, first: str) -> Problem:
        return error(
            path,
            f"{what_nl} '{value}' komt al voor bij {first}; verwacht: uniek binnen het park.",
            f"{what_en} '{value}' already occurs at {first}; expected: unique within the park.",
            value=value,
            code="duplicate",
        )

    for i, company in enumerate(park.companies):
        base = f"companies[{i}]"
        if company.id in seen_id:
            problems.append(
                dup(f"{base}.id", "Bedrijfs-id", "Company id", company.id, seen_id[company.id])
            )
        else:
            seen_id[company.id] = f"{base}.id"
        if company.kvk is not None:
            if company.kvk in seen_kvk:
                problems.append(
                    dup(
                        f"{base}.kvk",
                        "KvK-nummer",
                        "KvK number",
                        company.kvk,
                        seen_kvk[company.kvk],
                    )
                )
            else:
                seen_kvk[company.kvk] = f"{base}.kvk"
        for j, connection in enumerate(company.connections):
            path = f"{base}.connections[{j}].ean"
            if connection.ean in seen_ean:
                problems.append(dup(path, "EAN", "EAN", connection.ean, seen_ean[connection.ean]))
            else:
                seen_ean[connection.ean] = path
    return problems


def _text_lengths(table: Any, prefix: str = "") -> dict[str, int]:
    """Domain field name -> the most characters its column holds."""
    return {
        column.key.removeprefix(prefix): column.type.length
        for column in table.columns
        if getattr(column.type, "length", None) and column.key.startswith(prefix)
    }


def check_storable(park: Park) -> list[Problem]:
    """Errors for values the database cannot hold: text longer than its column, numbers
    that are not finite (NaN, infinity), text with a NUL character."""
    from parkplan.store import tables

    problems: list[Problem] = []

    def check(obj: Any, table: Any, path: str, prefix: str = "") -> None:
        for name, length in _text_lengths(table.__table__, prefix).items():
            value = getattr(obj, name, None)
            if isinstance(value, str) and len(value) > length:
                problems.append(
                    error(
                        f"{path}.{name}",
                        f"Tekst van {len(value)} tekens; verwacht: hoogstens {length} tekens.",
                        f"Text of {len(value)} characters; expected: at most {length}.",
                        value=value,
                        code="too_long",
                    )
                )
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(
                    error(
                        f"{path}.{f.name}",
                        "Geen eindig getal; verwacht: een getal.",
                        "Not a finite number; expected: a number.",
                        value=value,
                        code="not_a_number",
                    )
                )
            elif isinstance(value, str) and "\x00" in value:
                problems.append(
                    error(
                        f"{path}.{f.name}",
                        "Tekst met een nul-teken (\\x00); verwacht: gewone tekst.",
                        "Text with a NUL character (\\x00); expected: plain text.",
                        value=value,
                        code="invalid_text",
                    )
                )

    check(park, tables.ParkRow, "park")
    check(park.grid, tables.ParkRow, "park.grid", prefix="grid_")
    for i, company in enumerate(park.companies):
        base = f"companies[{i}]"
        check(company, tables.CompanyRow, base)
        if company.electricity is not None:
            check(company.electricity, tables.ElectricityUseRow, f"{base}.electricity")
        for j, connection in enumerate(company.connections):
            check(connection, tables.ConnectionRow, f"{base}.connections[{j}]")
        for j, roof in enumerate(company.roofs):
            check(roof, tables.RoofRow, f"{base}.roofs[{j}]")
        for j, vehicle in enumerate(company.vehicles):
            check(vehicle, tables.VehicleRow, f"{base}.vehicles[{j}]")
        if company.contact is not None:
            check(company.contact, tables.ContactRow, f"{base}.contact")
        if company.gas is not None:
            check(company.gas, tables.GasUseRow, f"{base}.gas")
        if company.plans is not None:
            check(company.plans, tables.PlansRow, f"{base}.plans")
        if company.engagement is not None:
            check(company.engagement, tables.EngagementRow, f"{base}.engagement")
    if park.organisation is not None:
        check(park.organisation, tables.OrganisationRow, "park.organisation")
    for name, part in (("climate", park.climate), ("circularity", park.circularity)):
        if part is not None:  # JSON on the park row: only the finite-number check applies
            check(part, tables.ParkRow, f"park.{name}", prefix=f"{name}_")
    if park.location is not None:
        check(park.location, tables.ParkRow, "park.location")
    return problems


# ---------------------------------------------------------------------------- changes


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        if not value:
            yield prefix, {}
        for k, v in value.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            yield from _flatten(v, f"{prefix}[{i}]")
    else:
        yield prefix, value


def _fields(obj: Any) -> dict[str, Any]:
    """Flat field path -> value of a park (without companies) or company."""
    data = dataclasses.asdict(obj)
    data.pop("companies", None)
    connections = data.pop("connections", None)
    if connections is not None:
        data["connections"] = {c["ean"]: c for c in connections}
    return dict(_flatten(data, ""))


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def audit_access(
    session: Session,
    actor: str,
    park_id: str,
    entity: str,
    entity_ids: str | Iterable[str],
    *,
    action: str = "read",
) -> None:
    """Write the audit entries of a read or export (one per entity id) in a short
    transaction of their own.

    The session's reading transaction is committed first (callers have only read before
    this): SQLite refuses to turn a read snapshot into a write ("database is locked", at
    once, whatever the busy timeout) when another connection wrote in between, whereas a
    transaction that starts with its insert simply waits for the write lock.
    """
    from parkplan.store.repository import add_audit

    ids = [entity_ids] if isinstance(entity_ids, str) else list(entity_ids)
    if not ids:
        return
    session.commit()
    for entity_id in ids:
        add_audit(
            session,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            park_id=park_id,
        )
    session.commit()


def audit_park_changes(session: Session, old: Park, new: Park, actor: str) -> int:
    """Audit entries for every field that differs between two versions of a park."""
    from parkplan.store.repository import add_audit

    count = 0

    def diff(entity: str, entity_id: str, before: Any, after: Any) -> None:
        nonlocal count
        a, b = _fields(before), _fields(after)
        for name in sorted(set(a) | set(b), key=str):
            if _jsonable(a.get(name)) != _jsonable(b.get(name)):
                add_audit(
                    session,
                    actor=actor,
                    action="update",
                    entity=entity,
                    entity_id=entity_id,
                    park_id=new.id,
                    field=name,
                    old_value=_jsonable(a.get(name)),
                    new_value=_jsonable(b.get(name)),
                )
                count += 1

    diff("park", new.id, old, new)
    old_companies = {c.id: c for c in old.companies}
    new_companies = {c.id: c for c in new.companies}
    for cid, company in new_companies.items():
        if cid in old_companies:
            diff("company", cid, old_companies[cid], company)
        else:
            add_audit(
                session,
                actor=actor,
                action="create",
                entity="company",
                entity_id=cid,
                park_id=new.id,
                new_value=company.name,
            )
            count += 1
    for cid, company in old_companies.items():
        if cid not in new_companies:
            add_audit(
                session,
                actor=actor,
                action="delete",
                entity="company",
                entity_id=cid,
                park_id=new.id,
                old_value=company.name,
            )
            count += 1
    return count


def _park_label(park: Park) -> dict[str, Any]:
    return {"name": park.name, "companies": len(park.companies)}


def save_park(session: Session, park: Park, *, replace: bool = False, actor: str = "cli") -> None:
    """Save a park with all its companies, all-or-nothing.

    Runs in a savepoint of the session's transaction: on any error nothing of this park is
    written (the caller's earlier work in the session is kept) and the error is raised.

    Parameters
    ----------
    park
        The park to save.
    replace
        Replace a park with the same id: its fields and all its companies are overwritten;
        its stored results and creation time are kept. Otherwise an existing id is an error.
    actor
        Who makes the change, for the audit log (user name, ``cli``, ``import`` ...).

    Raises
    ------
    ValidationError
        Duplicate company ids, KvK numbers or EANs within the park, or values too long to
        store; every problem is listed.
    ParkExistsError
        A park with this id exists and ``replace`` is false.
    """
    from parkplan.store.repository import add_audit, add_park, read_park, replace_park

    raise_if_errors([*check_unique(park), *check_storable(park)], source=f"park '{park.id}'")
    try:
        with session.begin_nested():
            old = read_park(session, park.id)
            if old is not None and not replace:
                raise ParkExistsError(
                    f"Park '{park.id}' staat al in de database; er is niets opgeslagen. "
                    "Kies een andere id of vervang het bestaande park (--replace).",
                    f"Park '{park.id}' is already in the database; nothing was saved. "
                    "Choose another id or replace the existing park (--replace).",
                )
            if old is None:
                add_park(session, park)
            else:
                replace_park(session, park)
            if old is None:
                add_audit(
                    session,
                    actor=actor,
                    action="create",
                    entity="park",
                    entity_id=park.id,
                    park_id=park.id,
                    new_value=_park_label(park),
                )
            else:
                add_audit(
                    session,
                    actor=actor,
                    action="replace",
                    entity="park",
                    entity_id=park.id,
                    park_id=park.id,
                    old_value=_park_label(old),
                    new_value=_park_label(park),
                )
                audit_park_changes(session, old, park, actor)
            session.flush()
    except DBAPIError as exc:
        raise ParkplanError(
            f"Park '{park.id}' kon niet worden opgeslagen; er is niets opgeslagen. "
            f"Databasefout: {exc.orig}",
            f"Park '{park.id}' could not be saved; nothing was saved. Database error: {exc.orig}",
        ) from exc


def delete_park(session: Session, park_id: str, *, actor: str = "cli") -> None:
    """Delete a park with its companies and stored results (``NotFoundError`` if absent)."""
    from parkplan.store.repository import add_audit, read_park, remove_park

    old = read_park(session, park_id)
    if old is None:
        raise _not_found(session, park_id)
    with session.begin_nested():
        remove_park(session, park_id)
        add_audit(
            session,
            actor=actor,
            action="delete",
            entity="park",
            entity_id=park_id,
            park_id=park_id,
            old_value=_park_label(old),
        )


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change (or audited read) for people and machines."""

    at: str
    """When, ISO 8601 with time zone (UTC)."""
    actor: str
    action: str
    """``create``, ``update``, ``replace``, ``delete`` (or ``read`` for audited reads)."""
    park_id: str | None
    entity: str
    entity_id: str | None
    field: str | None
    old_value: str | None
    new_value: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dataclasses.asdict(self)


def list_changes(
    session: Session, park_id: str | None = None, limit: int | None = None
) -> list[AuditEntry]:
    """The audit log, newest last: of one park when ``park_id`` is given, else of all.

    ``limit`` keeps the newest entries only. A park that was deleted still has its log.
    """
    from parkplan.store.tables import AuditLogRow

    query = select(AuditLogRow).order_by(AuditLogRow.id.desc())
    if park_id is not None:
        query = query.where(AuditLogRow.park_id == park_id)
    if limit is not None:
        query = query.limit(limit)
    rows = list(session.scalars(query))[::-1]
    return [
        AuditEntry(
            at=r.at.isoformat(timespec="seconds"),
            actor=r.actor,
            action=r.action,
            park_id=r.park_id,
            entity=r.entity,
            entity_id=r.entity_id,
            field=r.field,
            old_value=r.old_value,
            new_value=r.new_value,
        )
        for r in rows
    ]
