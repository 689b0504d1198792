"""Readers of screening input: tables of parks and companies, or a folder of park files.

Tables (Parquet or CSV): ``parks`` (one row per park, as derived from IBIS) and
``companies`` (one row per company, as derived from KvK and BAG), with the columns of
:data:`parkplan.scale.synthetic.PARK_COLUMNS` and :data:`~parkplan.scale.synthetic.COMPANY_COLUMNS`
(the synthetic national dataset has exactly these). A row becomes a
:class:`parkplan.domain.model.Park` with :func:`park_from_rows`, the same object a park file
yields, so the engine cannot tell the two apart.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import (
    Company,
    Connection,
    ElectricityUse,
    GasUse,
    GridAvailability,
    Location,
    Park,
    Roof,
)

PARK_FILE_SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".json")


@dataclass
class ParkSource:
    """Where the parks of a screening come from: tables, or park files in a folder."""

    kind: str
    """``tables`` or ``files``."""
    path: Path
    park_ids: list[str]
    parks: pd.DataFrame | None = None
    companies: pd.DataFrame | None = None
    files: dict[str, Path] | None = None
    synthetic: bool = False

    def load(self, park_id: str) -> Park:
        """The park with this id (raises on a bad record or file)."""
        if self.kind == "files":
            assert self.files is not None
            return read_park_from_file(self.files[park_id])
        assert self.parks is not None and self.companies is not None
        row = self.parks.loc[park_id]
        comps = self.companies[self.companies["park_id"] == park_id]
        return park_from_rows({"park_id": park_id, **row.to_dict()}, comps)

    def batch_payload(self, park_ids: list[str]) -> list[tuple[str, Any]]:
        """Compact, picklable input of a batch: the park rows and company rows (tables) or
        file paths (files); the worker turns them into parks."""
        if self.kind == "files":
            assert self.files is not None
            return [(pid, str(self.files[pid])) for pid in park_ids]
        assert self.parks is not None and self.companies is not None
        out: list[tuple[str, Any]] = []
        groups = self._groups()
        for pid in park_ids:
            row = {"park_id": pid, **self.parks.loc[pid].to_dict()}
            comps = groups.get(pid)
            out.append((pid, (row, comps if comps is not None else self.companies.iloc[:0])))
        return out

    def _groups(self) -> dict[str, pd.DataFrame]:
        if not hasattr(self, "_group_cache"):
            assert self.companies is not None
            self._group_cache = {
                str(k): g for k, g in self.companies.groupby("park_id", sort=False)
            }
        return self._group_cache


def _read_table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".csv":
        return pd.read_csv(path)
    return pd.read_parquet(path)


def _find(folder: Path, stem: str) -> Path | None:
    for suffix in (".parquet", ".csv"):
        p = folder / f"{stem}{suffix}"
        if p.is_file():
            return p
    return None


def read_park_tables(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Read ``parks`` and ``companies`` tables (Parquet or CSV) from a folder.

    Returns
    -------
    parks, companies, metadata
        ``parks`` indexed by ``park_id``; metadata: the files, counts and whether the data
        are synthetic (``metadata.json`` of the synthetic generator, when present).

    Raises
    ------
    ParkplanError
        A table is missing or lacks its key columns.
    """
    folder = Path(path)
    p_path, c_path = _find(folder, "parks"), _find(folder, "companies")
    if p_path is None or c_path is None:
        raise ParkplanError(
            f"In '{folder}' ontbreekt parks.parquet/csv of companies.parquet/csv.",
            f"'{folder}' lacks parks.parquet/csv or companies.parquet/csv.",
        )
    parks = _read_table(p_path)
    companies = _read_table(c_path)
    for name, df, need in (
        ("parks", parks, ("park_id", "lat", "lon")),
        ("companies", companies, ("park_id", "company_id", "annual_kwh")),
    ):
        missing = [c for c in need if c not in df.columns]
        if missing:
            raise ParkplanError(
                f"Tabel {name} mist kolom(men) {missing}.",
                f"Table {name} lacks column(s) {missing}.",
            )
    parks["park_id"] = parks["park_id"].astype(str)
    companies["park_id"] = companies["park_id"].astype(str)
    if parks["park_id"].duplicated().any():
        dup = parks.loc[parks["park_id"].duplicated(), "park_id"].iloc[0]
        raise ParkplanError(
            f"Park-id '{dup}' komt meer dan eens voor in de parkentabel.",
            f"Park id '{dup}' occurs more than once in the parks table.",
        )
    meta: dict[str, Any] = {"parks_file": str(p_path), "companies_file": str(c_path)}
    meta_file = folder / "metadata.json"
    if meta_file.is_file():
        meta.update(json.loads(meta_file.read_text(encoding="utf-8")))
    synthetic = bool(parks.get("synthetic", pd.Series([False])).fillna(False).any())
    meta["synthetic"] = synthetic
    meta["parks"] = len(parks)
    meta["companies"] = len(companies)
    return parks.set_index("park_id", drop=False), companies, meta


