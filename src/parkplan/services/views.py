"""Read models for pages: what a page shows, read without loading a whole park.

The park dashboard and the company page are the most visited pages; loading a park of 150
companies takes a few hundred milliseconds, so these functions read only what is shown:
the park's own row with counts, one company, and the baseline as a STORED result
(:func:`parkplan.store.repository.save_result`, kind ``baseline``) that is recomputed only
when the park changed (a change is any audited write to the park) or the reference data or
code version differ.

Per visit the dashboard asks the database one question (:func:`park_fingerprint`: the
park's last change, its row's time and its number of companies); the park's own fields and
the stored baseline are kept in memory by that fingerprint. A read of a company's data is
audited; the web pages hand the entry to a :class:`ReadAuditWriter`, which writes it right
after the answer in a batch with other reads (:meth:`ReadAuditWriter.flush` waits for it).
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import hashlib
import logging
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, insert, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from parkplan.domain.access import Principal, can_view_company
from parkplan.domain.errors import NotFoundError
from parkplan.domain.model import Company
from parkplan.services.companies import AccessDeniedError
from parkplan.services.parks import audit_access
from parkplan.store import repository
from parkplan.store.accounts import AUDIT_CHANGE_CONDITION
from parkplan.store.db import session_scope
from parkplan.store.tables import AuditLogRow, CompanyRow, ElectricityUseRow, ParkRow, utcnow

log = logging.getLogger(__name__)

BASELINE_KIND = "baseline"
_ONE = (
    CompanyRow.electricity,
    CompanyRow.gas,
    CompanyRow.plans,
    CompanyRow.engagement,
    CompanyRow.contact,
)
"""One-to-one parts: joined into the company's own query."""
_FEW = (CompanyRow.connections, CompanyRow.vehicles)
"""Short lists (a few grid connections, a few kinds of vehicle): joined as well; their rows
multiply, so only these two."""
_MANY = (CompanyRow.roofs,)
"""Lists that can be long (a building per roof): a query of their own."""

# Statements built once (building one costs more than running it); parameters by name.
_COMPANY = (
    select(CompanyRow)
    .where(CompanyRow.park_id == bindparam("park_id"), CompanyRow.id == bindparam("company_id"))
    .options(
        *(joinedload(p) for p in (*_ONE, *_FEW)),
        *(selectinload(p) for p in _MANY),
    )
)
_OTHERS = aliased(CompanyRow)
_PARK_UPDATED = select(ParkRow.updated_at).where(ParkRow.id == bindparam("park_id"))
_PARK_COUNT = (
    select(func.count()).select_from(_OTHERS).where(_OTHERS.park_id == bindparam("park_id"))
)
_LAST_CHANGE = select(func.max(AuditLogRow.id)).where(
    AuditLogRow.park_id == bindparam("park_id"), text(AUDIT_CHANGE_CONDITION)
)
_FINGERPRINT = select(
    _LAST_CHANGE.scalar_subquery(),
    _PARK_UPDATED.scalar_subquery(),
    _PARK_COUNT.scalar_subquery(),
)
_COMPANY_PAGE = _COMPANY.add_columns(_PARK_UPDATED.scalar_subquery(), _PARK_COUNT.scalar_subquery())


@dataclass(frozen=True)
class ParkHeader:
    """What the top of a park page shows (no company data)."""

    id: str
    name: str
    municipality: str | None
    area_ha: float | None
    """Area of the park. [ha]"""
    illustrative: bool
    available_import_kw: float | None
    """Grid capacity available for offtake. [kW]"""
    company_count: int
    """Companies on the park. [-]"""


def park_header(session: Session, park_id: str) -> ParkHeader:
    """The park's own fields and its number of companies (``NotFoundError`` when unknown)."""
    return _header_and_fingerprint(session, park_id)[0]


class _Memo:
    """A small thread-safe LRU map (per process) for values keyed by a fingerprint."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_headers = _Memo(256)
"""Park rows as :class:`ParkHeader` (without the count), by database, park and row time."""
_baselines = _Memo(64)
"""Stored baseline payloads, by database, park, key and inputs hash."""
_park_maps = _Memo(64)
"""Park maps (SVG), by database, park, fingerprint, language and whether names are shown."""


def _database_key(session: Session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)


def fingerprint_query(park_id: str) -> Select[tuple[int | None, datetime | None, int]]:
    """One row: the park's last audited change (id), its row's time, its companies.

    The first uses the partial index ``ix_audit_log_park_change`` (reads left out).
    """
    return _FINGERPRINT.params(park_id=park_id)


def _header_and_fingerprint(session: Session, park_id: str) -> tuple[ParkHeader, str]:
    """The park's header and its fingerprint, with one query when the park row is known."""
    last_id, updated_at, n = session.execute(_FINGERPRINT, {"park_id": park_id}).one()
    header = _header(session, park_id, updated_at, n)
    stamp = updated_at.isoformat() if updated_at else ""
    return header, f"{last_id or 0}|{stamp}"


