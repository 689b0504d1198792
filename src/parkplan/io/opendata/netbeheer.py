"""Grid operators' small-user consumption per postcode range ("kleinverbruiksgegevens").

Liander, Enexis and Stedin publish every year (reference date 1 January), per street and
postcode range, the number of small-user connections (kleinverbruik: up to 3x80 A
electricity, up to 40 m3/h gas) and their mean standard annual offtake. One CSV per
operator and year. The columns as the operators publish them (case, spaces and underscores
do not matter): ``NETBEHEERDER``, ``NETGEBIED``, ``STRAATNAAM``, ``POSTCODE_VAN``,
``POSTCODE_TOT``, ``WOONPLAATS``, ``LANDCODE``, ``PRODUCTSOORT`` (``ELK`` / ``GAS``),
``VERBRUIKSSEGMENT``, ``AANSLUITINGEN_AANTAL``, ``LEVERINGSRICHTING_PERC``,
``FYSIEKE_STATUS_PERC``, ``SOORT_AANSLUITING_PERC``, ``SOORT_AANSLUITING``, the mean
``SJV_GEMIDDELD`` (standaardjaarverbruik; files up to about 2023) or ``SJA_GEMIDDELD``
(standaardjaarafname; newer files, which add ``SJI_GEMIDDELD`` for feed-in),
``SJV_LAAG_TARIEF_PERC``, ``SLIMME_METER_PERC``. Liander's newest files name the range
``POSTCODE`` .. ``POSTCODE_EIND`` and write ``SJA GEMIDDELD``, tab-separated with every
line between quotes; Stedin writes tab-separated files with decimal commas; Enexis and older
Liander files are ``;``-separated. Electricity is in kWh per year, gas in m3 per year. A
range groups at least ten connections (privacy), so the mean is that of the range, not of
one company.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from parkplan.domain.errors import Problem, error
from parkplan.enrich.records import ConsumptionRange, normalise_postcode
from parkplan.io.opendata.common import cell, number_cell, read_table, require_columns

SOURCE = "netbeheerder kleinverbruik"
COLUMNS: dict[str, tuple[str, ...]] = {
    "operator": ("NETBEHEERDER",),
    "street": ("STRAATNAAM",),
    "from": ("POSTCODE_VAN", "POSTCODE"),
    "to": ("POSTCODE_TOT", "POSTCODE_EIND"),
    "city": ("WOONPLAATS",),
    "product": ("PRODUCTSOORT",),
    "connections": ("AANSLUITINGEN_AANTAL",),
    "mean": ("SJA_GEMIDDELD", "SJV_GEMIDDELD"),
}
UNITS = {"ELK": "kWh", "GAS": "m3"}
_YEAR_IN_NAME = (
    re.compile(r"0101((?:19|20)\d{2})(?!\d)"),  # ddmmyyyy: 01012024
    re.compile(r"(?<!\d)((?:19|20)\d{2})0101(?!\d)"),  # yyyymmdd: 20240101
    re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)"),  # a bare year
)


def year_of(file_name: str) -> int | None:
    """The year of a file named like ``Liander_kleinverbruiksgegevens_01012024.csv``."""
    for pattern in _YEAR_IN_NAME:
        match = pattern.search(file_name)
        if match:
            return int(match.group(1))
    return None


def read_consumption(path: str | Path) -> tuple[list[ConsumptionRange], dict[str, Any]]:
    """Small-user consumption per postcode range from a grid operator's CSV.

    Returns
    -------
    tuple
        The ranges and metadata: ``file``, ``source``, ``year`` (from the file name when it
        has one) and ``problems`` (rows with a bad postcode, product or number; per row).
    """
    table = read_table(path)
    cols = require_columns(
        table, COLUMNS, ("from", "to", "product", "mean"), "kleinverbruiksbestand"
    )
    year = year_of(table.file)
    ranges: list[ConsumptionRange] = []
    problems: list[Problem] = []
    for row_no, row in table.rows:
        where = {"file": table.file, "row": row_no}
        pc_from = normalise_postcode(cell(row, cols["from"]))
        pc_to = normalise_postcode(cell(row, cols["to"]))
        product = (cell(row, cols["product"]) or "").upper()
        if pc_from is None or pc_to is None or pc_from > pc_to:
            problems.append(
                error(
                    "",
                    "ongeldige postcodereeks (verwacht POSTCODE_VAN <= POSTCODE_TOT, zoals "
                    "7903AA-7903AB)",
                    "invalid postcode range (expected POSTCODE_VAN <= POSTCODE_TOT, like "
                    "7903AA-7903AB)",
                    value=f"{cell(row, cols['from'])}-{cell(row, cols['to'])}",
                    code="bad_postcode",
                ).located(**where)
            )
            continue
        if product not in UNITS:
            problems.append(
                error(
                    "",
                    "onbekende PRODUCTSOORT (verwacht ELK of GAS)",
                    "unknown PRODUCTSOORT (expected ELK or GAS)",
                    value=product,
                    code="bad_product",
                ).located(**where, column=table.headers[cols["product"] or 0])
            )
            continue
        mean = number_cell(table, row_no, row, cols["mean"], problems)
        if mean is None:
            continue
        count = number_cell(table, row_no, row, cols["connections"], problems, integer=True)
        ranges.append(
            ConsumptionRange(
                operator=cell(row, cols["operator"]),
                postcode_from=pc_from,
                postcode_to=pc_to,
                street=cell(row, cols["street"]),
                city=cell(row, cols["city"]),
                product=product,
                connections=int(count) if count is not None else None,
                annual_mean=float(mean),
                unit=UNITS[product],
                year=year,
                record=f"{table.file}:{row_no}",
                mean_column=table.headers[cols["mean"] or 0],
            )
        )
    return ranges, {"file": table.file, "source": SOURCE, "year": year, "problems": problems}
