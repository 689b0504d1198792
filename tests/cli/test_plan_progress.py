"""``parkplan plan --prepare --optimize --progress``: stages on stderr, JSON clean on stdout."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

PARK_FILE = Path(__file__).resolve().parents[1] / "data" / "economics" / "park_stedin.yaml"
STAGE = re.compile(r"^\[\s*(\d+)%\] (.+)$")


def test_plan_prepare_and_optimize_show_progress(tmp_database_url, tmp_path) -> None:
    from parkplan.cli import main
    from parkplan.services.parks import read_park_from_file, save_park
    from parkplan.store.db import session_scope

    park, _ = read_park_from_file(PARK_FILE)
    with session_scope() as session:
        save_park(session, park)
    out = tmp_path / "plan.md"
    res = CliRunner().invoke(main, ["plan", park.id, "--out", str(out), "--prepare",
                                    "--optimize", "--progress", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert "optimization" in {r["analysis"] for r in data["results"]}
    stages = [STAGE.match(line) for line in res.stderr.splitlines()]
    assert stages and all(stages), res.stderr
    pct = [int(m.group(1)) for m in stages if m]
    text = [m.group(2) for m in stages if m]
    assert pct == sorted(pct) and pct[-1] == 100
    assert text[0] == "Simulatie, quick scan en scorekaart voorbereiden"
    assert "Typische dagen kiezen" in text
    assert any(re.fullmatch(r"Bedrijf \S+ apart \(1/\d+\)", t) for t in text)
    assert text[-2:] == ["Plan opbouwen en schrijven", "Klaar"]
