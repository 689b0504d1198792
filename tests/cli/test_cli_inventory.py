"""``parkplan template`` and ``parkplan import`` on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from parkplan.cli import main
from parkplan.store import db
from parkplan.store.repository import park_ids, read_park

DATA = Path(__file__).parents[1] / "data"
INVENTORY = DATA / "inventory"
EXAMPLE = DATA / "parkfile-v1.example.yaml"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def ids() -> list[str]:
    with db.session_scope() as session:
        return park_ids(session)


def test_template_writes_the_workbook_and_refuses_to_overwrite(tmp_database_url, tmp_path):
    path = tmp_path / "sjabloon.xlsx"
    result = run("template", path)
    assert result.exit_code == 0, result.output
    assert "Sjabloon geschreven" in result.output
    assert load_workbook(path).sheetnames[0] == "Bedrijven"
    result = run("template", path)
    assert result.exit_code == 1
    assert "--force" in result.output
    assert run("template", path, "--force").exit_code == 0
    result = run("template", tmp_path / "sjabloon.csv")
    assert result.exit_code == 1
    assert ".xlsx" in result.output


def test_template_filled_with_a_park_file_imports_again(tmp_database_url, tmp_path):
    path = tmp_path / "voorbeeld.xlsx"
    result = run("template", path, "--park", EXAMPLE, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["park_id"], data["company_count"]) == ("voorbeeldpark", 3)
    result = run("import", path, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True
    assert (report["park_id"], report["action"], report["company_count"]) == (
        "voorbeeldpark",
        "created",
        3,
    )


def test_import_dutch_csv_and_read_back(tmp_database_url):
    result = run("import", INVENTORY / "bedrijven-nl-cp1252.csv", "--park", "wieken")
    assert result.exit_code == 0, result.output
    assert "Park 'wieken' aangemaakt uit bedrijven-nl-cp1252.csv: 3 bedrijven" in result.output
    with db.session_scope() as session:
        park = read_park(session, "wieken")
    assert park is not None
    assert park.company("c01").name == "Café Ruïne"
    assert park.company("c01").floor_area_m2 == 1234.5


def test_import_with_five_faults_prints_five_messages_and_exits_1(tmp_database_url):
    result = run("import", INVENTORY / "vijf-fouten.csv", "--park", "vijf")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("fout:")]
    assert len(lines) == 5
    assert lines[0].startswith(
        "fout: vijf-fouten.csv, rij 2, kolom 'Jaarverbruik elektriciteit [kWh]': "
    )
    assert "(gevonden: 'veel')" in lines[0]
    assert "5 fout(en) in vijf-fouten.csv; er is niets opgeslagen." in result.output
    assert ids() == []


def test_import_errors_in_english_and_as_json(tmp_database_url):
    result = run("--lang", "en", "import", INVENTORY / "vijf-fouten.csv", "--park", "vijf")
    assert result.exit_code == 1
    assert "error: vijf-fouten.csv, row 3, column 'Jaarverbruik gas [m3]'" in result.output
    assert "5 error(s) in vijf-fouten.csv; nothing was saved." in result.output
    result = run("import", INVENTORY / "vijf-fouten.csv", "--park", "vijf", "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    assert [(p["row"], p["code"]) for p in data["problems"]] == [
        (2, "not_a_number"),
        (3, "negative"),
        (4, "excel_scientific"),
        (5, "lost_leading_zeros"),
        (6, "duplicate"),
    ]


def test_import_existing_park_needs_replace_and_dry_run_writes_nothing(tmp_database_url):
    csv = INVENTORY / "bedrijven-nl-cp1252.csv"
    assert run("import", csv, "--park", "wieken").exit_code == 0
    result = run("import", EXAMPLE, "--park", "wieken")
    assert result.exit_code == 1
    assert "--replace" in result.output
    result = run("import", EXAMPLE, "--park", "wieken", "--replace", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Proefrun" in result.output
    assert "park 'wieken' zou worden vervangen (3 bedrijven" in result.output
    assert "verwijderd" not in result.output  # the example has the same company ids
    with db.session_scope() as session:
        park = read_park(session, "wieken")
    assert park is not None
    assert park.company("c01").name == "Café Ruïne"  # unchanged
    result = run("import", EXAMPLE, "--park", "wieken", "--replace")
    assert result.exit_code == 0, result.output
    assert "vervangen" in result.output
    with db.session_scope() as session:
        park = read_park(session, "wieken")
    assert park is not None
    assert park.company("c01").name == "Transport Bakker BV"


def test_import_help_explains_replace():
    result = run("import", "--help")
    assert result.exit_code == 0
    assert "--replace" in result.output
    assert "alles of niets" in " ".join(result.output.split())
