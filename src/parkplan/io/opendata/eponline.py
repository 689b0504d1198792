"""EP-Online energy labels (RVO) from a CSV export.

EP-Online (www.ep-online.nl, RVO) publishes every registered energy label ("Openbare
data"); the export is a ``;``-separated CSV, often zipped (one CSV in a ZIP archive), with
decimal commas and dates as ``yyyymmdd``. Three generations of column names are accepted
(case and underscores do not matter):

- the current export (2024-): two lines before the header (``PublicatieDatum;...`` and
  ``LaatstVerwerkteMutatievolgnummer;...``), then PascalCase names: ``Postcode``,
  ``Huisnummer``, ``Huisletter``, ``Huisnummertoevoeging``, ``BAGVerblijfsobjectID``,
  ``BAGPandIDs``, ``Energieklasse``, ``Gebouwklasse``, ``Registratiedatum``,
  ``Opnamedatum``, ``GeldigTot``, ``GebruiksoppervlakteThermischeZone`` ...;
- the export with ``Pand_`` prefixes (2020-2023): ``Pand_energieklasse``,
  ``Pand_postcode``, ``Pand_huisnummer``, ``Pand_huisletter``,
  ``Pand_huisnummertoevoeging`` (older: ``Pand_huisnummer_toev``),
  ``Pand_bagverblijfsobjectid``, ``Pand_bagpandid``, ``Pand_gebouwklasse``,
  ``Pand_registratiedatum``, ``Meting_geldig_tot``,
  ``Pand_gebruiksoppervlakte_thermische_zone``;
- short names as in hand-made lists: ``Energieklasse``, ``Postcode``, ``Huisnummer``,
  ``Gebruiksoppervlakte`` ...

Lines before the header are skipped (up to ten).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from parkplan.domain.errors import Problem, error
from parkplan.domain.model import ENERGY_LABELS
from parkplan.enrich.records import EnergyLabel, make_address
from parkplan.io.opendata.common import cell, number_cell, read_table, require_columns

SOURCE = "EP-Online"
COLUMNS: dict[str, tuple[str, ...]] = {
    "label": ("Pand_energieklasse", "Energieklasse", "energielabel", "labelklasse"),
    "postcode": ("Pand_postcode", "Postcode"),
    "number": ("Pand_huisnummer", "Huisnummer"),
    "letter": ("Pand_huisletter", "Huisletter"),
    "addition": (
        "Pand_huisnummertoevoeging",
        "Pand_huisnummer_toev",
        "Huisnummertoevoeging",
        "Toevoeging",
    ),
    "vbo": ("Pand_bagverblijfsobjectid", "BAGVerblijfsobjectID", "verblijfsobjectid"),
    "pand": ("Pand_bagpandid", "BAGPandIDs", "BAGPandID", "pandid"),
    "class": ("Pand_gebouwklasse", "Gebouwklasse"),
    "area": (
        "Pand_gebruiksoppervlakte_thermische_zone",
        "Gebruiksoppervlakte_thermische_zone",
        "Gebruiksoppervlakte",
    ),
    "registered": ("Pand_registratiedatum", "Registratiedatum"),
    "valid_until": ("Meting_geldig_tot", "GeldigTot", "Geldig_tot"),
}
LABEL_CLASSES = ENERGY_LABELS
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})")


def _date(text: str | None) -> str | None:
    if not text:
        return None
    m = _DATE.match(text)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = _DUTCH_DATE.match(text)
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return None


def _bag(text: str | None) -> str | None:
    """A 16-digit BAG id; of a list (``BAGPandIDs`` may name several buildings) the first."""
    if not text:
        return None
    digits = re.split(r"[,\s|]+", text.strip())[0].removesuffix(".0")
    return digits.zfill(16) if digits.isdigit() and len(digits) <= 16 else None


def _split_addition(letter: str | None, addition: str | None) -> tuple[str, str]:
    """The old export puts letter and addition in one field (``A``, ``bis``, ``A-2``)."""
    if letter:
        return letter, addition or ""
    if addition and len(addition) == 1 and addition.isalpha():
        return addition, ""
    return "", addition or ""


def read_energy_labels(path: str | Path) -> tuple[list[EnergyLabel], dict[str, Any]]:
    """Energy labels from an EP-Online CSV export.

    Returns
    -------
    tuple
        The labels and metadata: ``file``, ``source`` (``EP-Online``), ``published`` (the
        ``PublicatieDatum`` line of the export, ISO, when it has one), ``problems`` (rows
        without a valid label class or address).
    """
    table = read_table(path, header_names=COLUMNS["label"])
    cols = require_columns(table, COLUMNS, ("label", "postcode", "number"), "EP-Online-export")
    labels: list[EnergyLabel] = []
    problems: list[Problem] = []
    for row_no, row in table.rows:
        raw_label = cell(row, cols["label"])
        label = raw_label.strip().upper() if raw_label else None
        if label not in LABEL_CLASSES:
            problems.append(
                error(
                    "",
                    f"geen geldige energieklasse (verwacht {', '.join(LABEL_CLASSES)})",
                    f"not a valid energy label class (expected {', '.join(LABEL_CLASSES)})",
                    value=raw_label,
                    code="bad_label",
                ).located(file=table.file, row=row_no)
            )
            continue
        letter, addition = _split_addition(cell(row, cols["letter"]), cell(row, cols["addition"]))
        address = make_address(
            cell(row, cols["postcode"]), cell(row, cols["number"]), letter=letter, addition=addition
        )
        vbo = _bag(cell(row, cols["vbo"]))
        if address is None and vbo is None:
            problems.append(
                error(
                    "",
                    "label zonder bruikbaar adres (postcode en huisnummer) of BAG-id",
                    "label without a usable address (postcode and house number) or BAG id",
                    code="no_address",
                ).located(file=table.file, row=row_no)
            )
            continue
        area = number_cell(table, row_no, row, cols["area"], problems)
        labels.append(
            EnergyLabel(
                label_class=label,
                address=address,
                vbo_id=vbo,
                pand_id=_bag(cell(row, cols["pand"])),
                building_class=cell(row, cols["class"]),
                floor_area_m2=float(area) if area is not None else None,
                registered=_date(cell(row, cols["registered"])),
                valid_until=_date(cell(row, cols["valid_until"])),
                record=f"{table.file}:{row_no}",
            )
        )
    published = next(
        (
            _date(line[1])
            for line in table.preamble
            if len(line) > 1 and "publicatie" in line[0].lower()
        ),
        None,
    )
    return labels, {
        "file": table.file,
        "source": SOURCE,
        "published": published,
        "problems": problems,
    }
