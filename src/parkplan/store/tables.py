"""Database tables (SQLAlchemy 2, typed declarative) for the park domain model.

One table per entity of :mod:`parkplan.domain.model`. The numbers people query and edit are
relational columns with the unit in the name; every row keeps the per-field origins of its
entity as JSON (``origins``: field name -> :class:`~parkplan.domain.model.Origin` value).

Companies, connections, roofs and vehicles have an integer surrogate key (``pk``); the ids
people use (park id, company id, EAN, KvK) are unique within a park. Child rows keep their
order in ``position`` so a park round-trips exactly.

Changes to this module need a new Alembic migration in ``migrations/versions`` (a test
compares the migrated schema with these tables).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the zone (``timestamp with time zone``); SQLite stores text without
    it, so values are converted to UTC on the way in and marked UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


def _origins() -> Mapped[dict[str, Any]]:
    return mapped_column(JSON, nullable=False, default=dict)


class ParkRow(Base):
    """A business park, with the grid operator's offer as columns."""

    __tablename__ = "park"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    municipality: Mapped[str | None] = mapped_column(String(100))
    area_ha: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    outline_geojson: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    refdata_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    grid_operator: Mapped[str | None] = mapped_column(String(100))
    grid_substation: Mapped[str | None] = mapped_column(String(100))
    grid_available_import_kw: Mapped[float | None] = mapped_column(Float)
    grid_available_export_kw: Mapped[float | None] = mapped_column(Float)
    grid_origins: Mapped[dict[str, Any]] = _origins()
    grid_transport_rights: Mapped[list[Any] | None] = mapped_column(JSON)
    """Time-block transport rights: ``[{company, default_kw, blocks}]`` (NULL: none)."""
    climate: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Climate adaptation and greening: field -> value, plus ``origins`` (NULL: unknown)."""
    circularity: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Circularity: field -> value, plus ``origins`` (NULL: unknown)."""
    origins: Mapped[dict[str, Any]] = _origins()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[OrganisationRow | None] = relationship(
        back_populates="park", cascade="all, delete-orphan", passive_deletes=True
    )
    companies: Mapped[list[CompanyRow]] = relationship(
        back_populates="park",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CompanyRow.position",
    )


class OrganisationRow(Base):
    """How organised a park is (absent row: unknown)."""

    __tablename__ = "organisation"

    park_id: Mapped[str] = mapped_column(
        ForeignKey("park.id", ondelete="CASCADE"), primary_key=True
    )
    business_association: Mapped[bool | None] = mapped_column(Boolean)
    park_management: Mapped[bool | None] = mapped_column(Boolean)
    biz: Mapped[bool | None] = mapped_column(Boolean)
    sustainability_group: Mapped[bool | None] = mapped_column(Boolean)
    origins: Mapped[dict[str, Any]] = _origins()

    park: Mapped[ParkRow] = relationship(back_populates="organisation")


class CompanyRow(Base):
    """A company (vestiging) on a park; ``id`` and ``kvk`` are unique within the park."""

    __tablename__ = "company"
    __table_args__ = (
        UniqueConstraint("park_id", "id"),
        UniqueConstraint("park_id", "kvk"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    kvk: Mapped[str | None] = mapped_column(String(20))
    sbi: Mapped[str | None] = mapped_column(String(20))
    employees: Mapped[int | None] = mapped_column(Integer)
    floor_area_m2: Mapped[float | None] = mapped_column(Float)
    office_area_m2: Mapped[float | None] = mapped_column(Float)
    operating_hours_class: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(20))
    building_owner: Mapped[str | None] = mapped_column(String(20))
    energy_label: Mapped[str | None] = mapped_column(String(10))
    construction_year: Mapped[int | None] = mapped_column(Integer)
    building_use: Mapped[list[Any] | None] = mapped_column(JSON)
    """BAG uses (gebruiksdoelen) as a JSON list (NULL: unknown)."""
    origins: Mapped[dict[str, Any]] = _origins()

    park: Mapped[ParkRow] = relationship(back_populates="companies")
    electricity: Mapped[ElectricityUseRow | None] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
    gas: Mapped[GasUseRow | None] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
    connections: Mapped[list[ConnectionRow]] = relationship(
        back_populates="company",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ConnectionRow.position",
    )
    roofs: Mapped[list[RoofRow]] = relationship(
        back_populates="company",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RoofRow.position",
    )
    vehicles: Mapped[list[VehicleRow]] = relationship(
        back_populates="company",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="VehicleRow.position",
    )
    plans: Mapped[PlansRow | None] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
    engagement: Mapped[EngagementRow | None] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )
    contact: Mapped[ContactRow | None] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )


def _company_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("company.pk", ondelete="CASCADE"), primary_key=True)


class ElectricityUseRow(Base):
    """Annual electricity figures of a company (at most one row per company)."""

    __tablename__ = "electricity_use"

    company_pk: Mapped[int] = _company_fk()
    annual_kwh: Mapped[float] = mapped_column(Float)
    annual_feed_in_kwh: Mapped[float] = mapped_column(Float, default=0.0)
    annual_produced_kwh: Mapped[float | None] = mapped_column(Float)
    peak_kw: Mapped[float | None] = mapped_column(Float)
    meter_data: Mapped[str | None] = mapped_column(Text)
    origins: Mapped[dict[str, Any]] = _origins()

    company: Mapped[CompanyRow] = relationship(back_populates="electricity")


