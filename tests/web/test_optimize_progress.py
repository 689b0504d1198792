"""The web optimisation job moves its progress bar during the run: the service's progress
callback (each company alone, the hub, the bracket re-solves) maps into the job's
``optimising`` phase with the service's labels; the stage-only phases keep working.

The example park's operator (Rendo) has no published tariffs: the park gets HYPOTHETICAL
values through its ``refdata_overrides`` (stated test values, not facts), as in
test_optimize_pages.py. Progress is read from the job's own record (``Job.history``), not
from timing; ``JobRunner.wait`` is only an upper bound.
"""

from __future__ import annotations

import pytest

from parkplan.web.jobs import PHASES, Job, JobRunner
from parkplan.web.routes.optimize import OPTIMISING_FROM, OPTIMISING_TO, run_optimization

from ..helpers import example_park_document

WAIT_S = 600.0  # an upper bound for a loaded 2-core machine, not a timing assertion


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    from parkplan.io.parkfile import park_from_document
    from parkplan.services.parks import save_park
    from parkplan.store.db import dispose_engines, session_scope

    url = f"sqlite:///{tmp_path_factory.mktemp('progress') / 'p.sqlite'}"
    park, _ = park_from_document(example_park_document())
    with session_scope(url) as session:
        save_park(session, park, actor="test")
    yield url, park.id
    dispose_engines()


def _run(database: tuple[str, str], lang: str) -> Job:
    url, park_id = database
    runner = JobRunner()
    try:

        def work(phase):
            return run_optimization(url, park_id, name=f"Voortgang {lang}", lang=lang, phase=phase)

        job = runner.submit(None, park_id, "Voortgang", work)
        job = runner.wait(job.id, timeout_s=WAIT_S)
    finally:
        runner.shutdown()
    assert job is not None and job.finished_s is not None, "job did not finish"
    assert job.phase == "done", (job.error_nl, job.history)
    return job


def test_the_optimisation_job_reports_progress_within_the_run(database):
    job = _run(database, "nl")
    progress = [p for _, p, _ in job.history]
    assert progress == sorted(progress)  # never goes back
    assert progress[-1] == 1.0 and job.to_dict()["progress"] == 1.0
    phases = [ph for ph, _, _ in job.history]
    assert phases[0] == "loading" and phases[-2:] == ["saving", "done"]
    assert phases.index("simulating") > phases.index("optimising")
    within = {p for ph, p, _ in job.history if ph == "optimising"}
    # more than the stage steps: the bar moves while HiGHS solves the companies and the hub
    assert len(within) >= 4
    assert all(OPTIMISING_FROM <= p <= OPTIMISING_TO for p in within)
    labels = {d for ph, _, d in job.history if ph == "optimising"}
    assert "Typische dagen kiezen" in labels
    assert any(d and "Bedrijf" in d for d in labels), labels
    assert next(p for ph, p, _ in job.history if ph == "saving") == PHASES["saving"][0]


def test_the_labels_follow_the_job_language(database):
    job = _run(database, "en")
    labels = {d for ph, _, d in job.history if ph == "optimising"}
    assert "Choosing typical days" in labels
    assert "Typische dagen kiezen" not in labels


def test_a_reported_fraction_moves_the_bar_and_a_stage_resets_the_label():
    job = Job("j", None, "p", "t")
    job.report("loading")
    assert (job.to_dict()["progress"], job.to_dict()["label"]) == (0.1, "Park laden")
    job.report("optimising", 0.5, "Bedrijf 2/3 alleen")
    status = job.to_dict("en")
    assert (status["progress"], status["label"]) == (0.5, "Bedrijf 2/3 alleen")
    job.report("optimising", 0.3, "Energiehub")  # never lower than before
    assert job.to_dict()["progress"] == 0.5
    job.report("saving")
    assert (job.to_dict()["progress"], job.to_dict("en")["label"]) == (0.9, "Saving the result")
    assert [p for _, p, _ in job.history] == [0.1, 0.5, 0.5, 0.9]
    with pytest.raises(ValueError, match="phase"):
        job.report("dreaming")
