"""``parkplan demo`` against a temporary SQLite database.

Loading all eight parks (about 500 companies) takes a few seconds, so only two tests do it;
the others load one small park (``--park demo-riegmeer``).
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from parkplan.cli import main

SMALL = "demo-riegmeer"


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _parks_in_db() -> dict[str, int]:
    from parkplan.services.parks import list_parks
    from parkplan.store.db import session_scope

    with session_scope() as session:
        return {p.id: p.company_count for p in list_parks(session)}


def test_demo_loads_all_parks_with_a_dutch_summary(tmp_database_url: str) -> None:
    from parkplan.demo import generate_demo_parks
    from parkplan.services.parks import get_park
    from parkplan.store.db import session_scope

    result = _run("demo")
    assert result.exit_code == 0, result.output
    assert "illustratief" in result.output
    assert "8 illustratieve demoparken geladen" in result.output
    generated = generate_demo_parks()
    expected = {p.id: len(p.companies) for p in generated}
    assert _parks_in_db() == expected
    assert f"met {sum(expected.values())} bedrijven" in result.output
    with session_scope() as session:
        stored = get_park(session, "demo-de-wieken")
    assert stored == generated[0]
    assert stored.illustrative and 120 <= len(stored.companies) <= 180


def test_if_empty_loads_only_into_an_empty_database(tmp_database_url: str) -> None:
    first = _run("demo", "--if-empty", "--json")
    data = json.loads(first.output)
    assert data["loaded"] is True and data["seed"] == 2026 and data["illustrative"] is True
    assert data["parks_before"] == 0 and data["replaced"] == []
    assert len(data["parks"]) == 8 and all(p["illustrative"] for p in data["parks"])
    assert data["total_companies"] == sum(p["companies"] for p in data["parks"])
    before = _parks_in_db()
    assert before == {p["id"]: p["companies"] for p in data["parks"]}

    second = _run("demo", "--if-empty")
    assert second.exit_code == 0
    assert "niet geladen" in second.output
    english = _run("--lang", "en", "demo", "--if-empty")
    assert "demo parks not loaded" in english.output
    again = json.loads(_run("demo", "--if-empty", "--json").output)
    assert again["loaded"] is False and again["skipped_reason"] == "database_not_empty"
    assert again["parks_before"] == 8 and again["parks"] == []
    assert _parks_in_db() == before


def test_one_park_with_seed_json_and_replace(tmp_database_url: str) -> None:
    from parkplan.demo import generate_demo_parks
    from parkplan.services.parks import get_park
    from parkplan.store.db import session_scope

    park5 = next(p for p in generate_demo_parks(5) if p.id == SMALL)
    park6 = next(p for p in generate_demo_parks(6) if p.id == SMALL)
    loaded = json.loads(_run("demo", "--park", SMALL, "--seed", "5", "--json").output)
    assert [p["id"] for p in loaded["parks"]] == [SMALL]
    assert _parks_in_db() == {SMALL: len(park5.companies)}

    # a second load without --replace changes nothing
    refused = CliRunner().invoke(main, ["demo", "--park", SMALL, "--seed", "6"])
    assert refused.exit_code == 1
    assert "--replace" in refused.output and "niets geladen" in refused.output
    with session_scope() as session:
        assert get_park(session, SMALL) == park5

    replaced = _run("demo", "--park", SMALL, "--seed", "6", "--replace", "--json")
    assert replaced.exit_code == 0, replaced.output
    assert json.loads(replaced.output)["replaced"] == [SMALL]
    with session_scope() as session:
        assert get_park(session, SMALL) == park6


def test_english_summary(tmp_database_url: str) -> None:
    result = _run("--lang", "en", "demo", "--park", SMALL)
    assert result.exit_code == 0, result.output
    assert "1 illustrative demo park loaded" in result.output


def test_unknown_demo_park_is_refused(tmp_database_url: str) -> None:
    result = CliRunner().invoke(main, ["demo", "--park", "demo-nergens"])
    assert result.exit_code == 1
    assert "demo-nergens" in result.output and "demo-de-wieken" in result.output
    assert _parks_in_db() == {}


def test_help_and_default_seed() -> None:
    from parkplan.cli.demo import DEFAULT_SEED
    from parkplan.demo import DEFAULT_SEED as GENERATOR_SEED

    assert DEFAULT_SEED == GENERATOR_SEED
    result = _run("demo", "--help")
    assert result.exit_code == 0
    for option in ("--if-empty", "--replace", "--seed", "--park", "--json"):
        assert option in result.output


def test_negative_seed_is_refused(tmp_database_url: str) -> None:
    result = CliRunner().invoke(main, ["demo", "--seed", "-1"])
    assert result.exit_code == 2
    assert _parks_in_db() == {}
