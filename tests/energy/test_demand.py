"""Tests of standard profiles, company variability, peak calibration and the calibration
rules of parkplan.energy.demand."""

from __future__ import annotations

import importlib.resources
import warnings

import holidays
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import OPERATING_HOURS_CLASSES
from parkplan.energy import demand as D  # noqa: N812

TZ = "Europe/Amsterdam"


@pytest.fixture(scope="module")
def year_index() -> pd.DatetimeIndex:
    return pd.date_range("2025-01-01", "2026-01-01", freq="15min", tz=TZ, inclusive="left")


def _at(index: pd.DatetimeIndex, shares: np.ndarray, stamp: str) -> float:
    return float(shares[index.get_loc(pd.Timestamp(stamp, tz=TZ))])


# ---------------------------------------------------------------- standard profiles


def test_profiles_sum_to_one_and_are_positive(year_index):
    assert len(year_index) == 35040
    for name in D.PROFILES:
        shares = D.standard_profile(year_index, name)
        assert shares.shape == (35040,)
        assert shares.sum() == pytest.approx(1.0, abs=1e-12)
        assert shares.min() > 0


def test_g25_matches_demandlib_class_on_local_wall_clock():
    from demandlib import bdew

    naive = pd.date_range("2025-01-01", periods=35040, freq="15min")
    nl = holidays.country_holidays("NL", years=2025)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # demandlib uses deprecated pandas calls
        ref = bdew.G25(naive, holidays=nl).to_numpy()
    np.testing.assert_allclose(D.standard_profile(naive, "G25"), ref / ref.sum(), rtol=1e-12)


def test_exact_table_values(year_index):
    g25 = D.standard_profile(year_index, "G25")
    # g25.csv, January, 00:00-00:15: SA 15.045, WT 14.832
    sat = _at(year_index, g25, "2025-01-04 00:00")
    wed = _at(year_index, g25, "2025-01-08 00:00")
    assert sat / wed == pytest.approx(15.045 / 14.832, rel=1e-12)
    g1 = D.standard_profile(year_index, "G1")
    # G1, Monday in winter: ratio of 12:00 to 00:00 as in the shipped selp_series.csv
    table = pd.read_csv(
        importlib.resources.files("demandlib") / "bdew" / "bdew_data" / "selp_series.csv"
    )
    winter_mon = table[(table["period"] == "winter") & (table["weekday"] == 1)]["g1"].to_numpy()
    mon0 = _at(year_index, g1, "2025-01-13 00:00")
    mon12 = _at(year_index, g1, "2025-01-13 12:00")
    assert mon12 / mon0 == pytest.approx(winter_mon[48] / winter_mon[0], rel=1e-12)


def test_daylight_saving_days_follow_wall_clock(year_index):
    g25 = D.standard_profile(year_index, "G25")
    local = year_index.tz_convert(TZ)
    spring = local.normalize() == pd.Timestamp("2025-03-30", tz=TZ)
    autumn = local.normalize() == pd.Timestamp("2025-10-26", tz=TZ)
    assert spring.sum() == 92
    assert autumn.sum() == 100
    # the repeated hour 02:00-03:00 on 26-10 takes the same values twice
    rep = np.flatnonzero(autumn & (local.hour == 2))
    assert len(rep) == 8
    np.testing.assert_array_equal(g25[rep[:4]], g25[rep[4:]])
    # on 30-03 local 01:45 is followed by 03:00: table rows 7 and 12 (Sunday, March)
    i = year_index.get_loc(pd.Timestamp("2025-03-30 01:45", tz=TZ))
    assert local[i + 1].hour == 3
    table = pd.read_csv(
        importlib.resources.files("demandlib") / "bdew" / "bdew_data" / "g25.csv",
        header=[0, 1],
        index_col=0,
    )
    col = table[("März", "FT")].to_numpy()
    assert g25[i + 1] / g25[i] == pytest.approx(col[12] / col[7], rel=1e-12)


