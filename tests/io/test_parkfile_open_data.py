"""The optional open-data fields of a company in the park file: energy label,
construction year and building use, with their origins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parkplan.domain.errors import ValidationError
from parkplan.domain.model import Origin
from parkplan.io.parkfile import dump_park, load_yaml, park_from_document, read_park_file

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLE = DATA / "parkfile-v1.example.yaml"
SHARED_EXAMPLE = Path("/work/shared/docs/parkfile-v1.example.yaml")


def _doc() -> dict:
    doc = load_yaml(EXAMPLE.read_text(encoding="utf-8"))[0]
    c = doc["companies"][0]
    c["energy_label"] = "E"
    c["construction_year"] = 1979
    c["building_use"] = ["kantoorfunctie"]
    c["origins"] = {
        "energy_label": "open_data",
        "construction_year": "open_data",
        "building_use": "open_data",
    }
    return doc


def test_the_v1_example_reads_as_it_stands_without_the_new_fields() -> None:
    park, warnings = read_park_file(EXAMPLE)
    assert warnings == []
    for c in park.companies:
        assert (c.energy_label, c.construction_year, c.building_use) == (None, None, [])
    if SHARED_EXAMPLE.is_file():
        assert read_park_file(SHARED_EXAMPLE)[0] == park


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_open_data_fields_round_trip_with_origins(fmt: str) -> None:
    park, warnings = park_from_document(_doc())
    assert warnings == []
    c = park.companies[0]
    assert (c.energy_label, c.construction_year, c.building_use) == ("E", 1979, ["kantoorfunctie"])
    assert c.origin_of("energy_label") is Origin.OPEN_DATA
    text = dump_park(park, fmt)  # type: ignore[arg-type]
    doc = json.loads(text) if fmt == "json" else load_yaml(text)[0]
    assert doc["companies"][0]["energy_label"] == "E"
    assert doc["companies"][0]["origins"]["building_use"] == "open_data"
    again, _ = park_from_document(doc)
    assert again == park


def test_companies_without_the_fields_write_no_keys() -> None:
    park, _ = read_park_file(EXAMPLE)
    doc = load_yaml(dump_park(park, "yaml"))[0]
    for c in doc["companies"]:
        assert not {"energy_label", "construction_year", "building_use"} & set(c)


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [("energy_label", "H", "bad_choice"), ("construction_year", 99, "out_of_range")],
)
def test_bad_values_are_reported_with_where_and_what(key: str, value: object, code: str) -> None:
    doc = _doc()
    doc["companies"][0][key] = value
    with pytest.raises(ValidationError) as info:
        park_from_document(doc)
    problems = [p for p in info.value.problems if key in p.path]
    assert problems, info.value.problems
    assert problems[0].value == value
    assert problems[0].code == code
