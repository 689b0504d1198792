"""The GTO game: the three-company reference case, fast kernels vs direct, Shapley properties."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from parkplan.economics.allocation import (
    core_check_exact,
    marginals_from_value_function,
    shapley_exact,
    shapley_sampled,
)
from parkplan.economics.games import (
    GameError,
    _month_ranges,
    _own_order,
    _toggle_peaks,
    _toggle_pruned,
    _total,
    gto_coalition_values,
    gto_game,
    gto_marginals,
    gto_shapley_owen,
    order_marginals,
)
from parkplan.refdata import load_refdata
from parkplan.refdata.loader import UnknownValueError

DATA = Path(__file__).parents[1] / "data" / "economics"
TZ = "Europe/Amsterdam"
KW = {"operator": "stedin", "year": 2026}


@pytest.fixture(scope="module")
def ref():
    return load_refdata()


def three(ref):
    spec = yaml.safe_load((DATA / "gto_three_companies.yaml").read_text(encoding="utf-8"))
    index = pd.DatetimeIndex(pd.to_datetime(spec["intervals"])).tz_convert(TZ)
    names = list(spec["companies"])
    kwh = np.array([spec["companies"][c]["kw"] for c in names], dtype=float) * 0.25
    ckw = [spec["companies"][c]["contracted_kw"] for c in names]
    game = gto_game(kwh, index, ckw, ids=names, refdata=ref, interval_h=0.25, **KW)
    return spec, names, game


def test_game_reproduces_the_seven_coalition_values(ref):
    spec, names, game = three(ref)
    for c, eur in spec["standalone_eur"].items():
        assert game.standalone_eur[names.index(c)] == pytest.approx(eur, abs=1e-9)
    values = gto_coalition_values(game)
    by_members = {tuple(c["members"]): c for c in spec["coalitions"]}
    for r in (1, 2, 3):
        for members in combinations(names, r):
            mask = sum(1 << names.index(m) for m in members)
            exp = by_members[members]["value_eur"]
            assert values[mask] == pytest.approx(exp, abs=1e-9), members
            member_vec = np.array([n in members for n in names])
            assert game.value(member_vec) == pytest.approx(exp, abs=1e-9)
    phi = shapley_exact(values)
    assert phi.sum() == pytest.approx(1352.632)
    # every order's marginals (and its reverse) equal the differences of coalition values
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        fwd, rev = order_marginals(game, order)
        generic = marginals_from_value_function(game.value, 3)
        np.testing.assert_allclose(fwd, generic(np.array(order)), atol=1e-9)
        np.testing.assert_allclose(rev, generic(np.array(order[::-1])), atol=1e-9)


def _random_game(ref, n, seed, intervals=96 * 2, export=True):
    rng = np.random.default_rng(seed)
    index = pd.date_range("2026-01-30", periods=intervals, freq="15min", tz=TZ)
    size = np.exp(rng.uniform(np.log(20), np.log(600), n))
    shape = 0.4 + 0.6 * rng.random((n, intervals))
    imp = size[:, None] * shape * 0.25
    exp_ = np.zeros_like(imp)
    if export:
        exp_[: n // 3, 40:60] = imp[: n // 3, 40:60] * 0.8
        imp[: n // 3, 40:60] = 0.0
    ckw = np.minimum(imp.max(axis=1) / 0.25 * 1.2, 1400)
    return gto_game(imp, index, ckw, export_kwh=exp_, refdata=ref, **KW), imp, index


def test_fast_kernels_equal_direct_computation(ref):
    game, _, _ = _random_game(ref, 7, seed=3)
    values = gto_coalition_values(game)
    for mask in (1, 5, 77, 127):
        members = np.array([(mask >> i) & 1 for i in range(7)], dtype=bool)
        assert values[mask] == pytest.approx(game.value(members), abs=1e-7)
    tot = _total(game)
    hi, lo = _month_ranges(game.net_kwh, game.month_starts)
    xo = _own_order(game.net_kwh, game.month_starts)
    rng = np.random.default_rng(0)
    for q in (0.0, 0.2, 0.5, 0.9):
        in_s = rng.random(7) < q
        run = game.net_kwh[in_s].sum(axis=0)
        full = _toggle_peaks(game.net_kwh, in_s, game.month_starts, tot)
        pruned = _toggle_pruned(game.net_kwh, run, in_s, game.month_starts, tot, hi, lo, xo)
        for a, b in zip(full, pruned, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-9)


def test_shapley_properties_efficiency_symmetry_null_player(ref):
    rng = np.random.default_rng(5)
    index = pd.date_range("2026-01-30", periods=192, freq="15min", tz=TZ)
    imp = (50 + 100 * rng.random((5, 192))) * 0.25
    imp[3] = imp[1]  # companies 1 and 3 are identical
    imp[4] = 0.0  # company 4 takes nothing from the grid: adds nothing
    ckw = [120.0, 120.0, 120.0, 120.0, 120.0]
    game = gto_game(imp, index, ckw, refdata=ref, **KW)
    phi = shapley_exact(gto_coalition_values(game))
    assert phi.sum() == pytest.approx(game.total_benefit_eur())
    assert phi[1] == pytest.approx(phi[3])
    assert phi[4] == pytest.approx(0.0, abs=1e-9)
    assert core_check_exact(gto_coalition_values(game), phi).stable in (True, False)


def test_sampled_interval_contains_exact_value_in_90_percent_of_200_runs(ref):
    game, _, _ = _random_game(ref, 12, seed=11, intervals=96)
    exact = shapley_exact(gto_coalition_values(game))
    marginals = gto_marginals(game)
    covered = total = 0
    for seed in range(200):
        est = shapley_sampled(marginals, 12, seed=seed, max_permutations=100, batch=25)
        assert est.values.sum() == pytest.approx(exact.sum(), rel=1e-9)  # noqa: PD011 U
        covered += int((np.abs(est.values - exact) <= est.ci95_halfwidth).sum())  # noqa: PD011 U
        total += 12
    assert covered / total >= 0.90


def test_owen_sampling_is_efficient_and_close_to_exact(ref):
    game, _, _ = _random_game(ref, 10, seed=2, intervals=96)
    exact = shapley_exact(gto_coalition_values(game))
    inside = 0
    for seed in range(20):
        est = gto_shapley_owen(game, seed=seed, strata=8, min_rounds=10, max_rounds=10)
        assert est.values.sum() == pytest.approx(game.total_benefit_eur())  # noqa: PD011 U
        inside += int((np.abs(est.values - exact) <= est.ci95_halfwidth + 1e-9).sum())  # noqa: PD011 U
    assert inside / 200 >= 0.85


def test_unknown_tariff_and_bad_input_are_refused(ref):
    index = pd.date_range("2026-01-01", periods=8, freq="15min", tz=TZ)
    with pytest.raises(UnknownValueError) as exc:
        gto_game(np.ones((2, 8)), index, [100, 100], operator="rendo", year=2026, refdata=ref)
    assert "refdata_overrides" in exc.value.en
    with pytest.raises(GameError):
        gto_game(-np.ones((2, 8)), index, [100, 100], refdata=ref, **KW)
    with pytest.raises(GameError):
        gto_game(np.ones((2, 8)), index, [100], refdata=ref, **KW)
    with pytest.raises(GameError):
        gto_game(np.ones((2, 8)), index, [100, 100], refdata=ref, contract="half", **KW)
    game = gto_game(np.ones((2, 8)), index, [100, 100], refdata=ref, **KW)
    with pytest.raises(GameError):
        order_marginals(game, [0, 0])


def test_compiled_costs_and_surrogate_agree_with_the_direct_game(ref):
    from parkplan.economics.games import _Sampler, _toggled_costs, surrogate_game

    game, _, _ = _random_game(ref, 9, seed=4, intervals=96 * 3)
    sampler = _Sampler(game)
    tot = _total(game)
    rng = np.random.default_rng(1)
    for q in (0.1, 0.4):
        in_s = rng.random(9) < q
        bs, bc, ts, tc = _toggle_peaks(game.net_kwh, in_s, game.month_starts, tot)
        direct = 0.5 * (_toggled_costs(game, in_s, bs, ts) + _toggled_costs(game, ~in_s, bc, tc))
        np.testing.assert_allclose(sampler.marginals(in_s), direct, atol=1e-3)  # float32 sums
    # the surrogate keeps the top intervals; with all of them it is the game itself
    whole = surrogate_game(game, 10_000)
    np.testing.assert_allclose(whole.standalone_eur, game.standalone_eur)
    small = surrogate_game(game, 8)
    assert small.net_kwh.shape == (9, 8 * game.months)
    assert np.all(small.standalone_eur <= game.standalone_eur + 1e-9)
    # two-level sampling stays efficient and close to the exact value
    exact = shapley_exact(gto_coalition_values(game))
    est = gto_shapley_owen(game, seed=3, strata=8, min_rounds=20, max_rounds=20, surrogate_top=8)
    assert est.values.sum() == pytest.approx(game.total_benefit_eur())  # noqa: PD011
    assert est.surrogate_rounds >= 20
    assert np.all(np.abs(est.values - exact) <= 4 * est.ci95_halfwidth + 1e-6)  # noqa: PD011


def test_blocking_search_agrees_with_the_exact_core_check(ref):
    from parkplan.economics.games import _Sampler, gto_blocking_search

    game, _, _ = _random_game(ref, 8, seed=6, intervals=96 * 2)
    values = gto_coalition_values(game)
    sampler = _Sampler(game)
    members = np.array([1, 0, 1, 1, 0, 0, 1, 0], dtype=bool)
    v_s, v_t = sampler.values(members)
    mask = int(sum(1 << i for i in np.flatnonzero(members)))
    assert v_s == pytest.approx(values[mask], abs=1e-3)
    for i in range(8):
        assert v_t[i] == pytest.approx(values[mask ^ (1 << i)], abs=1e-3)
    # an allocation that gives everything to company 0 is blocked by the others
    unfair = np.zeros(8)
    unfair[0] = values[-1]
    exact = core_check_exact(values, unfair)
    found = gto_blocking_search(game, unfair, seed=1)
    assert not exact.stable and not found.stable
    assert 0 not in found.blocking_coalition
    assert found.excess == pytest.approx(
        values[int(sum(1 << i for i in found.blocking_coalition))]
        - unfair[list(found.blocking_coalition)].sum(),
        abs=1e-3,
    )
    phi = shapley_exact(values)
    if core_check_exact(values, phi, tol=1e-6).stable:
        assert gto_blocking_search(game, phi, seed=1, tol=1e-3).stable


def test_shared_battery_coalition_cost_matches_group_simulation_and_tariffs(ref):
    from parkplan.economics.games import SharedAssets
    from parkplan.economics.tariffs import group_transport_eur
    from parkplan.energy.battery import BATTERY_DEFAULT_KEYS, Strategy, battery_from_defaults
    from parkplan.energy.grid import simulate_group

    plain, imp, index = _random_game(ref, 4, seed=8, intervals=96 * 4, export=False)
    defaults = {k: ref.value(k) for k in BATTERY_DEFAULT_KEYS}
    target = 0.8 * plain.net_kwh.sum(axis=0).max() / 0.25
    bat = battery_from_defaults(
        200.0, defaults, power_kw=100.0, strategy=Strategy.PEAK_SHAVING, target_import_kw=target
    )
    assets = SharedAssets(supply_eur_per_kwh=0.11, feed_in_eur_per_kwh=0.04, shared_battery=bat)
    game = gto_game(imp, index, plain.contracted_kw, refdata=ref, shared=assets, **KW)
    np.testing.assert_allclose(game.standalone_eur, plain.standalone_eur)  # alone: no assets
    members = np.array([True, True, False, True])
    out = simulate_group(
        imp[members].sum(axis=0), np.zeros(imp.shape[1]), month=game.month_of_interval,
        interval_h=0.25, shared_battery=bat,
    )  # fmt: skip
    net = out.import_kwh - out.export_kwh
    peak_kw = float(np.maximum(net, 0).max() / 0.25)
    transport = group_transport_eur(
        np.maximum(net, 0)[None, :], index, [plain.contracted_kw[members].max()], peak_kw,
        refdata=ref, interval_h=0.25, **KW,
    )  # fmt: skip
    # the MS/LS surcharge rests on the A.3 members' own kWmax, not on the shaved group series
    surcharge = group_transport_eur(
        imp[members], index, plain.contracted_kw[members], peak_kw, refdata=ref, interval_h=0.25,
        **KW,
    ).msls_surcharge_eur  # fmt: skip
    before = imp[members].sum()
    energy = 0.11 * (np.maximum(net, 0).sum() - before) - 0.04 * np.maximum(-net, 0).sum()
    expected = transport.total_eur - transport.msls_surcharge_eur + surcharge + energy
    assert game.cost_eur(members) == pytest.approx(expected, rel=1e-9)
    assert out.import_kwh.max() < imp[members].sum(axis=0).max()  # the battery shaved the peak
    with pytest.raises(GameError):
        gto_marginals(game)  # the fast path refuses shared assets


def test_peak_contribution_key_of_the_three_company_case(ref):
    from parkplan.services.business_case import peak_contributions_kw

    _, _, game = three(ref)
    # group peaks: January interval 3 (A 40, B 20, C 400 kW), February all equal, the first
    # interval is taken (A 60, B 50, C 300 kW)
    np.testing.assert_allclose(peak_contributions_kw(game), [40 + 60, 20 + 50, 400 + 300])
