"""Sharing a collective benefit between the members of a group.

The game is a transferable-utility game on ``n`` players (companies). A coalition is a
bitmask: bit ``i`` set means company ``i`` is a member. ``v(S)`` is the benefit of coalition
``S`` acting together, e.g. the sum of its members' stand-alone annual costs minus the
annual cost of ``S`` as one group contract (GTO). ``v(empty) = 0`` and singletons are worth
0 for such cost-saving games.

Splits offered:

- the Shapley value, exact by enumeration (:func:`shapley_exact`, practical up to about 18
  members) or estimated by sampling permutations with a 95 % confidence interval
  (:func:`shapley_sampled`);
- proportional keys (:func:`proportional_split`), e.g. by kWh, contracted kW or
  contribution to the peak.

Stability: an allocation ``x`` is in the core when no coalition gets more on its own,
``x(S) >= v(S)`` for every ``S``, and it is efficient, ``x(N) = v(N)``.
:func:`core_check_exact` tests every coalition; :func:`find_blocking_coalition` searches
large games by sampling and local improvement.

Reference: L. S. Shapley (1953), "A value for n-person games"; S. Castro, D. Gómez,
J. Tejada (2009), "Polynomial calculation of the Shapley value based on sampling".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import factorial

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parkplan.domain.errors import ParkplanError

FloatArray = NDArray[np.float64]
ValueFunction = Callable[[NDArray[np.bool_]], float]
"""v(S) for a boolean membership vector of length n."""
MarginalsFunction = Callable[[NDArray[np.int64]], FloatArray]
"""For an order of the players, each player's marginal contribution when it joins."""

MAX_EXACT_PLAYERS = 20


def _check_players(n: int) -> None:
    if n < 1:
        raise ParkplanError("Een groep heeft minstens één lid nodig.", "A group needs a member.")
    if n > MAX_EXACT_PLAYERS:
        raise ParkplanError(
            f"Exacte berekening voor {n} leden is te groot (maximaal {MAX_EXACT_PLAYERS}); "
            "gebruik de steekproefmethode.",
            f"Exact computation for {n} members is too large (at most {MAX_EXACT_PLAYERS}); "
            "use sampling.",
        )


def _mask_members(n: int) -> NDArray[np.bool_]:
    """Membership matrix (2**n x n): row ``mask`` says which players are in it."""
    masks = np.arange(1 << n, dtype=np.int64)
    return ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(bool)


def coalition_values(value: ValueFunction, n: int) -> FloatArray:
    """``v(S)`` for every coalition, indexed by bitmask (length ``2**n``). [EUR/yr]"""
    _check_players(n)
    members = _mask_members(n)
    values = np.array([value(row) if row.any() else 0.0 for row in members], dtype=float)
    return values


def shapley_exact(values: ArrayLike) -> FloatArray:
    """Exact Shapley value from the values of all coalitions.

    ``phi_i = sum over S not containing i of |S|! (n-|S|-1)! / n! * (v(S+i) - v(S))``.

    Parameters
    ----------
    values : array of length 2**n
        ``v(S)`` indexed by bitmask; ``values[0]`` must be 0.

    Returns
    -------
    Each player's share of ``v(N)``. [same unit as values]
    """
    v = np.asarray(values, dtype=float)
    n = int(v.size).bit_length() - 1
    if v.size != 1 << n:
        raise ParkplanError(
            f"Er zijn 2^n coalitiewaarden nodig (gevonden: {v.size}).",
            f"2^n coalition values are needed (found: {v.size}).",
        )
    _check_players(n)
    masks = np.arange(1 << n, dtype=np.int64)
    sizes = np.bitwise_count(masks).astype(np.int64)
    weight_by_size = np.array(
        [factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)], dtype=float
    )
    phi = np.empty(n)
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        marginal = v[without | (1 << i)] - v[without]
        phi[i] = float(weight_by_size[sizes[without]] @ marginal)
    return phi


def marginals_from_value_function(value: ValueFunction, n: int) -> MarginalsFunction:
    """A marginals function that evaluates ``v`` on each growing prefix of the order.

    Costs ``n`` evaluations of ``v`` per order; games with an incremental structure (a
    running sum of load series, say) should supply a faster one.
    """

    def marginals(order: NDArray[np.int64]) -> FloatArray:
        members = np.zeros(n, dtype=bool)
        out = np.empty(n)
        previous = 0.0
        for player in order:
            members[player] = True
            current = value(members)
            out[player] = current - previous
            previous = current
        return out

    return marginals


@dataclass(frozen=True)
class ShapleyEstimate:
    """A sampled Shapley value with its uncertainty."""

    values: FloatArray
    """Estimated share of each player."""
    ci95_halfwidth: FloatArray
    """Half-width of the 95 % confidence interval of each share."""
    n_permutations: int
    """Number of permutations evaluated (antithetic pairs count as two)."""


