"""Compiled standard normals: bit for bit NumPy's ``default_rng(seed).standard_normal``."""

from __future__ import annotations

import numpy as np

from parkplan.energy.rng import pcg64_states, standard_normals


def test_normals_equal_numpy_default_rng_for_many_seeds():
    seeds = [0, 1, 42, 2**32 - 1, 2**63 + 5, *np.random.default_rng(3).integers(0, 2**32, 40)]
    got = standard_normals(seeds, 5_000)
    expected = np.stack([np.random.default_rng(int(s)).standard_normal(5_000) for s in seeds])
    # 45 x 5,000 draws include the ziggurat's rare tail and wedge branches
    np.testing.assert_array_equal(got, expected)


def test_states_are_those_of_pcg64():
    state = np.random.PCG64(7).state["state"]
    hi, lo, inc_hi, inc_lo = (int(x) for x in pcg64_states([7])[0])
    assert (hi << 64) | lo == state["state"]
    assert (inc_hi << 64) | inc_lo == state["inc"]
