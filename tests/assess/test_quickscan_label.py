"""Quick scan, office label C: the stored energy label (EP-Online) decides."""

from __future__ import annotations

import pytest

from parkplan.assess.baseline import BaselineFactors, park_baseline
from parkplan.assess.quickscan import quickscan
from parkplan.domain.model import Company, Origin, Park
from parkplan.refdata import load_refdata
from parkplan.services.assess import quickscan_factors

FACTORS = BaselineFactors(
    co2_electricity_kg_per_kwh=0.268,
    co2_gas_kg_per_m3=2.085,
    co2_fuel_kg_per_l={"diesel": 3.256},
    electricity_kwh_per_m2={"offices": 70.5},
    gas_m3_per_m2={"offices": 15.75},
)


@pytest.fixture(scope="module")
def qf():
    return quickscan_factors(load_refdata())


def _office(cid: str, label: str | None, **kw) -> Company:
    origins = {"energy_label": Origin.OPEN_DATA} if label else {}
    return Company(
        cid,
        cid.upper(),
        floor_area_m2=kw.pop("floor_area_m2", 400),
        office_area_m2=kw.pop("office_area_m2", 300),
        energy_label=label,
        origins=origins,
        **kw,
    )


def _label_findings(companies, qf):
    park = Park(id="p", name="P", companies=companies)
    result = quickscan(park, park_baseline(park, FACTORS), qf)
    findings = {f.status: f for f in result.findings if f.rule == "office_label_c"}
    missing = [n for n in result.not_assessed if n.rule == "office_label_c"]
    recs = {r.id: r for r in result.recommendations if r.id.startswith("office_label_c")}
    return findings, missing, recs


def test_the_rule_figures_come_from_refdata(qf):
    assert (qf.label_c_min_office_m2, qf.label_c_min_office_share) == (100, 0.5)
    assert qf.label_c_from_year == 2023


def test_a_label_worse_than_c_is_a_finding_with_the_label_as_evidence(qf):
    companies = [_office("d", "D"), _office("g", "G"), _office("c", "C"), _office("a", "A+")]
    findings, _, recs = _label_findings(companies, qf)
    assert set(findings) == {"label_below_c"}
    below = findings["label_below_c"]
    assert below.companies == ("d", "g")
    assert "d label D, g label G" in below.text[0]
    assert "sinds 1-1-2023" in below.text[0]
    labels = {e.company: (e.value, e.quality) for e in below.evidence if e.key == "energy_label"}
    assert labels == {"d": ("D", Origin.OPEN_DATA), "g": ("G", Origin.OPEN_DATA)}
    assert below.quality is Origin.OPEN_DATA
    assert recs["office_label_c_upgrade"].obligation
    assert recs["office_label_c_upgrade"].companies == ("d", "g")


def test_an_unknown_label_says_so(qf):
    findings, _, recs = _label_findings([_office("u", None)], qf)
    assert set(findings) == {"applies"}
    assert findings["applies"].companies == ("u",)
    assert "Het energielabel is onbekend" in findings["applies"].text[0]
    assert "The energy label is unknown" in findings["applies"].text[1]
    assert set(recs) == {"office_label_c"}


def test_label_c_or_better_and_small_offices_give_nothing(qf):
    companies = [
        _office("c", "C"),
        _office("small", "G", floor_area_m2=150, office_area_m2=99),
        _office("mostly_hall", "G", floor_area_m2=1000, office_area_m2=400),
    ]
    findings, missing, recs = _label_findings(companies, qf)
    assert findings == {} and missing == [] and recs == {}


def test_bag_use_kantoorfunctie_only_makes_an_office(qf):
    office = Company(
        "k",
        "K",
        floor_area_m2=250,
        building_use=["kantoorfunctie"],
        energy_label="E",
        origins={"building_use": Origin.OPEN_DATA, "energy_label": Origin.OPEN_DATA},
    )
    mixed = Company(
        "m", "M", floor_area_m2=900, building_use=["industriefunctie", "kantoorfunctie"]
    )
    findings, missing, _ = _label_findings([office, mixed], qf)
    below = findings["label_below_c"]
    assert below.companies == ("k",)
    share = next(e for e in below.evidence if e.key == "office_share")
    assert (share.value, share.source) == (1.0, "derived:building_use only kantoorfunctie")
    (na,) = missing
    assert na.companies == ("m",)
    assert "Kantoorfunctie naast andere gebruiksdoelen" in na.reason[0]
