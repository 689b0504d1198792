"""Tariffs and the annual electricity bill of one connection, and group transport (GTO).

Three things are kept apart (Tarievencode Elektriciteit):

- the **grid level** a connection is physically on (``Connection.grid_level``);
- its individual **tariff category**, from the contracted transport capacity and the
  operator's category boundaries for that year (:func:`tariff_category`);
- the category of a **group** under a group transport agreement (GTO): the highest grid level
  among its members' categories (art. 3.7.2a, :func:`group_category`).

Every figure comes from :class:`parkplan.refdata.RefData` (so each is recorded in
``refdata.used()``). A figure that is not published for the year makes its bill line
*unknown*: the line says so and is left out of the known total, never guessed.

Sign convention: costs are positive, revenue (feed-in compensation, tax reduction) negative.
All series are energy per interval [kWh]; a power is energy / interval length [kW].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import GRID_LEVELS, Connection
from parkplan.refdata.loader import RefDataError, UnknownValueError

if TYPE_CHECKING:
    from parkplan.refdata.loader import RefData, RefValue

FloatArray = NDArray[np.float64]
LOCAL_TZ = "Europe/Amsterdam"
"""Time zone of the billing calendar (months for kWmax and monthly charges)."""
Carrier = Literal["electricity", "gas"]

CATEGORY_SLUG: dict[str, str] = {
    "LS": "ls",
    "MS/LS": "ms_ls",
    "MS": "ms",
    "HS/MS": "hs_ms",
    "HS": "hs",
}
"""Tariff category code -> the part of the refdata key (``grid_tariff.<op>.<slug>.*``)."""
BOUNDED_CATEGORIES: tuple[str, ...] = ("LS", "MS/LS", "MS")
"""Categories chosen by contracted capacity; above the MS bound the grid level decides."""
TRANSPORT_COMPONENTS: tuple[str, ...] = (
    "fixed_eur_per_month",
    "kw_contract_eur_per_kw_month",
    "kw_max_eur_per_kw_month",
    "kwh_eur_per_kwh",
)


class TariffError(ParkplanError):
    """Inputs to a tariff calculation are invalid (Dutch and English message)."""


def _slug(operator: str) -> str:
    return operator.strip().lower().replace(" ", "_")


# --------------------------------------------------------------------------------------
# categories
# --------------------------------------------------------------------------------------


def level_rank(category: str) -> int:
    """Position of a grid level / tariff category from low (LS) to high (HS)."""
    try:
        return GRID_LEVELS.index(category)
    except ValueError:
        raise TariffError(
            f"onbekend netvlak/tariefcategorie {category!r}; verwacht een van {GRID_LEVELS}",
            f"unknown grid level / tariff category {category!r}; expected one of {GRID_LEVELS}",
        ) from None


def category_bounds_kw(
    operator: str, year: int, refdata: RefData, *, fallback_operator: str | None = None
) -> dict[str, float]:
    """The operator's upper bounds of the capacity-based categories for ``year``. [kW]

    With ``fallback_operator``, unknown bounds are taken from that operator instead (as the
    tariffs are, see :func:`grid_tariff`). Raises :class:`UnknownValueError` when the bounds
    are not known (and the fallback's are not either).
    """
    op = _slug(operator)
    try:
        return {
            cat: refdata.value(f"grid_category.{op}.{CATEGORY_SLUG[cat]}.max_kw", year)
            for cat in BOUNDED_CATEGORIES
        }
    except UnknownValueError:
        if not fallback_operator or _slug(fallback_operator) == op:
            raise
        return category_bounds_kw(fallback_operator, year, refdata)


def tariff_category(
    contracted_kw: float,
    operator: str,
    year: int,
    refdata: RefData,
    grid_level: str | None = None,
    *,
    fallback_operator: str | None = None,
) -> str:
    """The individual tariff category of a grootverbruik connection.

    Parameters
    ----------
    contracted_kw
        Contracted transport capacity for offtake (GTV). [kW]
    operator
        Grid operator, e.g. ``stedin``, ``enexis``, ``rendo``.
    year
        Tariff year.
    refdata
        Reference data (``grid_category.<operator>.<category>.max_kw``).
    grid_level
        The grid level the connection is on; decides the category above the MS bound
        (e.g. 1,500 kW).
    fallback_operator
        Take the category bounds from this operator when ``operator``'s are unknown.

    Returns
    -------
    str
        ``LS``, ``MS/LS``, ``MS`` or, above the MS bound, the grid level.
    """
    if not np.isfinite(contracted_kw) or contracted_kw < 0:
        raise TariffError(
            f"gecontracteerd vermogen moet >= 0 kW zijn (gevonden: {contracted_kw})",
            f"contracted capacity must be >= 0 kW (found: {contracted_kw})",
        )
    bounds = category_bounds_kw(operator, year, refdata, fallback_operator=fallback_operator)
    for cat in BOUNDED_CATEGORIES:
        if contracted_kw <= bounds[cat]:
            return cat
    if grid_level is None:
        raise TariffError(
            f"boven {bounds['MS']:g} kW bepaalt het netvlak de tariefcategorie; geef "
            f"connection.grid_level op",
            f"above {bounds['MS']:g} kW the grid level decides the tariff category; give "
            f"connection.grid_level",
        )
    if level_rank(grid_level) < level_rank("MS"):
        raise TariffError(
            f"{contracted_kw:g} kW op netvlak {grid_level} is niet mogelijk (boven "
            f"{bounds['MS']:g} kW)",
            f"{contracted_kw:g} kW on grid level {grid_level} is not possible (above "
            f"{bounds['MS']:g} kW)",
        )
    return grid_level


def group_category(member_categories: Sequence[str]) -> str:
    """Tariff category of a GTO group: the highest grid level among its members (art. 3.7.2a)."""
    if not member_categories:
        raise TariffError("een groep heeft minstens één lid", "a group needs at least one member")
    return max(member_categories, key=level_rank)


# --------------------------------------------------------------------------------------
# energy tax
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxBracket:
    """One energy-tax bracket: ``rate`` applies to use above the previous ``upper``."""

    upper: float
    """Cumulative upper bound of the bracket (inf for the last one). [kWh or m3]"""
    rate: float | None
    """Tax per unit, ``None`` when not published for the year. [EUR/kWh or EUR/m3]"""
    key: str = ""


def energy_tax_brackets(carrier: Carrier, year: int, refdata: RefData) -> list[TaxBracket]:
    """The energy-tax brackets for ``carrier`` in ``year`` from the reference data."""
    unit = "kwh" if carrier == "electricity" else "m3"
    out: list[TaxBracket] = []
    for b in (1, 2, 3, 4):
        rate_key = f"energy_tax.{carrier}.b{b}.eur_per_{unit}"
        rv = refdata.lookup(rate_key, year)
        upper_key = f"energy_tax.{carrier}.b{b}.upper_{unit}"
        upper = refdata.value(upper_key) if upper_key in refdata else float("inf")
        out.append(TaxBracket(upper=upper, rate=rv.value if rv.known else None, key=rate_key))
    return out


def energy_tax_by_bracket(
    annual_amount: float, brackets: Sequence[TaxBracket | tuple[float, float | None]]
) -> list[tuple[float, float | None]]:
    """Energy tax split by bracket.

    Parameters
    ----------
    annual_amount
        Taxable annual use. [kWh or m3]
    brackets
        Cumulative brackets, ascending: ``(upper, rate)`` pairs or :class:`TaxBracket`;
        the last upper is ``inf``. A rate ``None`` means unknown.

    Returns
    -------
    list of (amount_in_bracket, tax_eur)
        ``tax_eur`` is ``None`` when the rate is unknown and use reaches the bracket.
    """
    if not np.isfinite(annual_amount) or annual_amount < 0:
        raise TariffError(
            f"jaarverbruik moet >= 0 zijn (gevonden: {annual_amount})",
            f"annual use must be >= 0 (found: {annual_amount})",
        )
    lower = 0.0
    out: list[tuple[float, float | None]] = []
    for br in brackets:
        upper, rate = (br.upper, br.rate) if isinstance(br, TaxBracket) else br
        amount = max(0.0, min(annual_amount, upper) - lower)
        if amount == 0.0:
            out.append((0.0, 0.0))
        else:
            out.append((amount, None if rate is None else amount * rate))
        lower = upper
    if annual_amount > lower:
        raise TariffError(
            "de schijven dekken niet het hele verbruik (laatste grens moet oneindig zijn)",
            "the brackets do not cover all use (the last upper bound must be infinite)",
        )
    return out


def energy_tax_eur(
    annual_kwh: float, brackets: Sequence[TaxBracket | tuple[float, float | None]]
) -> float:
    """Energy tax on an annual use with cumulative brackets. [EUR]

    Raises :class:`UnknownValueError` when use reaches a bracket whose rate is unknown.
    """
    total = 0.0
    for i, (amount, tax) in enumerate(energy_tax_by_bracket(annual_kwh, brackets)):
        if tax is None:
            raise UnknownValueError(
                f"energiebelasting schijf {i + 1} is onbekend voor dit jaar ({amount:g} in die "
                f"schijf)",
                f"energy tax bracket {i + 1} is unknown for this year ({amount:g} in that bracket)",
                key=f"energy_tax.b{i + 1}",
            )
        total += tax
    return total


# --------------------------------------------------------------------------------------
# the bill
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BillLine:
    """One line of an annual bill. ``amount_eur`` is ``None`` when a figure is unknown."""

    code: str
    """Machine name, e.g. ``supply``, ``energy_tax.b2``, ``transport.kw_max``, ``feed_in``."""
    label_nl: str
    label_en: str
    amount_eur: float | None
    quantity: float | None = None
    unit: str = ""
    rate: float | None = None
    refs: tuple[str, ...] = ()
    """The refdata keys behind the line."""
    note: str = ""

    @property
    def known(self) -> bool:
        """True when the amount is known."""
        return self.amount_eur is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "label_nl": self.label_nl,
            "label_en": self.label_en,
            "amount_eur": self.amount_eur,
            "quantity": self.quantity,
            "unit": self.unit,
            "rate": self.rate,
            "refs": list(self.refs),
            "note": self.note,
            "known": self.known,
        }


@dataclass
class Bill:
    """The annual electricity bill of one connection, line by line. [EUR/yr, excl. VAT]"""

    year: int
    kind: str
    category: str
    lines: list[BillLine] = field(default_factory=list)
    net_metering: bool = False
    offtake_kwh: float = 0.0
    feed_in_kwh: float = 0.0
    category_fallback_from: str | None = None
    """Operator whose unknown category bounds were replaced by the fallback operator's."""

    @property
    def unknown(self) -> list[str]:
        """Codes of the lines whose amount is unknown."""
        return [ln.code for ln in self.lines if not ln.known]

    @property
    def complete(self) -> bool:
        """True when every line is known."""
        return not self.unknown

    @property
    def total_eur(self) -> float:
        """Sum of the known lines; check :attr:`complete` (or call :meth:`require_complete`)."""
        return float(sum(ln.amount_eur for ln in self.lines if ln.amount_eur is not None))

    def subtotal_eur(self, prefix: str) -> float:
        """Sum of the known lines whose code starts with ``prefix``."""
        return float(
            sum(
                ln.amount_eur
                for ln in self.lines
                if ln.amount_eur is not None and ln.code.startswith(prefix)
            )
        )

    def line(self, code: str) -> BillLine:
        """The line with ``code``."""
        for ln in self.lines:
            if ln.code == code:
                return ln
        raise KeyError(code)

    def require_complete(self) -> float:
        """The total; raises :class:`UnknownValueError` naming the unknown lines."""
        if self.unknown:
            names = ", ".join(self.unknown)
            raise UnknownValueError(
                f"de rekening {self.year} is onvolledig: onbekend zijn {names}. Vul de "
                f"waarden in via refdata_overrides.",
                f"the {self.year} bill is incomplete: unknown are {names}. Supply the values "
                f"through refdata_overrides.",
                key=names,
                year=self.year,
            )
        return self.total_eur

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "year": self.year,
            "kind": self.kind,
            "category": self.category,
            "net_metering": self.net_metering,
            "category_fallback_from": self.category_fallback_from,
            "offtake_kwh": self.offtake_kwh,
            "feed_in_kwh": self.feed_in_kwh,
            "total_eur": self.total_eur,
            "complete": self.complete,
            "unknown": self.unknown,
            "lines": [ln.to_dict() for ln in self.lines],
        }


