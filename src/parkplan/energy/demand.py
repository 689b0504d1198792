"""Electricity demand of companies: standard profiles, company-level variability and
calibration to metered annual figures.

Standard profiles
-----------------
The BDEW standard load profiles shipped as data tables inside ``demandlib`` are used
directly (``bdew_data/selp_series.csv`` for G0-G6 and L0-L2, ``bdew_data/{g,h,l,p,s}25.csv``
for the 2025 revision). demandlib's ``ElecSlp`` class is not called: with pandas 3 it fails
and it switches warnings into errors for the whole process. The tables hold one value per
quarter-hour of the local wall-clock day, per season (or month) and day type. They have no
daylight-saving time: parkplan maps every interval by its **local wall-clock** time in
Europe/Amsterdam, so the short spring day has 92 and the long autumn day 100 quarter-hours
(the repeated hour takes the same profile values twice). Dutch public holidays (package
``holidays``, country NL) are treated as Sundays.

Which profile a company gets follows ``refdata/profiles.csv`` (:func:`profile_for`).

Company-level variability and peaks
-----------------------------------
Standard profiles are averages over many customers: a single company's peak is higher and
companies coincide less than the averaged shapes suggest, so a group transport agreement
(GTO) would look better than it is. Therefore (:func:`company_demand`):

1. a seeded multiplicative AR(1) noise is applied (``m_t = exp(x_t - sigma^2/2)``,
   ``x_t = phi x_{t-1} + sqrt(1 - phi^2) sigma e_t``, stationary; ``phi`` and ``sigma`` from
   ``refdata/profiles.csv``), which keeps the series positive;
2. when the company's ``peak_kw`` is known, the shape ``s`` is made more (or less) peaked
   so that the highest interval equals ``peak_kw``: a blend of ``s^(2^k)`` and
   ``s^(2^(k+1))`` (normalised), or of ``s`` and the flat profile to lower the peak, with
   the level ``k`` and the blend weight solved in closed form (the peak of a blend of
   shapes that peak in the same interval is linear in the weight);
3. the series is scaled so that its sum equals the annual energy exactly.

Every series that rests on a standard profile is an **estimate** (``DemandInfo.estimated``).

Calibration to metered annual figures
-------------------------------------
Demand on site = ``annual_kwh`` (offtake) + ``annual_produced_kwh`` - ``annual_feed_in_kwh``
(:func:`demand_on_site_kwh`). When production is metered, simulated PV is scaled to it
(:func:`pv_scale_factor`, :func:`pv_scale_problems`); when it is not, demand is scaled so
that simulated offtake equals the metered offtake (:func:`calibrate_demand_to_offtake`)
and simulated vs metered feed-in is the fit indicator (:func:`offtake_fit`).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import importlib.resources
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import holidays as holidays_pkg
import numpy as np
import pandas as pd
from numba import njit

from parkplan.domain.errors import ParkplanError, Problem, warning
from parkplan.domain.model import OPERATING_HOURS_CLASSES
from parkplan.energy.rng import pcg64_states, standard_normal
from parkplan.refdata import RefData, load_refdata

TZ = "Europe/Amsterdam"
"""Local time zone the standard profiles are aligned to."""

_QH_NS = 15 * 60 * 1_000_000_000
_DAY_NS = 24 * 3600 * 1_000_000_000

PROFILES_1999: tuple[str, ...] = ("G0", "G1", "G2", "G3", "G4", "G5", "G6", "L0", "L1", "L2")
"""BDEW/VDEW 1999 profiles (seasons summer / winter / transition, seven day types)."""
PROFILES_2025: tuple[str, ...] = ("G25", "H25", "L25", "P25", "S25")
"""BDEW 2025 profiles (per month, day types workday / Saturday / Sunday+holiday)."""
PROFILES: tuple[str, ...] = PROFILES_1999 + PROFILES_2025
"""All profile names accepted by :func:`standard_profile`."""
_DYNAMIC = frozenset({"H25", "P25", "S25"})
"""Profiles multiplied by the BDEW dynamisation function of the day of year."""


# --------------------------------------------------------------------------------------
# reference data
# --------------------------------------------------------------------------------------


def _refdata(refdata: RefData | None) -> RefData:
    return load_refdata() if refdata is None else refdata


@dataclass(frozen=True)
class Variability:
    """Parameters of the company-level multiplicative AR(1) noise.

    Parameters
    ----------
    phi
        Lag-1 autocorrelation of the log multiplier per block. [-]
    sigma
        Standard deviation of the log multiplier. [-]
    """

    phi: float
    sigma: float
    block_minutes: float = 60.0
    """The multiplier is drawn per block and held for the intervals inside it. [min]"""

    @classmethod
    def from_refdata(cls, refdata: RefData | None = None) -> Variability:
        """The documented defaults ``demand.variability.*`` (``refdata/profiles.csv``)."""
        rd = _refdata(refdata)
        return cls(
            phi=rd.value("demand.variability.ar1_phi"),
            sigma=rd.value("demand.variability.sigma"),
            block_minutes=rd.value("demand.variability.block_minutes"),
        )


NO_VARIABILITY = Variability(phi=0.0, sigma=0.0)
"""Use the (calibrated) standard profile as it is."""


# --------------------------------------------------------------------------------------
# profile choice
# --------------------------------------------------------------------------------------


def _sbi_digits(sbi: str) -> str:
    digits = sbi.replace(".", "").replace(" ", "").strip()
    if not digits.isdigit() or len(digits) < 2:
        raise ParkplanError(
            f"SBI-code '{sbi}' is ongeldig; verwacht twee tot vijf cijfers, bijv. '4941'.",
            f"SBI code '{sbi}' is invalid; expected two to five digits, e.g. '4941'.",
        )
    return digits


def _match_sbi(digits: str, prefix: str) -> int:
    """Length of the match of ``prefix`` (``'47'``, ``'1071'`` or a range ``'10-33'``)."""
    if "-" in prefix:
        lo, hi = prefix.split("-")
        return len(lo) if int(lo) <= int(digits[: len(lo)]) <= int(hi) else 0
    return len(prefix) if digits.startswith(prefix) else 0


def _best_sbi(rd: RefData, digits: str, kind: str) -> str | None:
    prefix = f"profile.{kind}."
    best: tuple[int, str] | None = None
    all_keys: list[str] = rd.keys()  # sorted: the keys with the prefix are one run
    lo = bisect.bisect_left(all_keys, prefix)
    for key in all_keys[lo:]:
        if not key.startswith(prefix):
            break
        n = _match_sbi(digits, key[len(prefix) :])
        if n and (best is None or n > best[0]):
            best = (n, key)
    return None if best is None else rd.text(best[1])


def _check_hours_class(operating_hours_class: str) -> None:
    if operating_hours_class not in OPERATING_HOURS_CLASSES:
        allowed = ", ".join(OPERATING_HOURS_CLASSES)
        raise ParkplanError(
            f"Bedrijfstijdklasse '{operating_hours_class}' is onbekend; "
            f"verwacht een van {allowed}.",
            f"Operating-hours class '{operating_hours_class}' is unknown; "
            f"expected one of {allowed}.",
        )


def profile_for(
    sbi: str | None, operating_hours_class: str | None, refdata: RefData | None = None
) -> str:
    """Choose the standard profile of a company.

    Rules (table ``refdata/profiles.csv``, longest SBI prefix wins):

    1. an SBI code with a characteristic daily pattern (``sbi_activity:*``: agriculture,
       bakeries, shops, hospitality, leisure, continuous utilities) decides;
    2. otherwise a given operating-hours class (NEDU E3A-E3D idea) decides:
       ``<=2000`` G1, ``2000-3000`` G1, ``3000-5000`` G0, ``>5000`` G3 (the profiles'
       equivalent full-load hours are about 2,080, 4,190 and 6,490 h; see also
       :func:`implied_peak_kw`);
    3. otherwise the SBI section default (``sbi:*``);
    4. otherwise ``default`` (G0).

    Parameters
    ----------
    sbi
        SBI code, e.g. ``"4941"`` or ``"47.11"``; ``None`` when unknown.
    operating_hours_class
        One of :data:`parkplan.domain.model.OPERATING_HOURS_CLASSES` or ``None``.

    Returns
    -------
    str
        A name from :data:`PROFILES`.
    """
    rd = _refdata(refdata)
    digits = _sbi_digits(sbi) if sbi else None
    if digits is not None:
        activity = _best_sbi(rd, digits, "sbi_activity")
        if activity is not None:
            return activity
    if operating_hours_class is not None:
        _check_hours_class(operating_hours_class)
        return rd.text(f"profile.hours.{operating_hours_class}")
    if digits is not None:
        section = _best_sbi(rd, digits, "sbi")
        if section is not None:
            return section
    return rd.text("profile.default")


def implied_peak_kw(
    annual_kwh: float, operating_hours_class: str, refdata: RefData | None = None
) -> float:
    """Peak implied by an operating-hours class: annual energy / representative full-load
    hours (``profile.hours_flh.*``). An estimate, for use only when no peak is metered.

    Parameters
    ----------
    annual_kwh
        Annual demand. [kWh]
    operating_hours_class
        One of :data:`parkplan.domain.model.OPERATING_HOURS_CLASSES`.

    Returns
    -------
    float
        Implied peak. [kW]
    """
    _check_hours_class(operating_hours_class)
    return annual_kwh / _refdata(refdata).value(f"profile.hours_flh.{operating_hours_class}")


# --------------------------------------------------------------------------------------
# profile tables from demandlib
# --------------------------------------------------------------------------------------


def _bdew_data_file(name: str) -> pd.DataFrame:
    path = importlib.resources.files("demandlib") / "bdew" / "bdew_data" / name
    with importlib.resources.as_file(path) as p:
        if name == "selp_series.csv":
            return pd.read_csv(p, index_col=0)
        return pd.read_csv(p, header=[0, 1], index_col=0)


@functools.cache
def _table(profile: str) -> np.ndarray:
    """Profile values: 1999 profiles ``[season 0..2, weekday 1..7, qh]`` (season 0 summer,
    1 winter, 2 transition); 2025 profiles ``[month 1..12, day type 0..2, qh]`` (0 workday,
    1 Saturday, 2 Sunday/holiday). Units are arbitrary (shares are normalised)."""
    if profile in PROFILES_1999:
        df = _bdew_data_file("selp_series.csv")
        out = np.full((3, 8, 96), np.nan)
        for s, season in enumerate(("summer", "winter", "transition")):
            for wd in range(1, 8):
                sel = df[(df["period"] == season) & (df["weekday"] == wd)]
                out[s, wd] = sel[profile.lower()].to_numpy(dtype=float)
        return out
    if profile in PROFILES_2025:
        df = _bdew_data_file(f"{profile.lower()}.csv")
        values = df.to_numpy(dtype=float)  # 96 x (12 months x [SA, FT, WT])
        types = [str(c[1]) for c in df.columns]
        out = np.full((13, 3, 96), np.nan)
        for j, day_type in enumerate(types):
            month = j // 3 + 1
            out[month, {"WT": 0, "SA": 1, "FT": 2}[day_type]] = values[:, j]
        return out
    raise ParkplanError(
        f"Standaardprofiel '{profile}' is onbekend; verwacht een van {', '.join(PROFILES)}.",
        f"Standard profile '{profile}' is unknown; expected one of {', '.join(PROFILES)}.",
    )


@functools.cache
def nl_holiday_days(first_year: int, last_year: int) -> np.ndarray:
    """Dutch public holidays of the years, as days since 1970-01-01 (sorted). [day]"""
    days = holidays_pkg.country_holidays("NL", years=range(first_year, last_year + 1))
    return np.array(sorted(np.datetime64(d, "D").astype(np.int64) for d in days), dtype=np.int64)


def _wall_clock_ns(index: pd.DatetimeIndex) -> np.ndarray:
    """Local wall-clock time in Europe/Amsterdam as naive nanoseconds."""
    local = index.tz_convert(TZ) if index.tz is not None else index
    return np.asarray(local.tz_localize(None).as_unit("ns").asi8)


def _lookup(profile: str, wall_ns: np.ndarray) -> np.ndarray:
    """Profile value for each local wall-clock time."""
    table = _table(profile)
    day = wall_ns // _DAY_NS  # days since 1970-01-01
    qh = (wall_ns - day * _DAY_NS) // _QH_NS
    udays, inverse = np.unique(day, return_inverse=True)
    dates = pd.DatetimeIndex(udays.astype("datetime64[D]"))
    hol = nl_holiday_days(int(dates.year.min()), int(dates.year.max()))
    weekday = dates.day_of_week.to_numpy() + 1  # 1 = Monday .. 7 = Sunday
    weekday[np.isin(udays, hol)] = 7  # holidays are Sundays
    month = dates.month.to_numpy()
    if profile in PROFILES_1999:
        md = month * 100 + dates.day.to_numpy()
        season = np.ones(len(udays), dtype=np.int64)  # winter
        season[(md >= 515) & (md <= 914)] = 0  # summer 15-05 .. 14-09
        season[((md >= 321) & (md <= 514)) | ((md >= 915) & (md <= 1031))] = 2
        values = table[season[inverse], weekday[inverse], qh]
    else:
        day_type = np.where(weekday == 7, 2, np.where(weekday == 6, 1, 0))
        values = table[month[inverse], day_type[inverse], qh]
        if profile in _DYNAMIC:
            t = dates.day_of_year.to_numpy().astype(float)
            dyn = -3.92e-10 * t**4 + 3.2e-7 * t**3 - 7.02e-5 * t**2 + 2.1e-3 * t + 1.24
            values = values * dyn[inverse]
    return values


def _step_ns(index: pd.DatetimeIndex) -> int:
    """The constant step of the index [ns]."""
    ns = np.asarray(index.as_unit("ns").asi8)
    if len(ns) < 2:
        return _QH_NS
    steps = np.diff(ns)
    if steps.min() != steps.max() or steps[0] <= 0:
        raise ParkplanError(
            "De tijdindex heeft geen vaste, oplopende stap.",
            "The time index does not have a constant, increasing step.",
        )
    return int(steps[0])


_MAX_PEAK_LEVELS = 6
"""Peak calibration reaches at most the peak of ``s^64`` (six squarings)."""

_CACHE: dict[tuple[str, str, str], np.ndarray] = {}
_CACHE_MAX = 64


def standard_profile(index: pd.DatetimeIndex, profile: str) -> np.ndarray:
    """Shares of the annual energy per interval of a standard profile.

    Parameters
    ----------
    index
        Interval starts, constant step. Tz-aware (converted to Europe/Amsterdam) or naive
        (taken as local wall-clock time). Steps longer than 15 minutes average the
        quarter-hours inside each interval.
    profile
        A name from :data:`PROFILES`.

    Returns
    -------
    numpy.ndarray
        Share of the energy in each interval, summing to 1 over the index. [-]
        Read-only (cached per profile and index).
    """
    ns = np.asarray(index.as_unit("ns").asi8)
    key = (profile, str(index.tz), hashlib.blake2b(ns.tobytes(), digest_size=16).hexdigest())
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    _table(profile)  # validates the name
    step = _step_ns(index)
    if step > _QH_NS:
        n_sub = -(-step // _QH_NS)
        sub = index.as_unit("ns")
        expanded = (np.asarray(sub.asi8)[:, None] + np.arange(n_sub) * _QH_NS).ravel()
        exp_index = pd.DatetimeIndex(expanded.view("datetime64[ns]"))
        if index.tz is not None:
            exp_index = exp_index.tz_localize("UTC").tz_convert(index.tz)
        values = _lookup(profile, _wall_clock_ns(exp_index)).reshape(len(index), n_sub)
        values = values.mean(axis=1)
    else:
        values = _lookup(profile, _wall_clock_ns(index))
    shares = values / values.sum()
    shares.setflags(write=False)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = shares
    return shares


def full_load_hours(shares: np.ndarray, interval_h: float = 0.25) -> float:
    """Equivalent full-load hours of a profile: annual energy / peak power. [h]"""
    return float(interval_h / np.max(shares))


# --------------------------------------------------------------------------------------
# company demand
# --------------------------------------------------------------------------------------


@dataclass
class DemandInfo:
    """How one company's demand series was made."""

    profile: str
    estimated: bool = True
    """True: the series rests on a standard profile, not on meter data."""
    peak_calibrated: bool = False
    """True when the series was shaped to hit a known ``peak_kw``."""
    exponent: float = 1.0
    """Effective exponent of the peak calibration: 1 unchanged, above 1 more peaked (a
    blend of ``s^(2^k)`` and ``s^(2^(k+1))`` gives ``2^k (1 + a)``), below 1 flattened. [-]"""
    seed: int | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class DemandResult:
    """A company's demand series and how it was made."""

    kwh: np.ndarray
    """Demand per interval. [kWh]"""
    info: DemandInfo

    @property
    def estimated(self) -> bool:
        """True when the series rests on a standard profile."""
        return self.info.estimated


