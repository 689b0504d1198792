"""Conversion between database rows and domain dataclasses, and the queries on them.

``park_to_row`` and ``row_to_park`` are exact inverses: a :class:`~parkplan.domain.model.Park`
written and read back compares equal, origins, optional parts and the order of companies,
connections, roofs and vehicles included. Functions here do not commit; the caller owns the
transaction (see :func:`parkplan.store.db.session_scope`). Business rules (duplicates,
replace, audit log) live in :mod:`parkplan.services.parks`.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from parkplan.domain.model import (
    Circularity,
    ClimateAdaptation,
    Company,
    Connection,
    Contact,
    ElectricityUse,
    Engagement,
    GasUse,
    GridAvailability,
    Location,
    Organisation,
    Origin,
    Park,
    Plans,
    Roof,
    TimeBlockRight,
    Vehicle,
)
from parkplan.store.tables import (
    AuditLogRow,
    CompanyRow,
    ConnectionRow,
    ContactRow,
    ElectricityUseRow,
    EngagementRow,
    GasUseRow,
    OrganisationRow,
    ParkRow,
    PlansRow,
    ResultRow,
    RoofRow,
    VehicleRow,
    utcnow,
)

# ---------------------------------------------------------------------------- origins


def origins_to_json(origins: Mapping[str, Origin]) -> dict[str, str]:
    """Origins as stored: field name -> origin value (``"measured"`` ...)."""
    return {name: Origin(value).value for name, value in origins.items()}


def origins_from_json(data: Mapping[str, Any] | None) -> dict[str, Origin]:
    """Origins as in the domain: field name -> :class:`Origin`."""
    return {name: Origin(value) for name, value in (data or {}).items()}


def part_to_json(part: Any) -> dict[str, Any] | None:
    """A flat park part (climate, circularity) as JSON: field -> value plus ``origins``."""
    if part is None:
        return None
    out = {f.name: getattr(part, f.name) for f in dataclasses.fields(part) if f.name != "origins"}
    out["origins"] = origins_to_json(part.origins)
    return out


def part_from_json(cls: Any, data: Mapping[str, Any] | None) -> Any:
    """The inverse of :func:`part_to_json` (``None`` stays ``None``)."""
    if data is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)} - {"origins"}
    values = {k: v for k, v in data.items() if k in names}
    return cls(**values, origins=origins_from_json(data.get("origins")))


def rights_to_json(rights: Sequence[TimeBlockRight]) -> list[dict[str, Any]] | None:
    """The park's time-block transport rights as JSON (``None`` when there are none)."""
    if not rights:
        return None
    return [
        {"company": r.company, "default_kw": r.default_kw, "blocks": copy.deepcopy(r.blocks)}
        for r in rights
    ]


def rights_from_json(data: Sequence[Mapping[str, Any]] | None) -> list[TimeBlockRight]:
    """The time-block transport rights stored by :func:`rights_to_json` (NULL: none)."""
    return [
        TimeBlockRight(
            company=r["company"],
            default_kw=r["default_kw"],
            blocks=[dict(b) for b in r.get("blocks") or []],
        )
        for r in data or []
    ]


# ---------------------------------------------------------------------------- domain -> rows


def park_to_row(park: Park) -> ParkRow:
    """A new, unsaved row tree for a park (companies and their parts included)."""
    row = ParkRow(
        id=park.id,
        name=park.name,
        municipality=park.municipality,
        area_ha=park.area_ha,
        lat=park.location.lat if park.location else None,
        lon=park.location.lon if park.location else None,
        outline_geojson=park.outline_geojson,
        illustrative=bool(park.illustrative),
        description=park.description,
        refdata_overrides=dict(park.refdata_overrides),
        grid_operator=park.grid.operator,
        grid_substation=park.grid.substation,
        grid_available_import_kw=park.grid.available_import_kw,
        grid_available_export_kw=park.grid.available_export_kw,
        grid_origins=origins_to_json(park.grid.origins),
        grid_transport_rights=rights_to_json(park.grid.transport_rights),
        climate=part_to_json(park.climate),
        circularity=part_to_json(park.circularity),
        origins=origins_to_json(park.origins),
    )
    if park.organisation is not None:
        o = park.organisation
        row.organisation = OrganisationRow(
            business_association=o.business_association,
            park_management=o.park_management,
            biz=o.biz,
            sustainability_group=o.sustainability_group,
            origins=origins_to_json(o.origins),
        )
    row.companies = [company_to_row(c, park.id, i) for i, c in enumerate(park.companies)]
    return row


