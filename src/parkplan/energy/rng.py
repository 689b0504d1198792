"""Seeded standard normals inside compiled kernels, identical to ``numpy.random.default_rng``.

``numpy.random.default_rng(seed).standard_normal(n)`` is the reference: PCG64 (XSL-RR
128/64) seeded through ``SeedSequence``, and the 256-layer ziggurat of NumPy's
``random_standard_normal``. Drawing 8,760 normals for each of hundreds of companies from
Python costs a generator object per company and a slow loop per value; here the state of each
seed is computed once in Python (:func:`pcg64_states`, through NumPy itself) and the numbers
are drawn inside numba kernels (:func:`standard_normal`, inlined), bit for bit the same
sequence (the tests compare them with NumPy's for many seeds). The ziggurat tables are
NumPy's, as shipped with numba (``numba.np.random._constants``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
from llvmlite import ir
from numba import njit, types, uint64
from numba.extending import intrinsic
from numba.np.random._constants import (
    fi_double,
    ki_double,
    wi_double,
    ziggurat_nor_inv_r,
    ziggurat_nor_r,
)
from numpy.typing import NDArray

_MASK64 = (1 << 64) - 1
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
"""PCG's default 128-bit multiplier (O'Neill 2014; ``PCG_DEFAULT_MULTIPLIER_128``)."""
_MULT_HI = np.uint64(_PCG_MULT >> 64)
_MULT_LO = np.uint64(_PCG_MULT & _MASK64)
_DOUBLE_UNIT = 1.0 / 9007199254740992.0
"""2^-53: a 53-bit integer to a double in [0, 1), as NumPy's ``next_double``."""


def pcg64_states(seeds: Sequence[int]) -> NDArray[np.uint64]:
    """The PCG64 state of ``numpy.random.default_rng(seed)`` for each seed.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(seeds), 4)``: state high and low 64 bits, increment high and low.
    """
    out = np.empty((len(seeds), 4), dtype=np.uint64)
    for i, seed in enumerate(seeds):
        st = np.random.PCG64(int(seed)).state["state"]
        out[i] = (st["state"] >> 64, st["state"] & _MASK64, st["inc"] >> 64, st["inc"] & _MASK64)
    return out


@intrinsic
def _umul128(typingctx, a, b):  # pragma: no cover - compiled
    """(high, low) 64 bits of the 128-bit product of two uint64: one native multiply."""
    sig = types.UniTuple(types.uint64, 2)(types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        i128 = ir.IntType(128)
        p = builder.mul(builder.zext(args[0], i128), builder.zext(args[1], i128))
        lo = builder.trunc(p, ir.IntType(64))
        hi = builder.trunc(builder.lshr(p, ir.Constant(i128, 64)), ir.IntType(64))
        return context.make_tuple(builder, signature.return_type, [hi, lo])

    return sig, codegen


_mul128 = cast(Callable[[Any, Any], tuple[Any, Any]], _umul128)
"""``_umul128`` as mypy should see it (a numba intrinsic, called from compiled code)."""


@njit(inline="always")
def next_uint64(st):  # pragma: no cover - compiled
    """Advance the PCG64 state ``st`` (uint64[4]) and return the next 64 random bits."""
    s_hi = st[0]
    s_lo = st[1]
    hi, lo = _mul128(s_lo, _MULT_LO)
    hi += s_hi * _MULT_LO + s_lo * _MULT_HI
    new_lo = lo + st[3]
    new_hi = hi + st[2] + (uint64(1) if new_lo < lo else uint64(0))
    st[0] = new_hi
    st[1] = new_lo
    v = new_hi ^ new_lo
    rot = new_hi >> uint64(58)
    return (v >> rot) | (v << ((uint64(64) - rot) & uint64(63)))


@njit(inline="always")
def _next_double(st):  # pragma: no cover - compiled
    return np.float64(next_uint64(st) >> uint64(11)) * _DOUBLE_UNIT


@njit(inline="always")
def standard_normal(st):  # pragma: no cover - compiled
    """One standard normal from the PCG64 state ``st`` (NumPy's ziggurat)."""
    while True:
        r = next_uint64(st)
        idx = r & uint64(0xFF)
        r >>= uint64(8)
        sign = r & uint64(1)
        rabs = (r >> uint64(1)) & uint64(0x000FFFFFFFFFFFFF)
        x = np.float64(rabs) * wi_double[idx]
        if sign:
            x = -x
        if rabs < ki_double[idx]:
            return x
        if idx == 0:
            while True:
                xx = -ziggurat_nor_inv_r * math.log1p(-_next_double(st))
                yy = -math.log1p(-_next_double(st))
                if yy + yy > xx * xx:
                    if (rabs >> uint64(8)) & uint64(1):
                        return -(ziggurat_nor_r + xx)
                    return ziggurat_nor_r + xx
        elif (fi_double[idx - 1] - fi_double[idx]) * _next_double(st) + fi_double[idx] < math.exp(
            -0.5 * x * x
        ):
            return x


@njit(cache=True)
def _normals_kernel(states, out):  # pragma: no cover - compiled
    st = np.empty(4, dtype=np.uint64)
    for i in range(out.shape[0]):
        for j in range(4):
            st[j] = states[i, j]
        for b in range(out.shape[1]):
            out[i, b] = standard_normal(st)


def standard_normals(seeds: Sequence[int], n: int) -> NDArray[np.float64]:
    """Row ``i`` equals ``numpy.random.default_rng(seeds[i]).standard_normal(n)``. [-]"""
    out = np.empty((len(seeds), n))
    _normals_kernel(pcg64_states(seeds), out)
    return out
