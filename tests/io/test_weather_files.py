"""Weather files: format detection, reading with provenance (file name and sha256)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.io.weather import WEATHER_FORMATS, detect_weather_format, read_weather

WEATHER = Path(__file__).parents[1] / "data" / "weather"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("knmi_uurgeg_279_sample.txt", "knmi"),
        ("knmi_uurgeg_279_commented_sample.txt", "knmi"),
        ("pvgis_tmy_sample.csv", "pvgis-csv"),
        ("pvgis_tmy_sample.json", "pvgis-json"),
    ],
)
def test_format_is_detected_from_the_content(name, fmt, tmp_path):
    # the content decides, not the name
    copy = tmp_path / "weer.dat"
    copy.write_bytes((WEATHER / name).read_bytes())
    assert detect_weather_format(copy) == fmt
    data, meta = read_weather(copy)
    assert meta["format"] == fmt
    assert meta["file_name"] == "weer.dat"
    assert meta["file_sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert list(data.columns)[:3] == ["ghi_w_m2", "dni_w_m2", "dhi_w_m2"]
    assert str(data.index.tz) == "UTC"


def test_default_is_the_packaged_dwd_reference_year():
    data, meta = read_weather()
    assert meta["format"] == "dwd-try" and meta["region"] == 5
    assert meta["file_name"] == "TRY2010_05_Jahr.dat" and len(meta["file_sha256"]) == 64
    assert len(data) == 8760
    assert detect_weather_format(meta["path"]) == "dwd-try"


def test_unknown_or_mismatched_format_is_an_error(tmp_path):
    other = tmp_path / "iets.txt"
    other.write_text("datum;waarde\n2025-01-01;3\n", encoding="utf-8")
    with pytest.raises(ParkplanError, match="format not recognised") as exc:
        read_weather(other)
    assert "formaat niet herkend" in exc.value.nl
    with pytest.raises(ParkplanError, match="is not pvgis-json"):
        read_weather(WEATHER / "pvgis_tmy_sample.csv", "pvgis-json")
    with pytest.raises(ParkplanError, match="unknown"):
        read_weather(WEATHER / "pvgis_tmy_sample.csv", "csv")
    with pytest.raises(ParkplanError, match="does not exist"):
        read_weather(tmp_path / "weg.txt", "knmi")
    assert set(WEATHER_FORMATS) == {"knmi", "pvgis-csv", "pvgis-json", "dwd-try"}
