"""KvK (Kamer van Koophandel) export files: establishments (vestigingen) with their
trade name, visiting address, SBI code and number of employees.

Accepted: a CSV export (``;`` or ``,``) whose columns carry the names of the KvK API
(``kvkNummer``, ``vestigingsnummer``, ``eersteHandelsnaam``, ``straatnaam``, ``huisnummer``,
``huisletter``, ``huisnummerToevoeging``, ``postcode``, ``plaats``, ``sbiCode``,
``totaalWerkzamePersonen``, and optionally ``addresseerbaarObjectId``, ``rijksdriehoekX``,
``rijksdriehoekY``, ``gpsLatitude``, ``gpsLongitude``) or the usual Dutch column titles of
KvK selections (``KvK-nummer``, ``Handelsnaam``, ``Hoofdactiviteit (SBI)``, ``Werkzame
personen`` ...). A JSON file with a list of KvK "vestigingsprofiel" objects is read too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parkplan.domain.errors import Problem, error
from parkplan.enrich.records import KvkRecord, make_address
from parkplan.io import geo
from parkplan.io.dutch_numbers import CellError, parse_kvk, parse_sbi
from parkplan.io.opendata.common import (
    cell,
    file_error,
    number_cell,
    read_table,
    require_columns,
)

SOURCE = "KvK"
COLUMNS: dict[str, tuple[str, ...]] = {
    "kvk": ("kvkNummer", "KvK-nummer", "kvk"),
    "branch": ("vestigingsnummer", "Vestigingsnummer"),
    "name": ("eersteHandelsnaam", "handelsnaam", "naam", "Statutaire naam", "bedrijfsnaam"),
    "street": ("straatnaam", "Straat", "bezoekadres straat"),
    "number": ("huisnummer", "Huisnr"),
    "letter": ("huisletter",),
    "addition": ("huisnummerToevoeging", "toevoeging", "Huisnummer toevoeging"),
    "postcode": ("postcode", "bezoekadres postcode"),
    "city": ("plaats", "woonplaats", "Vestigingsplaats"),
    "sbi": ("sbiCode", "Hoofdactiviteit (SBI)", "SBI-code", "hoofdactiviteit", "sbi"),
    "employees": (
        "totaalWerkzamePersonen",
        "Werkzame personen",
        "aantalWerkzamePersonen",
        "werkzamePersonen",
    ),
    "vbo": ("addresseerbaarObjectId", "adresseerbaarObjectId", "verblijfsobjectId"),
    "rd_x": ("rijksdriehoekX", "x", "rd_x"),
    "rd_y": ("rijksdriehoekY", "y", "rd_y"),
    "lat": ("gpsLatitude", "latitude", "lat"),
    "lon": ("gpsLongitude", "longitude", "lon"),
}


def read_kvk(path: str | Path) -> tuple[list[KvkRecord], dict[str, Any]]:
    """Establishments from a KvK export (CSV or JSON).

    Returns
    -------
    tuple
        The records and metadata: ``file``, ``source`` (``KvK``), ``problems`` (rows with
        a bad KvK number, SBI code, employee count or coordinates; per row).
    """
    p = Path(path)
    if p.suffix.lower() == ".json":
        return _read_json(p)
    table = read_table(p)
    cols = require_columns(table, COLUMNS, ("kvk", "name"), "KvK-export")
    records: list[KvkRecord] = []
    problems: list[Problem] = []
    for row_no, row in table.rows:
        values = {key: cell(row, idx) for key, idx in cols.items()}
        where = {"file": table.file, "row": row_no}
        own: list[Problem] = []
        employees = number_cell(table, row_no, row, cols["employees"], own, integer=True)
        coords: dict[str, Any] = {}
        for key in ("rd_x", "rd_y", "lat", "lon"):
            coords[key] = _coordinate(cell(row, cols[key]), table.headers, cols[key], own, where)
        record = _record(
            values,
            employees,
            coords,
            record=f"{table.file}:{row_no}",
            problems=own,
            where=where,
        )
        problems.extend(own)
        if record is not None:
            records.append(record)
    return records, {"file": table.file, "source": SOURCE, "problems": problems}


def _record(
    values: dict[str, Any],
    employees: Any,
    coords: dict[str, Any],
    *,
    record: str,
    problems: list[Problem],
    where: dict[str, Any],
) -> KvkRecord | None:
    try:
        kvk = parse_kvk(values["kvk"] or "")
    except CellError as exc:
        problems.append(
            error("kvkNummer", exc.nl, exc.en, value=values["kvk"], code=exc.code).located(
                **where, column="kvkNummer"
            )
        )
        return None
    sbi = None
    if values.get("sbi"):
        try:
            sbi = parse_sbi(str(values["sbi"]).split(" ")[0])
        except CellError as exc:
            problems.append(
                error("sbiCode", exc.nl, exc.en, value=values["sbi"], code=exc.code).located(
                    **where, column="sbiCode"
                )
            )
    point = None
    if coords.get("rd_x") is not None and coords.get("rd_y") is not None:
        point = _point(
            coords["rd_x"],
            coords["rd_y"],
            geo.RD_NEW,
            record=record,
            problems=problems,
            where=where,
        )
    elif coords.get("lat") is not None and coords.get("lon") is not None:
        point = _point(
            coords["lon"], coords["lat"], geo.WGS84, record=record, problems=problems, where=where
        )
    vbo = values.get("vbo")
    vbo = str(vbo).strip().zfill(16) if vbo and str(vbo).strip().isdigit() else None
    return KvkRecord(
        kvk=kvk,
        name=str(values.get("name") or "").strip() or kvk,
        branch_number=values.get("branch"),
        address=make_address(
            values.get("postcode"),
            values.get("number"),
            letter=values.get("letter"),
            addition=values.get("addition"),
            street=values.get("street"),
            city=values.get("city"),
        ),
        sbi=sbi,
        employees=_employees(employees, problems, where),
        vbo_id=vbo,
        point=point,
        record=record,
        problems=tuple(problems),
    )


def _coordinate(
    raw: str | None,
    headers: list[str],
    index: int | None,
    problems: list[Problem],
    where: dict[str, Any],
) -> float | None:
    """A coordinate: one decimal separator, point or comma, never thousands separators
    (``52.728`` is 52.728 degrees, not 52728)."""
    if raw is None:
        return None
    text = raw.strip().replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw
    try:
        return float(text)
    except ValueError:
        problems.append(
            error(
                "",
                "geen coördinaat (verwacht een getal, bv. 233030 of 52.7286)",
                "not a coordinate (expected a number, e.g. 233030 or 52.7286)",
                value=raw,
                code="not_a_number",
            ).located(**where, column=headers[index or 0])
        )
        return None


def _employees(value: Any, problems: list[Problem], where: dict[str, Any]) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if number < 0 or not number.is_integer():
        problems.append(
            error(
                "totaalWerkzamePersonen",
                "aantal werkzame personen is geen geheel getal >= 0",
                "number of employees is not a whole number >= 0",
                value=value,
                code="not_a_number",
            ).located(**where)
        )
        return None
    return int(number)


def _point(
    x: float, y: float, crs: str, *, record: str, problems: list[Problem], where: dict[str, Any]
) -> Any:
    from shapely.geometry import Point

    check = geo.check_coordinates([x], [y], crs)
    problem = geo.coordinate_problem(check, crs, "", value=f"{x}, {y}")
    if problem is not None:
        problems.append(problem.located(**where))
        return None
    return geo.to_rd(Point(x, y), crs)


def _read_json(p: Path) -> tuple[list[KvkRecord], dict[str, Any]]:
    """A list of KvK API "vestigingsprofiel" objects (or ``{"resultaten": [...]}``)."""
    try:
        doc = json.loads(p.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise file_error(p, f"geen leesbare JSON ({exc})", f"not readable JSON ({exc})") from exc
    items = doc.get("resultaten", doc.get("vestigingen", [])) if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise file_error(
            p,
            "verwacht een lijst van vestigingsprofielen",
            "expected a list of establishment profiles",
        )
    records: list[KvkRecord] = []
    problems: list[Problem] = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            continue
        adressen = [a for a in item.get("adressen") or [] if isinstance(a, dict)]
        visit = next((a for a in adressen if a.get("type") == "bezoekadres"), None) or (
            adressen[0] if adressen else {}
        )
        geo_data = visit.get("geoData") or {}
        sbi = next(
            (
                s.get("sbiCode")
                for s in item.get("sbiActiviteiten") or []
                if isinstance(s, dict) and s.get("indHoofdactiviteit") in ("Ja", True)
            ),
            None,
        )
        values = {
            "kvk": item.get("kvkNummer"),
            "branch": item.get("vestigingsnummer"),
            "name": item.get("eersteHandelsnaam") or item.get("naam"),
            "street": visit.get("straatnaam"),
            "number": visit.get("huisnummer"),
            "letter": visit.get("huisletter"),
            "addition": visit.get("huisnummerToevoeging"),
            "postcode": visit.get("postcode"),
            "city": visit.get("plaats"),
            "sbi": sbi,
            "vbo": geo_data.get("addresseerbaarObjectId"),
        }
        coords = {
            "rd_x": geo_data.get("rijksdriehoekX"),
            "rd_y": geo_data.get("rijksdriehoekY"),
            "lat": geo_data.get("gpsLatitude"),
            "lon": geo_data.get("gpsLongitude"),
        }
        own: list[Problem] = []
        where = {"file": p.name, "row": i}
        employees = item.get("totaalWerkzamePersonen")
        record = _record(
            values, employees, coords, record=f"{p.name}#{i}", problems=own, where=where
        )
        problems.extend(own)
        if record is not None:
            records.append(record)
    return records, {"file": p.name, "source": SOURCE, "problems": problems}