def company_to_row(company: Company, park_id: str, position: int) -> CompanyRow:
    """A new, unsaved row tree for one company of park ``park_id``."""
    c = company
    row = CompanyRow(
        park_id=park_id,
        position=position,
        id=c.id,
        name=c.name,
        kvk=c.kvk,
        sbi=c.sbi,
        employees=c.employees,
        floor_area_m2=c.floor_area_m2,
        office_area_m2=c.office_area_m2,
        operating_hours_class=c.operating_hours_class,
        address=c.address,
        postcode=c.postcode,
        building_owner=c.building_owner,
        energy_label=c.energy_label,
        construction_year=c.construction_year,
        building_use=list(c.building_use) or None,
        origins=origins_to_json(c.origins),
    )
    if c.electricity is not None:
        e = c.electricity
        row.electricity = ElectricityUseRow(
            annual_kwh=e.annual_kwh,
            annual_feed_in_kwh=e.annual_feed_in_kwh,
            annual_produced_kwh=e.annual_produced_kwh,
            peak_kw=e.peak_kw,
            meter_data=e.meter_data,
            origins=origins_to_json(e.origins),
        )
    if c.gas is not None:
        row.gas = GasUseRow(annual_m3=c.gas.annual_m3, origins=origins_to_json(c.gas.origins))
    row.connections = [
        ConnectionRow(
            park_id=park_id,
            position=i,
            ean=k.ean,
            kind=k.kind,
            carrier=k.carrier,
            fuse=k.fuse,
            contracted_kw=k.contracted_kw,
            contracted_feed_in_kw=k.contracted_feed_in_kw,
            physical_kva=k.physical_kva,
            grid_level=k.grid_level,
            origins=origins_to_json(k.origins),
        )
        for i, k in enumerate(c.connections)
    ]
    row.roofs = [
        RoofRow(
            position=i,
            id=r.id,
            area_m2=r.area_m2,
            usable_fraction=r.usable_fraction,
            tilt_deg=r.tilt_deg,
            azimuth_deg=r.azimuth_deg,
            existing_pv_kwp=r.existing_pv_kwp,
            bag_pand_id=r.bag_pand_id,
            origins=origins_to_json(r.origins),
        )
        for i, r in enumerate(c.roofs)
    ]
    row.vehicles = [
        VehicleRow(
            position=i,
            kind=v.kind,
            count=v.count,
            fuel=v.fuel,
            annual_km=v.annual_km,
            annual_fuel_l=v.annual_fuel_l,
            origins=origins_to_json(v.origins),
        )
        for i, v in enumerate(c.vehicles)
    ]
    if c.plans is not None:
        row.plans = PlansRow(
            electrification=list(c.plans.electrification),
            expansion=c.plans.expansion,
            notes=c.plans.notes,
            origins=origins_to_json(c.plans.origins),
        )
    if c.engagement is not None:
        g = c.engagement
        row.engagement = EngagementRow(
            bond_with_park=g.bond_with_park,
            bond_with_companies=g.bond_with_companies,
            interest=dict(g.interest),
            consent_share_data=g.consent_share_data,
            origins=origins_to_json(g.origins),
        )
    if c.contact is not None:
        row.contact = ContactRow(
            name=c.contact.name,
            email=c.contact.email,
            phone=c.contact.phone,
            origins=origins_to_json(c.contact.origins),
        )
    return row


# ---------------------------------------------------------------------------- rows -> domain


def row_to_park(row: ParkRow) -> Park:
    """The domain park of a row tree."""
    location = (
        Location(lat=row.lat, lon=row.lon) if row.lat is not None and row.lon is not None else None
    )
    organisation = None
    if row.organisation is not None:
        o = row.organisation
        organisation = Organisation(
            business_association=o.business_association,
            park_management=o.park_management,
            biz=o.biz,
            sustainability_group=o.sustainability_group,
            origins=origins_from_json(o.origins),
        )
    return Park(
        id=row.id,
        name=row.name,
        municipality=row.municipality,
        area_ha=row.area_ha,
        location=location,
        outline_geojson=row.outline_geojson,
        grid=GridAvailability(
            operator=row.grid_operator,
            substation=row.grid_substation,
            available_import_kw=row.grid_available_import_kw,
            available_export_kw=row.grid_available_export_kw,
            transport_rights=rights_from_json(row.grid_transport_rights),
            origins=origins_from_json(row.grid_origins),
        ),
        organisation=organisation,
        climate=part_from_json(ClimateAdaptation, row.climate),
        circularity=part_from_json(Circularity, row.circularity),
        companies=[row_to_company(c) for c in row.companies],
        illustrative=bool(row.illustrative),
        description=row.description,
        refdata_overrides=dict(row.refdata_overrides or {}),
        origins=origins_from_json(row.origins),
    )


