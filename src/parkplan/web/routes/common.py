"""What many routes do the same way: access checks per park, background jobs started from a
form (redirect to the page that shows their progress) and the job id that page reads back.

Routes keep their own URLs, templates and texts; these helpers only say once what was
written per route before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from parkplan.domain.access import Principal, can_analyse, can_view_park
from parkplan.domain.model import Park
from parkplan.web.deps import ForbiddenError, Viewer, check_csrf, get_db
from parkplan.web.jobs import Job

Permission = Callable[[Principal, str], bool]
"""An access rule of :mod:`parkplan.domain.access` that takes the user and the park id."""


def require_park(who: Principal, park_id: str, *may: Permission) -> None:
    """Refuse (:class:`~parkplan.web.deps.ForbiddenError`, 403) unless ``who`` may see the
    park and passes every rule in ``may`` (e.g. ``can_analyse``), checked in that order."""
    if not can_view_park(who, park_id) or not all(rule(who, park_id) for rule in may):
        raise ForbiddenError()


def visible_park(db: Session, who: Principal, park_id: str, *may: Permission) -> Park:
    """The park after :func:`require_park` (403 first); ``NotFoundError`` (404) when unknown."""
    from parkplan.services.parks import get_park

    require_park(who, park_id, *may)
    return get_park(db, park_id)


def analyst_dependency(check_park: Callable[[Session, str], Any]) -> Callable[..., Viewer]:
    """A dependency for API calls that start a job, run before the body is validated: the
    CSRF check, then 403 for who may not analyse the park, then ``check_park(db, park_id)``
    (which raises ``NotFoundError`` for an unknown park); gives the viewer."""

    def analyst(
        park_id: str,
        db: Session = Depends(get_db, scope="function"),
        viewer: Viewer = Depends(check_csrf),
    ) -> Viewer:
        """Access first (before the body is validated): 403 for who may not analyse the park."""
        require_park(viewer.principal, park_id, can_analyse)
        check_park(db, park_id)
        return viewer

    return analyst


def submit_job(
    request: Request, viewer: Viewer, park_id: str, title: str, work: Callable[..., int | None]
) -> Job:
    """Start ``work(set_phase)`` on the app's job runner, owned by the viewer."""
    return request.app.state.jobs.submit(viewer.principal.user_id, park_id, title, work)


def job_redirect(path: str, job: Job, **query: str) -> RedirectResponse:
    """303 to ``path?taak=<job id>`` (then ``query``): the page that shows the job's progress."""
    return RedirectResponse(f"{path}?{urlencode({'taak': job.id, **query})}", status_code=303)


def job_id_of(request: Request) -> str:
    """The job id in ``?taak=`` (letters, digits, ``-`` and ``_``), else ``""``."""
    job_id = request.query_params.get("taak", "")
    return job_id if job_id.replace("-", "").replace("_", "").isalnum() else ""
