"""Database tables for follow-up: the roadmap's actions with status, KPI values per year
(with the plan's target) and news updates to the park's entrepreneurs.

Kept beside :mod:`parkplan.store.tables` (same ``Base``); removed with their park.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parkplan.store.tables import Base, UTCDateTime, utcnow


class ActionRow(Base):
    """One action of a park's roadmap and how far it is."""

    __tablename__ = "roadmap_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(30))
    """A phase of :data:`parkplan.plan.implementation_plan.PHASES`."""
    owner: Mapped[str | None] = mapped_column(String(100))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    """``open``, ``busy``, ``done`` or ``stopped``."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class KpiValueRow(Base):
    """The value of one key performance indicator in one year, with the plan's target."""

    __tablename__ = "kpi_value"
    __table_args__ = (UniqueConstraint("park_id", "kpi", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    kpi: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(200))


class NewsRow(Base):
    """A news update to the park's entrepreneurs."""

    __tablename__ = "park_news"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(254))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
