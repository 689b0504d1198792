"""Charts: files are produced, non-trivial, with Dutch labels and a decimal comma."""

from __future__ import annotations

import struct
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.reports import charts


def png_size(path):
    with path.open("rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_format_number_is_dutch():
    assert charts.format_number(1234567.891, 1) == "1.234.567,9"
    assert charts.format_number(-0.5, 2) == "-0,50"
    assert charts.format_number(None) == "-"
    assert charts.format_number(float("nan")) == "-"


def fake_result(n=3, days=365):
    idx = pd.date_range("2025-01-01", periods=96 * days, freq="15min", tz="Europe/Amsterdam")
    t = np.arange(len(idx))
    day = (t % 96) / 96
    sun = np.clip(np.sin((day - 0.25) * 2 * np.pi), 0, None) * (
        1.2 + np.sin(t / len(t) * 2 * np.pi - 1.3)
    )
    demand = np.vstack([(5 + k) * (1 + 0.5 * ((day > 0.3) & (day < 0.7))) for k in range(n)])
    pv = np.vstack([8 * sun * (k + 1) / n for k in range(n)])
    net = demand.sum(axis=0) - pv.sum(axis=0)
    companies = [
        SimpleNamespace(id=f"c{k}", peak_import_kw=float(demand[k].max() * 4)) for k in range(n)
    ]
    park = SimpleNamespace(
        estimated=True,
        available_import_kw=60.0,
        available_export_kw=40.0,
        coincident_peak_kw=float(net.max() * 4),
    )
    return SimpleNamespace(
        index=idx,
        interval_h=0.25,
        demand_kwh=demand,
        pv_kwh=pv,
        park_net_kwh=net,
        park=park,
        companies=companies,
    )


def test_simulation_charts_write_png_and_svg(tmp_path):
    paths = charts.simulation_charts(fake_result(), tmp_path)
    names = sorted(p.name for p in paths)
    assert names == sorted(
        f"{stem}.{ext}"
        for stem in (
            "energiebalans-per-maand",
            "belastingduurkromme",
            "zomer-en-winterweek",
            "pieken",
        )
        for ext in ("png", "svg")
    )
    for p in paths:
        assert p.stat().st_size > 5000, p
        if p.suffix == ".png":
            w, h = png_size(p)
            assert w >= 600 and h >= 400
    svg = (tmp_path / "energiebalans-per-maand.svg").read_text(encoding="utf-8")
    for label in (
        "Energiebalans per maand (schatting)",
        "Zonnestroom",
        "Teruglevering",
        "mrt",
        "okt",
        "MWh",
    ):
        assert label in svg
    ldc = (tmp_path / "belastingduurkromme.svg").read_text(encoding="utf-8")
    assert "Uren van het jaar" in ldc and "beschikbaar vermogen afname" in ldc
    # thousands separated by a dot on the hours axis (8.760 hours in a year)
    assert "2.000" in ldc or "4.000" in ldc
    weeks = (tmp_path / "zomer-en-winterweek.svg").read_text(encoding="utf-8")
    assert "Zomerweek vanaf 16-06-2025" in weeks and "Winterweek vanaf 13-01-2025" in weeks
    peaks = (tmp_path / "pieken.svg").read_text(encoding="utf-8")
    assert "Som van de eigen pieken" in peaks and "Gezamenlijke piek" in peaks


def test_decimal_comma_on_axes(tmp_path):
    paths = charts.plot_peaks({"a": 1.2, "b": 0.7}, 1.5, tmp_path / "p", formats=("svg",))
    text = paths[0].read_text(encoding="utf-8")
    assert "1,5" in text  # the coincident peak label
    assert "0,5" in text  # a y tick
    assert ">1.5<" not in text and ">0.5<" not in text


def test_charts_need_series():
    r = fake_result(days=2)
    r.demand_kwh = None
    with pytest.raises(ParkplanError):
        charts.simulation_charts(r, "unused")
