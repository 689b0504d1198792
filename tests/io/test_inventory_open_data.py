"""The inventory template carries the energy label, construction year and BAG use of a
company, with one "Bron pandgegevens" column for their origin."""

from __future__ import annotations

import csv
from pathlib import Path

from parkplan.domain.model import Origin
from parkplan.io.inventory import read_inventory_file, write_template
from parkplan.io.parkfile import park_from_document, read_park_file

EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"


def _errors(problems):
    return [p for p in problems if p.severity == "error"]


def test_template_round_trips_the_open_data_fields_and_their_origin(tmp_path):
    park, _ = read_park_file(EXAMPLE)
    c = park.companies[0]
    c.energy_label, c.construction_year = "D", 1987
    c.building_use = ["industriefunctie", "kantoorfunctie"]
    c.origins.update(
        dict.fromkeys(("energy_label", "construction_year", "building_use"), Origin.OPEN_DATA)
    )
    path = write_template(tmp_path / "inventaris.xlsx", park)
    reading = read_inventory_file(path)
    assert _errors(reading.problems) == []
    again, _ = park_from_document(reading.document)
    assert again == park
    other = again.companies[1]
    assert (other.energy_label, other.construction_year, other.building_use) == (None, None, [])


def test_csv_cells_in_dutch_words(tmp_path):
    path = tmp_path / "bedrijven.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Bedrijf-id", "Bedrijfsnaam", "Energielabel", "Bouwjaar", "Gebruiksdoel"])
        w.writerow(["a", "A BV", "a+", "1975", "Kantoorfunctie; industriefunctie"])
        w.writerow(["b", "B BV", "H", "75", ""])
    reading = read_inventory_file(path, park_id="p")
    a, b = reading.document["companies"]
    assert (a["energy_label"], a["construction_year"]) == ("A+", 1975)
    assert a["building_use"] == ["kantoorfunctie", "industriefunctie"]
    bad = {p.column for p in _errors(reading.problems)}
    assert bad == {"Energielabel", "Bouwjaar"}
    assert "energy_label" not in b and "construction_year" not in b
