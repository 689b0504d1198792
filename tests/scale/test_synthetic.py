"""The synthetic national dataset: documented distributions, labelled, reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from parkplan.refdata import load_refdata
from parkplan.scale.synthetic import (
    COMPANY_COLUMNS,
    PARK_COLUMNS,
    generate_synthetic_national,
    write_synthetic_national,
)
from parkplan.scale.tables import park_from_rows, read_park_source


@pytest.fixture(scope="module")
def tables():
    return generate_synthetic_national(120, seed=11)


def test_columns_and_label(tables):
    parks, companies = tables
    assert list(parks.columns) == list(PARK_COLUMNS)
    assert list(companies.columns) == list(COMPANY_COLUMNS)
    assert parks["synthetic"].all() and companies["synthetic"].all()
    assert parks["name"].str.startswith("Synthetisch").all()
    assert len(parks) == 120
    assert set(companies["park_id"]) == set(parks["park_id"])
    assert (parks.set_index("park_id")["n_companies"] == companies.groupby("park_id").size()).all()


def test_same_seed_same_tables_other_seed_differs(tables):
    parks, companies = generate_synthetic_national(120, seed=11)
    assert parks.equals(tables[0]) and companies.equals(tables[1])
    other, _ = generate_synthetic_national(120, seed=12)
    assert not other["lat"].equals(parks["lat"])


def test_province_counts_follow_ibis_shares():
    rd = load_refdata()
    parks, _ = generate_synthetic_national(380, seed=1)
    counts = parks["province"].value_counts()
    for prov in ("noord_brabant", "gelderland", "flevoland"):
        expected = (
            380 * rd.value(f"synthetic.province.{prov}.parks") / rd.value("synthetic.parks.total")
        )
        assert abs(counts[prov] - expected) < 1.0


def test_distributions_are_plausible(tables):
    parks, companies = tables
    rd = load_refdata()
    # companies per park: log-normal with median synthetic.park.companies_median
    n = parks["n_companies"].to_numpy()
    median = rd.value("synthetic.park.companies_median")
    assert 0.6 * median < np.median(n) < 1.5 * median
    assert n.min() >= rd.value("synthetic.park.companies_min")
    # offtake + own use = demand, feed-in <= production, contracts above the peak
    assert (companies["annual_kwh"] > 0).all()
    pv = companies["annual_produced_kwh"].notna()
    assert (
        companies.loc[pv, "annual_feed_in_kwh"] <= companies.loc[pv, "annual_produced_kwh"]
    ).all()
    gv = companies["connection_kind"] == "grootverbruik"
    assert companies.loc[gv, "contracted_kw"].notna().all()
    assert companies.loc[~gv, "fuse"].notna().all()
    # azimuths in the documented classes
    step = rd.value("synthetic.roof.azimuth_class_deg")
    assert (np.mod(companies["roof_azimuth_deg"], step) == 0).all()
    # headroom within the documented factors of the summed capacities
    assert (parks["available_import_kw"] > 0).all()


def test_rows_become_parks_and_tables_round_trip(tmp_path):
    meta = write_synthetic_national(tmp_path / "nl", 5, seed=3)
    assert meta["parks"] == 5 and "SYNTHETISCH" in meta["label"]
    source, info = read_park_source(tmp_path / "nl")
    assert info["kind"] == "tables" and info["synthetic"] is True
    park = source.load(source.park_ids[0])
    assert park.illustrative and park.location is not None
    row = source.companies[source.companies["park_id"] == park.id].iloc[0]
    c = park.companies[0]
    assert c.id == row["company_id"]
    assert sum(r.existing_pv_kwp for r in c.roofs) == pytest.approx(row["existing_pv_kwp"])
    assert sum(r.area_m2 for r in c.roofs) == pytest.approx(row["roof_area_m2"])
    assert len(c.roofs) == (1 if row["roof_layout"] == "south" else 2)
    again = park_from_rows(
        {"park_id": park.id, **source.parks.loc[park.id].to_dict()},
        source.companies[source.companies["park_id"] == park.id],
    )
    assert again == park