def ar1_multiplier(n_blocks: int, seeds: Sequence[int], variability: Variability) -> np.ndarray:
    """Seeded lognormal AR(1) multipliers with mean 1, one value per block (hour).

    Parameters
    ----------
    n_blocks
        Length of each series (number of blocks).
    seeds
        One seed per row.
    variability
        ``phi`` (per block) and ``sigma`` of the log multiplier.

    Returns
    -------
    numpy.ndarray
        Positive multipliers, shape ``(len(seeds), n_blocks)``. [-]
    """
    eps = np.empty((len(seeds), n_blocks))
    for i, seed in enumerate(seeds):
        np.random.default_rng(seed).standard_normal(out=eps[i])
    _ar1_exp_kernel(eps, float(variability.phi), float(variability.sigma))
    return eps


def _blend_to_peak(
    rows: np.ndarray, target: np.ndarray, max_levels: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reshape each row so that its largest share equals ``target``, keeping the sum.

    With ``S_k = s^(2^k) / sum(s^(2^k))`` (the same interval is the largest in every
    ``S_k``), the peak share of ``(1 - a) S_k + a S_(k+1)`` is linear in ``a``; the level
    ``k`` whose peaks bracket the target is found by repeated squaring and ``a`` follows in
    closed form. A target below the row's own peak blends toward the flat profile instead:
    ``(1 - b) S_0 + b / n``. All shapes stay non-negative. ``rows`` is overwritten.

    The readable numpy reference: :func:`demand_matrix_info` does the same in the compiled
    ``_fill_kernel`` (one pass for all level sums, one to write; the tests compare them).

    Returns
    -------
    shares, exponent, clipped
        Reshaped shares (rows sum to 1), the effective exponent (``2^k (1 + a)``, or
        ``1 - b`` when flattened) and a mask of rows whose target was above what
        ``max_levels`` squarings reach (they get ``S_max_levels``).
    """
    m, n = rows.shape
    out = rows  # rows are replaced level by level; out[i] is final once row i is resolved
    exponent = np.ones(m)
    clipped = np.zeros(m, dtype=bool)
    rows /= rows.sum(axis=1, keepdims=True)
    p_cur = rows.max(axis=1)
    flat = target <= p_cur
    if flat.any():
        spread = p_cur[flat] - 1.0 / n
        b = np.where(spread > 0, (p_cur[flat] - target[flat]) / np.where(spread > 0, spread, 1), 0)
        b = np.clip(b, 0.0, 1.0)
        out[flat] = rows[flat] * (1 - b)[:, None] + (b / n)[:, None]
        exponent[flat] = 1 - b
    todo = np.flatnonzero(~flat)
    every = todo.size == m
    cur = rows if every else rows[todo]
    p_cur = p_cur[todo]
    for level in range(max_levels + 1):
        if todo.size == 0:
            break
        if level == max_levels:
            if not every:
                out[todo] = cur
            exponent[todo] = 2.0**level
            clipped[todo] = True
            break
        nxt = cur / p_cur[:, None]
        nxt *= nxt
        total = nxt.sum(axis=1)
        nxt /= total[:, None]
        p_nxt = 1.0 / total
        hit = target[todo] <= p_nxt
        if hit.any():
            a = (target[todo][hit] - p_cur[hit]) / (p_nxt[hit] - p_cur[hit])
            exponent[todo[hit]] = 2.0**level * (1 + a)
            if hit.all():
                cur *= (1 - a)[:, None]
                nxt *= a[:, None]
                cur += nxt
                if not every:
                    out[todo] = cur
                break
            out[todo[hit]] = cur[hit] * (1 - a)[:, None] + nxt[hit] * a[:, None]
        keep = ~hit
        todo = todo[keep]
        every = False
        cur = nxt[keep]
        p_cur = p_nxt[keep]
    return out, exponent, clipped


# --------------------------------------------------------------------------------------
# compiled kernels (numba, cached on disk): noise and matrix fill with peak calibration
# --------------------------------------------------------------------------------------


_CHUNK = 64
"""Intervals per partial sum in the compiled kernels (a power of two)."""


@njit(cache=True, error_model="numpy")
def _ar1_exp_kernel(eps, phi, sigma):  # pragma: no cover - compiled
    """Turn standard normals (rows) into lognormal AR(1) multipliers with mean 1, in place."""
    for i in range(eps.shape[0]):
        _ar1_exp_row(eps[i], phi, sigma)


@njit(inline="always")
def _ar1_exp_row(row, phi, sigma):  # pragma: no cover - compiled
    """One row of standard normals -> lognormal AR(1) multipliers with mean 1, in place."""
    root = math.sqrt(1.0 - phi * phi)
    c = sigma * root
    c0 = 1.0 / root
    half_var = 0.5 * sigma * sigma
    x = 0.0
    for b in range(row.shape[0]):
        e = row[b] * c
        x = e * c0 if b == 0 else e + phi * x  # stationary start
        row[b] = math.exp(x - half_var)


@njit(inline="always")
def _fill_row(  # noqa: PLR0917
    out, i, base, block_sum, block_max, p, mult, ann, tg, per, max_levels, sums, part_sums
):  # pragma: no cover - compiled
    """Fill ``out[i]`` with ``ann * shape``, ``shape = base[p, t] * mult[b]`` normalised,
    reshaped to the peak share ``tg`` when it is finite.

    ``block_max[p, b]`` is the largest ``base[p, t]`` in block ``b``: the row's largest value
    is the largest ``f_b * block_max[p, b]`` (``f_b >= 0``, rounding is monotonic), so the
    write loop carries no running maximum. Returns ``(exponent, clipped, reached)`` (see
    :func:`_fill_kernel`).
    """
    n = out.shape[1]
    nb = mult.shape[0]
    tot = 0.0
    for c0 in range(0, nb, _CHUNK):
        part = 0.0
        for b in range(c0, min(nb, c0 + _CHUNK)):
            part += mult[b] * block_sum[p, b]
        tot += part
    scale = ann / tot if tot > 0.0 else 0.0
    row_max = 0.0
    for b in range(nb):
        row_max = max(row_max, mult[b] * scale * block_max[p, b])
    if math.isnan(tg) or row_max <= 0.0:  # no target or an empty row: write and done
        for b in range(nb):
            f = mult[b] * scale
            t0 = b * per
            for t in range(t0, min(n, t0 + per)):
                out[i, t] = f * base[p, t]
        return 1.0, False, np.nan
    # with a target: the row sum in chunks of _CHUNK intervals (partial sums keep the
    # rounding error small), accumulated while writing
    row_sum = 0.0
    part = 0.0
    for b in range(nb):
        f = mult[b] * scale
        t0 = b * per
        for t in range(t0, min(n, t0 + per)):
            v = f * base[p, t]
            out[i, t] = v
            part += v
            if (t + 1) & (_CHUNK - 1) == 0:
                row_sum += part
                part = 0.0
    row_sum += part
    p0 = row_max / row_sum
    if tg <= p0:  # flatten toward 1/n
        spread = p0 - 1.0 / n
        bw = (p0 - tg) / spread if spread > 0.0 else 0.0
        bw = min(max(bw, 0.0), 1.0)
        k0 = (1.0 - bw) * ann / row_sum
        k1 = bw / n * ann
        for t in range(n):
            out[i, t] = out[i, t] * k0 + k1
        return 1.0 - bw, False, p0 * (1.0 - bw) + bw / n
    # sums of x^(2^j), j = 1 .. max_levels, in one pass (x = value / row max)
    for j in range(max_levels + 1):
        sums[j] = 0.0
    sums[0] = row_sum / row_max
    inv_max = 1.0 / row_max
    for c0 in range(0, n, _CHUNK):
        for j in range(1, max_levels + 1):
            part_sums[j] = 0.0
        for t in range(c0, min(n, c0 + _CHUNK)):
            y = out[i, t] * inv_max
            for j in range(1, max_levels + 1):
                y = y * y
                part_sums[j] += y
        for j in range(1, max_levels + 1):
            sums[j] += part_sums[j]
    level = -1
    for j in range(1, max_levels + 1):
        if tg <= 1.0 / sums[j]:
            level = j - 1
            break
    if level < 0:  # not reachable: the most peaked shape S_max_levels
        kk = ann / sums[max_levels]
        for t in range(n):
            y = out[i, t] * inv_max
            for _ in range(max_levels):
                y = y * y
            out[i, t] = y * kk
        return 2.0**max_levels, True, 1.0 / sums[max_levels]
    p_lo = 1.0 / sums[level]
    p_hi = 1.0 / sums[level + 1]
    a = (tg - p_lo) / (p_hi - p_lo)
    k_lo = (1.0 - a) * ann / sums[level]
    k_hi = a * ann / sums[level + 1]
    for t in range(n):
        y = out[i, t] * inv_max
        for _ in range(level):
            y = y * y
        out[i, t] = y * k_lo + y * y * k_hi
    return 2.0**level * (1.0 + a), False, tg


@njit(cache=True, error_model="numpy")
def _fill_kernel(  # noqa: PLR0917
    out,
    base,
    block_sum,
    block_max,
    prof_of,
    mult,
    annual,
    target,
    per,
    max_levels,
    exponent,
    clipped,
    reached,
):  # pragma: no cover - compiled
    """``out[i, b*per + q] = annual_i * shape`` with ``shape = base[p, t] * mult[i, b]``
    normalised, then (where ``target[i]`` is finite) reshaped to the peak share ``target``:
    a blend of ``S_k`` and ``S_(k+1)`` (``S_k = x^(2^k) / sum``, ``x = shape / max``) or of
    ``S_0`` and the flat profile; see :func:`_blend_to_peak`. ``exponent``, ``clipped`` and
    ``reached`` (the peak share reached, nan without a target) are written per row."""
    sums = np.empty(max_levels + 1)
    part_sums = np.empty(max_levels + 1)
    for i in range(out.shape[0]):
        e, c, r = _fill_row(
            out, i, base, block_sum, block_max, prof_of[i], mult[i], annual[i], target[i], per,
            max_levels, sums, part_sums,
        )  # fmt: skip
        exponent[i] = e
        clipped[i] = c
        reached[i] = r


@njit(cache=True, error_model="numpy")
def _noisy_fill_kernel(  # noqa: PLR0917
    out,
    base,
    block_sum,
    block_max,
    prof_of,
    states,
    n_blocks,
    phi,
    sigma,
    annual,
    target,
    per,
    max_levels,
    exponent,
    clipped,
    reached,
):  # pragma: no cover - compiled
    """:func:`_fill_kernel` with the multipliers drawn per row inside the kernel: row ``i``
    uses the normals of ``numpy.random.default_rng(seed_i)`` (PCG64 state ``states[i]``,
    :mod:`parkplan.energy.rng`) turned into the AR(1) multipliers of :func:`ar1_multiplier`,
    bit for bit, without a multiplier matrix."""
    sums = np.empty(max_levels + 1)
    part_sums = np.empty(max_levels + 1)
    mult = np.empty(n_blocks)
    st = np.empty(4, dtype=np.uint64)
    for i in range(out.shape[0]):
        for j in range(4):
            st[j] = states[i, j]
        for b in range(n_blocks):
            mult[b] = standard_normal(st)
        _ar1_exp_row(mult, phi, sigma)
        e, c, r = _fill_row(
            out, i, base, block_sum, block_max, prof_of[i], mult, annual[i], target[i], per,
            max_levels, sums, part_sums,
        )  # fmt: skip
        exponent[i] = e
        clipped[i] = c
        reached[i] = r


def warm_up() -> float:
    """Compile (or load from the on-disk cache) the demand kernels on a tiny case. [s]"""
    import time

    start = time.perf_counter()
    eps = np.zeros((1, 2))
    _ar1_exp_kernel(eps, 0.5, 0.1)
    out = np.empty((2, 4))
    _fill_kernel(
        out, np.ones((1, 4)), np.full((1, 2), 2.0), np.ones((1, 2)), np.zeros(2, dtype=np.int64),
        np.ones((2, 2)), np.ones(2), np.array([np.nan, 0.5]), 2, _MAX_PEAK_LEVELS, np.ones(2),
        np.zeros(2, dtype=np.bool_), np.zeros(2),
    )  # fmt: skip
    _noisy_fill_kernel(
        out, np.ones((1, 4)), np.full((1, 2), 2.0), np.ones((1, 2)), np.zeros(2, dtype=np.int64),
        pcg64_states([0, 1]), 2, 0.5, 0.1, np.ones(2), np.array([np.nan, 0.5]), 2,
        _MAX_PEAK_LEVELS, np.ones(2), np.zeros(2, dtype=np.bool_), np.zeros(2),
    )  # fmt: skip
    return time.perf_counter() - start


def demand_matrix_info(
    index: pd.DatetimeIndex,
    annual_kwh: np.ndarray,
    profiles: Sequence[str],
    peak_kw: np.ndarray | None = None,
    seeds: Sequence[int] | None = None,
    *,
    variability: Variability | None = None,
    refdata: RefData | None = None,
    compiled_noise: bool = True,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, list[DemandInfo]]:
    """Demand of many companies, with how each series was made.

    See :func:`demand_matrix`; also returns one :class:`DemandInfo` per company, with
    warnings when a ``peak_kw`` cannot be reached. ``compiled_noise=False`` takes the
    reference path: the multipliers of :func:`ar1_multiplier` (NumPy's generators) as a
    matrix, then the fill kernel; the default draws the same numbers inside the kernel
    (bit for bit equal, without the matrix). ``out`` (companies x intervals, float64,
    C order) receives the result instead of a new array (every element is written).
    """
    annual = np.ascontiguousarray(annual_kwh, dtype=np.float64)
    m, n = len(annual), len(index)
    if len(profiles) != m:
        raise ParkplanError(
            f"{len(profiles)} profielen voor {m} bedrijven; verwacht evenveel.",
            f"{len(profiles)} profiles for {m} companies; expected as many.",
        )
    peaks = np.full(m, np.nan) if peak_kw is None else np.asarray(peak_kw, dtype=float)
    seed_list = list(range(m)) if seeds is None else [int(s) for s in seeds]
    var = Variability.from_refdata(refdata) if variability is None else variability
    interval_h = _step_ns(index) / 3.6e12

    # block structure of the noise: one multiplier per block of `per` intervals
    per = max(1, round(var.block_minutes / (interval_h * 60))) if var.sigma > 0 else 1
    n_blocks = -(-n // per)
    # each distinct standard profile once; rows refer to it by number
    names = list(dict.fromkeys(profiles))
    number = {name: k for k, name in enumerate(names)}
    prof_of = np.array([number[p] for p in profiles], dtype=np.int64)
    base = np.zeros((len(names), n_blocks * per))
    for k, name in enumerate(names):
        base[k, :n] = standard_profile(index, name)
    block_sum = base.reshape(len(names), n_blocks, per).sum(axis=2)
    block_max = base.reshape(len(names), n_blocks, per).max(axis=2)

    known = np.isfinite(peaks) & (peaks > 0) & (annual > 0)
    target = np.full(m, np.nan)
    target[known] = peaks[known] * interval_h / annual[known]  # share of the peak interval
    if out is None:
        out = np.empty((m, n))
    elif out.shape != (m, n) or out.dtype != np.float64 or not out.flags.c_contiguous:
        raise ParkplanError(
            "Uitvoerarray heeft niet de vorm (bedrijven x intervallen), float64, C-volgorde.",
            "Output array is not (companies x intervals), float64, C order.",
        )
    exponent = np.ones(m)
    clipped = np.zeros(m, dtype=np.bool_)
    reached = np.full(m, np.nan)
    # one compiled pass per company: its noise (the multipliers of ar1_multiplier, drawn
    # inside the kernel), the scaled noisy profile, then the closed-form peak blend
    if var.sigma > 0 and compiled_noise:
        _noisy_fill_kernel(
            out, base, block_sum, block_max, prof_of, pcg64_states(seed_list), n_blocks,
            float(var.phi), float(var.sigma), annual, target, per, _MAX_PEAK_LEVELS,
            exponent, clipped, reached,
        )  # fmt: skip
    else:
        mult = ar1_multiplier(n_blocks, seed_list, var) if var.sigma > 0 else np.ones((m, n_blocks))
        _fill_kernel(
            out, base, block_sum, block_max, prof_of, mult, annual, target, per,
            _MAX_PEAK_LEVELS, exponent, clipped, reached,
        )  # fmt: skip

    infos = [DemandInfo(profile=p, seed=s) for p, s in zip(profiles, seed_list, strict=True)]
    for i in np.flatnonzero(known).tolist():
        infos[i].peak_calibrated = True
        infos[i].exponent = float(exponent[i])
        if target[i] < 1.0 / n:
            infos[i].problems.append(_peak_problem(i, peaks[i], annual[i] / (n * interval_h)))
        elif clipped[i]:
            bound = annual[i] * reached[i] / interval_h
            infos[i].problems.append(_peak_problem(i, peaks[i], bound, too_high=True))
    return out, infos


def _peak_problem(i: int, peak: float, bound: float, too_high: bool = False) -> Problem:
    if too_high:
        return warning(
            f"companies[{i}].electricity.peak_kw",
            f"Piekvermogen {peak:.1f} kW is hoger dan met dit jaarverbruik haalbaar is "
            f"(hoogstens {bound:.1f} kW); de piek is op dat maximum gezet.",
            f"Peak power {peak:.1f} kW is higher than this annual demand allows "
            f"(at most {bound:.1f} kW); the peak was set to that maximum.",
            value=peak,
        )
    return warning(
        f"companies[{i}].electricity.peak_kw",
        f"Piekvermogen {peak:.1f} kW is lager dan het gemiddelde vermogen {bound:.1f} kW "
        "van het jaarverbruik; het profiel is vlak gemaakt.",
        f"Peak power {peak:.1f} kW is below the average power {bound:.1f} kW of the annual "
        "demand; the profile was made flat.",
        value=peak,
    )


def demand_matrix(
    index: pd.DatetimeIndex,
    annual_kwh: np.ndarray,
    profiles: Sequence[str],
    peak_kw: np.ndarray | None = None,
    seeds: Sequence[int] | None = None,
    *,
    variability: Variability | None = None,
    refdata: RefData | None = None,
) -> np.ndarray:
    """Demand of many companies from standard profiles (all results are estimates).

    Parameters
    ----------
    index
        Interval starts, constant step (normally 15 minutes, Europe/Amsterdam).
    annual_kwh
        Energy over the index per company. [kWh]
    profiles
        Standard profile name per company (see :func:`profile_for`).
    peak_kw
        Known peak per company, ``nan`` where unknown. [kW]
    seeds
        Seed per company for the variability; ``None`` uses ``0 .. m-1``.
    variability
        Noise parameters; ``None`` takes the refdata defaults, :data:`NO_VARIABILITY`
        switches it off.

    Returns
    -------
    numpy.ndarray
        Demand per company and interval, shape ``(companies, intervals)``; each row sums to
        its ``annual_kwh`` and is non-negative. [kWh]
    """
    matrix, _ = demand_matrix_info(
        index, annual_kwh, profiles, peak_kw, seeds, variability=variability, refdata=refdata
    )
    return matrix


def company_demand(
    index: pd.DatetimeIndex,
    annual_demand_kwh: float,
    profile: str,
    *,
    peak_kw: float | None = None,
    variability: Variability | None = None,
    seed: int = 0,
) -> DemandResult:
    """One company's demand series from a standard profile (an estimate).

    Parameters
    ----------
    index
        Interval starts, constant step.
    annual_demand_kwh
        Energy over the index. [kWh]
    profile
        Standard profile name.
    peak_kw
        Known highest interval average, or ``None``. [kW]
    variability
        Noise parameters; ``None`` takes refdata, :data:`NO_VARIABILITY` switches it off.
    seed
        Seed of the noise.

    Returns
    -------
    DemandResult
        ``kwh`` per interval [kWh] and ``info`` (``estimated`` is always True).
    """
    matrix, infos = demand_matrix_info(
        index,
        np.array([annual_demand_kwh], dtype=float),
        [profile],
        np.array([np.nan if peak_kw is None else peak_kw]),
        [seed],
        variability=variability,
    )
    info = infos[0]
    info.problems = [p.located(path="electricity.peak_kw") for p in info.problems]
    return DemandResult(kwh=matrix[0], info=info)


def company_demand_kwh(
    index: pd.DatetimeIndex,
    annual_demand_kwh: float,
    profile: str,
    *,
    peak_kw: float | None = None,
    variability: Variability | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Demand per interval of one company; see :func:`company_demand`. [kWh]"""
    return company_demand(
        index,
        annual_demand_kwh,
        profile,
        peak_kw=peak_kw,
        variability=variability,
        seed=seed,
    ).kwh


# --------------------------------------------------------------------------------------
# calibration to metered annual figures
# --------------------------------------------------------------------------------------


def demand_on_site_kwh(
    annual_kwh: float, annual_produced_kwh: float | None, annual_feed_in_kwh: float
) -> float:
    """Annual demand on site: offtake + own production - feed-in.

    Parameters
    ----------
    annual_kwh
        Metered offtake from the grid. [kWh]
    annual_produced_kwh
        Metered own production, ``None`` when not metered (counted as 0). [kWh]
    annual_feed_in_kwh
        Metered feed-in to the grid. [kWh]

    Returns
    -------
    float
        Demand on site. [kWh]
    """
    demand = annual_kwh + (annual_produced_kwh or 0.0) - annual_feed_in_kwh
    if demand < 0:
        raise ParkplanError(
            f"Verbruik op locatie wordt negatief ({demand:.0f} kWh): teruglevering "
            f"{annual_feed_in_kwh:.0f} kWh is groter dan afname plus eigen opwek; "
            "controleer de meterstanden.",
            f"Demand on site becomes negative ({demand:.0f} kWh): feed-in "
            f"{annual_feed_in_kwh:.0f} kWh exceeds offtake plus own production; "
            "check the meter readings.",
        )
    return float(demand)


def pv_scale_factor(simulated_pv_kwh: float, metered_produced_kwh: float) -> float:
    """Factor that scales simulated PV to the metered production. [-]"""
    if not simulated_pv_kwh > 0:
        raise ParkplanError(
            "Gesimuleerde PV-opwek is nul; kan niet schalen naar de gemeten opwek.",
            "Simulated PV production is zero; cannot scale it to the metered production.",
        )
    return float(metered_produced_kwh / simulated_pv_kwh)


def pv_scale_problems(
    factor: float,
    *,
    path: str = "electricity.annual_produced_kwh",
    low: float | None = None,
    high: float | None = None,
    refdata: RefData | None = None,
) -> list[Problem]:
    """A warning when the PV scale factor is far from 1.

    ``low`` and ``high`` default to ``demand.calibration.pv_scale_low/high`` in refdata.
    """
    lo = _refdata(refdata).value("demand.calibration.pv_scale_low") if low is None else low
    hi = _refdata(refdata).value("demand.calibration.pv_scale_high") if high is None else high
    if lo <= factor <= hi:
        return []
    return [
        warning(
            path,
            f"Gemeten opwek is {factor:.2f} keer de gesimuleerde PV-opwek (verwacht tussen "
            f"{lo:.2f} en {hi:.2f}); controleer kWp, oriëntatie of de meterstand.",
            f"Metered production is {factor:.2f} times the simulated PV production "
            f"(expected between {lo:.2f} and {hi:.2f}); check kWp, orientation or the meter.",
            value=round(factor, 4),
            code="pv_scale",
        )
    ]


def calibrate_demand_to_offtake(
    demand_shape_kwh: np.ndarray, pv_kwh: np.ndarray, target_offtake_kwh: float
) -> np.ndarray:
    """Scale demand so that simulated offtake equals the metered offtake.

    Offtake ``O(k) = sum(max(k d - p, 0))`` is continuous, piecewise linear and
    non-decreasing in the scale ``k``; its breakpoints are ``p_i / d_i``. The root of
    ``O(k) = target`` is found exactly on the sorted breakpoints (a 1-D root finder without
    iteration error).

    Parameters
    ----------
    demand_shape_kwh
        Demand shape per interval, any scale, non-negative. [kWh]
    pv_kwh
        PV production per interval. [kWh]
    target_offtake_kwh
        Metered offtake over the same period. [kWh]

    Returns
    -------
    numpy.ndarray
        Scaled demand per interval. [kWh]
    """
    d = np.asarray(demand_shape_kwh, dtype=float)
    p = np.clip(np.asarray(pv_kwh, dtype=float), 0.0, None)
    if target_offtake_kwh < 0 or not np.any(d > 0) or np.any(d < 0):
        raise ParkplanError(
            "Kalibratie op afname vraagt een niet-negatieve afname en een niet-negatief "
            "verbruiksprofiel dat niet overal nul is.",
            "Calibration to offtake needs a non-negative offtake and a non-negative demand "
            "shape that is not zero everywhere.",
        )
    pos = d > 0
    r = p[pos] / d[pos]
    order = np.argsort(r, kind="stable")
    r, dd, pp = r[order], d[pos][order], p[pos][order]
    cum_d, cum_p = np.cumsum(dd), np.cumsum(pp)
    at_break = r * cum_d - cum_p  # offtake at each breakpoint, non-decreasing
    j = int(np.searchsorted(at_break, target_offtake_kwh, side="right")) - 1
    k = r[0] if j < 0 else (target_offtake_kwh + cum_p[j]) / cum_d[j]
    return d * k


@dataclass(frozen=True)
class OfftakeFit:
    """Simulated vs metered annual flows after calibration to offtake."""

    simulated_offtake_kwh: float
    simulated_feed_in_kwh: float
    metered_feed_in_kwh: float

    @property
    def feed_in_ratio(self) -> float:
        """Simulated / metered feed-in (1 is a perfect fit; nan when nothing metered). [-]"""
        if self.metered_feed_in_kwh == 0:
            return float("nan")
        return self.simulated_feed_in_kwh / self.metered_feed_in_kwh


def offtake_fit(
    demand_kwh: np.ndarray, pv_kwh: np.ndarray, metered_feed_in_kwh: float
) -> OfftakeFit:
    """Fit indicator: simulated offtake and feed-in (without battery) vs metered feed-in.

    Parameters
    ----------
    demand_kwh
        Demand per interval. [kWh]
    pv_kwh
        PV production per interval. [kWh]
    metered_feed_in_kwh
        Metered annual feed-in. [kWh]
    """
    net = np.asarray(demand_kwh, dtype=float) - np.asarray(pv_kwh, dtype=float)
    return OfftakeFit(
        simulated_offtake_kwh=float(np.clip(net, 0, None).sum()),
        simulated_feed_in_kwh=float(np.clip(-net, 0, None).sum()),
        metered_feed_in_kwh=float(metered_feed_in_kwh),
    )


def demand_from_meter_kwh(
    offtake_kwh: np.ndarray, feed_in_kwh: np.ndarray, produced_kwh: np.ndarray
) -> tuple[np.ndarray, list[Problem]]:
    """Demand on site per interval from 15-minute meter data: offtake + production - feed-in.

    Metered data win over models: this is not an estimate when ``produced_kwh`` is metered
    too. With simulated production, an interval can come out negative (more feed-in than
    simulated production): such intervals are set to 0 and reported as a fit warning.

    Parameters
    ----------
    offtake_kwh
        Metered offtake per interval. [kWh]
    feed_in_kwh
        Metered feed-in per interval. [kWh]
    produced_kwh
        Own production per interval (metered, or simulated PV scaled to the meter). [kWh]

    Returns
    -------
    demand, problems
        Demand per interval [kWh] and warnings.
    """
    demand = (
        np.asarray(offtake_kwh, dtype=float)
        + np.asarray(produced_kwh, dtype=float)
        - np.asarray(feed_in_kwh, dtype=float)
    )
    negative = demand < 0
    problems: list[Problem] = []
    if negative.any():
        short = float(-demand[negative].sum())
        problems.append(
            warning(
                "electricity.meter_data",
                f"In {int(negative.sum())} kwartieren is de teruglevering groter dan de "
                f"(gesimuleerde) opwek, samen {short:.1f} kWh; het verbruik is daar op 0 gezet. "
                "Controleer kWp en oriëntatie van de zonnepanelen.",
                f"In {int(negative.sum())} intervals feed-in exceeds the (simulated) "
                f"production, {short:.1f} kWh together; demand was set to 0 there. Check kWp "
                "and orientation of the PV system.",
                value=int(negative.sum()),
                code="meter_fit",
            )
        )
        demand = np.where(negative, 0.0, demand)
    return demand, problems


def _wall_fold_key(wall: pd.DatetimeIndex) -> np.ndarray:
    """Naive wall-clock times as ``ns * 2 + fold`` (fold 1 for a repeated wall-clock time)."""
    fold = np.asarray(wall.duplicated(keep="first"), dtype=np.int64)
    return np.asarray(wall.asi8, dtype=np.int64) * 2 + fold


def meter_series_on_index(
    data: pd.DataFrame, index: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Put 15-minute meter data (``offtake_kwh``, ``feed_in_kwh``) on the simulation index.

    The same year is taken as it is. Data from another year are shifted by whole weeks
    (52 per year, 364 days) on the local wall clock, so that weekdays and clock times
    match; intervals that fall outside the data after that shift take the value one week
    later or earlier. A shift is reported as a warning; public holidays do not move along.

    Parameters
    ----------
    data
        Meter data on a tz-aware index, without duplicates or empty values (see
        ``parkplan.io.meterdata.drop_duplicates`` and ``fill_gaps``). [kWh]
    index
        The simulation index (tz-aware).

    Returns
    -------
    offtake_kwh, feed_in_kwh, problems
        Arrays on ``index`` [kWh] and warnings.
    """
    if data.index.tz is None or index.tz is None:
        raise ParkplanError(
            "Meetdata en tijdas moeten een tijdzone hebben.",
            "Meter data and the time index need a time zone.",
        )
    if data.index.has_duplicates or data[["offtake_kwh", "feed_in_kwh"]].isna().any().any():
        raise ParkplanError(
            "Meetdata bevatten dubbele kwartieren of lege waarden; verwijder of vul die eerst "
            "(drop_duplicates, fill_gaps).",
            "Meter data contain duplicate intervals or empty values; remove or fill them "
            "first (drop_duplicates, fill_gaps).",
        )
    # Key = local wall-clock time and its occurrence (fold 1 = the repeated autumn hour), so
    # both 02:00-03:00 hours of the long day keep their own values (energy conserved).
    src_wall = data.index.tz_convert(TZ).tz_localize(None).as_unit("ns")
    source = data[["offtake_kwh", "feed_in_kwh"]].to_numpy(dtype=float)
    lookup = pd.Series(np.arange(len(src_wall)), index=_wall_fold_key(src_wall))
    target = index.tz_convert(TZ).tz_localize(None).as_unit("ns")
    tgt_fold = np.asarray(target.duplicated(keep="first"), dtype=np.int64)
    year_shift = int(np.median(target.year)) - int(np.median(src_wall.year))
    shift = pd.Timedelta(days=364 * year_shift)

    def find(mask: np.ndarray, offset: pd.Timedelta, fold: np.ndarray) -> np.ndarray:
        wall = np.asarray((target[mask] - shift + offset).asi8, dtype=np.int64)
        return np.asarray(lookup.reindex(wall * 2 + fold[mask]).to_numpy(dtype=float))

    every = np.ones(len(target), dtype=bool)
    pos = np.array(find(every, pd.Timedelta(0), tgt_fold))
    # a repeated hour that the source does not repeat (another year) takes its first one
    todo = np.isnan(pos) & (tgt_fold == 1)
    if todo.any():
        pos[todo] = find(todo, pd.Timedelta(0), np.zeros_like(tgt_fold))
    for weeks in (1, -1, 2, -2):
        todo = np.isnan(pos)
        if not todo.any():
            break
        pos[todo] = find(todo, pd.Timedelta(weeks=weeks), np.zeros_like(tgt_fold))
    problems: list[Problem] = []
    if np.isnan(pos).any():
        first = target[np.isnan(pos)][0]
        raise ParkplanError(
            f"Meetdata dekken de simulatieperiode niet: {int(np.isnan(pos).sum())} kwartieren "
            f"ontbreken (eerste {first:%d-%m-%Y %H:%M}).",
            f"Meter data do not cover the simulated period: {int(np.isnan(pos).sum())} "
            f"intervals are missing (first {first:%d-%m-%Y %H:%M}).",
        )
    if year_shift:
        problems.append(
            warning(
                "electricity.meter_data",
                f"Meetdata verschoven met {52 * year_shift} weken naar het simulatiejaar "
                "(weekdagen en kloktijden gelijk; feestdagen schuiven niet mee).",
                f"Meter data shifted by {52 * year_shift} weeks to the simulated year "
                "(weekdays and clock times kept; public holidays do not move along).",
                value=year_shift,
                code="meter_shifted",
            )
        )
    idx = pos.astype(np.int64)
    return source[idx, 0], source[idx, 1], problems
