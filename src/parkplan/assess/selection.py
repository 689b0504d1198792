"""Choosing the pilot park: criteria per candidate park, weighting, ranking and explanation.

Hoogeveen chose its pilot after weighing the size of the parks, the type of companies and
the assumed bond of the entrepreneurs with the park and with each other. These criteria,
plus organisation degree, energy potential, grid congestion and CO2, are derived here from
the park data; the ranking itself is :mod:`parkplan.assess.mcda`.

Directions are choices, stated openly and changeable in the weights file: by default more
congestion and more CO2 per hectare count *for* a park (more urgency and more to gain).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from parkplan.assess.baseline import sector_group
from parkplan.assess.mcda import (
    Direction,
    Method,
    Stability,
    check_weights,
    contributions,
    impute_missing,
    normalise_min_max,
    rank_stability,
    ranks,
    score,
)
from parkplan.domain.errors import ParkplanError, Problem, warning
from parkplan.domain.model import Park


@dataclass(frozen=True)
class Criterion:
    """A selection criterion with its default weight and direction."""

    key: str
    nl: str
    en: str
    unit: str
    direction: Direction
    weight: float


CRITERIA: tuple[Criterion, ...] = (
    Criterion("area_ha", "Omvang", "Size", "ha", "max", 0.10),
    Criterion("companies", "Aantal bedrijven", "Number of companies", "-", "max", 0.10),
    Criterion(
        "sector_diversity",
        "Diversiteit bedrijfstypen",
        "Diversity of company types",
        "0-1",
        "max",
        0.10,
    ),
    Criterion("bond_with_park", "Band met het park", "Bond with the park", "1-5", "max", 0.15),
    Criterion(
        "bond_with_companies",
        "Band tussen ondernemers",
        "Bond between entrepreneurs",
        "1-5",
        "max",
        0.10,
    ),
    Criterion("organisation", "Organisatiegraad", "Degree of organisation", "0-4", "max", 0.15),
    Criterion(
        "pv_potential_mwh",
        "Zonnestroompotentieel daken",
        "Rooftop solar potential",
        "MWh/jr",
        "max",
        0.10,
    ),
    Criterion("demand_mwh", "Elektriciteitsvraag", "Electricity demand", "MWh/jr", "max", 0.05),
    Criterion(
        "congestion",
        "Urgentie netcongestie",
        "Urgency of grid congestion",
        "GTV/beschikbaar",
        "max",
        0.10,
    ),
    Criterion("co2_t_per_ha", "CO2 per hectare", "CO2 per hectare", "t/ha/jr", "max", 0.05),
)
"""Default criteria. Weights sum to 1; a weights file may change weights and directions."""


@dataclass(frozen=True)
class ParkCriteria:
    """The criteria values of one candidate park (NaN where unknown)."""

    park_id: str
    name: str
    values: Mapping[str, float]
    response_rate: float
    """Share of companies that answered the engagement survey (0-1)."""
    notes: tuple[Problem, ...] = ()


def shannon_evenness(labels: Sequence[str]) -> float:
    """Evenness of a mix, 0 (one kind) .. 1 (all kinds equally present)."""
    counts = np.array(list(Counter(labels).values()), dtype=float)
    if counts.size <= 1:
        return 0.0
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum() / math.log(counts.size))


def park_criteria(
    park: Park,
    *,
    pv_potential_kwh: float,
    co2_kg: float,
    weak_response_rate: float,
) -> ParkCriteria:
    """Derive the criteria of one park.

    Parameters
    ----------
    pv_potential_kwh
        Yearly yield of PV on all usable roof area (the services layer computes it with the
        solar model). [kWh/yr]
    co2_kg
        The park's baseline CO2. [kg/yr]
    weak_response_rate
        Below this share of companies answering the survey, the bond figures are called
        weak (refdata ``survey.min_response_rate``). [0-1]
    """
    notes: list[Problem] = []
    companies = park.companies
    n = len(companies)
    answered = [c.engagement for c in companies if c.engagement and c.engagement.bond_with_park]
    response = len(answered) / n if n else 0.0
    if n and response < weak_response_rate:
        notes.append(
            warning(
                f"{park.id}.engagement",
                f"{park.name}: slechts {100 * response:.0f} % van de bedrijven vulde de enquête "
                "in; de score voor band met het park is zwak onderbouwd.",
                f"{park.name}: only {100 * response:.0f} % of the companies answered the survey; "
                "the bond score is weakly founded.",
                response,
                code="weak_survey",
            )
        )

    def mean(values: Sequence[float | None]) -> float:
        vals = [v for v in values if v is not None]
        return float(np.mean(vals)) if vals else math.nan

    org = park.organisation
    organisation = (
        float(
            sum(
                bool(x)
                for x in (
                    org.business_association,
                    org.park_management,
                    org.biz,
                    org.sustainability_group,
                )
            )
        )
        if org
        else math.nan
    )
    contracted = sum(
        (conn.contracted_kw or 0.0) for c in companies for conn in c.electricity_connections
    )
    available = park.grid.available_import_kw
    demand = sum(c.electricity.demand_on_site_kwh for c in companies if c.electricity)
    values = {
        "area_ha": park.area_ha if park.area_ha else math.nan,
        "companies": float(n),
        "sector_diversity": shannon_evenness([sector_group(c.sbi) for c in companies])
        if n
        else math.nan,
        "bond_with_park": mean([e.bond_with_park for e in answered]),
        "bond_with_companies": mean([e.bond_with_companies for e in answered]),
        "organisation": organisation,
        "pv_potential_mwh": pv_potential_kwh / 1000,
        "demand_mwh": demand / 1000,
        "congestion": contracted / available if available else math.nan,
        "co2_t_per_ha": co2_kg / 1000 / park.area_ha if park.area_ha else math.nan,
    }
    return ParkCriteria(park.id, park.name, values, response, tuple(notes))


@dataclass(frozen=True)
class Settings:
    """Weights and directions per criterion, method and stability options."""

    weights: Mapping[str, float]
    directions: Mapping[str, Direction]
    method: Method = "topsis"
    n_samples: int = 2000
    seed: int = 2026
    concentration: float = 50.0


def default_settings(method: Method = "topsis") -> Settings:
    """The default criteria weights and directions."""
    return Settings(
        weights={c.key: c.weight for c in CRITERIA},
        directions={c.key: c.direction for c in CRITERIA},
        method=method,
    )


@dataclass(frozen=True)
class RankedPark:
    """One park's outcome with its explanation."""

    park_id: str
    name: str
    score: float
    rank: int
    values: Mapping[str, float]
    normalised: Mapping[str, float]
    contributions: Mapping[str, float]
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]


