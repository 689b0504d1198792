"""The GTO game: what a group transport agreement is worth to each coalition of companies.

Definition (issue 4, item 5), on fixed simulated series::

    v(S) = sum over i in S of cost_alone(i)  -  cost(S as one GTO group)

``cost`` is the capacity-related transport cost over the period (Tarievencode art. 3.7.18):

    cost(S) = f x kc[g(S)] x C(S) x months  +  f x km[g(S)] x sum over months of P_S(m)
              + surcharge(S)

- ``P_S(m)`` is the group's simultaneous monthly peak: the largest interval average of
  ``max(sum of members' offtake - sum of members' feed-in, 0)``. [kW]
- ``g(S)`` is the group category: the highest individual category among the members
  (art. 3.7.2a). Individual categories come from each member's own contracted capacity.
- ``C(S)`` is the contracted group capacity. Rule ``"peak"`` (default): every coalition,
  including a company alone, contracts exactly its simultaneous peak ``max_m P_S(m)``, so
  ``v({i}) = 0`` and the game measures the value of pooling alone, not of re-contracting.
  Rule ``"sum"``: ``C(S)`` = the sum of the members' contracted capacities (the GTO then only
  saves on the kWmax charge).
- ``f`` is ``gto.correction_factor``; ``kc`` and ``km`` are the kW-contract and kWmax tariffs
  per month of the group category (``grid_tariff.<operator>.<category>.*``).
- ``surcharge(S)`` (art. 3.7.19): when ``g(S)`` is MS and S has Trafo MS/LS (A.3) members,
  ``(kc[MS/LS] - kc[MS])`` x the sum of those members' own monthly kWmax.
- Fixed charges, kWh transport tariffs, energy tax and supply stay per connection and are
  equal alone and in the group: they cancel from ``v``.

With the hub's shared assets (:class:`SharedAssets`: a shared battery and/or shared PV), a
coalition's cost also counts what the assets change in its energy exchange: supply price x
change in offtake minus feed-in compensation x change in feed-in; the stand-alone cost stays
without assets. This slow path evaluates the battery kernel per coalition and is meant for
small hubs.

The fast path (:func:`gto_marginals`) walks one order of the players with a running sum of
their net series and the monthly maxima of the prefix *and* of its complement in one
compiled pass, so a permutation and its reverse (antithetic pair) cost one sweep through the
members x intervals matrix. :func:`gto_coalition_values` enumerates all ``2**n`` coalitions
in Gray-code order (one series added or removed per coalition). For large groups
:func:`gto_shapley_owen` estimates the Shapley value by stratified, antithetic Owen sampling
on two levels (a surrogate game on each month's top intervals plus paired corrections), and
:func:`gto_blocking_search` looks for a coalition that would do better alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numba
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import GRID_LEVELS
from parkplan.economics.allocation import MAX_EXACT_PLAYERS, MarginalsFunction
from parkplan.economics.tariffs import (
    TariffError,
    grid_tariff,
    interval_hours,
    month_codes,
    monthly_max_kw,
    tariff_category,
)
from parkplan.refdata.loader import UnknownValueError

if TYPE_CHECKING:
    from parkplan.energy.battery import Battery
    from parkplan.refdata.loader import RefData

FloatArray = NDArray[np.float64]
ContractRule = Literal["peak", "sum"]
CONTRACT_RULES: tuple[str, ...] = ("peak", "sum")
_MS = GRID_LEVELS.index("MS")
_MSLS = GRID_LEVELS.index("MS/LS")


class GameError(ParkplanError):
    """The inputs of a sharing game are invalid (Dutch and English message)."""


@dataclass(frozen=True)
class SharedAssets:
    """The hub's shared battery and/or shared PV, and the prices to value their energy.

    Attributes
    ----------
    shared_pv_kwh
        Production of the shared PV per interval. [kWh]
    shared_battery
        The shared battery (:class:`parkplan.energy.battery.Battery`), peak-shaving the group.
    supply_eur_per_kwh
        Value of avoided offtake. [EUR/kWh]
    feed_in_eur_per_kwh
        Value of extra feed-in. [EUR/kWh]
    """

    supply_eur_per_kwh: float
    feed_in_eur_per_kwh: float
    shared_pv_kwh: FloatArray | None = None
    shared_battery: Battery | None = None


@dataclass
class GtoGame:
    """A GTO game on fixed series; build it with :func:`gto_game`."""

    ids: list[str]
    import_kwh: FloatArray
    """Offtake per member and interval. [kWh]"""
    export_kwh: FloatArray
    """Feed-in per member and interval. [kWh]"""
    net_kwh: FloatArray
    """Offtake minus feed-in, C-contiguous (members x intervals). [kWh]"""
    interval_h: float
    month_starts: NDArray[np.int64]
    """Start of each calendar month in the index, plus the end."""
    months: int
    categories: list[str]
    rank: NDArray[np.int64]
    """Position of each member's category in ``GRID_LEVELS``."""
    kc: FloatArray
    """kW-contract tariff per category rank (nan when not needed). [EUR/kW/month]"""
    km: FloatArray
    """kWmax tariff per category rank (nan when not needed). [EUR/kW/month]"""
    factor: float
    msls_surcharge: bool
    a3_kwmax_kw: FloatArray
    """Sum over months of each MS/LS member's own kWmax (0 for others). [kW x month]"""
    contracted_kw: FloatArray
    contract: ContractRule
    standalone_eur: FloatArray
    """Each member's cost alone. [EUR over the period]"""
    refs: tuple[str, ...] = ()
    shared: SharedAssets | None = None
    month_of_interval: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def n(self) -> int:
        """Number of members."""
        return len(self.ids)

    def group_cost_from_peaks(
        self,
        peaks_kw: FloatArray,
        rank: NDArray[np.int64],
        a3_kw: FloatArray,
        contracted_kw: FloatArray,
        empty: NDArray[np.bool_],
    ) -> FloatArray:
        """Vectorised ``cost(S)`` from the monthly peaks (rows: coalitions). [EUR]"""
        p = np.maximum(peaks_kw, 0.0)
        cap = p.max(axis=1) if self.contract == "peak" else contracted_kw
        r = np.maximum(rank, 0)
        cost = self.factor * (self.kc[r] * cap * self.months + self.km[r] * p.sum(axis=1))
        if self.msls_surcharge:
            extra = np.where(r == _MS, (self.kc[_MSLS] - self.kc[_MS]) * a3_kw, 0.0)
            cost = cost + np.where(a3_kw > 0, extra, 0.0)
        return np.where(empty, 0.0, cost)

    def cost_eur(self, members: ArrayLike) -> float:
        """Annual cost of the coalition as one GTO group (shared assets included). [EUR]"""
        m = _members(members, self.n)
        if not m.any():
            return 0.0
        if self.shared is not None:
            return self._cost_with_assets(m)
        net = self.net_kwh[m].sum(axis=0)
        peaks = _monthly_max(net, self.month_starts) / self.interval_h
        return float(
            self.group_cost_from_peaks(
                peaks[None, :],
                np.array([self.rank[m].max()]),
                np.array([self.a3_kwmax_kw[m].sum()]),
                np.array([self.contracted_kw[m].sum()]),
                np.array([False]),
            )[0]
        )

    def _cost_with_assets(self, m: NDArray[np.bool_]) -> float:
        from parkplan.energy.grid import simulate_group

        assert self.shared is not None
        imp = self.import_kwh[m].sum(axis=0)
        exp_ = self.export_kwh[m].sum(axis=0)
        out = simulate_group(
            imp,
            exp_,
            month=self.month_of_interval,
            interval_h=self.interval_h,
            shared_pv_kwh=self.shared.shared_pv_kwh,
            shared_battery=self.shared.shared_battery,
        )
        net_after = out.import_kwh - out.export_kwh
        peaks = _monthly_max(np.ascontiguousarray(net_after), self.month_starts) / self.interval_h
        transport = self.group_cost_from_peaks(
            peaks[None, :],
            np.array([self.rank[m].max()]),
            np.array([self.a3_kwmax_kw[m].sum()]),
            np.array([self.contracted_kw[m].sum()]),
            np.array([False]),
        )[0]
        net_before = imp - exp_
        d_imp = float(np.maximum(net_after, 0).sum() - np.maximum(net_before, 0).sum())
        d_exp = float(np.maximum(-net_after, 0).sum() - np.maximum(-net_before, 0).sum())
        energy = self.shared.supply_eur_per_kwh * d_imp - self.shared.feed_in_eur_per_kwh * d_exp
        return float(transport + energy)

    def value(self, members: ArrayLike) -> float:
        """``v(S)``: the members' stand-alone costs minus the group's cost. [EUR]"""
        m = _members(members, self.n)
        if not m.any():
            return 0.0
        return float(self.standalone_eur[m].sum() - self.cost_eur(m))

    def total_benefit_eur(self) -> float:
        """``v(N)``, the benefit of the whole group. [EUR over the period]"""
        return self.value(np.ones(self.n, dtype=bool))


