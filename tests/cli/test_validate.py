"""``parkplan validate`` and ``parkplan export``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from parkplan.cli import main
from parkplan.io.parkfile import read_park_file

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLE = DATA / "parkfile-v1.example.yaml"
FIVE = DATA / "parkfile" / "five-faults.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_five_faults_give_five_messages_and_exit_1() -> None:
    result = run("validate", str(FIVE))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("fout: ")]
    assert len(lines) == 5
    assert "5 fout(en)" in result.output
    for path in (
        "companies[0].kvk",
        "companies[0].electricity.annual_kwh",
        "companies[1].connection.ean",
        "companies[1].connection.contracted_kw",
        "companies[1].roofs[0].tilt_deg",
    ):
        assert any(path in line for line in lines), path
    assert all("five-faults.yaml" in line for line in lines)


def test_five_faults_in_english_and_json() -> None:
    result = run("--lang", "en", "validate", str(FIVE))
    assert result.exit_code == 1
    assert len([x for x in result.output.splitlines() if x.startswith("error: ")]) == 5
    assert "expected" in result.output

    result = run("validate", "--json", str(FIVE))
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["valid"] is False and data["errors"] == 5 and data["warnings"] == 0
    assert {p["path"] for p in data["problems"]} >= {"companies[1].connection.contracted_kw"}
    contracted = next(p for p in data["problems"] if p["code"] == "not_a_number")
    assert contracted["value"] == "veel"


def test_valid_file_exits_0() -> None:
    result = run("validate", str(EXAMPLE))
    assert result.exit_code == 0
    assert "geldig" in result.output
    data = json.loads(run("validate", "--json", str(EXAMPLE)).output)
    assert data == {
        "file": str(EXAMPLE),
        "valid": True,
        "errors": 0,
        "warnings": 0,
        "problems": [],
    }


def test_warnings_are_printed_with_exit_0(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("annual_kwh: 42000", "annual_kwh: 42000000")
    f = tmp_path / "mwh.yaml"
    f.write_text(text, encoding="utf-8")
    result = run("validate", str(f))
    assert result.exit_code == 0
    line = 1 + text.splitlines().index("      annual_kwh: 42000000")
    expected = f"waarschuwing: mwh.yaml, rij {line}, companies[2].electricity.annual_kwh"
    assert expected in result.output


def test_empty_and_unknown_version_files(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.yaml"
    empty.write_text("", encoding="utf-8")
    result = run("validate", str(empty))
    assert result.exit_code == 1
    assert "leeg.yaml" in result.output and "leeg" in result.output
    result = run("validate", str(DATA / "parkfile" / "unknown-format.yaml"))
    assert result.exit_code == 1
    assert "parkplan/9" in result.output


def test_export_file_round_trip(tmp_path: Path) -> None:
    park, _ = read_park_file(EXAMPLE)
    for fmt in ("yaml", "json"):
        out = tmp_path / f"uit.{fmt}"
        result = run("export", str(EXAMPLE), "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert read_park_file(out)[0] == park
    # to standard output, format from the option
    result = run("export", str(EXAMPLE), "--format", "json")
    assert json.loads(result.output)["park"]["id"] == "voorbeeldpark"


def test_export_from_database_round_trip(tmp_database_url, full_park, tmp_path: Path) -> None:
    from parkplan.services.parks import load_park, save_park
    from parkplan.store import db

    # the shared fixture overrides a reference key that does not exist; use a real one
    park = replace(full_park, refdata_overrides={"co2.natural_gas_kg_per_m3": 2.0})
    db.upgrade()
    with db.session_scope() as session:
        save_park(session, park)
    stored = load_park(park.id)
    out = tmp_path / "testpark.yaml"
    result = run("export", park.id, "--out", str(out))
    assert result.exit_code == 0, result.output
    again, _ = read_park_file(out)
    assert again == stored
    assert "ILLUSTRATIEF" in out.read_text(encoding="utf-8")
    assert run("validate", str(out)).exit_code == 0


def test_export_unknown_park_fails(tmp_database_url) -> None:
    result = CliRunner().invoke(main, ["export", "bestaat-niet"])
    assert result.exit_code == 1
