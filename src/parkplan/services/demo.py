"""Loading the illustrative demo parks into the database (the ``parkplan demo`` use case).

Shared by the command line (``parkplan demo``, ``make run``) and, later, the web app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parkplan.demo.generator import DEFAULT_SEED, generate_demo_parks
from parkplan.domain.errors import ParkplanError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEMO_ACTOR = "demo"
"""The actor written to the audit log for demo parks."""


@dataclass(frozen=True)
class DemoParkLoaded:
    """One demo park that was (or would have been) loaded."""

    id: str
    name: str
    municipality: str | None
    area_ha: float | None
    """Gross area. [ha]"""
    companies: int
    operator: str | None
    illustrative: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "name": self.name,
            "municipality": self.municipality,
            "area_ha": self.area_ha,
            "companies": self.companies,
            "operator": self.operator,
            "illustrative": self.illustrative,
        }


@dataclass(frozen=True)
class DemoLoadResult:
    """What ``load_demo_parks`` did."""

    loaded: bool
    seed: int
    parks_before: int
    """Parks in the database before loading. [-]"""
    replaced: list[str] = field(default_factory=list)
    """Ids of demo parks that were already there and have been replaced."""
    parks: list[DemoParkLoaded] = field(default_factory=list)

    @property
    def total_companies(self) -> int:
        """Companies in the loaded parks. [-]"""
        return sum(p.companies for p in self.parks)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the keys of ``parkplan demo --json``)."""
        return {
            "loaded": self.loaded,
            "skipped_reason": None if self.loaded else "database_not_empty",
            "seed": self.seed,
            "parks_before": self.parks_before,
            "replaced": list(self.replaced),
            "parks": [p.to_dict() for p in self.parks],
            "total_companies": self.total_companies,
            "illustrative": True,
        }


class DemoParksExistError(ParkplanError):
    """Demo parks are already in the database and ``replace`` was not asked for."""


def load_demo_parks(
    session: Session,
    *,
    seed: int = DEFAULT_SEED,
    if_empty: bool = False,
    replace: bool = False,
    park_ids: Sequence[str] | None = None,
    actor: str = DEMO_ACTOR,
) -> DemoLoadResult:
    """Generate the demo parks and save them, all-or-nothing, in ``session``.

    Parameters
    ----------
    session
        An open session; the caller commits (``parkplan.store.db.session_scope``).
    seed
        Seed of the generator (the same seed gives the same parks).
    if_empty
        Load only when the database holds no parks at all; otherwise do nothing.
    replace
        Replace demo parks with the same ids; without it an existing demo park is an error.
    park_ids
        Load only these demo parks (default: all of them).
    actor
        Who loads them, for the audit log.

    Raises
    ------
    ParkplanError
        A park id in ``park_ids`` is not a demo park.
    DemoParksExistError
        Some demo park ids are in the database and ``replace`` is false (nothing written).
    """
    from parkplan.services.parks import count_parks, save_park
    from parkplan.store.repository import park_exists

    before = count_parks(session)
    if if_empty and before > 0:
        return DemoLoadResult(loaded=False, seed=seed, parks_before=before)
    parks = generate_demo_parks(seed)
    if park_ids is not None:
        known = [p.id for p in parks]
        unknown = [pid for pid in park_ids if pid not in known]
        if unknown:
            raise ParkplanError(
                f"Onbekend demopark {', '.join(unknown)}; kies uit: {', '.join(known)}.",
                f"Unknown demo park {', '.join(unknown)}; choose from: {', '.join(known)}.",
            )
        parks = [p for p in parks if p.id in set(park_ids)]
    existing = [p.id for p in parks if park_exists(session, p.id)]
    if existing and not replace:
        ids = ", ".join(existing)
        raise DemoParksExistError(
            f"Demoparken staan al in de database ({ids}); er is niets geladen. Gebruik "
            "--replace om ze te vervangen.",
            f"Demo parks are already in the database ({ids}); nothing was loaded. Use "
            "--replace to replace them.",
        )
    for park in parks:
        save_park(session, park, replace=replace, actor=actor)
    return DemoLoadResult(
        loaded=True,
        seed=seed,
        parks_before=before,
        replaced=existing,
        parks=[
            DemoParkLoaded(
                id=p.id,
                name=p.name,
                municipality=p.municipality,
                area_ha=p.area_ha,
                companies=len(p.companies),
                operator=p.grid.operator,
                illustrative=p.illustrative,
            )
            for p in parks
        ],
    )
