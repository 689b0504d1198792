"""Property: any park the domain model can hold is read back from the database unchanged."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkplan.domain.model import (
    ANSWERS,
    BUILDING_USES,
    CARRIERS,
    CONNECTION_KINDS,
    ENERGY_LABELS,
    GRID_LEVELS,
    MEASURES,
    OPERATING_HOURS_CLASSES,
    Circularity,
    ClimateAdaptation,
    Company,
    Connection,
    Contact,
    ElectricityUse,
    Engagement,
    GasUse,
    GridAvailability,
    Location,
    Organisation,
    Origin,
    Park,
    Plans,
    Roof,
    TimeBlockRight,
    Vehicle,
)
from parkplan.services.parks import save_park
from parkplan.store import db, repository

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)
maybe_text = st.none() | text
number = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
maybe_number = st.none() | number
maybe_bool = st.none() | st.booleans()
maybe_share = st.none() | st.floats(0, 1)


def origins(names: tuple[str, ...]):
    return st.dictionaries(st.sampled_from(names), st.sampled_from(list(Origin)), max_size=3)


connections = st.builds(
    Connection,
    ean=st.just(""),  # replaced by a unique EAN below
    kind=st.sampled_from(CONNECTION_KINDS),
    carrier=st.sampled_from(CARRIERS),
    fuse=st.none() | st.sampled_from(["3x25A", "3x35A", "1x40A"]),
    contracted_kw=maybe_number,
    contracted_feed_in_kw=maybe_number,
    physical_kva=maybe_number,
    grid_level=st.none() | st.sampled_from(GRID_LEVELS),
    origins=origins(("contracted_kw", "physical_kva")),
)
roofs = st.builds(
    Roof,
    area_m2=number,
    usable_fraction=st.floats(0, 1),
    tilt_deg=st.floats(0, 90),
    azimuth_deg=st.floats(0, 360),
    existing_pv_kwp=number,
    bag_pand_id=st.none() | st.from_regex(r"\A[0-9]{16}\Z"),
    id=maybe_text,
    origins=origins(("area_m2", "tilt_deg")),
)
vehicles = st.builds(
    Vehicle,
    kind=st.sampled_from(["car", "van", "truck", "forklift"]),
    count=st.integers(0, 500),
    fuel=st.sampled_from(["diesel", "petrol", "electric", "hvo"]),
    annual_km=maybe_number,
    annual_fuel_l=maybe_number,
    origins=origins(("count",)),
)
companies = st.builds(
    Company,
    id=st.just(""),  # replaced by a unique id below
    name=text,
    kvk=st.none(),
    sbi=st.none() | st.from_regex(r"\A[0-9]{2,5}\Z"),
    employees=st.none() | st.integers(0, 100_000),
    floor_area_m2=maybe_number,
    office_area_m2=maybe_number,
    operating_hours_class=st.none() | st.sampled_from(OPERATING_HOURS_CLASSES),
    address=maybe_text,
    postcode=st.none() | st.from_regex(r"\A[1-9][0-9]{3} ?[A-Z]{2}\Z"),
    electricity=st.none()
    | st.builds(
        ElectricityUse,
        annual_kwh=number,
        annual_feed_in_kwh=number,
        annual_produced_kwh=maybe_number,
        peak_kw=maybe_number,
        meter_data=maybe_text,
        origins=origins(("annual_kwh", "peak_kw")),
    ),
    gas=st.none() | st.builds(GasUse, annual_m3=number, origins=origins(("annual_m3",))),
    connections=st.lists(connections, max_size=3),
    roofs=st.lists(roofs, max_size=3),
    vehicles=st.lists(vehicles, max_size=2),
    plans=st.none()
    | st.builds(
        Plans,
        electrification=st.lists(st.sampled_from(["heat_pump", "ev_fleet"]), max_size=2),
        expansion=maybe_text,
        notes=maybe_text,
    ),
    engagement=st.none()
    | st.builds(
        Engagement,
        bond_with_park=st.none() | st.integers(1, 5),
        bond_with_companies=st.none() | st.integers(1, 5),
        interest=st.dictionaries(st.sampled_from(MEASURES), st.sampled_from(ANSWERS)),
        consent_share_data=maybe_bool,
    ),
    contact=st.none() | st.builds(Contact, name=text, email=maybe_text, phone=maybe_text),
    building_owner=st.none() | st.sampled_from(["owner", "tenant"]),
    energy_label=st.none() | st.sampled_from(ENERGY_LABELS),
    construction_year=st.none() | st.integers(1000, 2100),
    building_use=st.lists(st.sampled_from(BUILDING_USES), max_size=3, unique=True),
    origins=origins(("employees", "floor_area_m2", "name", "energy_label", "building_use")),
)
parks = st.builds(
    Park,
    id=st.just(""),  # replaced by a unique id below
    name=text,
    municipality=maybe_text,
    area_ha=maybe_number,
    location=st.none() | st.builds(Location, lat=st.floats(-90, 90), lon=st.floats(-180, 180)),
    outline_geojson=st.none()
    | st.fixed_dictionaries(
        {
            "type": st.just("Point"),
            "coordinates": st.lists(st.floats(-90, 90), min_size=2, max_size=2),
        }
    ),
    grid=st.builds(
        GridAvailability,
        operator=maybe_text,
        substation=maybe_text,
        available_import_kw=maybe_number,
        available_export_kw=maybe_number,
        transport_rights=st.lists(
            st.builds(
                TimeBlockRight,
                company=text,
                default_kw=number,
                blocks=st.lists(
                    st.fixed_dictionaries(
                        {"from": st.just("16:00"), "to": st.just("20:00"), "kw": number},
                        optional={"months": st.lists(st.integers(1, 12), max_size=3)},
                    ),
                    max_size=2,
                ),
            ),
            max_size=2,
        ),
        origins=origins(("available_import_kw",)),
    ),
    organisation=st.none()
    | st.builds(
        Organisation,
        business_association=maybe_bool,
        park_management=maybe_bool,
        biz=maybe_bool,
        sustainability_group=maybe_bool,
    ),
    climate=st.none()
    | st.builds(
        ClimateAdaptation,
        paved_share=maybe_share,
        green_share=maybe_share,
        water_storage_m3=maybe_number,
        origins=origins(("paved_share", "green_share", "water_storage_m3")),
    ),
    circularity=st.none()
    | st.builds(
        Circularity,
        collective_waste_contract=maybe_bool,
        circular_company_share=maybe_share,
        origins=origins(("collective_waste_contract", "circular_company_share")),
    ),
    companies=st.lists(companies, max_size=4),
    illustrative=st.booleans(),
    description=maybe_text,
    refdata_overrides=st.dictionaries(st.sampled_from(["a.b", "c"]), number, max_size=2),
    origins=origins(("area_ha", "name")),
)


def test_any_park_round_trips(db_url):
    counter = itertools.count()
    db.upgrade(db_url)

    @settings(
        max_examples=25,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(park=parks)
    def round_trip(park: Park) -> None:
        n = next(counter)
        park.id = f"park-{n}"
        eans = itertools.count()
        for i, company in enumerate(park.companies):
            company.id = f"c{i}"
            company.kvk = f"{n % 100:02d}{i:06d}" if i % 2 else None
            for connection in company.connections:
                connection.ean = f"87{n:08d}{next(eans):08d}"
        with db.session_scope(db_url) as session:
            save_park(session, park, actor="hypothesis")
        with db.session_scope(db_url) as session:
            assert repository.read_park(session, park.id) == park

    round_trip()
