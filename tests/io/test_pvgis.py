"""PVGIS TMY, CSV and JSON: identical frames, UTC interval-start index, our column names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.io.pvgis import read_pvgis_tmy

DATA = Path(__file__).parents[1] / "data" / "weather"


@pytest.fixture(scope="module")
def csv():
    return read_pvgis_tmy(DATA / "pvgis_tmy_sample.csv")


@pytest.fixture(scope="module")
def js():
    return read_pvgis_tmy(DATA / "pvgis_tmy_sample.json")


def test_csv_and_json_identical(csv, js):
    pd.testing.assert_frame_equal(csv[0], js[0], check_exact=True)
    for key in ("lat_deg", "lon_deg", "altitude_m", "months_selected"):
        assert csv[1][key] == js[1][key]


def test_columns_index_and_values(csv):
    data, meta = csv
    assert list(data.columns) == [
        "ghi_w_m2",
        "dni_w_m2",
        "dhi_w_m2",
        "temp_air_c",
        "wind_speed_m_s",
    ]
    assert len(data) == 48
    assert str(data.index.tz) == "UTC"
    assert data.index[0] == pd.Timestamp("2016-06-21 00:00", tz="UTC")
    assert data.index[-1] == pd.Timestamp("2016-06-22 23:00", tz="UTC")
    # row "20160621:1100": values as written in the file
    row = data.loc[pd.Timestamp("2016-06-21 11:00", tz="UTC")]
    line = next(
        ln
        for ln in (DATA / "pvgis_tmy_sample.csv").read_text(encoding="utf-8").splitlines()
        if ln.startswith("20160621:1100")
    )
    fields = line.split(",")
    assert row["temp_air_c"] == float(fields[1])
    assert row["ghi_w_m2"] == float(fields[3])
    assert row["dni_w_m2"] == float(fields[4])
    assert row["dhi_w_m2"] == float(fields[5])
    assert row["wind_speed_m_s"] == float(fields[7])
    # -0.0 in the file becomes +0.0
    assert str(data["dni_w_m2"].iloc[0]) == "0.0"
    assert meta["lat_deg"] == pytest.approx(52.729)
    assert meta["lon_deg"] == pytest.approx(6.49)
    assert len(meta["months_selected"]) == 12
    assert meta["months_selected"][5] == {"month": 6, "year": 2016}
    assert "UTC" in meta["original_time_convention"]


def test_not_pvgis(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("Latitude (decimal degrees):\t1\nfoo,bar\n", encoding="utf-8")
    with pytest.raises(ParkplanError, match="not a PVGIS TMY"):
        read_pvgis_tmy(bad)
    bad_json = tmp_path / "x.json"
    bad_json.write_text('{"outputs": {}}', encoding="utf-8")
    with pytest.raises(ParkplanError, match="not a PVGIS TMY"):
        read_pvgis_tmy(bad_json)
