import json
from pathlib import Path

from click.testing import CliRunner

from parkplan.cli import main

DATA = Path(__file__).parents[1] / "data" / "selection"


def test_select_from_csv_json_and_table():
    args = [
        "select",
        "--csv",
        str(DATA / "kandidaten.csv"),
        "--weights",
        str(DATA / "gewichten.yaml"),
    ]
    result = CliRunner().invoke(main, [*args, "--samples", "200", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["method"] == "wsm"
    assert [p["rank"] for p in data["parks"]] == [1, 2, 3]
    assert data["parks"][0]["id"] == "zuid"
    assert len(data["parks"][0]["rank_share"]) == 3
    table = CliRunner().invoke(main, [*args, "--samples", "200"])
    assert table.exit_code == 0
    assert "Parkkeuze (gewogen som)" in table.output
    assert "Plaats 1" in table.output


def test_select_needs_two_parks():
    result = CliRunner().invoke(main, ["select", str(DATA.parent / "parkfile-v1.example.yaml")])
    assert result.exit_code == 1
    assert "minstens twee parken" in result.output
