"""Reference tables with sources (edge): CSV files in this directory and their loader.

Use :func:`load_refdata` and look figures up with ``.value(key, year)`` or ``.get(key, year)``;
see ``docs/refdata.md`` for every table and key.
"""

from __future__ import annotations

from parkplan.refdata.loader import (
    REFDATA_DIR,
    STANDARD_COLUMNS,
    RefData,
    RefDataError,
    RefValue,
    UnknownValueError,
    load_refdata,
    read_refdata_dir,
    read_table,
)

__all__ = [
    "REFDATA_DIR",
    "STANDARD_COLUMNS",
    "RefData",
    "RefDataError",
    "RefValue",
    "UnknownValueError",
    "load_refdata",
    "read_refdata_dir",
    "read_table",
]