@dataclass(frozen=True)
class Selection:
    """The outcome of a comparison of candidate parks."""

    method: Method
    criteria: tuple[str, ...]
    weights: Mapping[str, float]
    directions: Mapping[str, Direction]
    parks: tuple[RankedPark, ...]
    stability: Stability
    notes: tuple[Problem, ...] = field(default_factory=tuple)


def select(candidates: Sequence[ParkCriteria], settings: Settings) -> Selection:
    """Rank candidate parks and test how stable the ranking is under other weights."""
    if len(candidates) < 2:
        raise ParkplanError(
            "Vergelijken vraagt minstens twee parken.", "A comparison needs at least two parks."
        )
    unknown = sorted(set(settings.weights) - {c.key for c in CRITERIA} - set(candidates[0].values))
    if unknown:
        raise ParkplanError(
            f"Onbekende criteria in de gewichten: {', '.join(unknown)}.",
            f"Unknown criteria in the weights: {', '.join(unknown)}.",
        )
    keys = tuple(k for k in settings.weights if settings.weights[k] > 0)
    weights, notes = check_weights([settings.weights[k] for k in keys], list(keys))
    directions = [settings.directions.get(k, "max") for k in keys]
    ids = [c.park_id for c in candidates]
    raw = np.array([[c.values.get(k, math.nan) for k in keys] for c in candidates], dtype=float)
    matrix, missing = impute_missing(raw, directions, ids, list(keys))
    notes = [*notes, *missing, *(n for c in candidates for n in c.notes)]
    scores = score(matrix, weights, directions, settings.method)
    rank = ranks(scores)
    norm = normalise_min_max(matrix, directions)
    contrib = contributions(matrix, weights, directions)
    mean_contrib = contrib.mean(axis=0)
    parks = []
    for i, c in enumerate(candidates):
        delta = contrib[i] - mean_contrib
        order = np.argsort(-delta)
        strengths = tuple(keys[j] for j in order[:3] if delta[j] > 1e-9)
        weaknesses = tuple(keys[j] for j in order[::-1][:2] if delta[j] < -1e-9)
        parks.append(
            RankedPark(
                park_id=c.park_id,
                name=c.name,
                score=float(scores[i]),
                rank=int(rank[i]),
                values={k: float(raw[i, j]) for j, k in enumerate(keys)},
                normalised={k: float(norm[i, j]) for j, k in enumerate(keys)},
                contributions={k: float(contrib[i, j]) for j, k in enumerate(keys)},
                strengths=strengths,
                weaknesses=weaknesses,
            )
        )
    stability = rank_stability(
        matrix,
        weights,
        directions,
        settings.method,
        n_samples=settings.n_samples,
        concentration=settings.concentration,
        seed=settings.seed,
    )
    return Selection(
        method=settings.method,
        criteria=keys,
        weights=dict(zip(keys, map(float, weights), strict=True)),
        directions=dict(zip(keys, directions, strict=True)),
        parks=tuple(sorted(parks, key=lambda p: p.rank)),
        stability=stability,
        notes=tuple(notes),
    )


def explain(park: RankedPark, lang: str = "nl") -> str:
    """One sentence on why a park ranks where it does."""
    names = {c.key: c.nl if lang == "nl" else c.en for c in CRITERIA}
    # lower case inside the sentence, but CO2 stays CO2
    label = {k: n if n.startswith("CO2") else n[0].lower() + n[1:] for k, n in names.items()}
    strong = ", ".join(label.get(k, k) for k in park.strengths) or "–"
    weak = ", ".join(label.get(k, k) for k in park.weaknesses) or "–"
    if lang == "nl":
        return f"Plaats {park.rank}: sterker dan gemiddeld op {strong}; zwakker op {weak}."
    return f"Rank {park.rank}: stronger than average on {strong}; weaker on {weak}."