def _header(
    session: Session, park_id: str, updated_at: datetime | None, count: int | None
) -> ParkHeader:
    """The header from memory when the park row's time is unchanged, else from the row."""
    key = (_database_key(session), park_id, updated_at.isoformat() if updated_at else "")
    header = _headers.get(key) if updated_at is not None else None
    if header is None:
        row = session.get(ParkRow, park_id)
        if row is None:
            raise NotFoundError(
                f"Park '{park_id}' bestaat niet.", f"Park '{park_id}' does not exist."
            )
        header = ParkHeader(
            row.id,
            row.name,
            row.municipality,
            row.area_ha,
            bool(row.illustrative),
            row.grid_available_import_kw,
            0,
        )
        if updated_at is not None:
            _headers.put(key, header)
    return dataclasses.replace(header, company_count=int(count or 0))


def has_company(session: Session, park_id: str, company_id: str) -> bool:
    """Whether the park has a company with this id."""
    return (
        session.scalar(
            select(CompanyRow.pk).where(CompanyRow.park_id == park_id, CompanyRow.id == company_id)
        )
        is not None
    )


def read_one_company(
    session: Session,
    who: Principal,
    park_id: str,
    company_id: str,
    *,
    audit: ReadAuditWriter | None = None,
) -> Company:
    """One company's full data when ``who`` may see it; the read is audited.

    Same rules and answers as :func:`parkplan.services.companies.read_company`, reading
    only this company's rows. The audit entry is written here (:func:`audit_read`), or,
    with ``audit``, handed to that writer before the data are returned (written after the
    answer, see :class:`ReadAuditWriter`).
    """
    params = {"park_id": park_id, "company_id": company_id}
    row = session.execute(_COMPANY, params).unique().scalar_one_or_none()
    return _visible_company(session, who, park_id, company_id, row=row, audit=audit)


def read_company_page(
    session: Session,
    who: Principal,
    park_id: str,
    company_id: str,
    *,
    audit: ReadAuditWriter | None = None,
) -> tuple[ParkHeader, Company]:
    """:func:`park_header` and :func:`read_one_company` (same rules), in one query.

    The park row's time and the number of companies come with the company's own query;
    the header itself from memory while the park row is unchanged.
    """
    params = {"park_id": park_id, "company_id": company_id}
    found = session.execute(_COMPANY_PAGE, params).unique().one_or_none()
    row, updated_at, n = found if found is not None else (None, None, None)
    company = _visible_company(session, who, park_id, company_id, row=row, audit=audit)
    return _header(session, park_id, updated_at, n), company


def _visible_company(
    session: Session,
    who: Principal,
    park_id: str,
    company_id: str,
    *,
    row: CompanyRow | None,
    audit: ReadAuditWriter | None,
) -> Company:
    if row is None:
        if session.get(ParkRow, park_id) is None:
            raise NotFoundError(
                f"Park '{park_id}' bestaat niet.", f"Park '{park_id}' does not exist."
            )
        raise NotFoundError(
            f"Bedrijf '{company_id}' bestaat niet in park '{park_id}'.",
            f"Company '{company_id}' does not exist in park '{park_id}'.",
        )
    company = repository.row_to_company(row)
    consented = bool(company.engagement and company.engagement.consent_share_data)
    if not can_view_company(who, park_id, company_id, consented=consented):
        raise AccessDeniedError(
            "U heeft geen toegang tot de gegevens van dit bedrijf.",
            "You do not have access to this company's data.",
        )
    if audit is None:
        audit_read(session, who, park_id, company_id)
    else:
        audit.record(who, park_id, company_id)
    return company


def audit_read(session: Session, who: Principal, park_id: str, company_id: str) -> None:
    """Audit a read of a company's data now, in a short transaction of its own."""
    audit_access(session, who.email, park_id, "company", company_id)


