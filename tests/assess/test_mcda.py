import math

import numpy as np
import pytest

from parkplan.assess.mcda import (
    check_weights,
    contributions,
    impute_missing,
    normalise_min_max,
    rank_stability,
    ranks,
    topsis,
    weighted_sum,
)
from parkplan.domain.errors import ParkplanError

# Three parks, two criteria checked by hand:
# size [ha] (max): A 10, B 20, C 30; congestion (min): A 1, B 3, C 2; weights 0.6 / 0.4.
MATRIX = np.array([[10.0, 1.0], [20.0, 3.0], [30.0, 2.0]])
DIRECTIONS = ["max", "min"]
WEIGHTS = np.array([0.6, 0.4])


def test_min_max_normalisation_respects_direction():
    np.testing.assert_allclose(normalise_min_max(MATRIX, DIRECTIONS), [[0, 1], [0.5, 0], [1, 0.5]])


def test_weighted_sum_by_hand():
    # A: 0*0.6 + 1*0.4 = 0.4; B: 0.5*0.6 + 0 = 0.3; C: 0.6 + 0.5*0.4 = 0.8
    scores = weighted_sum(MATRIX, WEIGHTS, DIRECTIONS)
    np.testing.assert_allclose(scores, [0.4, 0.3, 0.8])
    assert list(ranks(scores)) == [2, 3, 1]
    np.testing.assert_allclose(contributions(MATRIX, WEIGHTS, DIRECTIONS).sum(axis=1), scores)


def test_topsis_by_hand():
    # With vector norms sqrt(1400) and sqrt(14): A: d+ = 0.6*2/sqrt14, d- = 0.4*2/sqrt14 -> 0.4;
    # B: d+ = 1/sqrt14, d- = 0.6/sqrt14 -> 0.375; C: d+ = 0.4/sqrt14, d- = sqrt(1.6)/sqrt14.
    closeness = topsis(MATRIX, WEIGHTS, DIRECTIONS)
    expected_c = math.sqrt(1.6) / (math.sqrt(1.6) + 0.4)
    np.testing.assert_allclose(closeness, [0.4, 0.375, expected_c], rtol=1e-12)


def test_weights_must_add_up():
    w, notes = check_weights([60, 40], ["size", "congestion"])
    np.testing.assert_allclose(w, [0.6, 0.4])
    assert notes[0].code == "weights_percent"
    with pytest.raises(ParkplanError, match=r"0\.9"):
        check_weights([0.5, 0.4], ["size", "congestion"])
    with pytest.raises(ParkplanError, match="congestion"):
        check_weights([1.2, -0.2], ["size", "congestion"])


def test_missing_values_take_the_worst_and_are_reported():
    m = MATRIX.copy()
    m[0, 0] = np.nan  # size unknown for A -> worst size observed: 20
    m[1, 1] = np.nan  # congestion unknown for B -> worst (highest) observed: 2
    filled, notes = impute_missing(m, DIRECTIONS, ["A", "B", "C"], ["size", "congestion"])
    assert filled[0, 0] == 20.0
    assert filled[1, 1] == 2.0
    assert [n.path for n in notes] == ["A.size", "B.congestion"]
    m[:, 1] = np.nan
    with pytest.raises(ParkplanError, match="congestion"):
        impute_missing(m, DIRECTIONS, ["A", "B", "C"], ["size", "congestion"])


def test_rank_stability_is_reproducible_and_sums_to_one():
    a = rank_stability(MATRIX, WEIGHTS, DIRECTIONS, "wsm", n_samples=300, seed=7)
    b = rank_stability(MATRIX, WEIGHTS, DIRECTIONS, "wsm", n_samples=300, seed=7)
    np.testing.assert_array_equal(a.rank_share, b.rank_share)
    np.testing.assert_allclose(a.rank_share.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.rank_share.sum(axis=0), 1.0)
    # C wins by a wide margin under any weights near 0.6/0.4
    assert a.rank_share[2, 0] > 0.95