def row_to_company(row: CompanyRow) -> Company:
    """The domain company of a row tree."""
    e = row.electricity
    electricity = (
        ElectricityUse(
            annual_kwh=e.annual_kwh,
            annual_feed_in_kwh=e.annual_feed_in_kwh,
            annual_produced_kwh=e.annual_produced_kwh,
            peak_kw=e.peak_kw,
            meter_data=e.meter_data,
            origins=origins_from_json(e.origins),
        )
        if e is not None
        else None
    )
    gas = (
        GasUse(annual_m3=row.gas.annual_m3, origins=origins_from_json(row.gas.origins))
        if row.gas is not None
        else None
    )
    g = row.engagement
    engagement = (
        Engagement(
            bond_with_park=g.bond_with_park,
            bond_with_companies=g.bond_with_companies,
            interest=dict(g.interest or {}),
            consent_share_data=g.consent_share_data,
            origins=origins_from_json(g.origins),
        )
        if g is not None
        else None
    )
    p = row.plans
    plans = (
        Plans(
            electrification=list(p.electrification or []),
            expansion=p.expansion,
            notes=p.notes,
            origins=origins_from_json(p.origins),
        )
        if p is not None
        else None
    )
    k = row.contact
    contact = (
        Contact(name=k.name, email=k.email, phone=k.phone, origins=origins_from_json(k.origins))
        if k is not None
        else None
    )
    return Company(
        id=row.id,
        name=row.name,
        kvk=row.kvk,
        sbi=row.sbi,
        employees=row.employees,
        floor_area_m2=row.floor_area_m2,
        office_area_m2=row.office_area_m2,
        operating_hours_class=row.operating_hours_class,
        address=row.address,
        postcode=row.postcode,
        electricity=electricity,
        gas=gas,
        connections=[
            Connection(
                ean=c.ean,
                kind=cast(Any, c.kind),
                carrier=cast(Any, c.carrier),
                fuse=c.fuse,
                contracted_kw=c.contracted_kw,
                contracted_feed_in_kw=c.contracted_feed_in_kw,
                physical_kva=c.physical_kva,
                grid_level=cast(Any, c.grid_level),
                origins=origins_from_json(c.origins),
            )
            for c in row.connections
        ],
        roofs=[
            Roof(
                area_m2=r.area_m2,
                usable_fraction=r.usable_fraction,
                tilt_deg=r.tilt_deg,
                azimuth_deg=r.azimuth_deg,
                existing_pv_kwp=r.existing_pv_kwp,
                bag_pand_id=r.bag_pand_id,
                id=r.id,
                origins=origins_from_json(r.origins),
            )
            for r in row.roofs
        ],
        vehicles=[
            Vehicle(
                kind=v.kind,
                count=v.count,
                fuel=v.fuel,
                annual_km=v.annual_km,
                annual_fuel_l=v.annual_fuel_l,
                origins=origins_from_json(v.origins),
            )
            for v in row.vehicles
        ],
        plans=plans,
        engagement=engagement,
        contact=contact,
        building_owner=cast(Any, row.building_owner),
        energy_label=row.energy_label,
        construction_year=row.construction_year,
        building_use=list(row.building_use or []),
        origins=origins_from_json(row.origins),
    )


# ---------------------------------------------------------------------------- queries

_COMPANY_PARTS = (
    CompanyRow.electricity,
    CompanyRow.gas,
    CompanyRow.connections,
    CompanyRow.roofs,
    CompanyRow.vehicles,
    CompanyRow.plans,
    CompanyRow.engagement,
    CompanyRow.contact,
)


def _park_query(park_id: str) -> Any:
    companies = selectinload(ParkRow.companies)
    return (
        select(ParkRow)
        .where(ParkRow.id == park_id)
        .options(
            selectinload(ParkRow.organisation),
            *(companies.selectinload(part) for part in _COMPANY_PARTS),
        )
    )


def get_park_row(session: Session, park_id: str) -> ParkRow | None:
    """The row of a park with all its parts loaded; ``None`` when there is none."""
    return cast(ParkRow | None, session.scalars(_park_query(park_id)).one_or_none())


def read_park(session: Session, park_id: str) -> Park | None:
    """The park with this id from the database; ``None`` when there is none."""
    row = get_park_row(session, park_id)
    if row is None:
        return None
    park = row_to_park(row)
    session.expunge(row)  # the rows are not needed; keeps the identity map free for writes
    return park


def add_park(session: Session, park: Park) -> ParkRow:
    """Insert a park with all its parts (flushed, not committed)."""
    row = park_to_row(park)
    session.add(row)
    session.flush()
    return row


_KEEP_ON_REPLACE = frozenset({"id", "created_at", "updated_at"})