def test_dutch_public_holidays_are_sundays(year_index):
    g1 = D.standard_profile(year_index, "G1")
    day = lambda d: g1[year_index.tz_convert(TZ).normalize() == pd.Timestamp(d, tz=TZ)]  # noqa: E731
    # Easter Monday 21-04-2025 and King's Day (Saturday 26-04) equal Sunday 27-04
    np.testing.assert_array_equal(day("2025-04-21"), day("2025-04-27"))
    np.testing.assert_array_equal(day("2025-04-26"), day("2025-04-27"))
    # an ordinary Monday is not a Sunday
    assert day("2025-04-28").sum() > 3 * day("2025-04-27").sum()


def test_hourly_index_aggregates_quarter_hours(year_index):
    hourly = pd.date_range("2025-01-01", "2026-01-01", freq="1h", tz=TZ, inclusive="left")
    h = D.standard_profile(hourly, "G0")
    q = D.standard_profile(year_index, "G0")
    np.testing.assert_allclose(h, q.reshape(-1, 4).sum(axis=1), rtol=1e-12)


def test_unknown_profile_and_irregular_index():
    idx = pd.date_range("2025-01-01", periods=10, freq="15min", tz=TZ)
    with pytest.raises(ParkplanError, match="unknown"):
        D.standard_profile(idx, "X9")
    with pytest.raises(ParkplanError, match="constant"):
        D.standard_profile(idx.delete(3), "G0")


# ---------------------------------------------------------------- profile choice


@pytest.mark.parametrize(
    ("sbi", "hours", "expected"),
    [
        ("5610", None, "G2"),
        ("56.10", "<=2000", "G2"),  # activity wins over the hours class
        ("4711", None, "G4"),
        ("1071", None, "G5"),
        ("1072", None, "G0"),  # other food industry: section default
        ("0141", None, "L1"),
        ("0111", None, "L0"),
        ("6201", None, "G1"),
        ("6201", ">5000", "G3"),
        ("2511", "3000-5000", "G0"),
        ("2511", "<=2000", "G1"),
        ("3700", None, "G3"),
        (None, "2000-3000", "G1"),
        (None, None, "G0"),
        ("99", None, "G0"),  # no rule: default
    ],
)
def test_profile_for(sbi, hours, expected):
    assert D.profile_for(sbi, hours) == expected


def test_profile_for_rejects_bad_input():
    with pytest.raises(ParkplanError, match="SBI"):
        D.profile_for("abc", None)
    with pytest.raises(ParkplanError, match="Operating-hours"):
        D.profile_for(None, "24/7")


def test_hours_classes_map_to_increasing_full_load_hours(year_index):
    flh = [
        D.full_load_hours(D.standard_profile(year_index, D.profile_for(None, c)))
        for c in OPERATING_HOURS_CLASSES
    ]
    assert flh == sorted(flh)
    assert flh[0] < 2200 and flh[-1] > 5000


def test_implied_peak_kw():
    assert D.implied_peak_kw(350_000.0, "<=2000") == pytest.approx(200.0)
    assert D.implied_peak_kw(650_000.0, ">5000") == pytest.approx(100.0)
    with pytest.raises(ParkplanError):
        D.implied_peak_kw(1.0, "always")


def test_refdata_overrides_change_the_choice():
    from parkplan.refdata import load_refdata

    rd = load_refdata().with_overrides({"profile.hours.<=2000": "G6"})
    assert D.profile_for("6201", "<=2000", refdata=rd) == "G6"


# ---------------------------------------------------------------- company demand


def test_without_variability_is_the_scaled_profile(year_index):
    res = D.company_demand(year_index, 123_456.0, "G1", variability=D.NO_VARIABILITY)
    np.testing.assert_allclose(res.kwh, 123_456.0 * D.standard_profile(year_index, "G1"))
    assert res.estimated and not res.info.peak_calibrated


