"""Radar chart of the scorecard: themes without a score are labelled, formats checked."""

from __future__ import annotations

import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.reports.radar import plot_scorecard_radar

THEMES = [("energy", "Energie"), ("grid", "Netruimte"), ("climate", "Klimaat")]


def test_radar_svg_marks_missing_themes(tmp_path):
    scores = {"Park A": {"energy": 55.0, "grid": 100.0, "climate": None}, "Park B": {}}
    path = plot_scorecard_radar(THEMES, scores, tmp_path / "r.svg", title="Test")
    text = path.read_text(encoding="utf-8")
    assert "Klimaat" in text and "niet beoordeeld" in text and "Park A" in text
    png = plot_scorecard_radar(
        THEMES, {"A": {"energy": 1.0, "grid": 2.0, "climate": 3.0}}, tmp_path / "r.png"
    )
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_radar_rejects_other_formats(tmp_path):
    with pytest.raises(ParkplanError, match="png"):
        plot_scorecard_radar(THEMES, {}, tmp_path / "r.pdf")
