"""The optimum in words reads as Dutch numbers: no '-0' for a solver's -0.0."""

from __future__ import annotations

from parkplan.optimize.report import _num


def test_a_negative_zero_reads_as_zero():
    assert _num(-0.0) == "0"
    assert _num(-0.3) == "0"
    assert _num(-0.04, 1) == "0,0"
    assert _num(-1234.56, 1) == "-1.234,6"
    assert _num(1667.4) == "1.667"