def test_variability_keeps_sum_and_sign_and_is_seeded(year_index):
    a = D.company_demand_kwh(year_index, 250_000.0, "G0", seed=7)
    b = D.company_demand_kwh(year_index, 250_000.0, "G0", seed=7)
    c = D.company_demand_kwh(year_index, 250_000.0, "G0", seed=8)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert a.sum() == pytest.approx(250_000.0, rel=1e-12)
    assert a.min() > 0
    base = 250_000.0 * D.standard_profile(year_index, "G0")
    assert a.max() > 1.1 * base.max()  # one company peaks above the averaged profile
    # the multiplier is held per hour
    ratio = (a / base).reshape(-1, 4)
    np.testing.assert_allclose(ratio, ratio[:, :1].repeat(4, axis=1), rtol=1e-9)


@pytest.mark.parametrize("peak_kw", [30.0, 60.0, 150.0])
def test_peak_calibration_hits_peak_and_keeps_energy(year_index, peak_kw):
    res = D.company_demand(year_index, 100_000.0, "G1", peak_kw=peak_kw, seed=3)
    assert res.kwh.sum() == pytest.approx(100_000.0, rel=1e-12)
    assert res.kwh.max() * 4 == pytest.approx(peak_kw, rel=1e-9)
    assert res.kwh.min() >= 0
    assert res.info.peak_calibrated and res.estimated and not res.info.problems


def test_peak_calibration_without_noise_raises_exponent_for_higher_peak(year_index):
    base_peak = 100_000.0 * D.standard_profile(year_index, "G0").max() * 4
    up = D.company_demand(
        year_index, 100_000.0, "G0", peak_kw=1.5 * base_peak, variability=D.NO_VARIABILITY
    )
    down = D.company_demand(
        year_index, 100_000.0, "G0", peak_kw=0.8 * base_peak, variability=D.NO_VARIABILITY
    )
    assert up.info.exponent > 1 > down.info.exponent > 0
    assert up.kwh.max() * 4 == pytest.approx(1.5 * base_peak, rel=1e-9)


def test_impossible_peaks_are_reported(year_index):
    mean_kw = 87_600.0 / 8760
    low = D.company_demand(year_index, 87_600.0, "G0", peak_kw=0.5 * mean_kw)
    assert low.info.problems and low.info.problems[0].severity == "warning"
    assert low.info.problems[0].path == "electricity.peak_kw"
    np.testing.assert_allclose(low.kwh, 87_600.0 / 35040, rtol=1e-6)
    high = D.company_demand(year_index, 1_000.0, "G0", peak_kw=1e6)
    assert high.info.problems
    assert high.kwh.sum() == pytest.approx(1_000.0, rel=1e-12)


def test_matrix_rows_equal_single_company(year_index):
    annual = np.array([50_000.0, 200_000.0, 1_000_000.0, 0.0])
    profiles = ["G1", "G3", "G1", "G0"]
    peaks = np.array([np.nan, 40.0, np.nan, np.nan])
    seeds = [11, 12, 13, 14]
    m, infos = D.demand_matrix_info(year_index, annual, profiles, peaks, seeds)
    assert m.shape == (4, 35040) and m.flags.c_contiguous
    np.testing.assert_allclose(m.sum(axis=1), annual, rtol=1e-12)
    assert m.min() >= 0
    for i in range(3):
        one = D.company_demand_kwh(
            year_index,
            annual[i],
            profiles[i],
            peak_kw=None if np.isnan(peaks[i]) else peaks[i],
            seed=seeds[i],
        )
        np.testing.assert_allclose(m[i], one, rtol=1e-9, atol=1e-12)
    assert [info.peak_calibrated for info in infos] == [False, True, False, False]
    assert all(info.estimated for info in infos)
    np.testing.assert_array_equal(m[3], 0.0)


def test_variability_lowers_coincidence(year_index):
    n = 20
    m = D.demand_matrix(year_index, np.full(n, 100_000.0), ["G1"] * n, seeds=range(n))
    individual = m.max(axis=1).sum()
    coincident = m.sum(axis=0).max()
    assert coincident < 0.95 * individual