def replace_park(session: Session, park: Park) -> ParkRow:
    """Overwrite an existing park in place (flushed, not committed).

    The park row stays (its ``created_at`` and the stored results that refer to it are
    kept); its fields, organisation and all companies are replaced by those of ``park``.
    """
    existing = session.get(ParkRow, park.id)
    if existing is None:
        raise KeyError(park.id)
    # delete first: the new companies reuse the ids, KvK numbers and EANs of the old ones
    session.execute(delete(CompanyRow).where(CompanyRow.park_id == park.id))
    session.execute(delete(OrganisationRow).where(OrganisationRow.park_id == park.id))
    session.flush()
    session.expire(existing)
    bare = park_to_row(dataclasses.replace(park, companies=[], organisation=None))
    for column in ParkRow.__table__.columns:
        if column.key not in _KEEP_ON_REPLACE:
            setattr(existing, column.key, getattr(bare, column.key))
    existing.updated_at = utcnow()
    if park.organisation is not None:
        o = park.organisation
        session.add(
            OrganisationRow(
                park_id=park.id,
                business_association=o.business_association,
                park_management=o.park_management,
                biz=o.biz,
                sustainability_group=o.sustainability_group,
                origins=origins_to_json(o.origins),
            )
        )
    session.add_all(company_to_row(c, park.id, i) for i, c in enumerate(park.companies))
    session.flush()
    return existing


def remove_park(session: Session, park_id: str) -> bool:
    """Delete a park and everything that belongs to it; ``False`` when there was none."""
    result = session.execute(delete(ParkRow).where(ParkRow.id == park_id))
    session.flush()
    session.expire_all()
    return bool(getattr(result, "rowcount", 0))


def park_exists(session: Session, park_id: str) -> bool:
    """Whether a park with this id is in the database."""
    return (
        session.scalar(select(func.count()).select_from(ParkRow).where(ParkRow.id == park_id)) != 0
    )


def park_ids(session: Session) -> list[str]:
    """The ids of all parks, sorted."""
    return list(session.scalars(select(ParkRow.id).order_by(ParkRow.id)))


# ---------------------------------------------------------------------------- audit log


def _audit_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def add_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None = None,
    park_id: str | None = None,
    field: str | None = None,
    old_value: Any = None,
    new_value: Any = None,
) -> AuditLogRow:
    """Record one change in the audit log (values other than text are stored as JSON)."""
    row = AuditLogRow(
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        park_id=park_id,
        field=field,
        old_value=_audit_text(old_value),
        new_value=_audit_text(new_value),
    )
    session.add(row)
    return row


def list_audit(
    session: Session, park_id: str | None = None, limit: int | None = None
) -> list[AuditLogRow]:
    """Audit log entries, oldest first; of one park when ``park_id`` is given."""
    query = select(AuditLogRow).order_by(AuditLogRow.id)
    if park_id is not None:
        query = query.where(AuditLogRow.park_id == park_id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


# ---------------------------------------------------------------------------- results


def save_result(
    session: Session,
    park_id: str,
    kind: str,
    payload: dict[str, Any],
    *,
    key: str = "",
    inputs_hash: str | None = None,
    refdata_version: str | None = None,
    code_version: str | None = None,
) -> ResultRow:
    """Store an analysis result with its provenance (flushed, not committed).

    Parameters
    ----------
    park_id
        The park the result belongs to (must exist).
    kind
        The analysis, e.g. ``baseline`` or ``simulation``.
    payload
        JSON-ready result.
    key
        Scenario or variant name.
    inputs_hash, refdata_version, code_version
        Provenance; ``code_version`` defaults to the installed parkplan version.
    """
    if code_version is None:
        from parkplan import __version__

        code_version = __version__
    row = ResultRow(
        park_id=park_id,
        kind=kind,
        key=key,
        created_at=utcnow(),
        inputs_hash=inputs_hash,
        refdata_version=refdata_version,
        code_version=code_version,
        payload=payload,
    )
    session.add(row)
    session.flush()
    return row


def latest_result(
    session: Session,
    park_id: str,
    kind: str,
    key: str = "",
    inputs_hash: str | None = None,
) -> ResultRow | None:
    """The newest stored result of this park, kind and key (and inputs, when given)."""
    query = select(ResultRow).where(
        ResultRow.park_id == park_id, ResultRow.kind == kind, ResultRow.key == key
    )
    if inputs_hash is not None:
        query = query.where(ResultRow.inputs_hash == inputs_hash)
    query = query.order_by(ResultRow.id.desc()).limit(1)
    return cast(ResultRow | None, session.scalars(query).first())


def list_results(session: Session, park_id: str, kind: str | None = None) -> list[ResultRow]:
    """The stored results of a park, oldest first (of one kind when given)."""
    query = select(ResultRow).where(ResultRow.park_id == park_id)
    if kind is not None:
        query = query.where(ResultRow.kind == kind)
    return list(session.scalars(query.order_by(ResultRow.id)))