def shapley_sampled(
    marginals: MarginalsFunction,
    n: int,
    *,
    seed: int,
    max_permutations: int = 20_000,
    batch: int = 100,
    target_rel_halfwidth: float | None = None,
    min_permutations: int = 200,
) -> ShapleyEstimate:
    """Shapley value by sampling permutations, with antithetic pairs.

    Each sample is the average of the marginals of a random order and of its reverse
    (antithetic variates: a player that joins early in one joins late in the other, which
    cuts the variance for the peak-sharing games here). The 95 % half-width is
    ``1.96 * sd / sqrt(samples)``. Sampling stops at ``max_permutations``, or earlier when
    every half-width is at most ``target_rel_halfwidth`` times the mean absolute share.

    The estimate is efficient up to rounding: every permutation's marginals add up to
    ``v(N)``.
    """
    if n < 1:
        raise ParkplanError("Een groep heeft minstens één lid nodig.", "A group needs a member.")
    rng = np.random.default_rng(seed)
    total = np.zeros(n)
    total_sq = np.zeros(n)
    samples = 0
    while 2 * samples < max_permutations:
        for _ in range(batch):
            order = rng.permutation(n).astype(np.int64)
            sample = 0.5 * (marginals(order) + marginals(order[::-1].copy()))
            total += sample
            total_sq += sample * sample
            samples += 1
        if target_rel_halfwidth is not None and 2 * samples >= min_permutations:
            mean = total / samples
            half = _halfwidth(total, total_sq, samples)
            scale = float(np.mean(np.abs(mean)))
            if scale == 0 or float(half.max()) <= target_rel_halfwidth * scale:
                break
    mean = total / samples
    return ShapleyEstimate(mean, _halfwidth(total, total_sq, samples), 2 * samples)


def _halfwidth(total: FloatArray, total_sq: FloatArray, samples: int) -> FloatArray:
    if samples < 2:
        return np.full(total.shape, np.inf)
    mean = total / samples
    var = np.maximum(total_sq / samples - mean * mean, 0.0) * samples / (samples - 1)
    return 1.96 * np.sqrt(var / samples)


def proportional_split(total: float, weights: ArrayLike) -> FloatArray:
    """Split ``total`` in proportion to non-negative ``weights`` (kWh, kW, peak share)."""
    w = np.asarray(weights, dtype=float)
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ParkplanError(
            "Verdeelsleutels moeten eindige, niet-negatieve getallen zijn.",
            "Allocation keys must be finite and non-negative.",
        )
    s = float(w.sum())
    if s == 0:
        raise ParkplanError(
            "De verdeelsleutel is voor alle leden nul; er valt niets naar rato te verdelen.",
            "The allocation key is zero for every member; nothing can be split pro rata.",
        )
    return total * w / s


@dataclass(frozen=True)
class CoreCheck:
    """Outcome of a stability (core) check."""

    stable: bool
    blocking_coalition: tuple[int, ...]
    """Members (0-based) of the most blocking coalition found; empty when stable."""
    excess: float
    """``v(S) - x(S)`` of that coalition: what it would gain by leaving. [EUR/yr]"""


def core_check_exact(values: ArrayLike, allocation: ArrayLike, *, tol: float = 1e-6) -> CoreCheck:
    """Test every coalition: is ``x(S) >= v(S) - tol`` for all ``S``?"""
    v = np.asarray(values, dtype=float)
    x = np.asarray(allocation, dtype=float)
    n = x.size
    if v.size != 1 << n:
        raise ParkplanError(
            "Aantal coalitiewaarden past niet bij het aantal leden.",
            "The number of coalition values does not match the number of members.",
        )
    members = _mask_members(n)
    excess = v - members.astype(float) @ x
    excess[-1] = -np.inf  # the grand coalition is the allocation itself
    excess[0] = -np.inf
    worst = int(np.argmax(excess))
    if excess[worst] <= tol:
        return CoreCheck(True, (), float(max(excess[worst], 0.0)))
    return CoreCheck(
        False, tuple(int(i) for i in np.nonzero(members[worst])[0]), float(excess[worst])
    )


def find_blocking_coalition(
    value: ValueFunction,
    allocation: ArrayLike,
    *,
    seed: int,
    n_starts: int = 50,
    max_steps: int = 200,
    tol: float = 1e-6,
) -> CoreCheck:
    """Search a large game for a coalition that would do better alone.

    Random coalitions of random sizes are improved greedily by adding or removing the one
    member that raises the excess ``v(S) - x(S)`` most. Finding none is evidence, not proof,
    of stability: the result says so through ``stable`` only for what was searched.
    """
    x = np.asarray(allocation, dtype=float)
    n = x.size
    best = CoreCheck(True, (), 0.0)
    if n < 2:  # no proper sub-coalition can block a group of one
        return best
    rng = np.random.default_rng(seed)
    for _ in range(n_starts):
        size = int(rng.integers(1, n))
        members = np.zeros(n, dtype=bool)
        members[rng.choice(n, size=size, replace=False)] = True
        excess = value(members) - float(x[members].sum())
        for _step in range(max_steps):
            improved = False
            for i in rng.permutation(n):
                members[i] = not members[i]
                if 0 < members.sum() < n:
                    e = value(members) - float(x[members].sum())
                    if e > excess + tol:
                        excess = e
                        improved = True
                        break
                members[i] = not members[i]
            if not improved:
                break
        if excess > tol and excess > best.excess:
            best = CoreCheck(False, tuple(int(i) for i in np.nonzero(members)[0]), float(excess))
    return best