# ---------------------------------------------------------------- calibration rules


def test_demand_on_site_identity():
    assert D.demand_on_site_kwh(100_000.0, 40_000.0, 15_000.0) == 125_000.0
    assert D.demand_on_site_kwh(100_000.0, None, 0.0) == 100_000.0
    with pytest.raises(ParkplanError, match="negative"):
        D.demand_on_site_kwh(1_000.0, None, 5_000.0)


def test_pv_scale_factor_and_warning():
    assert D.pv_scale_factor(80_000.0, 100_000.0) == pytest.approx(1.25)
    assert D.pv_scale_problems(1.25) == []
    probs = D.pv_scale_problems(D.pv_scale_factor(50_000.0, 100_000.0))
    assert len(probs) == 1 and probs[0].severity == "warning" and probs[0].value == 2.0
    assert "2,00" in probs[0].nl or "2.00" in probs[0].nl
    with pytest.raises(ParkplanError):
        D.pv_scale_factor(0.0, 10.0)


def test_calibrate_to_offtake_small_exact_case():
    d = np.array([1.0, 2.0, 3.0, 4.0])
    p = np.array([2.0, 2.0, 2.0, 2.0])
    # k = 2: demand 2,4,6,8 -> offtake 0+2+4+6 = 12
    np.testing.assert_allclose(D.calibrate_demand_to_offtake(d, p, 12.0), [2, 4, 6, 8])
    # k = 1.5: demand 1.5,3,4.5,6 -> offtake 0+1+2.5+4 = 7.5
    np.testing.assert_allclose(D.calibrate_demand_to_offtake(d, p, 7.5), 1.5 * d)


def test_calibrate_to_offtake_matches_root_finder_and_identity(year_index):
    rng = np.random.default_rng(5)
    demand = D.company_demand_kwh(year_index, 1.0, "G1", seed=1)
    hours = year_index.tz_convert(TZ).hour.to_numpy() + year_index.minute.to_numpy() / 60
    pv = np.clip(np.sin((hours - 6) / 14 * np.pi), 0, None) * rng.uniform(0.2, 1, 35040)
    pv *= 60_000.0 / pv.sum()
    target = 150_000.0
    calibrated = D.calibrate_demand_to_offtake(demand, pv, target)

    def offtake(k: float) -> float:
        return float(np.clip(k * demand - pv, 0, None).sum()) - target

    k_ref = brentq(offtake, 0.0, 1e7, xtol=1e-12, rtol=1e-14)
    np.testing.assert_allclose(calibrated, k_ref * demand, rtol=1e-9)
    fit = D.offtake_fit(calibrated, pv, metered_feed_in_kwh=20_000.0)
    assert fit.simulated_offtake_kwh == pytest.approx(target, rel=1e-12)
    # annual demand identity with the simulated feed-in: offtake + pv - feed-in
    identity = D.demand_on_site_kwh(target, pv.sum(), fit.simulated_feed_in_kwh)
    assert calibrated.sum() == pytest.approx(identity, rel=1e-3)
    assert fit.feed_in_ratio == pytest.approx(fit.simulated_feed_in_kwh / 20_000.0)


def test_metered_production_identity(year_index):
    """Metered production: demand = offtake + production - feed-in, to 0.1 %."""
    annual_kwh, produced, feed_in = 180_000.0, 70_000.0, 25_000.0
    pv_sim = np.clip(np.sin(np.linspace(0, 730 * np.pi, 35040)), 0, None)
    pv_sim *= 64_000.0 / pv_sim.sum()
    factor = D.pv_scale_factor(pv_sim.sum(), produced)
    pv = pv_sim * factor
    demand = D.company_demand_kwh(
        year_index, D.demand_on_site_kwh(annual_kwh, produced, feed_in), "G0", seed=2
    )
    assert pv.sum() == pytest.approx(produced, rel=1e-12)
    assert demand.sum() == pytest.approx(annual_kwh + produced - feed_in, rel=1e-3)


