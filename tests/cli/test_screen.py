"""parkplan synthetic-national and parkplan screen (a real LocalCluster with 1 worker)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
from click.testing import CliRunner

from parkplan.cli import main


def test_synthetic_national_writes_labelled_tables(tmp_path):
    result = CliRunner().invoke(
        main, ["synthetic-national", str(tmp_path / "nl"), "--parks", "3", "--seed", "4", "--json"]
    )
    assert result.exit_code == 0, result.output
    meta = json.loads(result.output)
    assert meta["parks"] == 3 and meta["seed"] == 4 and "SYNTHETISCH" in meta["label"]
    parks = pd.read_parquet(tmp_path / "nl" / "parks.parquet")
    assert len(parks) == 3 and parks["synthetic"].all()
    text = CliRunner().invoke(main, ["synthetic-national", str(tmp_path / "nl2"), "--parks", "2"])
    assert text.exit_code == 0 and text.output.startswith("SYNTHETISCH: 2 parken")


def test_screen_folder_of_park_files_with_a_bad_file(tmp_path):
    folder = tmp_path / "parks"
    folder.mkdir()
    shutil.copy("tests/data/parkfile-v1.example.yaml", folder / "voorbeeld.yaml")
    (folder / "kapot.yaml").write_text("park: [dit is geen park\n", encoding="utf-8")
    out = tmp_path / "res" / "results.parquet"
    result = CliRunner().invoke(
        main, ["screen", str(folder), "--out", str(out), "--workers", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["parks"] == 2 and data["errors"] == 1 and data["workers"] == 1
    assert data["error_parks"][0]["park_id"] == "kapot"
    df = pd.read_parquet(out)
    ok = df[df["park_id"] == "voorbeeld"].iloc[0]
    assert ok["status"] == "ok" and ok["coincident_peak_kw"] > 0
    for name in ("summary.csv", "parks.geojson", "ranking.md", "ranking.html"):
        assert (out.parent / name).is_file()
    geo = json.loads((out.parent / "parks.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["park_id"] for f in geo["features"]] == ["voorbeeld"]
    # rerun: nothing left but the bad file
    again = CliRunner().invoke(
        main, ["screen", str(folder), "--out", str(out), "--workers", "1", "--json"]
    )
    assert json.loads(again.output)["skipped"] == 1


def test_screen_rejects_bad_options(tmp_path):
    result = CliRunner().invoke(
        main, ["screen", str(tmp_path), "--out", str(tmp_path / "r.csv"), "--workers", "1"]
    )
    assert result.exit_code == 1
    assert "Geen parkbestanden" in result.output or "parquet" in result.output