def _members(members: ArrayLike, n: int) -> NDArray[np.bool_]:
    m = np.asarray(members)
    if m.dtype != bool:
        idx = m.astype(np.int64).reshape(-1)
        m = np.zeros(n, dtype=bool)
        m[idx] = True
    if m.shape != (n,):
        raise GameError(
            f"coalitie moet {n} leden beschrijven (gevonden vorm {m.shape})",
            f"a coalition must describe {n} members (found shape {m.shape})",
        )
    return m


def _series_matrix(name: str, values: ArrayLike, n_t: int) -> FloatArray:
    arr = np.atleast_2d(np.asarray(values, dtype=np.float64))
    if arr.shape[1] != n_t:
        raise GameError(
            f"{name}: reeksen hebben {arr.shape[1]} intervallen, de index {n_t}",
            f"{name}: series have {arr.shape[1]} intervals, the index {n_t}",
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise GameError(
            f"{name}: waarden moeten eindig en >= 0 kWh zijn",
            f"{name}: values must be finite and >= 0 kWh",
        )
    return arr


def gto_game(
    import_kwh: ArrayLike,
    index: pd.DatetimeIndex,
    contracted_kw: ArrayLike,
    *,
    operator: str,
    year: int,
    refdata: RefData,
    export_kwh: ArrayLike | None = None,
    ids: Sequence[str] | None = None,
    grid_levels: Sequence[str | None] | None = None,
    contract: ContractRule = "peak",
    fallback_operator: str | None = None,
    interval_h: float | None = None,
    shared: SharedAssets | None = None,
) -> GtoGame:
    """Build the GTO game of a group of grootverbruik connections.

    Parameters
    ----------
    import_kwh
        Offtake per member and interval, members x intervals. [kWh]
    index
        The shared time index (sorted, tz-aware).
    contracted_kw
        Each member's contracted capacity: decides its individual tariff category. [kW]
    operator, year, refdata
        Grid operator, tariff year and reference data (tariffs, ``gto.*``).
    export_kwh
        Feed-in per member and interval (nets against other members' offtake). [kWh]
    ids
        Company ids, in row order.
    grid_levels
        Grid level of each member (needed above the MS bound).
    contract
        ``"peak"`` or ``"sum"``: how a coalition's group capacity is set (module docstring).
    fallback_operator
        Take unknown tariffs from this operator (the refs say so).
    interval_h
        Interval length; inferred from the index when omitted. [h]
    shared
        The hub's shared assets (slow path; small hubs).

    Raises
    ------
    UnknownValueError
        A tariff the game needs is not known for the year; the message names the key and
        how to supply it (``refdata_overrides`` in the park file).
    """
    n_t = len(index)
    imp = _series_matrix("import_kwh", import_kwh, n_t)
    n = imp.shape[0]
    exp_ = (
        np.zeros_like(imp) if export_kwh is None else _series_matrix("export_kwh", export_kwh, n_t)
    )
    if exp_.shape != imp.shape:
        raise GameError(
            "teruglevering moet dezelfde vorm hebben als de afname",
            "feed-in must have the same shape as offtake",
        )
    if n < 1:
        raise GameError("een groep heeft minstens één lid", "a group needs at least one member")
    if contract not in CONTRACT_RULES:
        raise GameError(
            f"onbekende contractregel {contract!r}; verwacht een van {CONTRACT_RULES}",
            f"unknown contract rule {contract!r}; expected one of {CONTRACT_RULES}",
        )
    ckw = np.asarray(contracted_kw, dtype=np.float64).reshape(-1)
    if ckw.shape[0] != n:
        raise GameError(
            f"{n} leden maar {ckw.shape[0]} gecontracteerde vermogens",
            f"{n} members but {ckw.shape[0]} contracted capacities",
        )
    names = [str(x) for x in ids] if ids is not None else [f"m{i}" for i in range(n)]
    if len(names) != n or len(set(names)) != n:
        raise GameError("ids moeten uniek zijn, één per lid", "ids must be unique, one per member")
    codes = month_codes(index)
    if np.any(np.diff(codes) < 0):
        raise GameError(
            "de tijdindex moet oplopend gesorteerd zijn", "the time index must be sorted"
        )
    h = interval_h if interval_h is not None else interval_hours(index)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]).astype(np.int64)
    month_starts = np.r_[starts, n_t].astype(np.int64)
    months = len(starts)
    levels = list(grid_levels) if grid_levels is not None else [None] * n
    cats: list[str] = []
    for i in range(n):
        try:
            cats.append(
                tariff_category(
                    float(ckw[i]),
                    operator,
                    year,
                    refdata,
                    levels[i],
                    fallback_operator=fallback_operator,
                )
            )
        except TariffError as exc:
            raise GameError(f"lid {names[i]}: {exc.nl}", f"member {names[i]}: {exc.en}") from exc
    rank = np.array([GRID_LEVELS.index(c) for c in cats], dtype=np.int64)
    kc = np.full(len(GRID_LEVELS), np.nan)
    km = np.full(len(GRID_LEVELS), np.nan)
    refs: list[str] = ["gto.correction_factor", "gto.msls_surcharge"]
    missing: list[str] = []
    need = sorted(set(rank.tolist()))
    msls = bool(refdata.value("gto.msls_surcharge", year) == 1.0)
    a3 = rank == _MSLS
    if msls and a3.any() and (rank == _MS).any():
        need = sorted(set(need) | {_MSLS, _MS})
    for r in need:
        for comp, arr in (("kw_contract_eur_per_kw_month", kc), ("kw_max_eur_per_kw_month", km)):
            tv = grid_tariff(
                operator, GRID_LEVELS[r], comp, year, refdata, fallback_operator=fallback_operator
            )
            refs.append(tv.key)
            if tv.value is None:
                missing.append(tv.key)
            else:
                arr[r] = tv.value
    if missing:
        keys = ", ".join(missing)
        raise UnknownValueError(
            f"het GTO-spel heeft transporttarieven nodig die voor {year} onbekend zijn: {keys}. "
            f"Vul ze in via refdata_overrides in het parkbestand (bijv. '{missing[0]}: ...').",
            f"the GTO game needs transport tariffs unknown for {year}: {keys}. Supply them "
            f"through refdata_overrides in the park file (e.g. '{missing[0]}: ...').",
            key=keys,
            year=year,
        )
    factor = float(refdata.value("gto.correction_factor", year))
    own_peaks = monthly_max_kw(imp, index, h)  # offtake kWmax per member and month
    a3_kwmax = np.where(a3, own_peaks.sum(axis=1), 0.0)
    game = GtoGame(
        ids=names,
        import_kwh=imp,
        export_kwh=exp_,
        net_kwh=np.ascontiguousarray(imp - exp_),
        interval_h=h,
        month_starts=month_starts,
        months=months,
        categories=cats,
        rank=rank,
        kc=kc,
        km=km,
        factor=factor,
        msls_surcharge=msls,
        a3_kwmax_kw=a3_kwmax,
        contracted_kw=ckw,
        contract=contract,
        standalone_eur=np.zeros(n),
        refs=tuple(dict.fromkeys(refs)),
        shared=None,
        month_of_interval=month_codes(index) % 12,  # local calendar month 0-11
    )
    # stand-alone: each member as a group of one, without shared assets
    peaks = np.stack([_monthly_max(game.net_kwh[i], month_starts) for i in range(n)]) / h
    game.standalone_eur = game.group_cost_from_peaks(
        peaks, rank, a3_kwmax, ckw, np.zeros(n, dtype=bool)
    )
    game.shared = shared
    return game


