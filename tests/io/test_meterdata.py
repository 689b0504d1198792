"""Tests of the Dutch meter-data reader, its checks and the explicit gap filling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.io.meterdata import (
    check_meter_data,
    drop_duplicates,
    expected_index,
    fill_gaps,
    fix_signs,
    read_meter_data,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "meterdata"
TZ = "Europe/Amsterdam"


def codes(problems):
    return [p.code for p in problems]


def test_dutch_export_with_preamble_and_decimal_comma():
    df, meta = read_meter_data(DATA / "afname_teruglevering_nl.csv")
    assert list(df.columns) == ["offtake_kwh", "feed_in_kwh"]
    assert len(df) == 96
    assert str(df.index.tz) == TZ
    assert df.index[0] == pd.Timestamp("2025-06-02 00:00", tz=TZ)
    assert df.index[-1] == pd.Timestamp("2025-06-02 23:45", tz=TZ)
    assert df["offtake_kwh"].sum() == pytest.approx(170.0, abs=1e-9)
    assert df["feed_in_kwh"].sum() == pytest.approx(12.0, abs=1e-9)
    assert meta["separator"] == ";" and meta["decimal_comma"]
    assert meta["header_row"] == 4
    assert meta["columns"] == {
        "offtake_kwh": ["Afname (kWh)"],
        "feed_in_kwh": ["Teruglevering (kWh)"],
    }
    assert meta["problems"] == []
    assert df.attrs["rows"][0] == 5  # first data row as the user sees it
    assert check_meter_data(df, 2025, full_year=False) == []


def test_year_that_does_not_match():
    df, _ = read_meter_data(DATA / "afname_teruglevering_nl.csv")
    problems = check_meter_data(df, 2024, full_year=False)
    assert codes(problems) == ["wrong_year"]
    assert problems[0].severity == "error"
    assert "2025" in problems[0].nl and "2024" in problems[0].en
    assert problems[0].file == "afname_teruglevering_nl.csv" and problems[0].row == 5


def test_full_year_check_reports_missing_rest_of_year():
    df, _ = read_meter_data(DATA / "afname_teruglevering_nl.csv")
    problems = check_meter_data(df, 2025)
    gaps = [p for p in problems if p.code == "gap"]
    # 01-01 .. 01-06: 152 days - 4 (summer time); 03-06 .. 31-12: 212 days + 4 (winter time)
    assert [p.value for p in gaps] == [152 * 96 - 4, 212 * 96 + 4]
    assert all(type(p.value) is int for p in gaps)
    assert "01-01-2025 00:00" in gaps[0].nl


def test_spring_day_with_92_intervals_is_correct():
    df, meta = read_meter_data(DATA / "van_tot_voorjaar_92.csv")
    assert len(df) == 92
    assert meta["columns"]["offtake_kwh"] == ["Levering (kWh)"]
    assert df["offtake_kwh"].sum() == pytest.approx(23.0)
    local = df.index.tz_convert(TZ)
    i = list(local.strftime("%H:%M")).index("01:45")
    assert local[i + 1].strftime("%H:%M") == "03:00"
    assert np.all(np.diff(df.index.asi8) == 15 * 60 * 10**9)
    assert check_meter_data(df, 2025, full_year=False) == []


def test_autumn_day_with_100_intervals_is_correct():
    df, meta = read_meter_data(DATA / "herfst_100.csv")
    assert len(df) == 100 and meta["problems"] == []
    assert not df.index.has_duplicates
    assert np.all(np.diff(df.index.asi8) == 15 * 60 * 10**9)
    # first 02:00 is summer time (00:00 UTC), the second winter time (01:00 UTC)
    utc = df.index.tz_convert("UTC")
    assert utc[8] == pd.Timestamp("2025-10-26 00:00", tz="UTC")
    assert utc[12] == pd.Timestamp("2025-10-26 01:00", tz="UTC")
    assert df["offtake_kwh"].iloc[12] == pytest.approx(1.3)
    assert check_meter_data(df, 2025, full_year=False) == []


def test_autumn_day_with_96_intervals_means_dst_ignored():
    df, _ = read_meter_data(DATA / "herfst_96_zonder_zomertijd.csv")
    problems = check_meter_data(df, 2025, full_year=False)
    assert "dst_ignored" in codes(problems)
    dst = next(p for p in problems if p.code == "dst_ignored")
    assert "26-10-2025" in dst.nl and "96" in dst.en
    gap = next(p for p in problems if p.code == "gap")
    assert gap.value == 4


def test_spring_day_with_96_intervals_is_reported_by_the_reader():
    df, meta = read_meter_data(DATA / "voorjaar_96_zonder_zomertijd.csv")
    assert len(df) == 92
    (problem,) = meta["problems"]
    assert problem.code == "dst_ignored" and problem.severity == "error"
    assert problem.row == 10  # 02:00 is the 9th interval, in file row 10
    assert "30-03-2025" in problem.nl and "4 times" in problem.en


def test_kw_header_is_converted_and_end_stamps_shift_to_start():
    df, meta = read_meter_data(DATA / "verbruik_kw_eindtijd.csv")
    assert meta["timestamps"] == "end"
    assert len(df) == 96
    assert df.index[0] == pd.Timestamp("2025-01-06 00:00", tz=TZ)
    assert df.index[-1] == pd.Timestamp("2025-01-06 23:45", tz=TZ)
    # 48 x 4,0 kW and 48 x 8,0 kW, a quarter-hour each
    assert df["offtake_kwh"].sum() == pytest.approx(48 * 1.0 + 48 * 2.0)
    assert codes(meta["problems"]) == ["kw_not_kwh"]
    assert meta["problems"][0].severity == "warning"
    assert (df["feed_in_kwh"] == 0).all()


def test_kw_detected_from_stated_annual_total():
    idx = expected_index(2025)
    df = pd.DataFrame({"offtake_kwh": np.full(len(idx), 4.0), "feed_in_kwh": 0.0}, index=idx)
    problems = check_meter_data(df, 2025, annual_kwh=35_040.0)
    assert codes(problems) == ["kw_not_kwh"]
    assert problems[0].value == pytest.approx(4.0)
    assert check_meter_data(df / 4, 2025, annual_kwh=35_040.0) == []


def test_gaps_duplicates_empty_and_bad_values():
    df, meta = read_meter_data(DATA / "gaten_dubbel.csv")
    bad = [p for p in meta["problems"] if p.code == "not_a_number"]
    assert len(bad) == 1 and bad[0].value == "abc" and bad[0].column == "Afname (kWh)"
    assert bad[0].row == 51  # interval 50: minus 3 missing rows, plus 2 duplicates and header
    problems = check_meter_data(df, 2025, full_year=False)
    dups = [p for p in problems if p.code == "duplicate"]
    assert [p.severity for p in dups] == ["warning", "error"]
    assert "07-01-2025 05:00" in dups[0].nl and "rijen 19, 20" in dups[0].nl
    (gap,) = [p for p in problems if p.code == "gap"]
    assert gap.value == 3 and "07-01-2025 02:30" in gap.nl and "02:59" not in gap.nl
    assert gap.row == 11  # the row before the gap
    missing = [p for p in problems if p.code == "missing_value"]
    assert [p.value for p in missing] == [1, 1]  # the empty cell and the unreadable one


def test_fill_gaps_requires_unique_intervals_and_reports_every_fill():
    df, _ = read_meter_data(DATA / "gaten_dubbel.csv")
    with pytest.raises(ParkplanError, match="duplicate"):
        fill_gaps(df, "linear")
    unique, dropped = drop_duplicates(df)
    assert codes(dropped) == ["duplicate_dropped"] and dropped[0].value == 2
    for method, expected_sum in (("zero", 96 - 5), ("linear", 96.0), ("same_weekday", 96.0)):
        filled, report = fill_gaps(unique, method)
        assert len(filled) == 96
        assert filled[["offtake_kwh", "feed_in_kwh"]].notna().all().all()
        assert int(filled["filled"].sum()) == 5
        assert [p.code for p in report] == ["filled"] * 3
        assert all(p.value == method for p in report)
        if method != "same_weekday":
            assert filled["offtake_kwh"].sum() == pytest.approx(expected_sum)
    with pytest.raises(ParkplanError):
        fill_gaps(unique, "mean")  # type: ignore[arg-type]


def test_fill_same_weekday_takes_last_week():
    idx = pd.date_range("2025-03-03", periods=14 * 96, freq="15min", tz=TZ)
    values = np.arange(len(idx), dtype=float)
    df = pd.DataFrame({"offtake_kwh": values, "feed_in_kwh": 0.0}, index=idx)
    holed = df.drop(idx[7 * 96 + 10 : 7 * 96 + 14])
    filled, report = fill_gaps(holed, "same_weekday")
    np.testing.assert_array_equal(
        filled["offtake_kwh"].to_numpy()[7 * 96 + 10 : 7 * 96 + 14], values[10:14]
    )
    assert len(report) == 1 and "same weekday" in report[0].en


def test_fill_to_full_year():
    df, _ = read_meter_data(DATA / "afname_teruglevering_nl.csv")
    filled, report = fill_gaps(df, "zero", year=2025)
    assert len(filled) == 35040
    assert filled["offtake_kwh"].sum() == pytest.approx(170.0)
    assert len(report) == 2


def test_net_values_with_negative_offtake():
    df, meta = read_meter_data(DATA / "netto_negatief.csv")
    assert meta["columns"]["feed_in_kwh"] == []
    problems = check_meter_data(df, 2025, full_year=False)
    assert codes(problems) == ["feed_in_in_offtake"]
    assert problems[0].row == 46 and problems[0].severity == "error"
    fixed, report = fix_signs(df)
    assert codes(report) == ["sign_fixed"]
    assert fixed["offtake_kwh"].sum() == pytest.approx(88 * 0.5)
    assert fixed["feed_in_kwh"].sum() == pytest.approx(8 * 0.75)
    assert check_meter_data(fixed, 2025, full_year=False) == []


def test_negative_feed_in_column():
    df, _ = read_meter_data(DATA / "teruglevering_negatief.csv")
    problems = check_meter_data(df, 2025, full_year=False)
    assert codes(problems) == ["negative_feed_in"]
    assert problems[0].column == "feed_in_kwh" and problems[0].value == pytest.approx(-0.4)
    fixed, _ = fix_signs(df)
    assert fixed["feed_in_kwh"].sum() == pytest.approx(12 * 0.4)


def test_english_export_with_offsets():
    df, meta = read_meter_data(DATA / "export_en.csv")
    assert meta["separator"] == "," and not meta["decimal_comma"]
    assert len(df) == 8
    assert df.index[0] == pd.Timestamp("2025-07-01 00:00", tz=TZ)
    assert df["offtake_kwh"].sum() == pytest.approx(0.125 * 36)
    assert meta["columns"]["feed_in_kwh"] == ["Export (kWh)"]


def test_full_year_round_trip_has_no_problems(tmp_path):
    idx = expected_index(2025)
    local = idx.tz_convert(TZ)
    lines = ["Datum;Tijd;Afname (kWh);Teruglevering (kWh)"]
    lines += [f"{t:%d-%m-%Y};{t:%H:%M};1,000;0,000" for t in local]
    path = tmp_path / "jaar.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    df, meta = read_meter_data(path)
    assert meta["problems"] == []
    assert df.index.equals(idx)
    assert check_meter_data(df, 2025, annual_kwh=35_040.0) == []


def test_no_header_found(tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(ParkplanError, match="No header"):
        read_meter_data(path)


def test_registers_levering_and_unit_column(tmp_path):
    path = tmp_path / "telwerken.csv"
    path.write_text(
        "EAN;Datum;Tijd;Afname normaal;Afname dal;Levering;Eenheid\n"
        "871687400012345678;07-01-2025;00:00;0,000;1,200;0,000;kW\n"
        "871687400012345678;07-01-2025;00:15;0,000;2,000;0,400;kW\n",
        encoding="cp1252",
    )
    df, meta = read_meter_data(path)
    assert meta["columns"] == {
        "offtake_kwh": ["Afname normaal", "Afname dal"],
        "feed_in_kwh": ["Levering"],
    }
    np.testing.assert_allclose(df["offtake_kwh"], [0.3, 0.5])  # kW / 4
    np.testing.assert_allclose(df["feed_in_kwh"], [0.0, 0.1])
    assert codes(meta["problems"]) == ["kw_not_kwh"] * 3


def test_semicolon_file_with_decimal_points(tmp_path):
    path = tmp_path / "punt.csv"
    path.write_text(
        "Datum;Tijd;Verbruik (kWh)\n07-01-2025;00:00;0.250\n07-01-2025;00:15;1.500\n",
        encoding="utf-8",
    )
    df, meta = read_meter_data(path)
    assert not meta["decimal_comma"]
    np.testing.assert_allclose(df["offtake_kwh"], [0.25, 1.5])


def test_thousands_dots_with_decimal_comma(tmp_path):
    path = tmp_path / "duizend.csv"
    path.write_text(
        "Datum;Tijd;Afname (Wh)\n07-01-2025;00:00;1.234,5\n07-01-2025;00:15;250,0\n",
        encoding="utf-8",
    )
    df, _ = read_meter_data(path)
    np.testing.assert_allclose(df["offtake_kwh"], [1.2345, 0.25])


def test_hourly_values_are_reported():
    idx = pd.date_range("2025-01-01", "2026-01-01", freq="1h", tz=TZ, inclusive="left")
    df = pd.DataFrame({"offtake_kwh": 1.0, "feed_in_kwh": 0.0}, index=idx)
    problems = check_meter_data(df, 2025)
    assert codes(problems) == ["resolution"] and problems[0].value == 60


# ---- one timestamp column: interval start or end, decided from the whole file


def _stamp_file(tmp_path, stamps, *, midnight="00:00"):
    """A 'Datum/tijd' export with value i/1000 kWh in row i (to check the alignment)."""
    lines = ["Datum/tijd;Afname (kWh)"]
    for i, t in enumerate(stamps):
        text = f"{t:%d-%m-%Y %H:%M}"
        if midnight == "24:00" and t.hour == 0 and t.minute == 0:
            text = f"{t - pd.Timedelta(days=1):%d-%m-%Y} 24:00"
        lines.append(f"{text};{i / 1000:.3f}".replace(".", ","))
    path = tmp_path / "stempels.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_start_stamps_without_the_first_quarter_are_not_taken_as_end_stamps(tmp_path):
    # start stamps of 6 and 7 January; the quarter 00:00-00:15 of 6 January is missing
    stamps = pd.date_range("2025-01-06 00:15", "2025-01-07 23:45", freq="15min")
    df, meta = read_meter_data(_stamp_file(tmp_path, stamps))
    # 00:15 first and 23:45 last fits start stamps without the first quarter as well as
    # end stamps without the last: reported, and read as starts (not 15 minutes early)
    assert meta["timestamps"] == "start"
    assert codes(meta["problems"]) == ["time_convention_unknown"]
    problem = meta["problems"][0]
    assert problem.severity == "warning" and problem.column == "Datum/tijd"
    assert "06-01-2025 00:15 - 07-01-2025 23:45" in problem.nl
    assert "begin of het einde" in problem.nl and "start or the end" in problem.en
    assert df.index[0] == pd.Timestamp("2025-01-06 00:15", tz=TZ)
    assert df.index[-1] == pd.Timestamp("2025-01-07 23:45", tz=TZ)
    # the stamp 06-01-2025 12:00 (row 47) starts the interval 12:00-12:15
    assert df.loc[pd.Timestamp("2025-01-06 12:00", tz=TZ), "offtake_kwh"] == 0.047


@pytest.mark.parametrize("midnight", ["00:00", "24:00"])
def test_end_stamps_without_the_first_quarter_are_end_stamps(tmp_path, midnight):
    # end stamps of 6 January 00:15 .. 8 January 00:00; the first quarter (stamp 00:15)
    # is missing, so the file begins at 00:30; each day closes with 00:00 (or 24:00)
    stamps = pd.date_range("2025-01-06 00:30", "2025-01-08 00:00", freq="15min")
    df, meta = read_meter_data(_stamp_file(tmp_path, stamps, midnight=midnight))
    assert meta["timestamps"] == "end"
    assert meta["problems"] == []
    assert len(df) == 191
    assert df.index[0] == pd.Timestamp("2025-01-06 00:15", tz=TZ)
    assert df.index[-1] == pd.Timestamp("2025-01-07 23:45", tz=TZ)
    # the stamp 06-01-2025 12:00 (row 46) ends the interval 11:45-12:00
    assert df.loc[pd.Timestamp("2025-01-06 11:45", tz=TZ), "offtake_kwh"] == 0.046
    # the day boundary: stamp 07-01 00:00 (or 06-01 24:00) is the last quarter of 6 January
    assert df.loc[pd.Timestamp("2025-01-06 23:45", tz=TZ), "offtake_kwh"] == 0.094


def test_start_stamps_of_whole_days_are_start_stamps(tmp_path):
    stamps = pd.date_range("2025-01-06 00:00", "2025-01-07 23:45", freq="15min")
    df, meta = read_meter_data(_stamp_file(tmp_path, stamps))
    assert meta["timestamps"] == "start" and meta["problems"] == []
    assert df.index[0] == pd.Timestamp("2025-01-06 00:00", tz=TZ)
    assert df.index[-1] == pd.Timestamp("2025-01-07 23:45", tz=TZ)


def test_part_of_a_day_does_not_decide_the_time_convention(tmp_path):
    stamps = pd.date_range("2025-01-06 08:00", "2025-01-06 12:00", freq="15min")
    df, meta = read_meter_data(_stamp_file(tmp_path, stamps))
    assert codes(meta["problems"]) == ["time_convention_unknown"]
    assert meta["problems"][0].value == "06-01-2025 08:00 - 06-01-2025 12:00"
    assert df.index[0] == pd.Timestamp("2025-01-06 08:00", tz=TZ)


def test_date_and_time_columns_with_24_00_are_end_stamps(tmp_path):
    # Datum + Tijd with single times 00:15 .. 24:00: end stamps (not one quarter late)
    stamps = pd.date_range("2025-01-06 00:15", "2025-01-07 00:00", freq="15min")
    lines = ["Datum;Tijd;Afname (kWh)"]
    for i, t in enumerate(stamps):
        day, clock = (t - pd.Timedelta(days=1), "24:00") if t.hour == t.minute == 0 else (t, "")
        lines.append(f"{day:%d-%m-%Y};{clock or f'{t:%H:%M}'};{i}")
    path = tmp_path / "datum_tijd_eind.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    df, meta = read_meter_data(path)
    assert meta["timestamps"] == "end" and meta["problems"] == []
    assert df.index[0] == pd.Timestamp("2025-01-06 00:00", tz=TZ)
    assert df.index[-1] == pd.Timestamp("2025-01-06 23:45", tz=TZ)
    assert df.loc[pd.Timestamp("2025-01-06 23:45", tz=TZ), "offtake_kwh"] == 95.0
    assert check_meter_data(df, 2025, full_year=False) == []
