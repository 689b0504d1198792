"""The illustrative demo parks: reproducible, valid identifiers, documented distributions."""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from importlib import resources

import pytest
import yaml

from parkplan.demo import generate_demo_parks, park_sector_shares, sector_params
from parkplan.demo.generator import largest_remainder_counts, make_ean
from parkplan.domain.model import ANSWERS, MEASURES, OPERATING_HOURS_CLASSES, Origin, Park


def _distributions() -> dict[str, dict[str, str]]:
    text = resources.files("parkplan.refdata").joinpath("demo_distributions.csv").read_text()
    return {row["key"]: row for row in csv.DictReader(text.splitlines())}


def _value(key: str) -> float:
    return float(_distributions()[key]["value"])


def _definitions() -> dict[str, dict]:
    text = resources.files("parkplan.demo").joinpath("parks.yaml").read_text()
    return {d["id"]: d for d in yaml.safe_load(text)["parks"]}


def _gs1_valid(ean: str) -> bool:
    """Independent GS1 check: weights 3,1,3,... from the right over all 18 digits with the
    check digit weighted 1 must give a multiple of 10."""
    digits = [int(d) for d in ean]
    total = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(reversed(digits)))
    return total % 10 == 0


@pytest.fixture(scope="module")
def parks() -> list[Park]:
    return generate_demo_parks()


@pytest.fixture(scope="module")
def by_id(parks: list[Park]) -> dict[str, Park]:
    return {p.id: p for p in parks}


# ------------------------------------------------------------------------------ reproducible


def test_same_seed_gives_identical_parks(parks: list[Park]) -> None:
    again = generate_demo_parks(2026)
    assert again == parks
    assert again is not parks and again[0] is not parks[0]


def test_different_seed_gives_different_parks(parks: list[Park]) -> None:
    other = generate_demo_parks(7)
    assert [p.id for p in other] == [p.id for p in parks]
    assert other != parks
    kvks = {c.kvk for c in parks[0].companies}
    assert kvks != {c.kvk for c in other[0].companies}


# ------------------------------------------------------------------------------ the parks


def test_the_eight_candidate_parks(parks: list[Park]) -> None:
    municipalities = Counter(p.municipality for p in parks)
    assert municipalities == {
        "Hoogeveen": 3,
        "Aa en Hunze": 1,
        "Borger-Odoorn": 1,
        "Emmen": 1,
        "Coevorden": 1,
        "Hardenberg": 1,
    }
    names = {p.id: p.name for p in parks}
    assert "De Wieken" in names["demo-de-wieken"]
    assert "Riegmeer" in names["demo-riegmeer"]
    assert "Leeuwerikenveld I en II" in names["demo-leeuwerikenveld"]


def test_de_wieken_pilot_has_120_to_180_companies(by_id: dict[str, Park]) -> None:
    wieken = by_id["demo-de-wieken"]
    assert 120 <= len(wieken.companies) <= 180
    assert wieken.area_ha is not None and wieken.area_ha < 387  # a part of the ~387 ha park
    for seed in (1, 2, 3):
        assert 120 <= len(generate_demo_parks(seed)[0].companies) <= 180


def test_company_counts_follow_the_definitions(parks: list[Park]) -> None:
    defs = _definitions()
    for park in parks:
        lo, hi = defs[park.id]["companies"]
        assert lo <= len(park.companies) <= hi, park.id


def test_every_park_is_illustrative(parks: list[Park]) -> None:
    for park in parks:
        assert park.illustrative is True
        assert "illustratief" in park.name
        assert park.description is not None and "illustratief" in park.description.lower()


def test_locations_are_in_the_region(parks: list[Park]) -> None:
    for park in parks:
        assert park.location is not None
        assert 52.4 < park.location.lat < 53.2 and 6.2 < park.location.lon < 7.1, park.id
        assert park.outline_geojson is not None
        ring = park.outline_geojson["coordinates"][0]
        assert ring[0] == ring[-1]


