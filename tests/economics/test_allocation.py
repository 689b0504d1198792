import numpy as np
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.economics.allocation import (
    coalition_values,
    core_check_exact,
    find_blocking_coalition,
    marginals_from_value_function,
    proportional_split,
    shapley_exact,
    shapley_sampled,
)

# A three-player game written out by hand: singles 0, v(12)=90, v(13)=80, v(23)=70, v(123)=120.
# Bitmask order: 0, {1}, {2}, {1,2}, {3}, {1,3}, {2,3}, {1,2,3}.
HAND_GAME = np.array([0, 0, 0, 90, 0, 80, 70, 120], dtype=float)


def test_shapley_of_hand_game():
    # Over the six orders: player 1 gets (0+0+90+50+80+50)/6 = 45, player 2 40, player 3 35.
    np.testing.assert_allclose(shapley_exact(HAND_GAME), [45.0, 40.0, 35.0])


def test_core_of_hand_game_is_the_single_point_50_40_30():
    check = core_check_exact(HAND_GAME, [45.0, 40.0, 35.0])
    assert not check.stable
    assert check.blocking_coalition == (0, 1)
    assert check.excess == pytest.approx(5.0)
    assert core_check_exact(HAND_GAME, [50.0, 40.0, 30.0]).stable


def _peak_game(loads_kw: np.ndarray, price_eur_per_kw: float = 40.0):
    """Benefit of pooling capacity: (sum of individual peaks - coincident peak) x price."""
    peaks = loads_kw.max(axis=1)

    def value(members: np.ndarray) -> float:
        if not members.any():
            return 0.0
        return price_eur_per_kw * (peaks[members].sum() - loads_kw[members].sum(axis=0).max())

    def marginals(order: np.ndarray) -> np.ndarray:
        running = np.zeros(loads_kw.shape[1])
        out = np.empty(order.size)
        previous = 0.0
        peak_sum = 0.0
        for i in order:
            running += loads_kw[i]
            peak_sum += peaks[i]
            current = price_eur_per_kw * (peak_sum - running.max())
            out[i] = current - previous
            previous = current
        return out

    return value, marginals


def _random_loads(n: int, seed: int, intervals: int = 96) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.gamma(2.0, 10.0, size=(n, intervals)) * rng.uniform(0.2, 5.0, size=(n, 1))


def test_shapley_properties_efficiency_symmetry_null_player():
    loads = _random_loads(6, seed=1)
    loads[2] = loads[4]  # players 2 and 4 are identical
    loads[5] = 0.0  # player 5 adds nothing
    value, _ = _peak_game(loads)
    v = coalition_values(value, 6)
    phi = shapley_exact(v)
    assert phi.sum() == pytest.approx(v[-1], rel=1e-12)
    assert phi[2] == pytest.approx(phi[4], rel=1e-12)
    assert phi[5] == pytest.approx(0.0, abs=1e-9)


def test_generic_marginals_match_incremental_ones():
    loads = _random_loads(5, seed=2)
    value, marginals = _peak_game(loads)
    generic = marginals_from_value_function(value, 5)
    order = np.array([3, 0, 4, 1, 2])
    np.testing.assert_allclose(generic(order), marginals(order), rtol=1e-12)


def test_sampled_interval_contains_exact_value_in_at_least_90_percent_of_runs():
    n = 12
    loads = _random_loads(n, seed=3, intervals=48)
    value, marginals = _peak_game(loads)
    exact = shapley_exact(coalition_values(value, n))
    covered = 0
    trials = 0
    for seed in range(200):
        est = shapley_sampled(marginals, n, seed=seed, max_permutations=200, batch=50)
        assert est.values.sum() == pytest.approx(exact.sum(), rel=1e-9)
        inside = np.abs(est.values - exact) <= est.ci95_halfwidth
        covered += int(inside.sum())
        trials += n
    assert covered / trials >= 0.90


def test_sampling_stops_at_target_precision():
    loads = _random_loads(30, seed=4, intervals=48)
    _, marginals = _peak_game(loads)
    est = shapley_sampled(
        marginals, 30, seed=0, target_rel_halfwidth=0.05, max_permutations=100_000
    )
    assert est.n_permutations < 100_000
    assert est.ci95_halfwidth.max() <= 0.05 * np.abs(est.values).mean()


def test_blocking_coalition_search_finds_the_hand_game_block():
    def value(members: np.ndarray) -> float:
        mask = int(sum(1 << i for i in np.nonzero(members)[0]))
        return float(HAND_GAME[mask])

    check = find_blocking_coalition(value, [45.0, 40.0, 35.0], seed=0)
    assert not check.stable
    assert check.blocking_coalition == (0, 1)
    assert find_blocking_coalition(value, [50.0, 40.0, 30.0], seed=0).stable


def test_proportional_split_and_bad_keys():
    np.testing.assert_allclose(proportional_split(100.0, [1, 3]), [25.0, 75.0])
    with pytest.raises(ParkplanError):
        proportional_split(100.0, [0, 0])
    with pytest.raises(ParkplanError):
        proportional_split(100.0, [1, -1])


def test_exact_refuses_too_many_players():
    with pytest.raises(ParkplanError):
        coalition_values(lambda m: 0.0, 25)