# --------------------------------------------------------------------------------------
# compiled kernels
# --------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _monthly_max(x: FloatArray, month_starts: NDArray[np.int64]) -> FloatArray:  # pragma: no cover
    m = month_starts.shape[0] - 1
    out = np.empty(m)
    for k in range(m):
        best = -np.inf
        for t in range(month_starts[k], month_starts[k + 1]):
            best = max(best, x[t])
        out[k] = best
    return out


@numba.njit(cache=True)
def _prefix_peaks(
    x: FloatArray, order: NDArray[np.int64], month_starts: NDArray[np.int64], total: FloatArray
) -> tuple[FloatArray, FloatArray]:  # pragma: no cover
    """Monthly maxima of the prefix sums of ``order`` and of their complements.

    Row ``k`` is the coalition of the first ``k`` players (``fwd``) and the coalition of
    the others (``cmp``). One pass per player over the intervals. [kWh per interval]
    """
    n = order.shape[0]
    n_t = x.shape[1]
    m = month_starts.shape[0] - 1
    fwd = np.zeros((n + 1, m))
    cmp = np.zeros((n + 1, m))
    run = np.zeros(n_t)
    for k in range(m):
        best = -np.inf
        for t in range(month_starts[k], month_starts[k + 1]):
            best = max(best, total[t])
        cmp[0, k] = best
        fwd[0, k] = 0.0
    for step in range(1, n + 1):
        row = order[step - 1]
        for k in range(m):
            bf = -np.inf
            bc = -np.inf
            for t in range(month_starts[k], month_starts[k + 1]):
                v = run[t] + x[row, t]
                run[t] = v
                bf = max(bf, v)
                c = total[t] - v
                bc = max(bc, c)
            fwd[step, k] = bf
            cmp[step, k] = bc
    return fwd, cmp


@numba.njit(cache=True)
def _gray_peaks(x: FloatArray, month_starts: NDArray[np.int64]) -> FloatArray:  # pragma: no cover
    """Monthly maxima of every coalition's summed series, indexed by bitmask."""
    n = x.shape[0]
    n_t = x.shape[1]
    m = month_starts.shape[0] - 1
    out = np.zeros((1 << n, m))
    run = np.zeros(n_t)
    prev = 0
    for g in range(1, 1 << n):
        gray = g ^ (g >> 1)
        diff = gray ^ prev
        bit = 0
        while (diff >> bit) & 1 == 0:
            bit += 1
        sign = 1.0 if (gray >> bit) & 1 else -1.0
        for k in range(m):
            best = -np.inf
            for t in range(month_starts[k], month_starts[k + 1]):
                v = run[t] + sign * x[bit, t]
                run[t] = v
                best = max(best, v)
            out[gray, k] = best
        prev = gray
    return out


# --------------------------------------------------------------------------------------
# values and marginals
# --------------------------------------------------------------------------------------