def test_calibrate_to_offtake_rejects_bad_input():
    with pytest.raises(ParkplanError):
        D.calibrate_demand_to_offtake(np.zeros(4), np.ones(4), 1.0)
    with pytest.raises(ParkplanError):
        D.calibrate_demand_to_offtake(np.ones(4), np.ones(4), -1.0)


def test_demand_from_meter():
    offtake = np.array([1.0, 0.0, 0.5, 2.0])
    feed_in = np.array([0.0, 1.0, 0.0, 0.0])
    produced = np.array([0.0, 1.5, 0.5, 0.0])
    demand, problems = D.demand_from_meter_kwh(offtake, feed_in, produced)
    np.testing.assert_allclose(demand, [1.0, 0.5, 1.0, 2.0])
    assert problems == []
    demand, problems = D.demand_from_meter_kwh(offtake, feed_in, np.zeros(4))
    np.testing.assert_allclose(demand, [1.0, 0.0, 0.5, 2.0])
    assert [p.code for p in problems] == ["meter_fit"] and problems[0].value == 1


def test_index_resolution_does_not_matter(year_index):
    seconds = year_index.as_unit("s")
    np.testing.assert_array_equal(
        D.standard_profile(seconds, "G4"), D.standard_profile(year_index, "G4")
    )
    np.testing.assert_array_equal(
        D.company_demand_kwh(seconds, 1e5, "G1", seed=4),
        D.company_demand_kwh(year_index, 1e5, "G1", seed=4),
    )


def test_short_index_with_partial_noise_block():
    idx = pd.date_range("2025-06-02 08:00", periods=10, freq="15min", tz=TZ)
    m, infos = D.demand_matrix_info(
        idx, np.array([10.0, 20.0]), ["G1", "G0"], np.array([8.0, 24.0]), [1, 2]
    )
    np.testing.assert_allclose(m.sum(axis=1), [10.0, 20.0], rtol=1e-12)
    np.testing.assert_allclose(m.max(axis=1) * 4, [8.0, 24.0], rtol=1e-9)
    assert m.min() >= 0 and all(i.peak_calibrated for i in infos)


