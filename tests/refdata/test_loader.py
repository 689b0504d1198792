"""The reference-data loader: validation, year rules, overrides, record of use."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkplan.domain.errors import ValidationError
from parkplan.refdata import (
    REFDATA_DIR,
    RefDataError,
    UnknownValueError,
    load_refdata,
    read_refdata_dir,
)

HEADER = "key,value,unit,year,source,indicative,note\n"


def write(tmp_path: Path, name: str, body: str, header: str = HEADER) -> Path:
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def problems_of(tmp_path: Path) -> list:
    with pytest.raises(ValidationError) as exc:
        load_refdata(directory=tmp_path)
    return exc.value.errors


def test_shipped_tables_load_without_problems():
    rows, problems = read_refdata_dir(REFDATA_DIR)
    assert problems == []
    assert len(rows) > 5
    assert all(r.unit and r.source for r in rows)


def test_co2_keys_for_the_simulation():
    ref = load_refdata()
    for key in (
        "co2.electricity_kg_per_kwh",
        "co2.electricity_grey_kg_per_kwh",
        "co2.electricity_nl_mix_kg_per_kwh",
        "co2.natural_gas_kg_per_m3",
        "co2.diesel_kg_per_l",
        "co2.petrol_kg_per_l",
    ):
        assert ref.value(key, 2026) > 0
    assert ref.get("co2.natural_gas_kg_per_m3").unit == "kg/m3"


def test_duplicate_key_names_file_and_row(tmp_path):
    write(tmp_path, "a.csv", "x.one,1,EUR,2025,src,false,\nx.one,2,EUR,2025,src,false,\n")
    (p,) = problems_of(tmp_path)
    assert p.code == "duplicate"
    assert (p.file, p.row) == ("a.csv", 3)
    assert "a.csv rij 2" in p.nl
    assert "a.csv row 2" in p.en


def test_duplicate_across_files(tmp_path):
    write(tmp_path, "a.csv", "x.one,1,EUR,,src,false,\n")
    write(tmp_path, "b.csv", "x.one,1,EUR,,src,false,\n")
    (p,) = problems_of(tmp_path)
    assert (p.file, p.row, p.code) == ("b.csv", 2, "duplicate")


def test_missing_source_and_unit_and_bad_number(tmp_path):
    write(
        tmp_path,
        "t.csv",
        "a.ok,1.5,EUR,2025,src,false,\n"
        "a.nosource,1,EUR,2025,,false,\n"
        "a.nounit,1,,2025,src,false,\n"
        "a.bad,1;5,EUR,2025,src,false,\n"
        "a.badyear,1,EUR,twenty,src,false,\n"
        "a.badflag,1,EUR,2025,src,maybe,\n",
    )
    found = {(p.row, p.column, p.code) for p in problems_of(tmp_path)}
    assert found == {
        (3, "source", "missing"),
        (4, "unit", "missing"),
        (5, "value", "not_a_number"),
        (6, "year", "not_a_number"),
        (7, "indicative", "not_a_bool"),
    }
    rendered = ValidationError(problems=problems_of(tmp_path)).render("en")
    assert "t.csv, row 5, column 'value'" in rendered


def test_files_without_standard_columns_are_skipped(tmp_path):
    write(tmp_path, "other.csv", "a,b\n1,2\n", header="")
    write(tmp_path, "t.csv", "k.one,1,EUR,,src,false,\n")
    assert load_refdata(directory=tmp_path).keys() == ["k.one"]


def test_year_rules_carry_forward_and_year_specific(tmp_path):
    write(
        tmp_path,
        "t.csv",
        "cost.pv,1.0,EUR/Wp,2024,src,true,\ncost.pv,0.9,EUR/Wp,2026,src,true,\n",
    )
    write(
        tmp_path,
        "tax.csv",
        "tax.e1,0.10154,EUR/kWh,2025,src,false,,false\n"
        "tax.e1,0.09160,EUR/kWh,2026,src,false,,false\n"
        "tax.e2,unknown,EUR/kWh,2026,src,true,,false\n",
        header="key,value,unit,year,source,indicative,note,carry_forward\n",
    )
    ref = load_refdata(directory=tmp_path)
    assert ref.value("cost.pv", 2025) == 1.0
    assert ref.value("cost.pv", 2030) == 0.9
    assert ref.get("cost.pv", 2030).year == 2026
    assert ref.value("cost.pv") == 0.9
    assert ref.value("tax.e1", 2026) == 0.09160
    with pytest.raises(UnknownValueError) as exc:
        ref.value("tax.e1", 2027)
    assert "2027" in exc.value.nl and "refdata_overrides" in exc.value.en
    looked = ref.lookup("tax.e1", 2027)
    assert looked.status == "unknown" and looked.value is None and looked.unit == "EUR/kWh"
    assert ref.lookup("tax.e2", 2026).status == "unknown"
    with pytest.raises(UnknownValueError):
        ref.value("cost.pv", 2020)
    with pytest.raises(RefDataError):
        ref.value("tax.e1")  # year-specific: a year is required
    with pytest.raises(RefDataError) as exc2:
        ref.value("tax.nope", 2026)
    assert "tax.nope" in exc2.value.en
    used = {(r.key, r.year, r.status) for r in ref.used()}
    assert ("tax.e1", 2027, "unknown") in used
    assert ("cost.pv", 2026, "ok") in used


def test_overrides_are_marked_keep_unit_and_change_version():
    ref = load_refdata()
    over = ref.with_overrides({"co2.electricity_kg_per_kwh": "0,2"})
    r = over.get("co2.electricity_kg_per_kwh", 2026)
    assert r.value == 0.2 and r.overridden and r.unit == "kg/kWh"
    assert "park override" in r.source
    assert ref.value("co2.electricity_kg_per_kwh", 2026) == 0.268  # original unchanged
    assert over.version != ref.version
    assert load_refdata().version == ref.version
    same = load_refdata({"co2.electricity_kg_per_kwh": 0.2})
    assert same.version == over.version
    one_year = ref.with_overrides(
        {"co2.diesel_kg_per_l": {"value": 3.1, "year": 2030, "source": "own"}}
    )
    assert one_year.value("co2.diesel_kg_per_l", 2030) == 3.1
    assert one_year.value("co2.diesel_kg_per_l", 2026) == 3.256
    assert one_year.get("co2.diesel_kg_per_l", 2031).overridden


def test_bad_overrides_are_refused_with_clear_messages():
    ref = load_refdata()
    with pytest.raises(ValidationError) as exc:
        ref.with_overrides(
            {
                "co2.nonsense": 1,
                "co2.diesel_kg_per_l": "veel",
                "co2.petrol_kg_per_l": -1,
            }
        )
    codes = {p.path: p.code for p in exc.value.errors}
    assert codes == {
        "refdata_overrides.co2.nonsense": "unknown_key",
        "refdata_overrides.co2.diesel_kg_per_l": "not_a_number",
        "refdata_overrides.co2.petrol_kg_per_l": "out_of_range",
    }


def test_used_and_table():
    ref = load_refdata()
    assert ref.used() == []
    ref.value("co2.diesel_kg_per_l", 2026)
    ref.value("co2.diesel_kg_per_l", 2026)
    assert [r.key for r in ref.used()] == ["co2.diesel_kg_per_l"]
    keys = {r.key for r in ref.table("co2.")}
    assert "co2.petrol_kg_per_l" in keys
    assert all(k.startswith("co2.") for k in keys)
    assert load_refdata().used() == []  # every load starts a fresh record


def test_inconsistent_key_definitions(tmp_path):
    write(
        tmp_path,
        "t.csv",
        "k.mixed,1,EUR,,src,false,,\n"
        "k.mixed,2,EUR,2025,src,false,,\n"
        "k.unit,1,EUR,2025,src,false,,\n"
        "k.unit,1,EUR/kWh,2026,src,false,,\n"
        "k.carry,1,EUR,2025,src,false,,false\n"
        "k.carry,1,EUR,2026,src,false,,true\n"
        "k.frac,1.5,fraction,,src,false,,\n"
        "k.flag,2,bool,,src,false,,\n",
        header="key,value,unit,year,source,indicative,note,carry_forward\n",
    )
    found = {(p.row, p.code) for p in problems_of(tmp_path)}
    assert found == {
        (3, "mixed_years"),
        (5, "unit_mismatch"),
        (7, "carry_mismatch"),
        (8, "out_of_range"),
        (9, "out_of_range"),
    }


def test_override_of_a_fraction_is_bounded(tmp_path):
    write(tmp_path, "t.csv", "k.share,0.5,fraction,,src,true,\n")
    ref = load_refdata(directory=tmp_path)
    assert ref.with_overrides({"k.share": 0.8}).value("k.share") == 0.8
    with pytest.raises(ValidationError) as exc:
        ref.with_overrides({"k.share": 1.2})
    assert exc.value.errors[0].code == "out_of_range"
    assert "0, 1" in exc.value.errors[0].nl


def test_every_key_of_the_tariff_tables_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "refdata.md").read_text("utf-8")
    mine = {
        "co2.csv",
        "energy_tax.csv",
        "supply_prices.csv",
        "tariff_categories.csv",
        "grid_tariffs.csv",
        "gto_rules.csv",
        "costs.csv",
        "subsidies.csv",
        "obligations.csv",
    }
    rows, _ = read_refdata_dir(REFDATA_DIR)
    missing = sorted({r.key for r in rows if r.file in mine and f"`{r.key}`" not in doc})
    assert missing == []


def test_unknown_values_are_marked_indicative_and_year_specific_keys_need_a_year():
    ref = load_refdata()
    for r in ref.table("energy_tax.electricity.b2.eur_per_kwh"):
        assert r.status == "unknown" or r.value > 0
    assert ref.lookup("energy_tax.electricity.b2.eur_per_kwh", 2026).status == "unknown"
    assert ref.value("energy_tax.electricity.b1.upper_kwh") == 10_000
    assert ref.value("energy_tax.reduction_eur_per_connection", 2026) == pytest.approx(519.80)
    with pytest.raises(UnknownValueError):
        ref.value("energy_tax.reduction_eur_per_connection", 2027)


def test_every_shipped_value_lies_within_its_bounds():
    ref = load_refdata()
    outside = []
    for key in ref:
        if key.startswith("bounds."):
            continue
        lo, hi = ref.bounds(key)
        for r in ref.table(key):
            if r.key != key or not isinstance(r.value, float):
                continue
            if (lo is not None and r.value < lo) or (hi is not None and r.value > hi):
                outside.append((key, r.year, r.value, lo, hi))
    assert outside == []