def interval_hours(index: pd.DatetimeIndex) -> float:
    """Length of one interval of ``index`` (its freq, else the median step). [h]"""
    if index.freq is not None:
        return pd.Timedelta(index.freq).total_seconds() / 3600.0
    if len(index) < 2:
        raise TariffError(
            "de tijdreeks is te kort om de intervallengte te bepalen; geef interval_h op",
            "the series is too short to infer the interval length; give interval_h",
        )
    steps = np.diff(index.as_unit("ns").asi8)
    h = float(np.median(steps)) / 3.6e12
    if not h > 0:
        raise TariffError(
            "de tijdreeks heeft geen oplopende, vaste stap (dubbele of ongesorteerde "
            "tijdstippen?); geef interval_h op of herstel de index",
            "the series has no increasing, constant step (duplicate or unsorted times?); "
            "give interval_h or repair the index",
        )
    return h


def month_codes(index: pd.DatetimeIndex) -> NDArray[np.int64]:
    """Calendar month of every interval as ``year * 12 + month - 1`` (local time).

    A tz-aware index is converted to Europe/Amsterdam first: the kWmax is billed per local
    calendar month, so an index in UTC must not move the first hour(s) of a month into the
    previous one (nor add a 13th month). A naive index is taken as local wall-clock time.
    """
    if index.tz is not None:
        index = index.tz_convert(LOCAL_TZ)
    return np.asarray(index.year, dtype=np.int64) * 12 + np.asarray(index.month) - 1


