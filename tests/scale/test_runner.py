"""The Dask runner on a real LocalCluster (2 workers): equal to the single-park screening,
a bad park is reported without stopping the others, and an interrupted run resumes."""

from __future__ import annotations

import pandas as pd
import pytest

from parkplan.scale.runner import (
    ScreenSettings,
    dask_client,
    make_batches,
    parts_dir_for,
    run_screening,
)
from parkplan.scale.screening import screen_park, screening_context
from parkplan.scale.synthetic import write_synthetic_national
from parkplan.scale.tables import read_park_source

VOLATILE = ["seconds", "cpu_seconds"]


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nl")
    write_synthetic_national(folder, 6, seed=21)
    # one bad park: a company with negative offtake
    companies = pd.read_parquet(folder / "companies.parquet")
    bad_park = "syn-0002"
    first = companies.index[companies["park_id"] == bad_park][0]
    companies.loc[first, "annual_kwh"] = -5.0
    companies.to_parquet(folder / "companies.parquet", index=False)
    return folder, bad_park


def _indicators(df):
    return df.drop(columns=VOLATILE).sort_values("park_id").reset_index(drop=True)


def test_cluster_results_equal_in_process_and_bad_park_reported(client, dataset, tmp_path):
    folder, bad = dataset
    source, _ = read_park_source(folder)
    out = tmp_path / "results.parquet"
    summary = run_screening(source, out, client=client, batch_companies=60)
    assert summary.workers == 2
    assert summary.errors == 1 and summary.error_rows[0]["park_id"] == bad
    assert "annual_kwh" in summary.error_rows[0]["error"]
    df = pd.read_parquet(out)
    assert list(df["park_id"]) == source.park_ids
    assert (df.loc[df["park_id"] != bad, "status"] == "ok").all()
    assert df.loc[df["park_id"] == bad, "status"].item() == "error"
    ctx = screening_context(resolution_minutes=60)
    for pid in source.park_ids[:4]:
        if pid == bad:
            continue
        expected = screen_park(source.load(pid), ctx)
        got = df[df["park_id"] == pid].iloc[0]
        for col in (
            "coincident_peak_kw",
            "sum_of_individual_peaks_kw",
            "pv_potential_kwh",
            "co2_kg",
            "demand_kwh",
            "grid_import_headroom_kw",
        ):
            assert got[col] == expected[col], (pid, col)
    assert summary.company_years == int(df.loc[df["status"] == "ok", "n_companies"].sum())


class SimulatedCrashError(Exception):
    pass


def test_interrupted_run_resumes_to_the_same_result(client, dataset, tmp_path):
    folder, _bad = dataset
    source, _ = read_park_source(folder)
    out = tmp_path / "resumed.parquet"
    written: list[str] = []

    def crash_after_first_part(path, n):
        written.append(path.name)
        if (pd.read_parquet(path)["status"] == "ok").any():
            raise SimulatedCrashError

    with pytest.raises(SimulatedCrashError):
        run_screening(
            source, out, client=client, batch_companies=30, on_part=crash_after_first_part
        )
    parts = parts_dir_for(out)
    assert sorted(p.name for p in parts.glob("part-*.parquet")) == sorted(written)
    assert not out.exists()
    done = pd.concat([pd.read_parquet(parts / name) for name in written])
    done_ok = set(done.loc[done["status"] == "ok", "park_id"])

    summary = run_screening(source, out, client=client, batch_companies=30)
    assert summary.skipped == len(done_ok) > 0
    assert summary.screened == len(source.park_ids) - len(done_ok)
    fresh = tmp_path / "fresh.parquet"
    run_screening(source, fresh, client=client, batch_companies=30)
    pd.testing.assert_frame_equal(
        _indicators(pd.read_parquet(out)), _indicators(pd.read_parquet(fresh))
    )
    # a third run has nothing left but the bad park (errors are retried)
    again = run_screening(source, out, client=client)
    assert again.screened == 1 and again.errors == 1


def test_batches_cover_every_park_once(dataset):
    folder, _ = dataset
    source, _ = read_park_source(folder)
    batches = make_batches(source, source.park_ids, batch_companies=50, batch_parks=2)
    flat = [p for b in batches for p in b]
    assert sorted(flat) == sorted(source.park_ids)
    assert all(len(b) <= 2 for b in batches)


def test_settings_are_small_and_hashable():
    s = ScreenSettings(resolution_minutes=15, overrides=(("a", 1.0),))
    assert hash(s.key())


def test_existing_cluster_by_scheduler_address(client, dataset, tmp_path):
    folder, bad = dataset
    source, _ = read_park_source(folder)
    ids = [p for p in source.park_ids if p != bad][:2]
    out = tmp_path / "remote.parquet"
    summary = run_screening(source, out, scheduler=client.scheduler.address, park_ids=ids)
    assert summary.workers == 2 and summary.errors == 0
    assert list(pd.read_parquet(out)["park_id"]) == ids


def test_a_fixed_bad_park_is_retried_and_its_new_row_wins(client, dataset, tmp_path):
    import shutil

    folder, bad = dataset
    copy = tmp_path / "nl"
    shutil.copytree(folder, copy)
    source, _ = read_park_source(copy)
    out = tmp_path / "fixed.parquet"
    first = run_screening(source, out, client=client, park_ids=[bad, source.park_ids[0]])
    assert first.errors == 1
    companies = pd.read_parquet(copy / "companies.parquet")
    companies.loc[companies["annual_kwh"] < 0, "annual_kwh"] = 5000.0
    companies.to_parquet(copy / "companies.parquet", index=False)
    source, _ = read_park_source(copy)
    second = run_screening(source, out, client=client, park_ids=[bad, source.park_ids[0]])
    assert second.screened == 1 and second.errors == 0
    df = pd.read_parquet(out)
    assert (df["status"] == "ok").all()
    # other settings: nothing is skipped
    other = run_screening(
        source, out, client=client, park_ids=[bad], settings=ScreenSettings(tariff_year=2025)
    )
    assert other.skipped == 0 and other.screened == 1