def _walk(obj: object, path: str = "park"):
    """Every entity in a park with its path."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        yield path, obj
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    yield from _walk(item, f"{path}.{f.name}[{i}]")
            else:
                yield from _walk(value, f"{path}.{f.name}")


def test_every_generated_value_is_estimated(parks: list[Park]) -> None:
    n_checked = 0
    for park in parks:
        for path, entity in _walk(park):
            if not hasattr(entity, "origins"):
                continue
            for f in dataclasses.fields(entity):
                value = getattr(entity, f.name)
                is_entity = dataclasses.is_dataclass(value) or (
                    isinstance(value, list) and value and dataclasses.is_dataclass(value[0])
                )
                if f.name == "origins" or is_entity or value in (None, [], {}):
                    continue
                assert entity.origin_of(f.name) is Origin.ESTIMATED, f"{path}.{f.name}"
                n_checked += 1
    assert n_checked > 10_000


# ------------------------------------------------------------------------------ identifiers


def test_make_ean_appends_the_gs1_check_digit() -> None:
    # the EANs of the example park file
    assert make_ean("87123456789000101") == "871234567890001018"
    assert make_ean("87123456789000102") == "871234567890001025"
    with pytest.raises(ValueError, match="17 digits"):
        make_ean("123")


def test_eans_are_valid_and_unique(parks: list[Park]) -> None:
    seen: set[str] = set()
    for park in parks:
        eans = [conn.ean for c in park.companies for conn in c.connections]
        assert len(eans) == len(set(eans)), park.id
        for ean in eans:
            assert len(ean) == 18 and ean.isdigit() and ean.startswith("871"), ean
            assert _gs1_valid(ean), ean
        assert not seen & set(eans)
        seen |= set(eans)


def test_a_changed_digit_breaks_the_check(parks: list[Park]) -> None:
    ean = parks[0].companies[0].connections[0].ean
    wrong = ean[:-1] + str((int(ean[-1]) + 1) % 10)
    assert not _gs1_valid(wrong)


def test_kvk_numbers_are_8_digits_and_unique(parks: list[Park]) -> None:
    kvks = [c.kvk for p in parks for c in p.companies]
    assert all(k is not None and len(k) == 8 and k.isdigit() for k in kvks)
    assert len(kvks) == len(set(kvks))


def test_company_ids_and_names_unique_per_park(parks: list[Park]) -> None:
    for park in parks:
        assert len({c.id for c in park.companies}) == len(park.companies)
        assert len({c.name for c in park.companies}) == len(park.companies)
        roof_ids = [r.id for c in park.companies for r in c.roofs]
        assert len(roof_ids) == len(set(roof_ids))


# ------------------------------------------------------------------------------ distributions


def test_base_sector_shares_sum_to_one() -> None:
    sectors = sector_params()
    assert sum(s.share for s in sectors.values()) == pytest.approx(1.0)
    for s in sectors.values():
        assert sum(s.sbi_weights) == pytest.approx(1.0), s.name
        assert sum(s.hours_probabilities) == pytest.approx(1.0), s.name


def test_largest_remainder_counts() -> None:
    counts = largest_remainder_counts({"a": 0.5, "b": 0.3, "c": 0.2}, 7)
    assert counts == {"a": 4, "b": 2, "c": 1}
    assert sum(largest_remainder_counts({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, 10).values()) == 10


def test_sector_mix_follows_the_documented_shares(parks: list[Park]) -> None:
    """Shares computed from the data files directly: base share x park weight."""
    rows = _distributions()
    defs = _definitions()
    sector_of = {
        key.split(".")[4]: key.split(".")[2]
        for key in rows
        if key.startswith("demo.sector.") and ".sbi." in key
    }
    for park in parks:
        weights = defs[park.id].get("sector_weights", {})
        raw = {
            key.split(".")[2]: float(r["value"]) * float(weights.get(key.split(".")[2], 1.0))
            for key, r in rows.items()
            if key.startswith("demo.sector.") and key.endswith(".share")
        }
        total = sum(raw.values())
        n = len(park.companies)
        counts = Counter(sector_of[c.sbi] for c in park.companies)
        for sector, w in raw.items():
            share = counts.get(sector, 0) / n
            # stratified: within one company of the expected count
            assert abs(share - w / total) <= 1.0 / n + 1e-9, (park.id, sector)


def test_sector_mix_differs_between_parks(by_id: dict[str, Park]) -> None:
    shares = {pid: park_sector_shares(_definitions()[pid]) for pid in by_id}
    assert shares["demo-riegmeer"]["transport"] > 2 * shares["demo-de-wieken"]["transport"]
    assert shares["demo-nieuw-buinen"]["manufacturing"] > 2 * shares["demo-gieten"]["manufacturing"]


def test_energy_intensities_within_the_documented_ranges(parks: list[Park]) -> None:
    sectors = sector_params()
    sector_of = {code: s for s in sectors.values() for code in s.sbi_codes}
    n_gas = 0
    for park in parks:
        for c in park.companies:
            s = sector_of[c.sbi]
            assert c.floor_area_m2 and c.electricity is not None
            kwh_m2 = c.electricity.demand_on_site_kwh / c.floor_area_m2
            lo, hi = s.electricity_kwh_per_m2
            # demand is rounded to 10 kWh: allow that much
            slack = 10.0 / c.floor_area_m2
            assert lo - slack <= kwh_m2 <= hi + slack, (park.id, c.id, s.name, kwh_m2)
            if c.gas is not None:
                n_gas += 1
                m3_m2 = c.gas.annual_m3 / c.floor_area_m2
                glo, ghi = s.gas_m3_per_m2
                assert glo - slack <= m3_m2 <= ghi + slack, (park.id, c.id, s.name, m3_m2)
    n = sum(len(p.companies) for p in parks)
    assert 0.7 * n < n_gas < n  # gas for most, not all


def test_cbs_figures_in_the_data_file_match_the_reference_facts() -> None:
    assert (
        _value("demo.sector.office.electricity_kwh_per_m2.low"),
        _value("demo.sector.office.electricity_kwh_per_m2.high"),
    ) == (50, 91)
    assert (
        _value("demo.sector.office.gas_m3_per_m2.low"),
        _value("demo.sector.office.gas_m3_per_m2.high"),
    ) == (10.6, 20.9)
    assert _value("demo.sector.wholesale.electricity_kwh_per_m2.low") == 46
    assert _value("demo.sector.car.electricity_kwh_per_m2.high") == 60
    rows = _distributions()
    assert "83374" in rows["demo.sector.car.gas_m3_per_m2.low"]["source"]
    assert rows["demo.sector.car.gas_m3_per_m2.low"]["indicative"] == "false"
    # extrapolated figures are marked indicative
    assert rows["demo.sector.food.electricity_kwh_per_m2.high"]["indicative"] == "true"


def test_distribution_file_is_a_valid_reference_table() -> None:
    from parkplan.refdata.loader import REFDATA_DIR, read_table

    rows, problems = read_table(REFDATA_DIR / "demo_distributions.csv")
    assert problems == []
    assert len(rows) > 200
    assert all(r.source and r.unit for r in rows)


def test_employees_and_floor_areas_are_plausible(parks: list[Park]) -> None:
    for park in parks:
        for c in park.companies:
            assert c.employees is not None and 1 <= c.employees <= _value(
                "demo.company.max_employees"
            )
            assert c.floor_area_m2 is not None and c.floor_area_m2 >= _value(
                "demo.company.min_floor_m2"
            )
            assert c.office_area_m2 is not None and 0 < c.office_area_m2 <= c.floor_area_m2
            assert c.operating_hours_class in OPERATING_HOURS_CLASSES
    # size differs: Riegmeer's firms are much bigger than Gieten's
    by = {p.id: p for p in parks}

    def median_floor(pid: str) -> float:
        areas = sorted(c.floor_area_m2 or 0 for c in by[pid].companies)
        return areas[len(areas) // 2]

    assert median_floor("demo-riegmeer") > 3 * median_floor("demo-gieten")


# ------------------------------------------------------------------------------ energy


def test_energy_balances_hold(parks: list[Park]) -> None:
    with_pv = 0
    for park in parks:
        for c in park.companies:
            el = c.electricity
            assert el is not None
            assert el.annual_kwh >= 0 and el.annual_feed_in_kwh >= 0
            assert el.demand_on_site_kwh >= 0
            kwp = sum(r.existing_pv_kwp for r in c.roofs)
            if kwp > 0:
                with_pv += 1
                assert el.annual_produced_kwh is not None
                assert 0 <= el.annual_feed_in_kwh <= el.annual_produced_kwh
                yield_kwh_per_kwp = el.annual_produced_kwh / kwp
                assert 700 <= yield_kwh_per_kwp <= 900, (c.id, yield_kwh_per_kwp)
            else:
                assert el.annual_produced_kwh is None and el.annual_feed_in_kwh == 0
    n = sum(len(p.companies) for p in parks)
    assert 0.1 * n < with_pv < 0.6 * n


def test_roofs_follow_the_floor_area_and_layouts(parks: list[Park]) -> None:
    tilts_flat = set()
    for park in parks:
        for c in park.companies:
            assert c.roofs and c.floor_area_m2
            area = sum(r.area_m2 for r in c.roofs)
            assert 0.3 * c.floor_area_m2 <= area <= 1.2 * c.floor_area_m2
            for r in c.roofs:
                assert 0.4 <= r.usable_fraction <= 0.6
                assert 0 <= r.azimuth_deg < 360
                assert r.existing_pv_kwp <= r.area_m2 * r.usable_fraction * 0.2 + 0.05
                if r.tilt_deg <= 15:
                    tilts_flat.add(r.tilt_deg)
            if len(c.roofs) == 2:  # east-west or pitched: opposite faces
                diff = abs(c.roofs[0].azimuth_deg - c.roofs[1].azimuth_deg)
                assert diff == pytest.approx(180)
    assert tilts_flat <= set(range(10, 16)) and len(tilts_flat) > 2


def test_connections_match_the_peak(parks: list[Park]) -> None:
    kinds = Counter()
    for park in parks:
        for c in park.companies:
            conn = c.main_connection
            assert conn is not None
            kinds[conn.kind] += 1
            peak = c.electricity.peak_kw if c.electricity else None
            if conn.kind == "kleinverbruik":
                amps = int(conn.fuse.split("x")[1].rstrip("A"))
                assert amps <= 80 and conn.grid_level == "LS"
                assert conn.contracted_kw is None
                if peak is not None:
                    assert 3 * 230 * amps / 1000 >= peak * _value(
                        "demo.connection.fuse_headroom.low"
                    )
            else:
                assert conn.contracted_kw and conn.physical_kva and conn.contracted_feed_in_kw
                assert conn.physical_kva >= max(conn.contracted_kw, conn.contracted_feed_in_kw)
                # grootverbruik because the peak (with the least headroom) or the PV feed-in
                # is too big for the largest kleinverbruik fuse, 3x80A = 55.2 kW
                headroom = _value("demo.connection.fuse_headroom.low")
                assert max(conn.contracted_kw, conn.contracted_feed_in_kw) > 55.2 / headroom
                if peak is not None:
                    assert conn.contracted_kw >= peak
                expected_level = (
                    "LS"
                    if conn.physical_kva <= 110
                    else "MS/LS"
                    if conn.physical_kva <= 175
                    else "MS"
                    if conn.physical_kva <= 6000
                    else "HS/MS"
                )
                assert conn.grid_level == expected_level
            for gas in (x for x in c.connections if x.carrier == "gas"):
                assert c.gas is not None and gas.kind in ("kleinverbruik", "grootverbruik")
    assert kinds["kleinverbruik"] > 50 and kinds["grootverbruik"] > 50


def test_peaks_known_for_some_companies(parks: list[Park]) -> None:
    peaks = [c.electricity.peak_kw for p in parks for c in p.companies if c.electricity]
    known = [x for x in peaks if x is not None]
    assert 0.1 * len(peaks) < len(known) < 0.9 * len(peaks)


def test_vehicles_for_transport_companies(parks: list[Park]) -> None:
    transport = [c for p in parks for c in p.companies if c.sbi == "4941"]
    assert transport
    with_trucks = [c for c in transport if any(v.kind == "truck" for v in c.vehicles)]
    assert len(with_trucks) > 0.8 * len(transport)
    for c in with_trucks:
        for v in c.vehicles:
            assert v.count >= 1 and v.annual_km and v.annual_km > 0


def test_grid_congestion(by_id: dict[str, Park]) -> None:
    def contracts(park: Park) -> tuple[float, float]:
        imp = exp = 0.0
        for c in park.companies:
            conn = c.main_connection
            if conn.kind == "grootverbruik":
                imp += conn.contracted_kw
                exp += conn.contracted_feed_in_kw
            else:
                kw = 3 * 230 * int(conn.fuse.split("x")[1].rstrip("A")) / 1000
                imp += kw
                exp += kw
        return imp, exp

    for park in by_id.values():
        operator = "Rendo" if park.municipality == "Hoogeveen" else "Enexis"
        assert park.grid.operator == operator
        imp, exp = contracts(park)
        assert park.grid.available_export_kw < exp  # feed-in congestion all over Drenthe
        if park.municipality == "Hoogeveen":  # offtake congestion around Hoogeveen
            assert park.grid.available_import_kw < imp
    assert by_id["demo-gieten"].grid.available_import_kw > contracts(by_id["demo-gieten"])[0]


# ------------------------------------------------------------------------------ engagement


def test_engagement_survey_with_non_response(parks: list[Park]) -> None:
    defs = _definitions()
    for park in parks:
        answered = [c.engagement for c in park.companies if c.engagement is not None]
        assert len(answered) < len(park.companies), park.id  # non-response everywhere
        rate = len(answered) / len(park.companies)
        expected = defs[park.id]["engagement"]["response_rate"]
        assert abs(rate - expected) <= 0.5 / len(park.companies) + 1e-9, park.id
        for e in answered:
            for bond in (e.bond_with_park, e.bond_with_companies):
                assert bond is None or 1 <= bond <= 5
            assert set(e.interest) <= set(MEASURES)
            assert set(e.interest.values()) <= set(ANSWERS)
            assert e.consent_share_data in (True, False, None)


def test_engagement_differs_between_parks(by_id: dict[str, Park]) -> None:
    def mean_bond(pid: str) -> float:
        bonds = [
            c.engagement.bond_with_park
            for c in by_id[pid].companies
            if c.engagement and c.engagement.bond_with_park
        ]
        return sum(bonds) / len(bonds)

    assert mean_bond("demo-gieten") > mean_bond("demo-bargermeer") + 0.5
    assert mean_bond("demo-de-wieken") > mean_bond("demo-bargermeer")


def test_contacts_are_obviously_fake(parks: list[Park]) -> None:
    contacts = [c.contact for p in parks for c in p.companies if c.contact]
    assert len(contacts) > 100
    for contact in contacts:
        assert contact.email is not None and contact.email.endswith("@example.org")
        assert contact.name.split()[-1] in ("Voorbeeld", "Testpersoon", "Fictief", "Demo", "Proef")
    for park in parks:  # every respondent has a contact person
        assert all(c.contact for c in park.companies if c.engagement)


def test_organisation_degree_differs(by_id: dict[str, Park]) -> None:
    orgs = {pid: p.organisation for pid, p in by_id.items()}
    assert all(o is not None for o in orgs.values())
    assert orgs["demo-broeklanden"].biz and orgs["demo-broeklanden"].park_management
    assert not orgs["demo-riegmeer"].business_association


# ------------------------------------------------------------------------------ park file


def test_every_demo_park_validates_and_round_trips(parks: list[Park]) -> None:
    from parkplan.io.parkfile import park_from_document, park_to_document

    for park in parks:
        back, warnings = park_from_document(park_to_document(park), source=park.id)
        assert [w.render() for w in warnings] == []
        assert back == park


# ------------------------------------------------------------------------------ the docs


def _doc_rows() -> list[list[str]]:
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "demo-data.md"
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in doc.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ]


def test_docs_park_table_matches_the_generated_parks(parks: list[Park]) -> None:
    rows = {r[0]: r for r in _doc_rows()}
    for park in parks:
        row = rows[park.name.split(" (")[0]]
        assert row[1] == park.municipality
        assert int(row[3]) == len(park.companies), park.id
        assert int(row[4]) == sum(c.employees or 0 for c in park.companies), park.id


def test_docs_sector_table_matches_the_data_file() -> None:
    rows = {r[0]: r for r in _doc_rows()}
    for s in sector_params().values():
        row = rows[s.name]
        assert row[1] == f"{s.share:.0%}"
        assert row[2] == ", ".join(s.sbi_codes)
        lo, hi = s.electricity_kwh_per_m2
        assert row[5] == f"{lo:g}–{hi:g}"
        glo, ghi = s.gas_m3_per_m2
        assert row[6] == f"{glo:g}–{ghi:g}"


# ------------------------------------------------------------------------------ other seeds


@pytest.mark.parametrize("seed", [0, 1, 99, 123_456])
def test_invariants_hold_for_other_seeds(seed: int) -> None:
    parks = generate_demo_parks(seed)
    defs = _definitions()
    kvks: list[str] = []
    for park in parks:
        lo, hi = defs[park.id]["companies"]
        assert lo <= len(park.companies) <= hi
        assert park.illustrative and "illustratief" in park.name
        eans = [conn.ean for c in park.companies for conn in c.connections]
        assert len(eans) == len(set(eans)) and all(_gs1_valid(e) for e in eans)
        for c in park.companies:
            kvks.append(c.kvk)
            el = c.electricity
            assert el.demand_on_site_kwh >= 0 and el.annual_kwh >= 0
            assert 0 <= el.annual_feed_in_kwh <= (el.annual_produced_kwh or 0.0)
            conn = c.main_connection
            if conn.kind == "grootverbruik":
                assert conn.physical_kva >= max(conn.contracted_kw, conn.contracted_feed_in_kw)
                if el.peak_kw is not None:
                    assert conn.contracted_kw >= el.peak_kw
        imports = park.grid.available_import_kw
        assert imports is not None and imports > 0
    assert len(kvks) == len(set(kvks))