class ReadAuditWriter:
    """Audit entries of reads of one database, queued and written in batches.

    :meth:`record` only queues the entry (with the time of the read), so a page does not
    wait for the database's write lock; :meth:`drain` writes everything queued in one short
    transaction (one ``INSERT`` for the batch). The web app drains right after sending the
    answer of a page that recorded a read (a background task of that request), so the
    entry is normally in the database within milliseconds; under load one drain writes the
    reads of many requests at once, and the others have nothing left to do. A batch that
    cannot be written (database locked past the busy timeout) stays queued, in order, for
    the next drain. :meth:`flush` waits until every entry recorded before it is written;
    :meth:`close` flushes and is called at shutdown (and at interpreter exit). Entries still
    queued when the process is killed are lost: at most the reads of the last moments.

    Parameters
    ----------
    database_url
        SQLAlchemy URL of the database to write to.
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        """Signalled whenever a drain ends or wrote a batch."""
        self._recorded = 0
        self._written = 0
        self._draining = False
        self._closed = False
        ref = weakref.ref(self)
        atexit.register(lambda: (w := ref()) is not None and w.close())

    def record(self, who: Principal, park_id: str, company_id: str) -> None:
        """Queue the audit entry of ``who`` reading a company's data (now)."""
        entry = {
            "at": utcnow(),
            "actor": who.email,
            "action": "read",
            "entity": "company",
            "entity_id": company_id,
            "park_id": park_id,
        }
        with self._lock:
            self._pending.append(entry)
            self._recorded += 1
            closed = self._closed
        if closed:
            self.drain()  # after close: write it here and now

    @property
    def pending(self) -> int:
        """Entries recorded but not yet written. [-]"""
        with self._lock:
            return self._recorded - self._written

    def needs_drain(self) -> bool:
        """Whether entries wait and nobody is writing them (a hint: no lock taken)."""
        return bool(self._pending) and not self._draining

    def drain(self) -> None:
        """Write everything queued, also what is recorded meanwhile.

        Returns at once when another thread is draining: that one writes these entries
        too. Raises the database's error when a batch cannot be written (it stays queued).
        """
        with self._lock:
            if self._draining or not self._pending:
                return
            self._draining = True
        batch: list[dict[str, Any]] = []
        try:
            while True:
                with self._lock:
                    batch, self._pending = self._pending, []
                    if not batch:  # done: in the same step, so no entry is left behind
                        self._draining = False
                        self._done.notify_all()
                        return
                self._write(batch)
                with self._lock:
                    self._written += len(batch)
                    batch = []
                    self._done.notify_all()
        except BaseException:
            with self._lock:
                self._pending[:0] = batch  # not written: first in line for the next drain
                self._draining = False
                self._done.notify_all()
            raise

    def drain_logged(self) -> None:
        """:meth:`drain`, logging instead of raising (for after the answer was sent)."""
        try:
            self.drain()
        except Exception:
            log.exception("audit entries of reads stay queued; the next drain retries")

    def flush(self, timeout_s: float | None = None) -> bool:
        """Write (or wait for) every entry recorded so far; ``False`` on timeout.

        Parameters
        ----------
        timeout_s
            Longest wait for another thread's drain; ``None`` waits as long as it takes. [s]
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with self._lock:
            target = self._recorded
        while True:
            self.drain()
            with self._lock:
                if self._written >= target:
                    return True
                if self._draining:  # another thread writes: wait for it to finish
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        return False
                    self._done.wait(left)

    def close(self, timeout_s: float = 30.0) -> None:
        """Write what is queued (waiting at most ``timeout_s`` for another drain). [s]"""
        with self._lock:
            self._closed = True
        try:
            done = self.flush(timeout_s)
        except Exception:
            log.exception("audit entries of reads could not be written at shutdown")
            done = False
        if not done:
            log.error("%d audit entries of reads were not written to the database", self.pending)

    def _write(self, batch: list[dict[str, Any]]) -> None:
        with session_scope(self.database_url) as session:
            if session.get_bind().dialect.name == "sqlite":
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            session.execute(insert(AuditLogRow), batch)


def park_fingerprint(session: Session, park_id: str) -> str:
    """Changes when the park's data change: the last audited write, the park row's time.

    ``NotFoundError`` for an unknown park.
    """
    return _header_and_fingerprint(session, park_id)[1]


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[str, str]:
    """(reference data version, code version): fixed while the process runs."""
    from parkplan.refdata import load_refdata
    from parkplan.services.simulate import code_version

    return load_refdata().version, code_version()


def park_header_and_baseline(
    session: Session, park_id: str, lang: str = "nl", *, aggregates_only: bool = False
) -> tuple[ParkHeader, dict[str, Any]]:
    """:func:`park_header` and :func:`stored_baseline` together (one fingerprint query)."""
    header, fingerprint = _header_and_fingerprint(session, park_id)
    baseline = stored_baseline(
        session, park_id, lang, aggregates_only=aggregates_only, _fingerprint=fingerprint
    )
    return header, baseline


def stored_baseline(
    session: Session,
    park_id: str,
    lang: str = "nl",
    *,
    aggregates_only: bool = False,
    _fingerprint: str | None = None,
) -> dict[str, Any]:
    """The park's baseline, stored with provenance.

    Read from the results table when the park, the reference data and the code are
    unchanged; else computed with :func:`parkplan.services.assess.compute_baseline` and
    stored (kind ``baseline``, key ``web:<lang>``, or ``dashboard:<lang>`` for the
    aggregates only: park and sector totals, without companies and reference values).
    The payload is also kept in memory by the same provenance (database, park, key, hash
    of fingerprint and versions). Returns a copy the caller may change at the top level.
    """
    refdata_version, code = _versions()
    fingerprint = _fingerprint or park_fingerprint(session, park_id)
    text_ = f"{fingerprint}|{refdata_version}|{code}"
    inputs = hashlib.sha256(text_.encode()).hexdigest()
    key = f"{'dashboard' if aggregates_only else 'web'}:{'en' if lang == 'en' else 'nl'}"
    memo_key = (_database_key(session), park_id, key, inputs)
    payload: dict[str, Any] | None = _baselines.get(memo_key)
    if payload is not None:
        return dict(payload)
    row = repository.latest_result(session, park_id, BASELINE_KIND, key, inputs_hash=inputs)
    if row is not None:
        _baselines.put(memo_key, dict(row.payload))
        return dict(row.payload)
    from parkplan.services.assess import baseline_to_dict, compute_baseline
    from parkplan.services.parks import get_park

    park = get_park(session, park_id)
    base, refdata = compute_baseline(park)
    payload = baseline_to_dict(base, park, refdata, lang)
    if aggregates_only:
        payload = {k: v for k, v in payload.items() if k not in ("companies", "refdata_used")}
    # store it in a transaction that starts with the write (see audit_read); the stored
    # result is a cache: when another request holds the database too long, serve it anyway
    session.commit()
    try:
        repository.save_result(
            session,
            park_id,
            BASELINE_KIND,
            payload,
            key=key,
            inputs_hash=inputs,
            refdata_version=refdata.version,
            code_version=code,
        )
        session.commit()
    except OperationalError:
        session.rollback()
    return payload


_MAP_COMPANIES = (
    select(CompanyRow.id, CompanyRow.name, ElectricityUseRow.annual_kwh)
    .outerjoin(ElectricityUseRow, ElectricityUseRow.company_pk == CompanyRow.pk)
    .where(CompanyRow.park_id == bindparam("park_id"))
    .order_by(CompanyRow.position)
)
_MAP_PARK = select(ParkRow.name, ParkRow.lat, ParkRow.lon, ParkRow.outline_geojson).where(
    ParkRow.id == bindparam("park_id")
)


def park_map(
    session: Session,
    park_id: str,
    lang: str = "nl",
    *,
    named: bool,
    _fingerprint: str | None = None,
) -> str | None:
    """The park's offline map (SVG, :func:`parkplan.reports.maps.park_map_svg`): its
    outline and its companies, or ``None`` when the park has no outline and no location.

    ``named`` (the viewer may see the company list): points sized by electricity use, with
    the companies' names; otherwise the outline and plain points only, without names or
    figures. Kept in memory by the park's fingerprint, like the baseline.
    """
    from parkplan.reports.maps import CompanyPoint, park_map_svg

    fingerprint = _fingerprint or park_fingerprint(session, park_id)
    lang = "en" if lang == "en" else "nl"
    memo_key = (_database_key(session), park_id, fingerprint, lang, named)
    cached: tuple[str | None] | None = _park_maps.get(memo_key)
    if cached is not None:
        return cached[0]
    name, lat, lon, outline = session.execute(_MAP_PARK, {"park_id": park_id}).one()
    points = [
        CompanyPoint(cid, cname if named else None, kwh if named else None)
        for cid, cname, kwh in session.execute(_MAP_COMPANIES, {"park_id": park_id})
    ]
    title = f"Kaart van {name}" if lang == "nl" else f"Map of {name}"
    svg = park_map_svg(
        points,
        outline=outline,
        location=(lat, lon) if lat is not None and lon is not None else None,
        title=title,
        lang=lang,
    )
    _park_maps.put(memo_key, (svg,))
    return svg


def park_dashboard_parts(
    session: Session, park_id: str, lang: str = "nl", *, named: bool
) -> tuple[ParkHeader, dict[str, Any], str | None]:
    """Header, aggregate baseline and map of the park dashboard (one fingerprint query)."""
    header, fingerprint = _header_and_fingerprint(session, park_id)
    baseline = stored_baseline(
        session, park_id, lang, aggregates_only=True, _fingerprint=fingerprint
    )
    return header, baseline, park_map(session, park_id, lang, named=named, _fingerprint=fingerprint)
