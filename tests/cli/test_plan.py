"""``parkplan plan`` and ``parkplan plan-text`` on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

PARK_FILE = Path(__file__).resolve().parents[1] / "data" / "economics" / "park_stedin.yaml"


@pytest.fixture
def stored_park(tmp_database_url: str) -> str:
    from parkplan.services.parks import read_park_from_file, save_park
    from parkplan.store.db import session_scope

    park, _ = read_park_from_file(PARK_FILE)
    with session_scope() as session:
        save_park(session, park)
    return park.id


def _run(*args: str):
    from parkplan.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_plan_markdown_without_analyses_says_what_is_missing(stored_park, tmp_path) -> None:
    out = tmp_path / "plan.md"
    result = _run("plan", stored_park, "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "md" and data["kind"] == "uitvoeringsplan"
    assert [r["analysis"] for r in data["results"]] == ["baseline"]
    text = out.read_text(encoding="utf-8")
    assert "Simulatie van het park is nog niet uitgevoerd" in text
    assert "## 13. Monitoring" in text


def test_plan_text_stores_and_shows_a_section(stored_park, tmp_path) -> None:
    md = tmp_path / "samenvatting.md"
    md.write_text("Ons park: {{ companies }} bedrijven.", encoding="utf-8")
    result = _run("plan-text", stored_park, "summary", "--file", str(md), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["placeholders"] == ["companies"]
    shown = json.loads(_run("plan-text", stored_park, "--json").output)
    summary = next(s for s in shown if s["section"] == "summary")
    assert summary["stored"] and summary["markdown"].startswith("Ons park")
    out = tmp_path / "plan.html"
    assert _run("plan", stored_park, "--format", "html", "--out", str(out)).exit_code == 0
    assert "Ons park: 3 bedrijven." in out.read_text(encoding="utf-8")


def test_plan_of_unknown_park_fails_in_dutch(tmp_database_url, tmp_path) -> None:
    from parkplan.cli import main

    result = CliRunner().invoke(main, ["plan", "bestaat-niet", "--out", str(tmp_path / "x.md")])
    assert result.exit_code == 1
    assert "bestaat-niet" in result.output
