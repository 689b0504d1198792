"""The plan model: the content of an uitvoeringsplan and a plan van aanpak as dataclasses.

Two layers:

- the *plan* (:class:`ImplementationPlan`, :class:`PlanOfAction`): ambition and targets,
  baseline summary, quick-scan conclusions, measures with business cases and benefit
  sharing, organisation form, roles, roadmap, risks, KPIs, budget -- every number a value
  taken from an analysis result, never typed by hand;
- the *document* (:class:`Document` of :class:`Chapter` with blocks): what the renderers
  (HTML, PDF, Word, Markdown) turn into pages. Numbers stay numbers in tables (formatted
  by the renderer), so tests can compare them with the services' results.

A chapter whose analysis has not been run carries a :class:`Notice` of kind ``not_run``
that names the analysis and the command that runs it, instead of numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal


def format_value(value: Any, decimals: int = 0, lang: str = "nl") -> str:
    """A number for people: ``1.234,5`` in Dutch, ``1,234.5`` in English; ``-`` when unknown.

    Text is returned as it is, so table cells can mix numbers and words.
    """
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    x = float(value)
    if not math.isfinite(x):
        return "-"
    text = f"{x:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_date(day: date, lang: str = "nl") -> str:
    """A date as dd-mm-jjjj (Dutch) or yyyy-mm-dd (English)."""
    return day.isoformat() if lang == "en" else f"{day:%d-%m-%Y}"


# --------------------------------------------------------------------------------------------
# Document blocks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A table column: header, unit and number format."""

    header: str
    unit: str = ""
    decimals: int = 0
    align: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Table:
    """A table of values; numbers are formatted by the renderer (Dutch or English)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    source: str = ""
    """Where the numbers come from (analysis, stored result id)."""
    total_row: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class Paragraph:
    """Generated text (Markdown); numbers in it are formatted from results."""

    markdown: str


@dataclass(frozen=True)
class Narrative:
    """An editable narrative section (Markdown) stored with the park."""

    key: str
    markdown: str
    stored: bool
    """False when the text is the default template (not yet edited for this park)."""
    updated: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Notice:
    """A visible remark: an analysis not run yet, an estimate, an illustrative park."""

    kind: Literal["not_run", "estimate", "illustrative", "info"]
    text: str


@dataclass(frozen=True)
class Chart:
    """A chart or map as PNG (for every format) and optionally SVG (for HTML and PDF)."""

    key: str
    title: str
    png: bytes
    svg: str | None = None
    caption: str = ""
    width_cm: float = 16.0


@dataclass(frozen=True)
class KeyFigure:
    """A headline number (value, unit, decimals) with its label."""

    key: str
    label: str
    value: float | None
    unit: str
    decimals: int = 0


@dataclass(frozen=True)
class KeyFigures:
    """A row of headline numbers."""

    items: tuple[KeyFigure, ...]


Block = Table | Paragraph | Narrative | Notice | Chart | KeyFigures


@dataclass
class Chapter:
    """A chapter (or appendix) with blocks and subchapters."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Chapter] = field(default_factory=list)
    appendix: bool = False


@dataclass
class Document:
    """A plan ready to render."""

    kind: Literal["uitvoeringsplan", "plan-van-aanpak"]
    title: str
    subtitle: str
    park_id: str
    park_name: str
    municipality: str | None
    illustrative: bool
    lang: str
    issued: date
    chapters: list[Chapter]
    provenance: dict[str, Any] = field(default_factory=dict)
    """Stored results used (kind, key, id, created, refdata and code version)."""
    variables: dict[str, str] = field(default_factory=dict)
    """Formatted generated figures that narrative text may cite as ``{{ name }}``."""

    @property
    def status_line(self) -> str:
        """The header/footer text: illustrative park or concept."""
        if self.illustrative:
            return (
                "Illustratief: demopark met synthetische cijfers"
                if self.lang == "nl"
                else "Illustrative: demo park with synthetic figures"
            )
        return "Concept" if self.lang == "nl" else "Draft"

    def all_chapters(self) -> list[Chapter]:
        """Chapters and their subchapters, depth first."""
        out: list[Chapter] = []

        def walk(ch: Chapter) -> None:
            out.append(ch)
            for c in ch.children:
                walk(c)

        for ch in self.chapters:
            walk(ch)
        return out