def _require_fast(game: GtoGame) -> None:
    if game.shared is not None:
        raise GameError(
            "met gedeelde installaties (batterij, zon) werkt alleen het langzame pad: gebruik "
            "game.value met de algemene functies",
            "with shared assets (battery, PV) only the slow path works: use game.value with the "
            "generic functions",
        )


def gto_coalition_values(game: GtoGame) -> FloatArray:
    """``v(S)`` of every coalition, indexed by bitmask (length ``2**n``). [EUR]

    Exact enumeration in Gray-code order; practical up to about 18 members. With shared
    assets every coalition runs the battery kernel (small hubs only).
    """
    n = game.n
    if n > MAX_EXACT_PLAYERS:
        raise GameError(
            f"exacte berekening voor {n} leden is te groot (maximaal {MAX_EXACT_PLAYERS}); "
            "gebruik de steekproefmethode",
            f"exact computation for {n} members is too large (at most {MAX_EXACT_PLAYERS}); "
            "use sampling",
        )
    masks = np.arange(1 << n, dtype=np.int64)
    members = ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(bool)
    if game.shared is not None:
        return np.array([game.value(row) if row.any() else 0.0 for row in members])
    peaks = _gray_peaks(game.net_kwh, game.month_starts) / game.interval_h
    rank = np.where(members, game.rank[None, :], -1).max(axis=1)
    fm = members.astype(np.float64)
    cost = game.group_cost_from_peaks(
        peaks, rank, fm @ game.a3_kwmax_kw, fm @ game.contracted_kw, masks == 0
    )
    return fm @ game.standalone_eur - cost


