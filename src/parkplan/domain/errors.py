"""Domain errors. Every problem says where, what was found and what was expected, in Dutch
and English.

A :class:`Problem` is one finding (an error or a warning) about input data; a
:class:`ValidationError` carries all problems found in one pass, so a file with five faults
yields five messages at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Lang = Literal["nl", "en"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding about input data.

    ``path`` locates the value in the park document (``companies[2].connection.contracted_kw``);
    ``file``, ``row`` and ``column`` locate it in a source file when there is one (rows are
    counted as the user sees them: the first row of a sheet is row 1).
    """

    path: str
    nl: str
    """The message in Dutch, including what was expected."""
    en: str
    """The same message in English."""
    value: Any = None
    """The value found (``None`` when missing)."""
    severity: Severity = "error"
    file: str | None = None
    row: int | None = None
    column: str | None = None
    code: str = "invalid"
    """A short machine-readable kind, e.g. ``missing``, ``not_a_number``, ``bad_ean``."""

    def message(self, lang: Lang = "nl") -> str:
        """The message in one language, without location."""
        return self.nl if lang == "nl" else self.en

    def located(self, **where: Any) -> Problem:
        """A copy with ``file``, ``row``, ``column`` or ``path`` set."""
        return replace(self, **where)

    def location(self, lang: Lang = "nl") -> str:
        """Where the problem is, as people read it."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"{'rij' if lang == 'nl' else 'row'} {self.row}")
        if self.column:
            parts.append(f"{'kolom' if lang == 'nl' else 'column'} '{self.column}'")
        if self.path and not self.column:
            parts.append(self.path)
        return ", ".join(parts)

    def render(self, lang: Lang = "nl") -> str:
        """One line: severity, location, message and the value found."""
        label = {
            ("error", "nl"): "fout",
            ("error", "en"): "error",
            ("warning", "nl"): "waarschuwing",
            ("warning", "en"): "warning",
        }[(self.severity, lang)]
        found = "gevonden" if lang == "nl" else "found"
        text = f"{label}: {self.location(lang)}: {self.message(lang)}"
        if self.value is not None and self.code != "missing":
            text += f" ({found}: {self.value!r})"
        return text

    def to_dict(self, lang: Lang = "nl") -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "severity": self.severity,
            "code": self.code,
            "path": self.path,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value if _json_scalar(self.value) else repr(self.value),
            "message": self.message(lang),
        }


def _json_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def error(path: str, nl: str, en: str, value: Any = None, code: str = "invalid") -> Problem:
    """Shorthand for an error problem."""
    return Problem(path=path, nl=nl, en=en, value=value, code=code)


def warning(path: str, nl: str, en: str, value: Any = None, code: str = "implausible") -> Problem:
    """Shorthand for a warning problem."""
    return Problem(path=path, nl=nl, en=en, value=value, severity="warning", code=code)


class ParkplanError(ValueError):
    """Base class of all parkplan domain errors (a ``ValueError``)."""

    def __init__(self, nl: str, en: str | None = None) -> None:
        super().__init__(en or nl)
        self.nl = nl
        self.en = en or nl

    def message(self, lang: Lang = "nl") -> str:
        """The message in one language."""
        return self.nl if lang == "nl" else self.en


class NotFoundError(ParkplanError, KeyError):
    """A park, company or other object does not exist (or is not visible to the user)."""

    def __str__(self) -> str:
        return self.en


@dataclass(eq=False)
class ValidationError(ParkplanError):
    """Input data has one or more errors; nothing was written."""

    problems: Sequence[Problem] = field(default_factory=list)
    source: str | None = None

    def __post_init__(self) -> None:
        n = len(self.errors)
        where = f" in {self.source}" if self.source else ""
        ParkplanError.__init__(
            self,
            f"{n} fout(en){where}; er is niets opgeslagen.",
            f"{n} error(s){where}; nothing was saved.",
        )

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems of severity ``warning``."""
        return [p for p in self.problems if p.severity == "warning"]

    def render(self, lang: Lang = "nl") -> str:
        """All problems, one per line, after a summary line."""
        return "\n".join([self.message(lang), *(p.render(lang) for p in self.problems)])


def raise_if_errors(problems: Iterable[Problem], source: str | None = None) -> None:
    """Raise :class:`ValidationError` when any problem is an error."""
    problems = list(problems)
    if any(p.severity == "error" for p in problems):
        raise ValidationError(problems=problems, source=source)
