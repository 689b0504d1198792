"""``parkplan demo`` on an empty database creates one account per role and shows the
generated passwords once; a second run creates none."""

from __future__ import annotations

import json

from click.testing import CliRunner

from parkplan.cli import main


def test_demo_creates_one_account_per_role_once(tmp_database_url: str) -> None:
    from parkplan.services.users import authenticate
    from parkplan.store.db import session_scope

    first = CliRunner().invoke(main, ["demo", "--park", "demo-riegmeer", "--json"])
    assert first.exit_code == 0, first.output
    accounts = json.loads(first.output)["accounts"]
    assert sorted(a["role"] for a in accounts) == sorted(
        ["administrator", "programme_lead", "park_manager", "entrepreneur", "advisor"]
    )
    assert all(len(a["password"]) == 16 for a in accounts)
    owner = next(a for a in accounts if a["role"] == "entrepreneur")
    with session_scope() as session:
        user = authenticate(session, owner["email"], owner["password"])
        assert user is not None and user.park_ids == ("demo-riegmeer",) and user.company_id
        assert authenticate(session, owner["email"], "fout-wachtwoord") is None

    again = CliRunner().invoke(main, ["demo", "--if-empty"])
    assert again.exit_code == 0 and "Demo-accounts" not in again.output


def test_demo_prints_how_to_log_in(tmp_database_url: str) -> None:
    result = CliRunner().invoke(main, ["demo", "--park", "demo-riegmeer"])
    assert result.exit_code == 0, result.output
    assert "Demo-accounts (één per rol)" in result.output
    assert "parkmanager@demo.parkplan.example" in result.output
    assert "/inloggen" in result.output and "alleen nu getoond" in result.output