def _order_costs(game: GtoGame, order: NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
    """Costs of the prefixes P_0..P_n of ``order`` and of their complements."""
    n = game.n
    fwd, cmp = _prefix_peaks(game.net_kwh, order, game.month_starts, _total(game))
    fwd /= game.interval_h
    cmp /= game.interval_h
    r = game.rank[order]
    rank_p = np.r_[-1, np.maximum.accumulate(r)]
    rank_c = np.r_[np.maximum.accumulate(r[::-1])[::-1], -1]
    a3 = np.r_[0.0, np.cumsum(game.a3_kwmax_kw[order])]
    ck = np.r_[0.0, np.cumsum(game.contracted_kw[order])]
    steps = np.arange(n + 1)
    cost_p = game.group_cost_from_peaks(fwd, rank_p, a3, ck, steps == 0)
    a3_tot = float(game.a3_kwmax_kw.sum())
    ck_tot = float(game.contracted_kw.sum())
    cost_c = game.group_cost_from_peaks(cmp, rank_c, a3_tot - a3, ck_tot - ck, steps == n)
    return cost_p, cost_c


def _total(game: GtoGame) -> FloatArray:
    tot = getattr(game, "_total_cache", None)
    if tot is None:
        tot = np.ascontiguousarray(game.net_kwh.sum(axis=0))
        game._total_cache = tot  # type: ignore[attr-defined]
    return tot


def order_marginals(game: GtoGame, order: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Marginal contributions along ``order`` and along its reverse, in one sweep. [EUR]

    Returns ``(forward, reverse)``, each indexed by player.
    """
    _require_fast(game)
    o = np.ascontiguousarray(np.asarray(order, dtype=np.int64))
    if o.shape != (game.n,) or np.unique(o).size != game.n or o.min() < 0 or o.max() >= game.n:
        raise GameError(
            f"een volgorde is een permutatie van 0..{game.n - 1}",
            f"an order is a permutation of 0..{game.n - 1}",
        )
    cost_p, cost_c = _order_costs(game, o)
    sa = game.standalone_eur[o]
    fwd = np.empty(game.n)
    rev = np.empty(game.n)
    # forward: order[k] joins P_k -> P_{k+1}
    fwd[o] = sa - cost_p[1:] + cost_p[:-1]
    # reverse: order[k] joins N \ P_{k+1} -> N \ P_k
    rev[o] = sa - cost_c[:-1] + cost_c[1:]
    return fwd, rev


def gto_marginals(game: GtoGame) -> MarginalsFunction:
    """A fast marginals function for :func:`parkplan.economics.allocation.shapley_sampled`.

    A call with an order computes the reverse order's marginals in the same sweep and keeps
    them for the next call (the antithetic partner), so a pair costs one pass.
    """
    _require_fast(game)
    cache: dict[bytes, FloatArray] = {}

    def marginals(order: NDArray[np.int64]) -> FloatArray:
        o = np.asarray(order, dtype=np.int64)
        hit = cache.pop(o.tobytes(), None)
        if hit is not None:
            return hit
        fwd, rev = order_marginals(game, o)
        cache.clear()
        cache[o[::-1].tobytes()] = rev
        return fwd

    return marginals


def gto_value_function(game: GtoGame) -> Any:
    """``v`` as a function of a boolean membership vector (for the generic tools)."""
    return game.value


# --------------------------------------------------------------------------------------
# stratified Owen sampling (large games)
# --------------------------------------------------------------------------------------


@numba.njit(cache=True, fastmath=True)
def _toggle_peaks(
    x: FloatArray, in_s: NDArray[np.bool_], month_starts: NDArray[np.int64], total: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:  # pragma: no cover
    """Monthly maxima of S, of its complement C, and of S and C with each player toggled.

    Row ``i`` of the toggled arrays is ``S xor {i}`` and ``C xor {i}``; since
    ``sum(C xor {i}) = total - sum(S xor {i})`` both come from one pass per player.
    """
    n = x.shape[0]
    n_t = x.shape[1]
    m = month_starts.shape[0] - 1
    run = np.zeros(n_t)
    for j in range(n):
        if in_s[j]:
            for t in range(n_t):
                run[t] += x[j, t]
    base_s = np.empty(m)
    base_c = np.empty(m)
    for k in range(m):
        bf = -np.inf
        bc = -np.inf
        for t in range(month_starts[k], month_starts[k + 1]):
            bf = max(bf, run[t])
            bc = max(bc, total[t] - run[t])
        base_s[k] = bf
        base_c[k] = bc
    tog_s = np.empty((n, m))
    tog_c = np.empty((n, m))
    for i in range(n):
        s = -1.0 if in_s[i] else 1.0
        for k in range(m):
            bf = -np.inf
            bc = -np.inf
            for t in range(month_starts[k], month_starts[k + 1]):
                v = run[t] + s * x[i, t]
                bf = max(bf, v)
                bc = max(bc, total[t] - v)
            tog_s[i, k] = bf
            tog_c[i, k] = bc
    return base_s, base_c, tog_s, tog_c


@numba.njit(cache=True)
def _month_ranges(
    x: FloatArray, month_starts: NDArray[np.int64]
) -> tuple[FloatArray, FloatArray]:  # pragma: no cover
    """Per member and month the largest and smallest value of ``x``. [kWh]"""
    n = x.shape[0]
    m = month_starts.shape[0] - 1
    hi = np.empty((n, m))
    lo = np.empty((n, m))
    for i in range(n):
        for k in range(m):
            a = -np.inf
            b = np.inf
            for t in range(month_starts[k], month_starts[k + 1]):
                a = max(a, x[i, t])
                b = min(b, x[i, t])
            hi[i, k] = a
            lo[i, k] = b
    return hi, lo


@numba.njit(cache=True)
def _toggle_pruned(  # noqa: PLR0917
    x: FloatArray,
    run: FloatArray,
    in_s: NDArray[np.bool_],
    month_starts: NDArray[np.int64],
    total: FloatArray,
    hi: FloatArray,
    lo: FloatArray,
    xorder: NDArray[np.int32],
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:  # pragma: no cover
    """As :func:`_toggle_peaks`, given the sum ``run`` of S, scanning only candidates.

    In month m the maximum of ``run + s x_i`` is at least ``max(run) + min(s x_i)``, so an
    interval with ``run < max(run) - W`` (``W`` = the widest range ``hi - lo`` of any
    member) can never hold it. The candidates are scanned in descending order of ``run``
    and the scan stops once ``run + max(s x_i)`` cannot beat the best found. When the
    coalition's own range in the month is narrower than the member's, the member's intervals
    are scanned instead in the order of its own values (``xorder``: descending per month),
    stopping once ``max(run) + s x_i`` cannot beat the best. Exact.
    """
    n = x.shape[0]
    m = month_starts.shape[0] - 1
    base_s = np.empty(m)
    base_c = np.empty(m)
    tog_s = np.empty((n, m))
    tog_c = np.empty((n, m))
    for k in range(m):
        a = month_starts[k]
        b = month_starts[k + 1]
        width = 0.0
        for i in range(n):
            width = max(width, hi[i, k] - lo[i, k])
        rmax = -np.inf
        cmax = -np.inf
        for t in range(a, b):
            rmax = max(rmax, run[t])
            cmax = max(cmax, total[t] - run[t])
        base_s[k] = rmax
        base_c[k] = cmax
        cs = np.empty(b - a, dtype=np.int64)
        cc = np.empty(b - a, dtype=np.int64)
        ns = 0
        nc = 0
        for t in range(a, b):
            if run[t] >= rmax - width:
                cs[ns] = t
                ns += 1
            if total[t] - run[t] >= cmax - width:
                cc[nc] = t
                nc += 1
        cs = cs[:ns]
        cc = cc[:nc]
        vs = np.empty(ns)
        for j in range(ns):
            vs[j] = -run[cs[j]]
        cs = cs[np.argsort(vs)]
        vc = np.empty(nc)
        for j in range(nc):
            vc[j] = run[cc[j]] - total[cc[j]]
        cc = cc[np.argsort(vc)]
        rmin = np.inf
        cmin = np.inf
        for t in range(a, b):
            rmin = min(rmin, run[t])
            cmin = min(cmin, total[t] - run[t])
        for i in range(n):
            s = -1.0 if in_s[i] else 1.0
            up_s = hi[i, k] if s > 0 else -lo[i, k]
            up_c = -lo[i, k] if s > 0 else hi[i, k]
            span = hi[i, k] - lo[i, k]
            if rmax - rmin < span:
                tog_s[i, k] = _scan_own(x, i, xorder, a, b, s, run, rmax)
                if cmax - cmin < span:
                    tog_c[i, k] = _scan_own_c(x, i, xorder, a, b, -s, run, total, cmax)
                    continue
            elif cmax - cmin < span:
                tog_c[i, k] = _scan_own_c(x, i, xorder, a, b, -s, run, total, cmax)
                best = -np.inf
                for j in range(ns):
                    t = cs[j]
                    if run[t] + up_s <= best:
                        break
                    v = run[t] + s * x[i, t]
                    best = max(best, v)
                tog_s[i, k] = best
                continue
            best = -np.inf
            for j in range(ns):
                t = cs[j]
                if run[t] + up_s <= best:
                    break
                v = run[t] + s * x[i, t]
                best = max(best, v)
            tog_s[i, k] = best
            best = -np.inf
            for j in range(nc):
                t = cc[j]
                rc = total[t] - run[t]
                if rc + up_c <= best:
                    break
                v = rc - s * x[i, t]
                best = max(best, v)
            tog_c[i, k] = best
    return base_s, base_c, tog_s, tog_c


@numba.njit(cache=True)
def _scan_own(  # noqa: PLR0917
    x: FloatArray,
    i: int,
    xorder: NDArray[np.int32],
    a: int,
    b: int,
    s: float,
    run: FloatArray,
    rmax: float,
) -> float:  # pragma: no cover
    """max over [a, b) of ``run + s x_i``, scanning i's intervals by ``s x_i`` descending."""
    best = -np.inf
    length = b - a
    for j in range(length):
        t = xorder[i, a + j] if s > 0 else xorder[i, b - 1 - j]
        xs = s * x[i, t]
        if rmax + xs <= best:
            break
        v = run[t] + xs
        best = max(best, v)
    return best


@numba.njit(cache=True)
def _scan_own_c(  # noqa: PLR0917
    x: FloatArray,
    i: int,
    xorder: NDArray[np.int32],
    a: int,
    b: int,
    s: float,
    run: FloatArray,
    total: FloatArray,
    cmax: float,
) -> float:  # pragma: no cover
    """max over [a, b) of ``total - run + s x_i``, scanning by ``s x_i`` descending."""
    best = -np.inf
    length = b - a
    for j in range(length):
        t = xorder[i, a + j] if s > 0 else xorder[i, b - 1 - j]
        xs = s * x[i, t]
        if cmax + xs <= best:
            break
        v = total[t] - run[t] + xs
        best = max(best, v)
    return best


@numba.njit(cache=True)
def _own_order(
    x: FloatArray, month_starts: NDArray[np.int64]
) -> NDArray[np.int32]:  # pragma: no cover
    """Per member, the intervals of each month sorted by the member's value, descending."""
    n = x.shape[0]
    out = np.empty(x.shape, dtype=np.int32)
    for i in range(n):
        for k in range(month_starts.shape[0] - 1):
            a = month_starts[k]
            b = month_starts[k + 1]
            o = np.argsort(-x[i, a:b])
            for j in range(b - a):
                out[i, a + j] = a + o[j]
    return out


@numba.njit(cache=True)
def _row_sum(x: NDArray[np.float32], rows: NDArray[np.bool_]) -> FloatArray:  # pragma: no cover
    """Sum of the selected rows of a float32 copy (half the memory traffic), in float64."""
    out = np.zeros(x.shape[1])
    for i in range(x.shape[0]):
        if rows[i]:
            for t in range(x.shape[1]):
                out[t] += x[i, t]
    return out


def _toggled_costs(
    game: GtoGame, in_s: NDArray[np.bool_], base: FloatArray, tog: FloatArray
) -> FloatArray:
    """Marginal of every player w.r.t. coalition ``in_s`` (joining or leaving it). [EUR]"""
    n = game.n
    h = game.interval_h
    counts = np.bincount(game.rank[in_s], minlength=len(GRID_LEVELS))
    top = int(np.flatnonzero(counts)[-1]) if counts.any() else -1
    # rank of S xor {i}
    rank_tog = np.empty(n, dtype=np.int64)
    join = ~in_s
    rank_tog[join] = np.maximum(top, game.rank[join])
    leave = np.flatnonzero(in_s)
    for r in np.unique(game.rank[leave]) if leave.size else []:
        c = counts.copy()
        c[r] -= 1
        nz = np.flatnonzero(c)
        rank_tog[leave[game.rank[leave] == r]] = int(nz[-1]) if nz.size else -1
    sign = np.where(in_s, -1.0, 1.0)
    a3_s = float(game.a3_kwmax_kw[in_s].sum())
    ck_s = float(game.contracted_kw[in_s].sum())
    size = int(in_s.sum())
    cost_s = game.group_cost_from_peaks(
        base[None, :] / h,
        np.array([top]),
        np.array([a3_s]),
        np.array([ck_s]),
        np.array([size == 0]),
    )[0]
    cost_t = game.group_cost_from_peaks(
        tog / h,
        rank_tog,
        a3_s + sign * game.a3_kwmax_kw,
        ck_s + sign * game.contracted_kw,
        (size + sign) == 0,
    )
    # joining: v(S+i) - v(S) = sa_i - cost(S+i) + cost(S); leaving: sa_i - cost(S) + cost(S-i)
    return np.where(
        join,
        game.standalone_eur - cost_t + cost_s,
        game.standalone_eur - cost_s + cost_t,
    )


@numba.njit(cache=True)
def _cost_row(  # noqa: PLR0917
    peaks: FloatArray,
    rank: int,
    a3: float,
    ck: float,
    kc: FloatArray,
    km: FloatArray,
    factor: float,
    msls: bool,
    contract_peak: bool,
    months: int,
    inv_h: float,
) -> float:  # pragma: no cover
    """``cost(S)`` from the monthly maxima of S's summed series [kWh]; rank -1 = empty."""
    if rank < 0:
        return 0.0
    total = 0.0
    cap = 0.0
    for k in range(peaks.shape[0]):
        p = max(peaks[k], 0.0) * inv_h
        total += p
        cap = max(cap, p)
    if not contract_peak:
        cap = ck
    cost = factor * (kc[rank] * cap * months + km[rank] * total)
    if msls and rank == _MS and a3 > 0:
        cost += (kc[_MSLS] - kc[_MS]) * a3
    return cost


@numba.njit(cache=True)
def _side_costs(  # noqa: PLR0917
    in_s: NDArray[np.bool_],
    base: FloatArray,
    tog: FloatArray,
    rank: NDArray[np.int64],
    kc: FloatArray,
    km: FloatArray,
    factor: float,
    msls: bool,
    a3: FloatArray,
    ck: FloatArray,
    contract_peak: bool,
    months: int,
    inv_h: float,
) -> tuple[float, FloatArray]:  # pragma: no cover
    """``cost(S)`` and ``cost(S xor {i})`` for every player. [EUR]"""
    n = in_s.shape[0]
    counts = np.zeros(8, dtype=np.int64)
    a3_s = 0.0
    ck_s = 0.0
    for i in range(n):
        if in_s[i]:
            counts[rank[i]] += 1
            a3_s += a3[i]
            ck_s += ck[i]
    top = -1
    for r in range(8):
        if counts[r] > 0:
            top = r
    cost_s = _cost_row(base, top, a3_s, ck_s, kc, km, factor, msls, contract_peak, months, inv_h)
    out = np.empty(n)
    for i in range(n):
        if in_s[i]:
            r_t = top
            if rank[i] == top and counts[top] == 1:
                r_t = -1
                for r in range(top):
                    if counts[r] > 0:
                        r_t = r
            out[i] = _cost_row(
                tog[i], r_t, a3_s - a3[i], ck_s - ck[i], kc, km, factor, msls, contract_peak,
                months, inv_h,
            )  # fmt: skip
        else:
            out[i] = _cost_row(
                tog[i], max(top, rank[i]), a3_s + a3[i], ck_s + ck[i], kc, km, factor, msls,
                contract_peak, months, inv_h,
            )  # fmt: skip
    return cost_s, out


@numba.njit(cache=True)
def _side_marginals(  # noqa: PLR0917
    in_s: NDArray[np.bool_],
    base: FloatArray,
    tog: FloatArray,
    rank: NDArray[np.int64],
    kc: FloatArray,
    km: FloatArray,
    factor: float,
    msls: bool,
    a3: FloatArray,
    ck: FloatArray,
    sa: FloatArray,
    contract_peak: bool,
    months: int,
    inv_h: float,
) -> FloatArray:  # pragma: no cover
    """Every player's marginal w.r.t. coalition ``in_s`` (joining or leaving it). [EUR]"""
    cost_s, cost_t = _side_costs(
        in_s, base, tog, rank, kc, km, factor, msls, a3, ck, contract_peak, months, inv_h
    )
    out = np.empty(in_s.shape[0])
    for i in range(in_s.shape[0]):
        if in_s[i]:
            out[i] = sa[i] - cost_s + cost_t[i]
        else:
            out[i] = sa[i] - cost_t[i] + cost_s
    return out


class _Sampler:
    """Everything one Owen evaluation of a (possibly surrogate) game needs, precomputed."""

    def __init__(self, game: GtoGame) -> None:
        self.game = game
        self.x = game.net_kwh
        self.x32 = game.net_kwh.astype(np.float32)
        self.total = _total(game)
        self.hi, self.lo = _month_ranges(game.net_kwh, game.month_starts)
        self.xorder = _own_order(game.net_kwh, game.month_starts)
        self.kc = np.nan_to_num(game.kc, nan=0.0)
        self.km = np.nan_to_num(game.km, nan=0.0)

    def marginals(self, in_s: NDArray[np.bool_]) -> FloatArray:
        """Average of the marginals w.r.t. S (at q) and its complement (at 1 - q). [EUR]"""
        g = self.game
        run = _row_sum(self.x32, in_s)
        base_s, base_c, tog_s, tog_c = _toggle_pruned(
            self.x, run, in_s, g.month_starts, self.total, self.hi, self.lo, self.xorder
        )
        args = (g.rank, self.kc, self.km, g.factor, g.msls_surcharge, g.a3_kwmax_kw,
                g.contracted_kw, g.standalone_eur, g.contract == "peak", g.months,
                1.0 / g.interval_h)  # fmt: skip
        return 0.5 * (
            _side_marginals(in_s, base_s, tog_s, *args)
            + _side_marginals(~in_s, base_c, tog_c, *args)
        )

    def values(self, in_s: NDArray[np.bool_]) -> tuple[float, FloatArray]:
        """``v(S)`` and ``v(S xor {i})`` for every player, in one pass. [EUR]"""
        g = self.game
        run = _row_sum(self.x32, in_s)
        base_s, _, tog_s, _ = _toggle_pruned(
            self.x, run, in_s, g.month_starts, self.total, self.hi, self.lo, self.xorder
        )
        cost_s, cost_t = _side_costs(
            in_s, base_s, tog_s, g.rank, self.kc, self.km, g.factor, g.msls_surcharge,
            g.a3_kwmax_kw, g.contracted_kw, g.contract == "peak", g.months, 1.0 / g.interval_h,
        )  # fmt: skip
        sa_s = float(g.standalone_eur[in_s].sum())
        sign = np.where(in_s, -1.0, 1.0)
        return sa_s - cost_s, sa_s + sign * g.standalone_eur - cost_t


def surrogate_game(game: GtoGame, top_per_month: int) -> GtoGame:
    """The same game on the ``top_per_month`` intervals of each month with the highest
    summed net offtake of all members (the ones where large coalitions peak).

    Stand-alone costs and the MS/LS members' kWmax are recomputed on those intervals, so the
    surrogate is a game of its own; it serves as a control for :func:`gto_shapley_owen`.
    """
    tot = _total(game)
    keep: list[NDArray[np.int64]] = []
    for k in range(game.months):
        a, b = int(game.month_starts[k]), int(game.month_starts[k + 1])
        keep.append(a + np.argsort(-tot[a:b], kind="stable")[:top_per_month])
    sub = np.sort(np.concatenate(keep))
    month_of = np.searchsorted(game.month_starts, sub, side="right") - 1
    starts = np.flatnonzero(np.r_[True, month_of[1:] != month_of[:-1]])
    month_starts = np.r_[starts, sub.size].astype(np.int64)
    imp = np.ascontiguousarray(game.import_kwh[:, sub])
    g = GtoGame(
        ids=game.ids,
        import_kwh=imp,
        export_kwh=np.ascontiguousarray(game.export_kwh[:, sub]),
        net_kwh=np.ascontiguousarray(game.net_kwh[:, sub]),
        interval_h=game.interval_h,
        month_starts=month_starts,
        months=game.months,
        categories=game.categories,
        rank=game.rank,
        kc=game.kc,
        km=game.km,
        factor=game.factor,
        msls_surcharge=game.msls_surcharge,
        a3_kwmax_kw=np.zeros(game.n),
        contracted_kw=game.contracted_kw,
        contract=game.contract,
        standalone_eur=np.zeros(game.n),
        refs=game.refs,
        month_of_interval=game.month_of_interval[sub],
    )
    own = np.stack([_monthly_max(imp[i], month_starts) for i in range(game.n)]) / game.interval_h
    g.a3_kwmax_kw = np.where(game.rank == _MSLS, own.sum(axis=1), 0.0)
    peaks = np.stack([_monthly_max(g.net_kwh[i], month_starts) for i in range(game.n)])
    g.standalone_eur = g.group_cost_from_peaks(
        peaks / game.interval_h, g.rank, g.a3_kwmax_kw, g.contracted_kw, np.zeros(g.n, bool)
    )
    return g


@dataclass(frozen=True)
class OwenEstimate:
    """A Shapley value estimated by stratified Owen sampling."""

    values: FloatArray
    """Estimated share of each player, made efficient (adds up to ``v(N)``). [EUR]"""
    ci95_halfwidth: FloatArray
    """Half-width of the 95 % interval of each share, from the spread between rounds. [EUR]"""
    rounds: int
    """Rounds on the full game (paired with the surrogate when one is used)."""
    strata: int
    evaluations: int
    """Coalitions evaluated on the full game (each with all players toggled, S and its
    complement counted once)."""
    seconds: float
    surrogate_rounds: int = 0
    """Rounds on the surrogate game alone."""


def _stratum_coalitions(rng: np.random.Generator, n: int, strata: int) -> list[NDArray[np.bool_]]:
    out = []
    for j in range(strata):
        q = 0.5 * (j + rng.random()) / strata
        out.append(rng.random(n) < q)
    return out


def gto_shapley_owen(
    game: GtoGame,
    *,
    seed: int,
    strata: int = 16,
    min_rounds: int = 8,
    max_rounds: int = 200,
    target_rel_halfwidth: float | None = None,
    max_seconds: float | None = None,
    surrogate_top: int | None = 50,
) -> OwenEstimate:
    """Shapley value of a large GTO game by stratified, antithetic Owen sampling.

    The Shapley value is the integral over ``q`` in [0, 1] of the expected marginal
    contribution of a player to a random coalition that holds every other player with
    probability ``q`` (Owen's multilinear extension). Each *round* draws one ``q`` in each of
    ``strata`` equal strata of [0, 1/2] and one coalition ``S`` per ``q``; its complement is
    the antithetic coalition for ``1 - q``. One compiled pass toggles every player in ``S``
    and in the complement, giving all players' marginals at ``q`` and ``1 - q``; rounds are
    independent, so the 95 % half-width is ``1.96 x sd(rounds) / sqrt(rounds)``.

    Two levels (``surrogate_top``, default 50): the same game restricted to the
    ``surrogate_top`` intervals per month with the highest total offtake
    (:func:`surrogate_game`) is some 50 times cheaper and its marginals differ from the full
    ones only when a coalition peaks elsewhere. The estimate is
    ``E[surrogate marginals] + E[full - surrogate marginals]``: many rounds on the surrogate
    alone and a few *paired* rounds (the same coalitions on both games) for the correction.
    Both parts are unbiased, so the sum is; their variances add. Each step runs the kind of
    round that removes most variance of the worst share per second. ``None`` samples the
    full game only.

    Sampling stops after ``max_rounds`` paired rounds, after ``max_seconds``, or when every
    half-width is at most ``target_rel_halfwidth`` times the mean absolute share (after at
    least ``min_rounds`` of each kind). The mean is then made efficient (shares add up to
    ``v(N)``) by spreading the small residual in proportion to each share's variance (the
    least-squares adjustment of Williamson and Feng, 2020); the half-widths are those before
    the adjustment.
    """
    import time

    _require_fast(game)
    if strata < 1 or min_rounds < 2 or max_rounds < min_rounds:
        raise GameError(
            "strata >= 1 en 2 <= min_rounds <= max_rounds",
            "strata >= 1 and 2 <= min_rounds <= max_rounds",
        )
    start = time.perf_counter()
    n = game.n
    rng = np.random.default_rng(seed)
    full = _Sampler(game)
    sur = None
    if surrogate_top is not None and surrogate_top < int(np.diff(game.month_starts).max()):
        sur = _Sampler(surrogate_game(game, surrogate_top))
    paired: list[FloatArray] = []
    cheap: list[FloatArray] = []
    t_pair = t_cheap = 0.0

    def estimate() -> tuple[FloatArray, FloatArray]:
        d = np.asarray(paired)
        mean = d.mean(axis=0)
        var = d.var(axis=0, ddof=1) / d.shape[0]
        if sur is not None:
            c = np.asarray(cheap)
            mean = mean + c.mean(axis=0)
            var = var + c.var(axis=0, ddof=1) / c.shape[0]
        return mean, var

    max_cheap = 50 * max_rounds
    while True:
        done_pair = len(paired) >= max_rounds
        done_cheap = sur is None or len(cheap) >= max_cheap
        if done_pair and (done_cheap or len(cheap) >= min_rounds):
            break
        need_pair = len(paired) < min_rounds
        need_cheap = sur is not None and len(cheap) < min_rounds
        if need_pair or need_cheap:
            need_pair = need_pair and not (need_cheap and len(cheap) < len(paired))
        elif sur is not None:
            d = np.asarray(paired)
            c = np.asarray(cheap)
            vd = d.var(axis=0, ddof=1)
            vc = c.var(axis=0, ddof=1)
            worst = int(np.argmax(vd / d.shape[0] + vc / c.shape[0]))
            gain_d = vd[worst] / (d.shape[0] * (d.shape[0] + 1)) / max(t_pair / d.shape[0], 1e-9)
            gain_c = vc[worst] / (c.shape[0] * (c.shape[0] + 1)) / max(t_cheap / c.shape[0], 1e-9)
            need_pair = gain_d >= gain_c
        else:
            need_pair = True
        if done_pair:
            need_pair = False
        if done_cheap:
            need_pair = True
        t0 = time.perf_counter()
        coalitions = _stratum_coalitions(rng, n, strata)
        if need_pair:
            acc = np.zeros(n)
            for in_s in coalitions:
                acc += full.marginals(in_s)
                if sur is not None:
                    acc -= sur.marginals(in_s)
            paired.append(acc / strata)
            t_pair += time.perf_counter() - t0
        else:
            assert sur is not None
            acc = np.zeros(n)
            for in_s in coalitions:
                acc += sur.marginals(in_s)
            cheap.append(acc / strata)
            t_cheap += time.perf_counter() - t0
        if len(paired) >= min_rounds and (sur is None or len(cheap) >= min_rounds):
            mean, var = estimate()
            half = 1.96 * np.sqrt(var)
            scale = float(np.mean(np.abs(mean)))
            if target_rel_halfwidth is not None and (
                scale == 0 or float(half.max()) <= target_rel_halfwidth * scale
            ):
                break
            if max_seconds is not None and time.perf_counter() - start > max_seconds:
                break
    mean, var = estimate()
    half = 1.96 * np.sqrt(var)
    residual = game.total_benefit_eur() - float(mean.sum())
    mean = mean + residual * var / var.sum() if var.sum() > 0 else mean + residual / n
    return OwenEstimate(
        mean,
        half,
        len(paired),
        strata,
        2 * strata * len(paired),
        time.perf_counter() - start,
        len(cheap),
    )


def gto_blocking_search(
    game: GtoGame,
    allocation: ArrayLike,
    *,
    seed: int,
    n_starts: int = 20,
    max_steps: int = 50,
    tol: float = 1e-6,
) -> Any:
    """Search a large GTO game for a coalition that would do better alone.

    As :func:`parkplan.economics.allocation.find_blocking_coalition`, but each local step
    evaluates ``v(S xor {i})`` for every player in one compiled pass and moves to the toggle
    that raises the excess ``v(S) - x(S)`` most. Finding none is evidence, not proof, of
    stability.
    """
    from parkplan.economics.allocation import CoreCheck

    _require_fast(game)
    x = np.asarray(allocation, dtype=float)
    n = game.n
    if x.shape != (n,):
        raise GameError(f"verdeling moet {n} bedragen hebben", f"allocation must have {n} amounts")
    rng = np.random.default_rng(seed)
    sampler = _Sampler(game)
    best = CoreCheck(True, (), 0.0)
    for _ in range(n_starts):
        members = rng.random(n) < rng.uniform(0.05, 0.95)
        if not 0 < members.sum() < n:
            continue
        v_s, v_t = sampler.values(members)
        excess = v_s - float(x[members].sum())
        for _step in range(max_steps):
            x_t = float(x[members].sum()) + np.where(members, -x, x)
            ex_t = v_t - x_t
            size_t = members.sum() + np.where(members, -1, 1)
            ex_t[(size_t <= 0) | (size_t >= n)] = -np.inf
            j = int(np.argmax(ex_t))
            if ex_t[j] <= excess + tol:
                break
            members[j] = not members[j]
            v_s, v_t = sampler.values(members)
            excess = v_s - float(x[members].sum())
        if excess > tol and excess > best.excess:
            best = CoreCheck(False, tuple(int(i) for i in np.flatnonzero(members)), float(excess))
    return best
