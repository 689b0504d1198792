"""Background jobs of the web app (scenario simulations), with a status to poll.

A small thread pool runs long use cases outside the request; the page polls
``/api/jobs/{id}`` with its own few lines of JavaScript. A job reports its stage with
``set_phase(phase)`` (progress and label from :data:`PHASES`); a use case with its own
progress callback may add ``set_phase(phase, fraction, label)`` to move the bar within a
stage (the fraction of the whole job, never lower than before; the label in the job's
language). Jobs live in memory: a restart
forgets running jobs, but their results are stored in the database with provenance.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from parkplan.domain.errors import ParkplanError

PHASES: dict[str, tuple[float, str, str]] = {
    # phase: (progress fraction [-], Dutch, English)
    "queued": (0.0, "In de wachtrij", "Queued"),
    "loading": (0.1, "Park laden", "Loading the park"),
    "optimising": (0.2, "Optimaliseren (lineair programma, HiGHS)", "Optimising (linear program)"),
    "business_case": (0.3, "Businesscase en verdeling doorrekenen", "Business case and split"),
    "simulating": (0.3, "Jaar simuleren (kwartierwaarden)", "Simulating the year (15 minutes)"),
    "saving": (0.9, "Resultaat opslaan", "Saving the result"),
    "done": (1.0, "Klaar", "Done"),
    "failed": (1.0, "Mislukt", "Failed"),
}


HISTORY_MAX = 500
"""The most progress steps a job remembers."""


@dataclass
class Job:
    """One background job and what the page may show about it."""

    id: str
    owner_user_id: int | None
    park_id: str
    title: str
    phase: str = "queued"
    started_s: float = field(default_factory=time.monotonic)
    finished_s: float | None = None
    result_id: int | None = None
    error_nl: str | None = None
    error_en: str | None = None
    fraction: float | None = None
    """Progress within the current phase reported by the use case (``None``: the phase's)."""
    detail: str | None = None
    """The use case's own label for what it is doing now (``None``: the phase's)."""
    history: list[tuple[str, float, str | None]] = field(default_factory=list)
    """Every distinct (phase, progress, detail) the job reported, oldest first (at most
    :data:`HISTORY_MAX`; for tests and diagnosis)."""

    def progress(self) -> float:
        """Progress of the whole job. [-] (0..1)"""
        if self.fraction is not None and self.phase not in ("done", "failed"):
            return self.fraction
        return PHASES[self.phase][0]

    def report(self, phase: str, fraction: float | None = None, label: str | None = None) -> None:
        """Move to ``phase``; with ``fraction`` (of the whole job, 0..1) and ``label`` the bar
        moves within it. A fraction below the current progress is raised to it."""
        if phase not in PHASES:
            raise ValueError(f"unknown job phase {phase!r}")
        if fraction is None:
            self.fraction, self.detail = None, None
        else:
            self.fraction = min(1.0, max(float(fraction), self.progress()))
            self.detail = label
        self.phase = phase
        entry = (phase, self.progress(), self.detail)
        if len(self.history) < HISTORY_MAX and (not self.history or self.history[-1] != entry):
            self.history.append(entry)

    def to_dict(self, lang: str = "nl") -> dict[str, Any]:
        """JSON-ready status (progress 0..1; elapsed time in seconds)."""
        _, nl, en = PHASES[self.phase]
        progress = self.progress()
        if self.detail and self.phase not in ("done", "failed"):
            nl = en = self.detail
        end = self.finished_s if self.finished_s is not None else time.monotonic()
        return {
            "id": self.id,
            "park_id": self.park_id,
            "title": self.title,
            "state": self.phase,
            "label": en if lang == "en" else nl,
            "progress": progress,
            "elapsed_s": round(end - self.started_s, 1),
            "done": self.phase in ("done", "failed"),
            "result_id": self.result_id,
            "error": (self.error_en if lang == "en" else self.error_nl),
        }


class JobRunner:
    """Runs jobs on a small thread pool and keeps their status."""

    def __init__(self, workers: int = 1, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parkplan-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def submit(
        self,
        owner_user_id: int | None,
        park_id: str,
        title: str,
        work: Callable[..., int | None],
    ) -> Job:
        """Start ``work(set_phase)``; it returns the id of the stored result.

        ``set_phase(phase, fraction=None, label=None)`` is :meth:`Job.report`.
        """
        job = Job(secrets.token_urlsafe(12), owner_user_id, park_id, title)
        with self._lock:
            if len(self._jobs) >= self._keep:
                finished = [j for j in self._jobs.values() if j.finished_s is not None]
                for old in sorted(finished, key=lambda j: j.started_s)[: len(finished) // 2]:
                    self._jobs.pop(old.id, None)
            self._jobs[job.id] = job

        def run() -> None:
            try:
                job.result_id = work(job.report)
                job.report("done")
            except ParkplanError as exc:
                job.error_nl, job.error_en = exc.message("nl"), exc.message("en")
                job.report("failed")
            except Exception as exc:
                job.error_nl = f"Onverwachte fout: {type(exc).__name__}."
                job.error_en = f"Unexpected error: {type(exc).__name__}."
                job.report("failed")
            finally:
                job.finished_s = time.monotonic()

        self._pool.submit(run)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job, or ``None`` when unknown."""
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: str, timeout_s: float = 60.0) -> Job | None:
        """Wait until a job has finished (for tests and the CLI)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            job = self.get(job_id)
            if job is None or job.finished_s is not None:
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def shutdown(self) -> None:
        """Stop taking jobs (running ones finish)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