def test_meter_series_on_same_and_other_year(year_index):
    from parkplan.io.meterdata import expected_index

    src_idx = expected_index(2024)  # a leap year, starting on a Monday
    local = src_idx.tz_convert(TZ)
    weekday = local.day_of_week.to_numpy().astype(float)
    qh = (local.hour * 4 + local.minute // 15).to_numpy()
    data = pd.DataFrame({"offtake_kwh": weekday + qh / 1000, "feed_in_kwh": 0.0}, index=src_idx)
    off, fin, problems = D.meter_series_on_index(data, src_idx)
    np.testing.assert_array_equal(off, data["offtake_kwh"].to_numpy())
    assert problems == []
    off, fin, problems = D.meter_series_on_index(data, year_index)
    tl = year_index.tz_convert(TZ)
    expected = tl.day_of_week.to_numpy() + (tl.hour * 4 + tl.minute // 15).to_numpy() / 1000
    # the repeated hour of 26-10-2025 takes the first occurrence of the 2024 clock time
    np.testing.assert_allclose(off, expected)
    assert [p.code for p in problems] == ["meter_shifted"]
    assert fin.sum() == 0
    with pytest.raises(ParkplanError):
        D.meter_series_on_index(data.iloc[:1000], year_index)
    with pytest.raises(ParkplanError, match="duplicate"):
        D.meter_series_on_index(pd.concat([data, data.iloc[:1]]), src_idx)


def test_compiled_matrix_matches_the_numpy_reference(year_index):
    """The compiled fill-and-blend kernel against the readable numpy version
    (``ar1_multiplier`` by lfilter, ``_blend_to_peak`` by repeated squaring)."""
    from scipy.signal import lfilter

    annual = np.array([80_000.0, 2.0e6, 15_000.0, 400_000.0, 1_000.0])
    profiles = ["G0", "G3", "H25", "G1", "L0"]
    # no peak, raised, lowered, above what s^64 reaches, below the average power
    peaks = np.array([np.nan, 2.0e6 / 2_000, 15_000 / 8_000, 3.6 * 400_000, 0.05])
    seeds = [11, 12, 13, 14, 15]
    var = D.Variability(phi=0.8, sigma=0.25, block_minutes=60.0)
    got, infos = D.demand_matrix_info(year_index, annual, profiles, peaks, seeds, variability=var)

    # reference: noise by lfilter, rows scaled to the annual energy, then the numpy blend
    eps = np.stack([np.random.default_rng(s).standard_normal(len(year_index) // 4) for s in seeds])
    eps *= var.sigma * np.sqrt(1 - var.phi**2)
    eps[:, 0] /= np.sqrt(1 - var.phi**2)
    mult = np.exp(lfilter([1.0], [1.0, -var.phi], eps, axis=1) - var.sigma**2 / 2)
    assert np.allclose(D.ar1_multiplier(len(year_index) // 4, seeds, var), mult, rtol=1e-13)
    rows = np.stack([D.standard_profile(year_index, p) for p in profiles]) * np.repeat(mult, 4, 1)
    rows *= (annual / rows.sum(axis=1))[:, None]
    assert np.allclose(got[0], rows[0], rtol=1e-12, atol=0)
    target = peaks[1:] * 0.25 / annual[1:]
    shares, exponent, clipped = D._blend_to_peak(rows[1:].copy(), target, D._MAX_PEAK_LEVELS)
    expected = shares * annual[1:, None]
    assert np.allclose(got[1:], expected, rtol=1e-12, atol=1e-15 * annual.max())
    assert [i.exponent for i in infos[1:]] == pytest.approx(list(exponent), rel=1e-12)
    assert clipped.tolist() == [False, False, True, False]
    assert [len(i.problems) for i in infos] == [0, 0, 0, 1, 1]
    assert got.sum(axis=1) == pytest.approx(annual, rel=1e-14)
    assert got[1].max() / 0.25 == pytest.approx(peaks[1], rel=1e-12)


def test_noise_drawn_in_the_kernel_equals_numpy_generators(year_index):
    """The fast path (normals drawn inside the compiled fill kernel) is bit for bit the
    reference path (``ar1_multiplier`` with NumPy's generators, then ``_fill_kernel``)."""
    annual = np.array([80_000.0, 2.0e6, 15_000.0, 400_000.0, 1_000.0, 0.0])
    profiles = ["G0", "G3", "H25", "G1", "L0", "G0"]
    peaks = np.array([np.nan, 2.0e6 / 2_000, 15_000 / 8_000, 3.6 * 400_000, 0.05, np.nan])
    seeds = [11, 12, 13, 2**32 - 1, 15, 16]
    var = D.Variability(phi=0.8, sigma=0.25, block_minutes=60.0)
    got, infos = D.demand_matrix_info(year_index, annual, profiles, peaks, seeds, variability=var)

    n, per = len(year_index), 4
    mult = D.ar1_multiplier(n // per, seeds, var)
    names = list(dict.fromkeys(profiles))
    base = np.stack([D.standard_profile(year_index, p) for p in names])
    block = base.reshape(len(names), n // per, per)
    target = np.where(
        np.isfinite(peaks) & (annual > 0), peaks * 0.25 / np.maximum(annual, 1), np.nan
    )
    expected = np.empty((len(annual), n))
    exponent, clipped, reached = np.ones(6), np.zeros(6, dtype=bool), np.full(6, np.nan)
    D._fill_kernel(
        expected, base, block.sum(axis=2), block.max(axis=2),
        np.array([names.index(p) for p in profiles]), mult, annual, target, per,
        D._MAX_PEAK_LEVELS, exponent, clipped, reached,
    )  # fmt: skip
    np.testing.assert_array_equal(got, expected)
    assert [i.exponent for i in infos] == list(exponent)
    assert not got[5].any()
