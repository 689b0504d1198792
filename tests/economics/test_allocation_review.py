"""Reviewer's reference cases for the allocation helpers."""

from __future__ import annotations

import numpy as np
import pytest

from parkplan.economics import allocation as al


def test_blocking_search_on_a_group_of_one_is_stable():
    check = al.find_blocking_coalition(lambda m: 0.0, [0.0], seed=1)
    assert check.stable and check.blocking_coalition == ()


def test_shapley_three_player_glove_game_by_hand():
    # v: players 0,1 left gloves, 2 right glove; v(S) = 1 when S holds a pair
    v = np.zeros(8)
    for mask in range(8):
        left = bool(mask & 0b011)
        right = bool(mask & 0b100)
        v[mask] = 1.0 if left and right else 0.0
    np.testing.assert_allclose(al.shapley_exact(v), [1 / 6, 1 / 6, 2 / 3])
    assert al.core_check_exact(v, [1 / 6, 1 / 6, 2 / 3]).stable is False
    assert al.core_check_exact(v, [0.0, 0.0, 1.0]).stable is True
    assert sum(al.proportional_split(10.0, [1, 3])) == pytest.approx(10.0)