def read_park_source(path: str | Path) -> tuple[ParkSource, dict[str, Any]]:
    """The screening input at ``path``: a folder with parks/companies tables, or a folder
    (or a single file) of park files.

    Returns
    -------
    source, metadata
    """
    p = Path(path)
    if not p.exists():
        raise ParkplanError(f"Invoer '{p}' bestaat niet.", f"Input '{p}' does not exist.")
    if p.is_dir() and _find(p, "parks") is not None:
        parks, companies, meta = read_park_tables(p)
        src = ParkSource(
            kind="tables",
            path=p,
            park_ids=list(parks.index),
            parks=parks.drop(columns=["park_id"]),
            companies=companies,
            synthetic=meta["synthetic"],
        )
        return src, {**meta, "kind": "tables"}
    files = (
        [p]
        if p.is_file()
        else sorted(
            f for f in p.iterdir() if f.is_file() and f.suffix.lower() in PARK_FILE_SUFFIXES
        )
    )
    if not files:
        raise ParkplanError(
            f"Geen parkbestanden (.yaml, .yml, .json) of tabellen gevonden in '{p}'.",
            f"No park files (.yaml, .yml, .json) or tables found in '{p}'.",
        )
    by_id: dict[str, Path] = {}
    for f in files:
        key = f.stem
        n = 2
        while key in by_id:
            key = f"{f.stem}-{n}"
            n += 1
        by_id[key] = f
    src = ParkSource(kind="files", path=p, park_ids=list(by_id), files=by_id)
    return src, {"kind": "files", "parks": len(by_id), "files": [str(f) for f in files]}


def read_park_from_file(path: str | Path) -> Park:
    """A park from a park file; blocking problems raise (ValidationError)."""
    from parkplan.io.parkfile import read_park_file

    park, _problems = read_park_file(path)
    return park


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _faces(layout: str, tilt: float, azimuth: float) -> list[tuple[float, float]]:
    if layout == "south":
        return [(tilt, azimuth)]
    return [(tilt, azimuth % 360.0), (tilt, (azimuth + 180.0) % 360.0)]


def company_from_row(row: Mapping[str, Any], synthetic: bool = False) -> Company:
    """A company from one row of the companies table (roofs split per layout face)."""
    cid = str(row["company_id"])
    annual = _num(row.get("annual_kwh"))
    if annual is None or annual < 0:
        raise ParkplanError(
            f"Bedrijf {cid}: annual_kwh ontbreekt of is negatief ({row.get('annual_kwh')}).",
            f"Company {cid}: annual_kwh is missing or negative ({row.get('annual_kwh')}).",
        )
    el = ElectricityUse(
        annual_kwh=annual,
        annual_feed_in_kwh=_num(row.get("annual_feed_in_kwh")) or 0.0,
        annual_produced_kwh=_num(row.get("annual_produced_kwh")),
        peak_kw=_num(row.get("peak_kw")),
    )
    roofs: list[Roof] = []
    area = _num(row.get("roof_area_m2"))
    if area:
        layout = _text(row.get("roof_layout")) or "south"
        faces = _faces(
            layout,
            _num(row.get("roof_tilt_deg")) or 0.0,
            _num(row.get("roof_azimuth_deg")) or 180.0,
        )
        kwp = _num(row.get("existing_pv_kwp")) or 0.0
        usable = _num(row.get("usable_fraction"))
        for k, (t, a) in enumerate(faces):
            roofs.append(
                Roof(
                    area_m2=area / len(faces),
                    usable_fraction=usable if usable is not None else 0.5,
                    tilt_deg=t,
                    azimuth_deg=a,
                    existing_pv_kwp=kwp / len(faces),
                    id=f"{cid}-r{k + 1}",
                )
            )
    kind = _text(row.get("connection_kind")) or "kleinverbruik"
    conn = Connection(
        ean=f"{cid}-e",
        kind=kind,  # type: ignore[arg-type]
        carrier="electricity",
        fuse=_text(row.get("fuse")),
        contracted_kw=_num(row.get("contracted_kw")),
        contracted_feed_in_kw=_num(row.get("contracted_feed_in_kw")),
        grid_level=_text(row.get("grid_level")),  # type: ignore[arg-type]
    )
    gas_m3 = _num(row.get("gas_m3"))
    employees = _num(row.get("employees"))
    return Company(
        id=cid,
        name=_text(row.get("name")) or cid,
        sbi=_text(row.get("sbi")),
        employees=int(employees) if employees is not None else None,
        floor_area_m2=_num(row.get("floor_area_m2")),
        operating_hours_class=_text(row.get("operating_hours_class")),
        electricity=el,
        gas=GasUse(annual_m3=gas_m3) if gas_m3 else None,
        connections=[conn],
        roofs=roofs,
    )


def park_from_rows(row: Mapping[str, Any], companies: pd.DataFrame) -> Park:
    """A park from its row of the parks table and its rows of the companies table."""
    synthetic = bool(row.get("synthetic", False))
    lat, lon = _num(row.get("lat")), _num(row.get("lon"))
    outline = row.get("outline_geojson")
    if isinstance(outline, str) and outline:
        outline = json.loads(outline)
    elif not isinstance(outline, dict):
        outline = None
    operator = _text(row.get("operator"))
    comps = [company_from_row(r, synthetic) for r in companies.to_dict("records")]
    return Park(
        id=str(row["park_id"]),
        name=_text(row.get("name")) or str(row["park_id"]),
        municipality=_text(row.get("municipality")),
        area_ha=_num(row.get("area_ha")),
        location=Location(lat=lat, lon=lon) if lat is not None and lon is not None else None,
        outline_geojson=outline,
        grid=GridAvailability(
            operator=operator,
            available_import_kw=_num(row.get("available_import_kw")),
            available_export_kw=_num(row.get("available_export_kw")),
        ),
        companies=comps,
        illustrative=synthetic,
    )


def iter_parks(source: ParkSource) -> Iterator[tuple[str, Park]]:
    """Every park of the source, in order (loading errors raise)."""
    for pid in source.park_ids:
        yield pid, source.load(pid)
