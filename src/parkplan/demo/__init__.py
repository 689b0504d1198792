"""Illustrative demo parks ("illustratief"): synthetic companies on real park names.

See :func:`generate_demo_parks` and ``docs/demo-data.md``.
"""

from __future__ import annotations

from parkplan.demo.generator import (
    DEFAULT_SEED,
    generate_demo_parks,
    park_sector_shares,
    read_demo_distributions,
    read_demo_park_definitions,
    sector_of_sbi,
    sector_params,
)

__all__ = [
    "DEFAULT_SEED",
    "generate_demo_parks",
    "park_sector_shares",
    "read_demo_distributions",
    "read_demo_park_definitions",
    "sector_of_sbi",
    "sector_params",
]
