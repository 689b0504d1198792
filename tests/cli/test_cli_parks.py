"""The ``db``, ``parks``, ``companies`` and ``start`` commands on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkplan.cli import main
from parkplan.cli.parks import fmt_number
from parkplan.domain.model import Park
from parkplan.services.parks import save_park
from parkplan.store import db

EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def filled(tmp_database_url, full_park):
    with db.session_scope() as session:
        save_park(session, full_park)
        save_park(session, Park(id="echt", name="Echt park", municipality="Emmen", area_ha=12.0))
    return tmp_database_url


def test_fmt_number_is_dutch_by_default():
    assert fmt_number(1234567.891, 2) == "1.234.567,89"
    assert fmt_number(1234567.891, 2, "en") == "1,234,567.89"
    assert fmt_number(None) == ""


def test_db_upgrade_creates_then_reports_up_to_date(tmp_database_url):
    path = db.sqlite_path()
    assert path is not None
    first = run("db", "upgrade")
    assert first.exit_code == 0
    assert "aangemaakt" in first.output
    assert str(path) in first.output
    assert path.is_file()
    second = run("db", "upgrade", "--json")
    data = json.loads(second.output)
    assert data["revision_before"] == data["revision"] == db.head_revision()
    status = json.loads(run("db", "status", "--json").output)
    assert status["up_to_date"] is True
    assert status["park_count"] == 0


def test_db_status_on_a_missing_database_changes_nothing(tmp_database_url):
    result = run("db", "status")
    assert result.exit_code == 0
    assert "Nog niet aangemaakt" in result.output
    path = db.sqlite_path()
    assert path is not None
    assert not path.exists()


def test_parks_table_and_json(filled):
    result = run("parks")
    assert result.exit_code == 0
    assert "testpark" in result.output
    assert "Echt park" in result.output
    assert "illustratief" in result.output
    assert "1.130" in result.output  # MWh per year of the test park
    lines = [line for line in result.output.splitlines() if "echt" in line]
    assert lines
    assert all("illustratief" not in line for line in lines)
    data = json.loads(run("parks", "--json").output)
    assert [p["id"] for p in data] == ["echt", "testpark"]
    assert data[1]["illustrative"] is True
    assert data[1]["company_count"] == 3
    assert data[1]["total_annual_kwh"] == 1130000.0


def test_parks_on_an_empty_database_points_to_demo(tmp_database_url):
    result = run("parks")
    assert result.exit_code == 0
    assert "parkplan demo" in result.output
    assert run("parks", "--json").output.strip() == "[]"


def test_companies_from_the_database(filled):
    result = run("companies", "testpark")
    assert result.exit_code == 0
    assert "Transport" in result.output  # names may wrap in the 100-column table
    assert "310.000" in result.output
    assert "illustratief" in result.output
    data = json.loads(run("companies", "testpark", "--json").output)
    assert data["park"] == {
        "id": "testpark",
        "name": "Testpark (illustratief)",
        "illustrative": True,
    }
    c01 = data["companies"][0]
    assert (c01["sbi"], c01["connection_kind"], c01["contracted_kw"]) == (
        "4941",
        "grootverbruik",
        160.0,
    )


def test_companies_from_a_park_file(tmp_database_url):
    pytest.importorskip("parkplan.io.parkfile")
    data = json.loads(run("companies", str(EXAMPLE), "--json").output)
    assert data["park"]["id"] == "voorbeeldpark"
    assert [c["annual_kwh"] for c in data["companies"]] == [310000.0, 820000.0, 42000.0]
    assert [c["connection_kind"] for c in data["companies"]] == [
        "grootverbruik",
        "grootverbruik",
        "kleinverbruik",
    ]


def test_companies_of_an_unknown_park_fails_in_dutch(filled):
    result = CliRunner().invoke(main, ["companies", "nergens"])
    assert result.exit_code == 1
    assert "Park 'nergens' staat niet in de database" in result.output
    assert "echt, testpark" in result.output
    english = CliRunner().invoke(main, ["--lang", "en", "companies", "nergens"])
    assert english.exit_code == 1
    assert "Park 'nergens' is not in the database" in english.output


def test_start_shows_parks_and_next_steps(filled):
    result = run("start")
    assert result.exit_code == 0
    assert "2 park(en) met samen 3 bedrijven in de database" in result.output
    assert "illustratief = demopark" in result.output
    assert "Volgende stappen" in result.output
    assert "parkplan companies testpark" in result.output  # the park with most companies


def test_start_on_an_empty_database(tmp_database_url):
    result = run("start")
    assert result.exit_code == 0
    assert "nog geen parken" in result.output
    assert "parkplan demo" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["db", "--help"],
        ["db", "upgrade", "--help"],
        ["parks", "--help"],
        ["companies", "--help"],
        ["start", "--help"],
        ["history", "--help"],
        ["delete-park", "--help"],
    ],
)
def test_every_command_has_help(args):
    result = run(*args)
    assert result.exit_code == 0
    assert "Gebruik:" in result.output and "Toon deze hulp en stop." in result.output


def test_history_and_delete_park(filled):
    assert CliRunner().invoke(main, ["delete-park", "echt"], input="n\n").exit_code == 1
    result = run("delete-park", "echt", "--yes")
    assert result.exit_code == 0
    assert "Park 'echt' verwijderd" in result.output
    assert "echt" not in [p["id"] for p in json.loads(run("parks", "--json").output)]
    gone = CliRunner().invoke(main, ["delete-park", "echt", "--yes"])
    assert gone.exit_code == 1
    assert "staat niet in de database" in gone.output
    log = json.loads(run("history", "echt", "--json").output)
    assert [(e["action"], e["entity"], e["actor"]) for e in log] == [
        ("create", "park", "cli"),
        ("delete", "park", "cli"),
    ]
    assert log[0]["at"].endswith("+00:00")
    everything = json.loads(run("history", "--json", "--limit", "2").output)
    assert everything == log  # the newest two entries of all parks
    table = run("history")
    assert table.exit_code == 0
    assert "delete" in table.output
    assert "Geen wijzigingen" in run("history", "nergens").output


def test_next_steps_grow_with_every_park_or_file_command():
    import click

    from parkplan.cli.parks import _next_steps

    @click.command("quickscan")
    @click.argument("park_or_file")
    def quickscan(park_or_file: str) -> None:
        """Snelle scan van een park."""

    @click.command("export")
    @click.argument("park")
    def export(park: str) -> None:
        """Exporteer."""

    @click.command("other")
    @click.argument("file")
    def other(file: str) -> None:
        """Iets anders."""

    group = click.Group(commands=[quickscan, export, other])
    assert _next_steps(group, has_parks=True, lang="nl") == [
        ("parkplan export {park} --format yaml", "een park exporteren als parkbestand"),
        ("parkplan quickscan {park}", "snelle scan van een park"),  # styled like the others
    ]
    group.add_command(click.Command("demo"))
    assert _next_steps(group, has_parks=False, lang="en")[0] == (
        "parkplan demo",
        "load the illustrative demo parks",
    )
    assert _next_steps(group, has_parks=True, lang="en")[0][0] != "parkplan demo"
