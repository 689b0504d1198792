"""EP-Online, KvK, IBIS and grid operators' consumption files (samples in tests/data/opendata)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point

from parkplan.domain.errors import ParkplanError
from parkplan.io import geo
from parkplan.io.opendata.eponline import read_energy_labels
from parkplan.io.opendata.ibis import read_ibis
from parkplan.io.opendata.kvk import read_kvk
from parkplan.io.opendata.netbeheer import read_consumption, year_of

DATA = Path(__file__).parents[1] / "data" / "opendata"
CONSUMPTION = DATA / "Liander_kleinverbruiksgegevens_01012024.csv"


def test_energy_labels():
    """The current EP-Online export: two lines before the header, PascalCase names."""
    labels, meta = read_energy_labels(DATA / "eponline.csv")
    assert meta["source"] == "EP-Online"
    assert meta["published"] == "2026-11-01"
    assert [lbl.label_class for lbl in labels] == ["C", "E", "A", "B"]
    first = labels[0]
    assert first.address is not None and first.address.key == ("7903 AA", 1, "", "")
    assert first.vbo_id == "0118010000111111"
    assert first.pand_id == "0118100000123456"
    assert first.floor_area_m2 == 5150.0
    assert (first.registered, first.valid_until) == ("2022-03-15", "2032-03-15")
    assert first.record == "eponline.csv:4"  # the line of the file
    assert labels[1].floor_area_m2 is None  # older method: no thermal zone area
    assert labels[3].address.key == ("7903 AA", 9, "A", "")  # Huisletter 'A'
    [bad] = meta["problems"]
    assert (bad.row, bad.code, bad.value) == (8, "bad_label", "X")


def test_energy_labels_pand_columns_of_the_2020_2023_export(tmp_path):
    path = tmp_path / "v20230101_v2_csv.csv"
    path.write_text(
        "Pand_opnamedatum;Pand_energieklasse;Pand_gebouwklasse;Meting_geldig_tot;"
        "Pand_registratiedatum;Pand_postcode;Pand_huisnummer;Pand_huisletter;"
        "Pand_huisnummertoevoeging;Pand_bagverblijfsobjectid;Pand_bagpandid;"
        "Pand_gebruiksoppervlakte_thermische_zone\n"
        "20220901;D;U;20320901;20220905;7903AB;11;B;2;0118010000999999;0118100000999999;1234,5\n",
        encoding="utf-8",
    )
    [label], meta = read_energy_labels(path)
    assert label.label_class == "D"
    assert label.address.key == ("7903 AB", 11, "B", "2")
    assert (label.vbo_id, label.pand_id) == ("0118010000999999", "0118100000999999")
    assert label.floor_area_m2 == 1234.5
    assert (label.registered, label.valid_until) == ("2022-09-05", "2032-09-01")
    assert meta["published"] is None and meta["problems"] == []


def test_energy_labels_in_a_zip_archive_as_ep_online_ships_them(tmp_path):
    import zipfile

    path = tmp_path / "v20261101_v4_csv.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(DATA / "eponline.csv", "v20261101_v4_csv.csv")
    labels, meta = read_energy_labels(path)
    assert [lbl.label_class for lbl in labels] == ["C", "E", "A", "B"]
    assert meta["file"] == "v20261101_v4_csv.zip/v20261101_v4_csv.csv"
    assert labels[0].record == "v20261101_v4_csv.zip/v20261101_v4_csv.csv:4"


def test_a_zip_without_one_csv_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "labels.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("v4.xml", "<x/>")
    with pytest.raises(ParkplanError, match="exactly one CSV") as info:
        read_energy_labels(path)
    assert "precies één CSV-bestand" in info.value.nl and "v4.xml" in info.value.nl


def test_several_building_ids_take_the_first(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        "Postcode;Huisnummer;Energieklasse;BAGPandIDs\n"
        "7903AB;11;C;0118100000999999,0118100000888888\n",
        encoding="utf-8",
    )
    [label], _ = read_energy_labels(path)
    assert label.pand_id == "0118100000999999"


def test_energy_labels_nta8800_columns(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        "Postcode,Huisnummer,Huisletter,Huisnummertoevoeging,Energieklasse,Gebruiksoppervlakte\n"
        "7903AB,11,,2,A+++,1200.5\n",
        encoding="utf-8",
    )
    [label], meta = read_energy_labels(path)
    assert label.label_class == "A+++"
    assert label.address.key == ("7903 AB", 11, "", "2")
    assert label.floor_area_m2 == 1200.5
    assert meta["problems"] == []


def test_kvk_csv():
    records, meta = read_kvk(DATA / "kvk.csv")
    assert meta["source"] == "KvK"
    assert len(records) == 9
    bakker = records[0]
    assert (bakker.kvk, bakker.name, bakker.sbi, bakker.employees) == (
        "01234567",
        "Transport Bakker BV",
        "4941",
        38,
    )
    assert bakker.branch_number == "000012345678"
    assert bakker.address.label() == "Industrieweg 1, 7903 AA"
    assert bakker.vbo_id == "0118010000111111"
    assert bakker.point.equals(Point(233030, 528035))
    loonwerk = next(r for r in records if r.kvk == "55667788")
    assert loonwerk.sbi == "0161"  # leading zero kept
    codes = [(p.row, p.code) for p in meta["problems"]]
    assert codes == [(10, "lost_leading_zeros"), (11, "wrong_projection")]
    # the record in the wrong projection is kept (its address can still match), without point
    wrong = next(r for r in records if r.kvk == "77889900")
    assert wrong.point is None and wrong.problems[0].code == "wrong_projection"


def test_kvk_json_profiles(tmp_path):
    lat, lon = geo.rd_to_wgs84(233030.0, 528035.0)
    doc = [
        {
            "kvkNummer": "01234567",
            "vestigingsnummer": "000012345678",
            "eersteHandelsnaam": "Transport Bakker BV",
            "totaalWerkzamePersonen": 38,
            "sbiActiviteiten": [
                {"sbiCode": "5229", "indHoofdactiviteit": "Nee"},
                {"sbiCode": "4941", "indHoofdactiviteit": "Ja"},
            ],
            "adressen": [
                {"type": "correspondentieadres", "postcode": "7900AA", "huisnummer": 99},
                {
                    "type": "bezoekadres",
                    "straatnaam": "Industrieweg",
                    "huisnummer": 1,
                    "postcode": "7903AA",
                    "plaats": "Hoogeveen",
                    "geoData": {"gpsLatitude": lat, "gpsLongitude": lon},
                },
            ],
        }
    ]
    path = tmp_path / "kvk.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    [rec], meta = read_kvk(path)
    assert rec.sbi == "4941" and rec.employees == 38
    assert rec.address.key == ("7903 AA", 1, "", "")
    assert rec.point.x == pytest.approx(233030.0, abs=0.01)
    assert rec.point.y == pytest.approx(528035.0, abs=0.01)
    assert meta["problems"] == []


def test_kvk_file_without_kvk_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("naam;plaats\nA;B\n", encoding="utf-8")
    with pytest.raises(ParkplanError, match="kvkNummer"):
        read_kvk(path)


def test_ibis_geojson():
    """The national IBIS layer (WarmteAtlas WFS): HA_BRUTO / HA_NETTO, GEM_CODES."""
    parks, meta = read_ibis(DATA / "ibis.geojson")
    assert meta["crs"] == geo.RD_NEW and meta["problems"] == []
    first = parks[0]
    assert (first.name, first.plan_id) == ("Industrieweg Hoogeveen", "0118-012")
    assert first.municipality is None  # GEM_CODES is a code, not a name
    assert (first.gross_area_ha, first.net_area_ha) == (19.3, 15.1)
    assert first.outline.area == 550.0 * 350.0


def test_ibis_csv_with_wkt_in_degrees(tmp_path):
    outline = geo.to_wgs84(read_ibis(DATA / "ibis.geojson")[0][0].outline)
    path = tmp_path / "ibis.csv"
    path.write_text(
        f'PLAN_NAAM;GEM_NAAM;BRUTO_OPP;NETTO_OPP;geometrie\nIndustrieweg;Hoogeveen;19,3;abc;"{outline.wkt}"\n',
        encoding="utf-8",
    )
    [park], meta = read_ibis(path)
    assert park.gross_area_ha == 19.3 and park.net_area_ha is None
    assert park.outline.area == pytest.approx(192500.0, rel=1e-6)
    assert [p.code for p in meta["problems"]] == ["not_a_number"]


def test_consumption_ranges():
    ranges, meta = read_consumption(CONSUMPTION)
    assert meta["year"] == 2024
    assert [(r.product, r.annual_mean, r.unit) for r in ranges] == [
        ("ELK", 18450.0, "kWh"),
        ("GAS", 4210.0, "m3"),
        ("ELK", 9650.5, "kWh"),
    ]
    assert ranges[0].contains("7903 AA") and not ranges[0].contains("7903 AB")
    assert ranges[0].connections == 14
    assert ranges[0].mean_column == "SJA_GEMIDDELD"
    [bad] = meta["problems"]
    assert (bad.row, bad.code) == (5, "bad_postcode")


def test_consumption_older_files_with_sjv_gemiddeld(tmp_path):
    path = tmp_path / "Enexis_kleinverbruiksgegevens_01012020.csv"
    path.write_text(
        "NETBEHEERDER;POSTCODE_VAN;POSTCODE_TOT;PRODUCTSOORT;AANSLUITINGEN_AANTAL;SJV_GEMIDDELD\n"
        "Enexis B.V.;7903AA;7903AB;ELK;25;3120,5\n",
        encoding="utf-8",
    )
    [r], meta = read_consumption(path)
    assert (r.annual_mean, r.connections, r.mean_column, meta["year"]) == (
        3120.5,
        25,
        "SJV_GEMIDDELD",
        2020,
    )


def test_consumption_stedin_tab_separated_with_decimal_commas(tmp_path):
    path = tmp_path / "Stedin_kleinverbruiksgegevens_01012024.csv"
    header = (
        "NETBEHEERDER\tNETGEBIED\tSTRAATNAAM\tPOSTCODE_VAN\tPOSTCODE_TOT\tWOONPLAATS\t"
        "LANDCODE\tPRODUCTSOORT\tVERBRUIKSSEGMENT\tAANSLUITINGEN_AANTAL\t"
        "LEVERINGSRICHTING_PERC\tFYSIEKE_STATUS_PERC\tSOORT_AANSLUITING_PERC\t"
        "SOORT_AANSLUITING\tSJA_GEMIDDELD\tSJV_LAAG_TARIEF_PERC\tSLIMME_METER_PERC\n"
    )
    row = (
        '"8716874000009"\t"Stedin Utrecht"\t"Kerkstraat"\t"3511AA"\t"3511AB"\t"UTRECHT"\t'
        '"NL"\t"ELK"\t"KVB"\t12\t90,00\t100,00\t50,00\t"3x25"\t4000,50\t90,00\t80,00\n'
    )
    path.write_text(header + row, encoding="utf-8")
    [r], meta = read_consumption(path)
    assert (r.postcode_from, r.postcode_to, r.annual_mean) == ("3511 AA", "3511 AB", 4000.5)
    assert r.street == "Kerkstraat" and r.connections == 12
    assert meta["problems"] == []


def test_consumption_liander_lines_between_quotes(tmp_path):
    """Liander's newest file: every tab-separated line between quotes, POSTCODE ..
    POSTCODE_EIND and a space in 'SJA GEMIDDELD'."""
    path = tmp_path / "verbruiksdata-kv-2025in.csv"
    lines = [
        "AANSLUITINGEN_AANTAL\tPOSTCODE\tPOSTCODE_EIND\tPOSTCODE_AANTAL\tPRODUCTSOORT\t"
        "TYPE_AANSLUITING_MEEST_VOORKOMEND\tTOT_E\tSJA GEMIDDELD",
        "14\t7903AA\t7903AC\t3\tGAS\tG4\t30800\t2200.0",
    ]
    path.write_text("".join(f'"{line}"\n' for line in lines), encoding="utf-8")
    [r], meta = read_consumption(path)
    assert (r.product, r.postcode_from, r.postcode_to) == ("GAS", "7903 AA", "7903 AC")
    assert (r.annual_mean, r.unit, r.connections) == (2200.0, "m3", 14)
    assert meta["year"] == 2025 and meta["problems"] == []


def test_year_of_file_names():
    assert year_of("Liander_kleinverbruiksgegevens_01012024.csv") == 2024
    assert year_of("Enexis_kleinverbruiksgegevens_20230101.csv") == 2023
    assert year_of("stedin_2022.csv") == 2022
    assert year_of("verbruik.csv") is None


def test_kvk_json_with_bad_employee_count(tmp_path):
    path = tmp_path / "kvk.json"
    doc = {"resultaten": [{"kvkNummer": "01234567", "naam": "X", "totaalWerkzamePersonen": "veel"}]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    [rec], meta = read_kvk(path)
    assert rec.employees is None
    assert [(p.code, p.value, p.row) for p in meta["problems"]] == [("not_a_number", "veel", 1)]


def test_kvk_comma_separated_with_wgs84_points(tmp_path):
    lat, lon = geo.rd_to_wgs84(233320.0, 528015.0)
    path = tmp_path / "kvk.csv"
    path.write_text(
        "KvK-nummer,Handelsnaam,Postcode,Huisnummer,Hoofdactiviteit (SBI),Werkzame personen,"
        "gpsLatitude,gpsLongitude\n"
        f"44556677,Opslag Noord,7903AB,11,5210 Opslag,4,{lat:.9f},{lon:.9f}\n",
        encoding="utf-8",
    )
    [rec], meta = read_kvk(path)
    assert meta["problems"] == []
    assert (rec.name, rec.sbi, rec.employees) == ("Opslag Noord", "5210", 4)
    assert rec.point.x == pytest.approx(233320.0, abs=0.01)
    assert rec.point.y == pytest.approx(528015.0, abs=0.01)


def test_kvk_coordinates_are_never_read_with_thousands_separators(tmp_path):
    path = tmp_path / "kvk.csv"
    path.write_text(
        "kvkNummer;eersteHandelsnaam;gpsLatitude;gpsLongitude\n"
        "44556677;A;52.735;6.545\n"
        "55667788;B;52,735;6,545\n"
        "66778899;C;noord;6,545\n",
        encoding="utf-8",
    )
    records, meta = read_kvk(path)
    a, b, c = records
    assert a.point is not None and a.point.equals_exact(b.point, 1e-9)
    lat, lon = geo.rd_to_wgs84(a.point.x, a.point.y)
    assert (lat, lon) == (pytest.approx(52.735, abs=1e-7), pytest.approx(6.545, abs=1e-7))
    assert c.point is None
    assert [(p.row, p.code, p.column) for p in meta["problems"]] == [
        (4, "not_a_number", "gpsLatitude")
    ]


def test_ibis_geopackage(tmp_path):
    import sqlite3

    from parkplan.io.opendata.common import gpkg_blob

    outline = read_ibis(DATA / "ibis.geojson")[0][0].outline
    path = tmp_path / "ibis.gpkg"
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
          organization TEXT, organization_coordsys_id INTEGER, definition TEXT,
          description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT,
          identifier TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,
          geometry_type_name TEXT, srs_id INTEGER, z TINYINT, m TINYINT);
        CREATE TABLE ibis_bedrijventerreinen (fid INTEGER PRIMARY KEY, geom MULTIPOLYGON,
          RIN_NUMMER TEXT, PLAN_NAAM TEXT, GEM_NAAM TEXT, BRUTO_OPP REAL, NETTO_OPP REAL);
        INSERT INTO gpkg_spatial_ref_sys VALUES
          ('Amersfoort / RD New', 28992, 'EPSG', 28992, 'PROJCS[]', NULL);
        INSERT INTO gpkg_contents VALUES
          ('ibis_bedrijventerreinen', 'features', 'ibis', 28992);
        INSERT INTO gpkg_geometry_columns VALUES
          ('ibis_bedrijventerreinen', 'geom', 'MULTIPOLYGON', 28992, 0, 0);
        """
    )
    con.execute(
        "INSERT INTO ibis_bedrijventerreinen VALUES (1, ?, '0118-012', "
        "'Industrieweg Hoogeveen', 'Hoogeveen', 19.3, 15.1)",
        (gpkg_blob(outline, 28992),),
    )
    con.commit()
    con.close()
    [park], meta = read_ibis(path)
    assert (park.name, park.plan_id, park.gross_area_ha, park.net_area_ha) == (
        "Industrieweg Hoogeveen",
        "0118-012",
        19.3,
        15.1,
    )
    assert park.outline.area == 192500.0
    assert meta["crs"] == geo.RD_NEW and meta["problems"] == []