class GasUseRow(Base):
    """Annual natural gas use of a company (at most one row per company)."""

    __tablename__ = "gas_use"

    company_pk: Mapped[int] = _company_fk()
    annual_m3: Mapped[float] = mapped_column(Float)
    origins: Mapped[dict[str, Any]] = _origins()

    company: Mapped[CompanyRow] = relationship(back_populates="gas")


class ConnectionRow(Base):
    """A grid connection; the EAN is unique within the park."""

    __tablename__ = "connection"
    __table_args__ = (UniqueConstraint("park_id", "ean"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    company_pk: Mapped[int] = mapped_column(
        ForeignKey("company.pk", ondelete="CASCADE"), index=True
    )
    park_id: Mapped[str] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ean: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    carrier: Mapped[str] = mapped_column(String(20), default="electricity")
    fuse: Mapped[str | None] = mapped_column(String(40))
    contracted_kw: Mapped[float | None] = mapped_column(Float)
    contracted_feed_in_kw: Mapped[float | None] = mapped_column(Float)
    physical_kva: Mapped[float | None] = mapped_column(Float)
    grid_level: Mapped[str | None] = mapped_column(String(20))
    origins: Mapped[dict[str, Any]] = _origins()

    company: Mapped[CompanyRow] = relationship(back_populates="connections")


class RoofRow(Base):
    """One roof face of a company's building."""

    __tablename__ = "roof"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    company_pk: Mapped[int] = mapped_column(
        ForeignKey("company.pk", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    id: Mapped[str | None] = mapped_column(String(100))
    area_m2: Mapped[float] = mapped_column(Float)
    usable_fraction: Mapped[float] = mapped_column(Float)
    tilt_deg: Mapped[float] = mapped_column(Float)
    azimuth_deg: Mapped[float] = mapped_column(Float)
    existing_pv_kwp: Mapped[float] = mapped_column(Float)
    bag_pand_id: Mapped[str | None] = mapped_column(String(40))
    origins: Mapped[dict[str, Any]] = _origins()

    company: Mapped[CompanyRow] = relationship(back_populates="roofs")


class VehicleRow(Base):
    """A group of vehicles of one type."""

    __tablename__ = "vehicle"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    company_pk: Mapped[int] = mapped_column(
        ForeignKey("company.pk", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(50))
    count: Mapped[int] = mapped_column(Integer)
    fuel: Mapped[str] = mapped_column(String(50))
    annual_km: Mapped[float | None] = mapped_column(Float)
    annual_fuel_l: Mapped[float | None] = mapped_column(Float)
    origins: Mapped[dict[str, Any]] = _origins()

    company: Mapped[CompanyRow] = relationship(back_populates="vehicles")


class PlansRow(Base):
    """A company's plans (electrification, expansion)."""

    __tablename__ = "plans"

    company_pk: Mapped[int] = _company_fk()
    electrification: Mapped[list[Any]] = mapped_column(JSON, default=list)
    expansion: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    origins: Mapped[dict[str, Any]] = _origins()

    company: Mapped[CompanyRow] = relationship(back_populates="plans")


class EngagementRow(Base):
    """Answers to the engagement survey."""

    __tablename__ = "engagement"

    company_pk: Mapped[int] = _company_fk()
    bond_with_park: Mapped[int | None] = mapped_column(Integer)
    bond_with_companies: Mapped[int | None] = mapped_column(Integer)
    interest: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consent_share_data: Mapped[bool | None] = mapped_column(Boolean)
    origins: Mapped[dict[str, Any]] = _origins()

    company: Mapped[CompanyRow] = relationship(back_populates="engagement")


class ContactRow(Base):
    """A company's contact person (personal data)."""

    __tablename__ = "contact"

    company_pk: Mapped[int] = _company_fk()
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    origins: Mapped[dict[str, Any]] = _origins()

    company: Mapped[CompanyRow] = relationship(back_populates="contact")


class ResultRow(Base):
    """A stored analysis result with its provenance.

    ``kind`` names the analysis (``baseline``, ``simulation``, ``quickscan`` ...), ``key``
    the scenario or variant. ``inputs_hash`` identifies the inputs, ``refdata_version`` and
    ``code_version`` the reference data and parkplan version used; ``payload`` is JSON.
    """

    __tablename__ = "result"
    __table_args__ = (Index("ix_result_park_id_kind_key", "park_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    key: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    inputs_hash: Mapped[str | None] = mapped_column(String(128))
    refdata_version: Mapped[str | None] = mapped_column(String(100))
    code_version: Mapped[str | None] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditLogRow(Base):
    """One change made through the services: who, when, what, old and new value.

    Not tied to the park by a foreign key, so the log survives deletions.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    """``create``, ``update``, ``delete`` or ``replace``."""
    park_id: Mapped[str | None] = mapped_column(String(100), index=True)
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(200))
    field: Mapped[str | None] = mapped_column(String(200))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


# Account tables live in their own module but share this metadata (migrations compare all).
from parkplan.store import accounts as _accounts  # noqa: E402, F401
from parkplan.store import followup as _followup  # noqa: E402, F401