# --------------------------------------------------------------------------------------------
# Plan content
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """An ambition made measurable: a KPI value to reach in a year."""

    key: str
    label: str
    year: int
    value: float
    unit: str
    basis: str
    """How the target follows from the baseline and the reference value."""
    decimals: int = 0


@dataclass(frozen=True)
class BaselineSummary:
    """The park's baseline (nulmeting) in headline figures, with data quality."""

    companies: int
    electricity_offtake_kwh: float
    gas_m3: float
    co2_t: float
    co2_by_source_t: dict[str, float]
    sectors: tuple[tuple[str, int, float], ...]
    """(sector label, companies, CO2 t/yr), largest first."""
    estimated_share: float
    """Share of the electricity offtake that rests on estimates (0-1)."""
    measured_share: float
    quality_shares: dict[str, float]
    """Share of companies' electricity figures per data quality (measured ... estimated)."""


@dataclass(frozen=True)
class Conclusion:
    """A quick-scan conclusion or recommendation with the number behind it."""

    title: str
    text: str
    co2_t: float | None = None
    """Yearly CO2 impact. [t/yr]"""
    eur: float | None = None
    """Yearly money impact. [EUR/yr]"""
    kw: float | None = None
    """Capacity impact. [kW]"""
    obligation: bool = False


@dataclass(frozen=True)
class Measure:
    """A measure in the plan, individual or collective, with its business case."""

    key: str
    label: str
    scope: Literal["individual", "collective"]
    companies: int
    size: float | None
    size_unit: str
    investment_eur: float | None
    yearly_saving_eur: float | None
    npv_eur: float | None
    irr: float | None
    payback_years: float | None
    co2_saving_t: float | None
    source: str


@dataclass(frozen=True)
class Share:
    """One company's share of a collective benefit."""

    company: str
    shapley_eur: float | None
    simple_key_eur: float | None
    simple_key: str


@dataclass(frozen=True)
class OrganisationOption:
    """An organisation form with its pros and cons for this park."""

    key: str
    label: str
    purpose: str
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    fit: Literal["recommended", "possible", "less_suitable"]


@dataclass(frozen=True)
class Role:
    """What a party does in carrying out the plan."""

    party: str
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    """An action of the roadmap."""

    key: str
    label: str
    owner: str
    start: date
    end: date
    budget_eur: float | None
    funding: str
    status: Literal["planned", "running", "done"] = "planned"
    deliverable: str = ""
    budget_source: str = ""


@dataclass(frozen=True)
class Phase:
    """A phase of the roadmap with its actions."""

    key: str
    label: str
    start: date
    end: date
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Risk:
    """A risk with likelihood, impact and the measure against it."""

    label: str
    likelihood: Literal["laag", "midden", "hoog"]
    impact: Literal["laag", "midden", "hoog"]
    mitigation: str
    owner: str


@dataclass(frozen=True)
class Kpi:
    """A monitoring KPI with its baseline and a target per year."""

    key: str
    label: str
    unit: str
    baseline: float | None
    targets: dict[int, float]
    decimals: int = 0
    source: str = ""


@dataclass
class ImplementationPlan:
    """The model uitvoeringsplan of one park."""

    park_id: str
    park_name: str
    baseline_year: int
    targets: list[Target]
    baseline: BaselineSummary | None
    conclusions: list[Conclusion]
    measures: list[Measure]
    shares: list[Share]
    organisation: list[OrganisationOption]
    roles: list[Role]
    phases: list[Phase]
    risks: list[Risk]
    kpis: list[Kpi]
    missing: dict[str, str] = field(default_factory=dict)
    """Analyses not run yet: name -> how to run it."""


@dataclass(frozen=True)
class ProgrammeGoal:
    """A goal of the Regio Deal programme and how this plan contributes."""

    key: str
    goal: str
    contribution: str


@dataclass(frozen=True)
class BudgetLine:
    """A line of the budget with its co-financing."""

    label: str
    total_eur: float | None
    own_contribution_eur: float | None
    subsidy_eur: float | None
    requested_eur: float | None
    source: str


@dataclass
class PlanOfAction:
    """The plan van aanpak for a funding application."""

    park_id: str
    park_name: str
    goals: list[ProgrammeGoal]
    phases: list[Phase]
    budget: list[BudgetLine]
    risks: list[Risk]
    roles: list[Role]
    missing: dict[str, str] = field(default_factory=dict)