def monthly_max_kw(
    energy_kwh: ArrayLike, index: pd.DatetimeIndex, interval_h: float | None = None
) -> FloatArray:
    """Highest interval average power per calendar month (the billed kWmax). [kW]

    ``energy_kwh`` may be 1-D (intervals) or 2-D (series x intervals); the result has one
    column per month present in ``index``, in time order.
    """
    e = np.asarray(energy_kwh, dtype=np.float64)
    h = interval_h if interval_h is not None else interval_hours(index)
    codes = month_codes(index)
    kw = e / h
    if codes.size == 0:
        return np.zeros((*kw.shape[:-1], 0))
    if np.all(np.diff(codes) >= 0):  # sorted index: months are contiguous blocks
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        return np.maximum.reduceat(kw, starts, axis=-1)
    cols = [kw[..., codes == m].max(axis=-1) for m in np.unique(codes)]
    return np.stack(cols, axis=-1)


def _as_series(name: str, values: ArrayLike, n: int) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise TariffError(
            f"{name}: verwacht een reeks van {n} intervallen (gevonden vorm {arr.shape})",
            f"{name}: expected a series of {n} intervals (found shape {arr.shape})",
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise TariffError(
            f"{name}: waarden moeten eindig en >= 0 kWh zijn",
            f"{name}: values must be finite and >= 0 kWh",
        )
    return arr


def _price(
    name: str,
    price: float | ArrayLike | None,
    n: int,
    *,
    key: str,
    year: int,
    refdata: RefData,
) -> tuple[FloatArray | float, tuple[str, ...], str]:
    """A flat price from refdata or the argument, or a price series aligned to the index."""
    if price is None:
        return refdata.value(key, year), (key,), ""
    lo, hi = refdata.bounds(key)
    lo = -np.inf if lo is None else lo
    hi = np.inf if hi is None else hi
    if np.ndim(price) == 0:
        p = float(price)  # type: ignore[arg-type]
        if not np.isfinite(p) or not lo <= p <= hi:
            raise TariffError(
                f"{name}: prijs {p} EUR/kWh buiten bereik [{lo:g}, {hi:g}]",
                f"{name}: price {p} EUR/kWh out of range [{lo:g}, {hi:g}]",
            )
        return p, (), "flat price given by the user"
    arr = np.asarray(price, dtype=np.float64)
    if arr.shape != (n,):
        raise TariffError(
            f"{name}: prijsreeks moet {n} waarden hebben, gelijk aan de index "
            f"(gevonden {arr.shape})",
            f"{name}: price series must have {n} values aligned to the index (found {arr.shape})",
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < lo) or np.any(arr > hi):
        raise TariffError(
            f"{name}: prijsreeks bevat ontbrekende of onmogelijke waarden (bereik "
            f"[{lo:g}, {hi:g}] EUR/kWh)",
            f"{name}: price series has missing or impossible values (range "
            f"[{lo:g}, {hi:g}] EUR/kWh)",
        )
    return arr, (), "time-varying price series given by the user"


@dataclass(frozen=True)
class TariffValue:
    """A grid tariff with the operator it came from (``fallback_from`` when it fell back)."""

    value: float | None
    key: str
    fallback_from: str | None = None


def grid_tariff(
    operator: str,
    category: str,
    component: str,
    year: int,
    refdata: RefData,
    *,
    fallback_operator: str | None = None,
) -> TariffValue:
    """One transport tariff component; unknown -> ``value None`` unless a fallback is given.

    ``component`` is one of :data:`TRANSPORT_COMPONENTS` (or ``fixed_eur_per_year`` for the
    kleinverbruik category ``kv``). With ``fallback_operator`` an unknown value is taken from
    that operator instead, and the result says so (``fallback_from``).
    """
    slug = "kv" if category == "kv" else CATEGORY_SLUG[category]
    key = f"grid_tariff.{_slug(operator)}.{slug}.{component}"
    try:
        rv: RefValue = refdata.lookup(key, year)
    except RefDataError:
        rv = None  # type: ignore[assignment]
    if rv is not None and rv.known:
        return TariffValue(float(rv.value), key)
    if fallback_operator and _slug(fallback_operator) != _slug(operator):
        fb = grid_tariff(fallback_operator, category, component, year, refdata)
        if fb.value is not None:
            return TariffValue(fb.value, fb.key, fallback_from=_slug(operator))
    return TariffValue(None, key)


def annual_bill(
    offtake_kwh: ArrayLike,
    feed_in_kwh: ArrayLike,
    index: pd.DatetimeIndex,
    *,
    kind: str,
    operator: str,
    year: int,
    refdata: RefData,
    contracted_kw: float | None = None,
    grid_level: str | None = None,
    prices: float | ArrayLike | None = None,
    feed_in_prices: float | ArrayLike | None = None,
    tax_reduction: bool = True,
    fallback_operator: str | None = None,
    interval_h: float | None = None,
) -> Bill:
    """The annual electricity bill of one connection from its interval series.

    Parameters
    ----------
    offtake_kwh
        Offtake from the grid per interval. [kWh]
    feed_in_kwh
        Feed-in to the grid per interval. [kWh]
    index
        The shared time index (tz-aware, usually 15-minute intervals of one year).
    kind
        ``kleinverbruik`` or ``grootverbruik``.
    operator
        Grid operator (``stedin``, ``enexis``, ``rendo``).
    year
        Tariff and tax year.
    refdata
        Reference data; every figure used is recorded in ``refdata.used()``.
    contracted_kw
        Contracted transport capacity (grootverbruik). [kW]
    grid_level
        The grid level the connection is on (needed above 1,500 kW).
    prices
        Supply price: ``None`` (refdata default), a flat price or a series aligned to
        ``index`` (e.g. day-ahead plus margin). [EUR/kWh]
    feed_in_prices
        Compensation for feed-in that is not netted: ``None``, flat or a series. [EUR/kWh]
    tax_reduction
        Apply the energy-tax reduction (connection with a *verblijfsfunctie*).
    fallback_operator
        Use this operator's tariffs (and tariff-category bounds) where ``operator``'s are
        unknown (lines say so; ``Bill.category_fallback_from`` for the category).
    interval_h
        Interval length; inferred from ``index`` when omitted. [h]

    Notes
    -----
    Net metering (*salderen*) applies only to kleinverbruik connections and only up to
    ``net_metering.last_year`` (2026): energy tax is then due on max(offtake - feed-in, 0)
    over the year, and the netted feed-in is credited at the supply price (for a price
    series, at the feed-in-weighted average of the series). Grootverbruik pays energy tax on
    gross offtake, whatever it feeds in; all its feed-in earns the feed-in compensation.
    """
    n = len(index)
    off = _as_series("offtake_kwh", offtake_kwh, n)
    fin = _as_series("feed_in_kwh", feed_in_kwh, n)
    if kind not in ("kleinverbruik", "grootverbruik"):
        raise TariffError(
            f"soort aansluiting {kind!r} onbekend; verwacht kleinverbruik of grootverbruik",
            f"connection kind {kind!r} unknown; expected kleinverbruik or grootverbruik",
        )
    h = interval_h if interval_h is not None else interval_hours(index)
    off_total = float(off.sum())
    fin_total = float(fin.sum())
    last_netting_year = int(refdata.value("net_metering.last_year"))
    netting = kind == "kleinverbruik" and year <= last_netting_year
    category_fallback: str | None = None

    if kind == "grootverbruik":
        if contracted_kw is None:
            raise TariffError(
                "grootverbruik: gecontracteerd vermogen (contracted_kw) ontbreekt",
                "grootverbruik: contracted capacity (contracted_kw) is missing",
            )
        category = tariff_category(
            contracted_kw, operator, year, refdata, grid_level, fallback_operator=fallback_operator
        )
        if fallback_operator:
            try:
                category_bounds_kw(operator, year, refdata)
            except UnknownValueError:
                category_fallback = _slug(operator)
    else:
        category = "kv"
    bill = Bill(
        year=year,
        kind=kind,
        category=category,
        net_metering=netting,
        offtake_kwh=off_total,
        feed_in_kwh=fin_total,
        category_fallback_from=category_fallback,
    )
    lines = bill.lines

    # supply and feed-in
    sp, sp_refs, sp_note = _price(
        "prices", prices, n, key="supply.electricity.eur_per_kwh", year=year, refdata=refdata
    )
    fp, fp_refs, fp_note = _price(
        "feed_in_prices",
        feed_in_prices,
        n,
        key="supply.electricity.feed_in_eur_per_kwh",
        year=year,
        refdata=refdata,
    )
    supply_eur = float(np.sum(off * sp))
    lines.append(
        BillLine(
            "supply",
            "Levering elektriciteit",
            "Electricity supply",
            supply_eur,
            off_total,
            "kWh",
            supply_eur / off_total if off_total else None,
            sp_refs,
            sp_note,
        )
    )
    netted = min(off_total, fin_total) if netting else 0.0
    excess = fin_total - netted
    if netted > 0:
        avg_sp = float(np.sum(fin * sp)) / fin_total
        credit = -netted * avg_sp
        lines.append(
            BillLine(
                "feed_in.netted",
                "Teruglevering, gesaldeerd",
                "Feed-in, net-metered",
                credit,
                netted,
                "kWh",
                avg_sp,
                (*sp_refs, "net_metering.last_year"),
                "net metering (salderen): credited at the supply price",
            )
        )
    if excess > 0:
        if np.ndim(fp) == 0:
            fin_eur = -excess * float(fp)
            rate = float(fp)
        else:
            avg_fp = float(np.sum(fin * fp)) / fin_total
            fin_eur, rate = -excess * avg_fp, avg_fp
        lines.append(
            BillLine(
                "feed_in",
                "Terugleververgoeding",
                "Feed-in compensation",
                fin_eur,
                excess,
                "kWh",
                rate,
                fp_refs,
                fp_note,
            )
        )

    # energy tax
    taxable = max(off_total - fin_total, 0.0) if netting else off_total
    brackets = energy_tax_brackets("electricity", year, refdata)
    for i, ((amount, tax), br) in enumerate(
        zip(energy_tax_by_bracket(taxable, brackets), brackets, strict=True), start=1
    ):
        if amount == 0.0:
            continue
        lines.append(
            BillLine(
                f"energy_tax.b{i}",
                f"Energiebelasting schijf {i}",
                f"Energy tax bracket {i}",
                tax,
                amount,
                "kWh",
                br.rate,
                (br.key,),
                "" if tax is not None else f"rate not published for {year}",
            )
        )
    if tax_reduction:
        rv = refdata.lookup("energy_tax.reduction_eur_per_connection", year)
        lines.append(
            BillLine(
                "tax_reduction",
                "Vermindering energiebelasting",
                "Energy tax reduction",
                -float(rv.value) if rv.known else None,
                1.0,
                "connection",
                rv.value,
                ("energy_tax.reduction_eur_per_connection",),
                "" if rv.known else f"not published for {year}",
            )
        )

    # grid transport
    months = len(np.unique(month_codes(index)))
    if kind == "kleinverbruik":
        tv = grid_tariff(
            operator, "kv", "fixed_eur_per_year", year, refdata, fallback_operator=fallback_operator
        )
        labels = ("Netbeheer (capaciteitstarief, vast)", "Grid charges (capacity tariff, fixed)")
        lines.append(_transport_line("transport.fixed", labels, tv, months / 12.0, "yr", year=year))
        return bill
    assert contracted_kw is not None
    peaks = monthly_max_kw(off, index, h)
    parts = [
        ("fixed_eur_per_month", "transport.fixed", "Vastrecht transport", "Fixed transport charge",
         float(months), "month"),
        ("kw_contract_eur_per_kw_month", "transport.kw_contract", "kW-contract", "kW contract",
         float(contracted_kw) * months, "kW x month"),
        ("kw_max_eur_per_kw_month", "transport.kw_max", "kW-max (maandpiek)",
         "kW max (monthly peak)", float(peaks.sum()), "kW x month"),
        ("kwh_eur_per_kwh", "transport.kwh", "Verbruiksafhankelijk transport",
         "Usage-dependent transport", off_total, "kWh"),
    ]  # fmt: skip
    for comp, code, nl, en, qty, unit in parts:
        tv = grid_tariff(
            operator, category, comp, year, refdata, fallback_operator=fallback_operator
        )
        lines.append(_transport_line(code, (nl, en), tv, qty, unit, year=year))
    return bill


def _transport_line(
    code: str, labels: tuple[str, str], tv: TariffValue, qty: float, unit: str, *, year: int
) -> BillLine:
    if tv.value is None:
        amount = None
        note = f"tariff not published for {year} ({tv.key}); supply it via refdata_overrides"
    else:
        amount = 0.0 if qty == 0 else qty * tv.value
        note = (
            f"{tv.fallback_from} unknown: fallback to {tv.key} (indicative)"
            if tv.fallback_from
            else ""
        )
    return BillLine(code, labels[0], labels[1], amount, qty, unit, tv.value, (tv.key,), note)


def bills_before_after(
    before: tuple[ArrayLike, ArrayLike],
    after: tuple[ArrayLike, ArrayLike],
    index: pd.DatetimeIndex,
    **kwargs: Any,
) -> tuple[Bill, Bill]:
    """The bill before and after a scenario: two (offtake, feed-in) pairs, same settings."""
    return (
        annual_bill(before[0], before[1], index, **kwargs),
        annual_bill(after[0], after[1], index, **kwargs),
    )


# --------------------------------------------------------------------------------------
# group transport (GTO)
# --------------------------------------------------------------------------------------


@dataclass
class GroupTransport:
    """Capacity-related transport cost of a GTO group (fixed and kWh charges stay per member).

    Amounts in EUR over the months of the index.
    """

    category: str
    member_categories: list[str]
    group_contracted_kw: float
    kw_contract_eur: float | None
    kw_max_eur: float | None
    msls_surcharge_eur: float | None
    group_peaks_kw: FloatArray
    refs: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every component is known."""
        return None not in (self.kw_contract_eur, self.kw_max_eur, self.msls_surcharge_eur)

    @property
    def total_eur(self) -> float:
        """Sum of the components. Raises :class:`UnknownValueError` when one is unknown."""
        if not self.complete:
            raise UnknownValueError(
                f"groepstransport {self.category}: een tarief is onbekend ({self.refs})",
                f"group transport {self.category}: a tariff is unknown ({self.refs})",
                key=",".join(self.refs),
            )
        return float(
            (self.kw_contract_eur or 0.0)
            + (self.kw_max_eur or 0.0)
            + (self.msls_surcharge_eur or 0.0)
        )


def _capacity_tariffs(
    operator: str, category: str, year: int, refdata: RefData, fallback: str | None
) -> tuple[TariffValue, TariffValue]:
    return (
        grid_tariff(
            operator,
            category,
            "kw_contract_eur_per_kw_month",
            year,
            refdata,
            fallback_operator=fallback,
        ),
        grid_tariff(
            operator, category, "kw_max_eur_per_kw_month", year, refdata, fallback_operator=fallback
        ),
    )


def standalone_transport_eur(
    offtake_kwh: ArrayLike,
    index: pd.DatetimeIndex,
    contracted_kw: float,
    *,
    operator: str,
    year: int,
    refdata: RefData,
    grid_level: str | None = None,
    fallback_operator: str | None = None,
    interval_h: float | None = None,
) -> float:
    """Capacity-related transport cost of one connection on its own. [EUR over the index]

    kW-contract x contracted kW x months + sum over months of kWmax x kWmax tariff, in the
    connection's own category. Fixed and kWh charges are left out: they do not change when
    the connection joins a GTO.
    """
    off = _as_series("offtake_kwh", offtake_kwh, len(index))
    cat = tariff_category(
        contracted_kw, operator, year, refdata, grid_level, fallback_operator=fallback_operator
    )
    kc, km = _capacity_tariffs(operator, cat, year, refdata, fallback_operator)
    if kc.value is None or km.value is None:
        raise UnknownValueError(
            f"transporttarief {cat} {operator} {year} onbekend ({kc.key}, {km.key})",
            f"transport tariff {cat} {operator} {year} unknown ({kc.key}, {km.key})",
            key=kc.key,
            year=year,
        )
    months = len(np.unique(month_codes(index)))
    peaks = monthly_max_kw(off, index, interval_h)
    return float(kc.value * contracted_kw * months + km.value * peaks.sum())


def group_transport_eur(
    member_offtake_kwh: ArrayLike,
    index: pd.DatetimeIndex,
    member_contracted_kw: ArrayLike,
    group_contracted_kw: float,
    *,
    operator: str,
    year: int,
    refdata: RefData,
    member_feed_in_kwh: ArrayLike | None = None,
    member_grid_levels: Sequence[str | None] | None = None,
    fallback_operator: str | None = None,
    interval_h: float | None = None,
) -> GroupTransport:
    """Capacity-related transport cost of a GTO group.

    Parameters
    ----------
    member_offtake_kwh
        Offtake per member and interval, members x intervals. [kWh]
    index
        The shared time index.
    member_contracted_kw
        Each member's own contracted capacity; decides its individual category. [kW]
    group_contracted_kw
        The group's contracted capacity (art. 3.7.18). [kW]
    operator, year, refdata
        As in :func:`annual_bill`.
    member_feed_in_kwh
        Feed-in per member and interval; the group's peak is taken on the summed net
        exchange (simultaneous feed-in of one member covers offtake of another). [kWh]
    member_grid_levels
        Grid level of each member (needed above 1,500 kW).

    Notes
    -----
    - Group category = the highest level among the members' categories (art. 3.7.2a).
    - kW-contract: group tariff x ``group_contracted_kw`` x months; kWmax: group tariff x the
      group's monthly simultaneous peak (art. 3.7.18). Both times ``gto.correction_factor``.
    - MS/LS surcharge (art. 3.7.19), when the group is billed as MS and has Trafo MS/LS (A.3)
      members: per month (kc_MS/LS - kc_MS) x the sum of those members' own kWmax.
    - Fixed charges and kWh tariffs stay per connection and are not part of this cost.
    """
    off = np.atleast_2d(np.asarray(member_offtake_kwh, dtype=np.float64))
    m, n = off.shape
    if n != len(index):
        raise TariffError(
            f"reeksen hebben {n} intervallen, de index {len(index)}",
            f"series have {n} intervals, the index {len(index)}",
        )
    if not np.all(np.isfinite(off)) or np.any(off < 0):
        raise TariffError(
            "afname per lid moet eindig en >= 0 kWh zijn",
            "offtake per member must be finite and >= 0 kWh",
        )
    ckw = np.asarray(member_contracted_kw, dtype=np.float64).reshape(-1)
    if ckw.shape[0] != m:
        raise TariffError(
            f"{m} leden maar {ckw.shape[0]} gecontracteerde vermogens",
            f"{m} members but {ckw.shape[0]} contracted capacities",
        )
    if not np.isfinite(group_contracted_kw) or group_contracted_kw < 0:
        raise TariffError(
            f"groepsvermogen moet >= 0 kW zijn (gevonden: {group_contracted_kw})",
            f"group capacity must be >= 0 kW (found: {group_contracted_kw})",
        )
    levels = list(member_grid_levels) if member_grid_levels is not None else [None] * m
    cats = [
        tariff_category(
            float(ckw[i]), operator, year, refdata, levels[i], fallback_operator=fallback_operator
        )
        for i in range(m)
    ]
    gcat = group_category(cats)
    h = interval_h if interval_h is not None else interval_hours(index)
    months = len(np.unique(month_codes(index)))
    net = off.sum(axis=0)
    if member_feed_in_kwh is not None:
        fin = np.atleast_2d(np.asarray(member_feed_in_kwh, dtype=np.float64))
        if fin.shape != off.shape:
            raise TariffError(
                "teruglevering per lid moet dezelfde vorm hebben als de afname",
                "feed-in per member must have the same shape as offtake",
            )
        net = np.maximum(net - fin.sum(axis=0), 0.0)
    gpeaks = monthly_max_kw(net, index, h)
    factor = refdata.value("gto.correction_factor", year)
    kc, km = _capacity_tariffs(operator, gcat, year, refdata, fallback_operator)
    refs: list[str] = [kc.key, km.key, "gto.correction_factor"]
    kc_eur = None if kc.value is None else factor * kc.value * group_contracted_kw * months
    km_eur = None if km.value is None else factor * km.value * float(gpeaks.sum())
    surcharge: float | None = 0.0
    a3 = [i for i, c in enumerate(cats) if c == "MS/LS"]
    if a3 and gcat == "MS" and refdata.value("gto.msls_surcharge", year) == 1.0:
        kc_msls, _ = _capacity_tariffs(operator, "MS/LS", year, refdata, fallback_operator)
        refs.append(kc_msls.key)
        if kc_msls.value is None or kc.value is None:
            surcharge = None
        else:
            a3_peaks = monthly_max_kw(off[a3], index, h)
            surcharge = (kc_msls.value - kc.value) * float(a3_peaks.sum())
    return GroupTransport(
        category=gcat,
        member_categories=cats,
        group_contracted_kw=float(group_contracted_kw),
        kw_contract_eur=kc_eur,
        kw_max_eur=km_eur,
        msls_surcharge_eur=surcharge,
        group_peaks_kw=gpeaks,
        refs=tuple(refs),
    )


# --------------------------------------------------------------------------------------
# convenience: a connection object, and the gas bill
# --------------------------------------------------------------------------------------


def bill_for_connection(
    offtake_kwh: ArrayLike,
    feed_in_kwh: ArrayLike,
    index: pd.DatetimeIndex,
    connection: Connection,
    *,
    operator: str,
    year: int,
    refdata: RefData,
    **kwargs: Any,
) -> Bill:
    """:func:`annual_bill` for a :class:`parkplan.domain.model.Connection`.

    Takes kind, contracted capacity and grid level from the connection; other keyword
    arguments (prices, fallback_operator, tax_reduction, interval_h) are passed on.
    """
    return annual_bill(
        offtake_kwh,
        feed_in_kwh,
        index,
        kind=connection.kind,
        operator=operator,
        year=year,
        refdata=refdata,
        contracted_kw=connection.contracted_kw,
        grid_level=connection.grid_level,
        **kwargs,
    )


def annual_gas_bill(
    annual_m3: float,
    *,
    year: int,
    refdata: RefData,
    price_eur_per_m3: float | None = None,
) -> Bill:
    """The variable part of an annual natural-gas bill: supply and energy tax by bracket.

    Parameters
    ----------
    annual_m3
        Annual gas use. [m3]
    year
        Tax year.
    refdata
        Reference data (``supply.gas.eur_per_m3``, ``energy_tax.gas.*``).
    price_eur_per_m3
        Supply price; ``None`` takes the refdata default. [EUR/m3]

    Notes
    -----
    Gas network charges (fixed per connection) are not in the reference data; they only
    change when a gas connection is removed.
    """
    if not np.isfinite(annual_m3) or annual_m3 < 0:
        raise TariffError(
            f"gasverbruik moet >= 0 m3 zijn (gevonden: {annual_m3})",
            f"gas use must be >= 0 m3 (found: {annual_m3})",
        )
    refs: tuple[str, ...] = ()
    if price_eur_per_m3 is None:
        price, refs = refdata.value("supply.gas.eur_per_m3", year), ("supply.gas.eur_per_m3",)
    else:
        price = float(price_eur_per_m3)
        lo, hi = refdata.bounds("supply.gas.eur_per_m3")
        if (
            not np.isfinite(price)
            or (lo is not None and price < lo)
            or (hi is not None and price > hi)
        ):
            raise TariffError(
                f"gasprijs {price} EUR/m3 buiten bereik [{lo}, {hi}]",
                f"gas price {price} EUR/m3 out of range [{lo}, {hi}]",
            )
    bill = Bill(year=year, kind="gas", category="gas", offtake_kwh=0.0)
    bill.lines.append(
        BillLine(
            "supply",
            "Levering aardgas",
            "Natural gas supply",
            annual_m3 * price,
            annual_m3,
            "m3",
            price,
            refs,
        )
    )
    brackets = energy_tax_brackets("gas", year, refdata)
    for i, ((amount, tax), br) in enumerate(
        zip(energy_tax_by_bracket(annual_m3, brackets), brackets, strict=True), start=1
    ):
        if amount == 0.0:
            continue
        bill.lines.append(
            BillLine(
                f"energy_tax.b{i}",
                f"Energiebelasting aardgas schijf {i}",
                f"Natural gas energy tax bracket {i}",
                tax,
                amount,
                "m3",
                br.rate,
                (br.key,),
                "" if tax is not None else f"rate not published for {year}",
            )
        )
    return bill
