"""Use case: simulate a park-year (with an optional scenario), shared by CLI and web.

Loads the park (database id or park file), the scenario file, the weather (a KNMI, PVGIS or
DWD TRY file, by default the reference year of :func:`parkplan.services.weather.default_weather`;
see :mod:`parkplan.services.weather`) and the reference data,
calls :func:`parkplan.energy.simulate.simulate_park` and adds the provenance (refdata
version, code version with git commit).
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from parkplan import __version__
from parkplan.domain.errors import ParkplanError, error, raise_if_errors
from parkplan.domain.model import Park
from parkplan.energy.scenario import Scenario, parse_scenario
from parkplan.energy.simulate import CO2_KEYS, SimulationResult, simulate_park

PARAMETER_PREFIXES: tuple[str, ...] = (
    "battery.",
    "solar.",
    "co2.",
    "fleet.",
    "gas.",
    "heat.",
    "mobility.",
    "demand.calibration.",
)
"""Reference-data keys the simulation reads (numbers only)."""


def simulation_parameters(refdata: Any, year: int) -> dict[str, float]:
    """The numeric reference values the simulation uses, for ``year``.

    Parameters
    ----------
    refdata : parkplan.refdata.RefData
        Reference data (a park's overrides applied).
    year : int
        Year of the figures.
    """
    out: dict[str, float] = {}
    for key in refdata.keys():  # noqa: SIM118 - RefData is not a dict
        if not key.startswith(PARAMETER_PREFIXES):
            continue
        try:
            rv = refdata.lookup(key, year)
        except ParkplanError:
            continue
        if rv.known and isinstance(rv.value, int | float) and not isinstance(rv.value, bool):
            out[key] = float(rv.value)
    return out


def co2_factors(parameters: Mapping[str, float]) -> dict[str, float]:
    """The emission factors among the parameters (``co2.*``)."""
    missing = [k for k in CO2_KEYS.values() if k not in parameters]
    if missing:
        raise ParkplanError(
            f"CO2-factoren ontbreken in de referentiedata: {missing}.",
            f"CO2 factors are missing from the reference data: {missing}.",
        )
    return {k: v for k, v in parameters.items() if k.startswith("co2.")}


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """``parkplan.__version__`` plus the git commit of the source tree, when known."""
    root = Path(__file__).resolve().parents[3]
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return __version__
    commit = out.stdout.strip()
    return f"{__version__}+g{commit}" if out.returncode == 0 and commit else __version__


def read_scenario_file(path: str | Path, park: Park | None = None) -> Scenario:
    """Read and check a scenario file (YAML or JSON).

    Raises
    ------
    ValidationError
        The file cannot be read, or names unknown companies or roofs (all problems listed).
    """
    import yaml

    p = Path(path)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise_if_errors(
            [
                error(
                    "",
                    f"Scenariobestand niet te lezen: {exc.strerror}.",
                    f"Scenario file cannot be read: {exc.strerror}.",
                    str(p),
                    code="unreadable",
                ).located(file=str(p))
            ]
        )
        raise  # pragma: no cover
    except yaml.YAMLError as exc:
        raise_if_errors(
            [
                error(
                    "",
                    f"Scenariobestand is geen geldige YAML: {exc}.",
                    f"Scenario file is not valid YAML: {exc}.",
                    code="bad_yaml",
                ).located(file=str(p))
            ]
        )
        raise  # pragma: no cover
    try:
        return parse_scenario(doc, park)
    except ParkplanError as exc:
        problems = getattr(exc, "problems", None)
        if problems:
            raise_if_errors([pr.located(file=str(p)) for pr in problems], source=str(p))
        raise


def read_park_meter_data(
    park: Park,
    *,
    year: int,
    base_dir: str | Path | None = None,
    fill_gaps: str | None = None,
) -> tuple[dict[str, Any], list[Any]]:
    """Read, check and clean the 15-minute meter data the park's companies refer to.

    Duplicates are dropped (the first stays) and gaps are filled only with the explicit
    ``fill_gaps`` method (``linear``, ``same_weekday`` or ``zero``), both reported; without
    a method, gaps are an error.

    Parameters
    ----------
    park : Park
        The park; ``company.electricity.meter_data`` is a path (relative to ``base_dir``).
    year : int
        The year the data should cover (other years are shifted by whole weeks later).
    base_dir : path, optional
        Directory of the park file; default the working directory.
    fill_gaps : str, optional
        Gap-filling method.

    Returns
    -------
    data, problems
        Company id -> meter data, and the warnings.

    Raises
    ------
    ValidationError
        A file has errors (wrong sign, kW instead of kWh, gaps without a method ...).
    """
    from parkplan.io.meterdata import check_meter_data, drop_duplicates, read_meter_data
    from parkplan.io.meterdata import fill_gaps as fill

    out: dict[str, Any] = {}
    warnings: list[Any] = []
    base = Path(base_dir) if base_dir is not None else Path.cwd()
    for c in park.companies:
        ref = c.electricity.meter_data if c.electricity is not None else None
        if not ref:
            continue
        path = Path(ref) if Path(ref).is_absolute() else base / ref
        data, _meta = read_meter_data(path)
        problems = check_meter_data(
            data, year, annual_kwh=c.electricity.annual_kwh, full_year=False, file=path.name
        )
        gaps = [p for p in problems if p.code in ("gap", "missing_value")]
        blocking = [p for p in problems if p.severity == "error" and p.code != "duplicate"]
        if gaps and fill_gaps is None:
            blocking += [
                error(
                    f"companies[{c.id}].electricity.meter_data",
                    "De meetdata hebben gaten; kies een vulmethode (--fill-gaps linear,"
                    " same_weekday of zero).",
                    "The meter data have gaps; choose a filling method (--fill-gaps linear,"
                    " same_weekday or zero).",
                    value=len(gaps),
                    code="gap",
                ).located(file=path.name)
            ]
        raise_if_errors([*blocking, *gaps], source=str(path))
        data, dropped = drop_duplicates(data)
        filled: list[Any] = []
        if fill_gaps is not None:
            data, filled = fill(data, fill_gaps)  # type: ignore[arg-type]
        warnings += [p for p in problems if p.severity == "warning"] + dropped + filled
        out[c.id] = data
    return out, warnings


def simulate(
    park_or_file: str | Park,
    *,
    scenario: str | Path | Scenario | None = None,
    year: int = 2025,
    resolution_minutes: int = 15,
    keep_series: bool = False,
    weather: Any = None,
    weather_meta: Mapping[str, Any] | None = None,
    fill_gaps: str | None = None,
    session: Any = None,
    weather_file: str | Path | None = None,
    weather_format: str | None = None,
) -> SimulationResult:
    """Simulate a park (by id, park file or object) for one year.

    Parameters
    ----------
    park_or_file : str or Park
        A park id in the database, a park file path, or a park.
    scenario : path or Scenario, optional
        Measures to add.
    year : int
        Calendar year.
    resolution_minutes : int
        15 or 60.
    keep_series : bool
        Keep the series (for ``--timeseries`` and charts).
    weather : DataFrame, optional
        Weather on the simulation's index; default ``weather_file``, else the packaged
        reference year.
    weather_meta : mapping, optional
        Metadata of ``weather``.
    weather_file : path, optional
        KNMI hourly station file, PVGIS TMY (CSV or JSON) or DWD TRY file
        (:func:`parkplan.services.weather.load_weather`); its source, format and sha256 go
        into ``provenance.weather``.
    weather_format : str, optional
        ``knmi``, ``pvgis-csv``, ``pvgis-json`` or ``dwd-try``; default from the content.
    fill_gaps : str, optional
        Method to fill gaps in meter data (``linear``, ``same_weekday``, ``zero``).
    session : optional
        Database session for loading a park by id.
    """
    from parkplan.refdata import load_refdata

    base_dir: Path | None = None
    if isinstance(park_or_file, Park):
        park = park_or_file
    else:
        from parkplan.services.parks import load_park

        park = load_park(str(park_or_file), session=session)
        if Path(park_or_file).is_file():
            base_dir = Path(park_or_file).resolve().parent
    meter, meter_warnings = read_park_meter_data(
        park, year=year, base_dir=base_dir, fill_gaps=fill_gaps
    )
    if isinstance(scenario, str | Path):
        sc: Scenario | None = read_scenario_file(scenario, park)
    else:
        sc = scenario
        if sc is not None and sc.raw:
            sc = parse_scenario(sc.raw, park)
    refdata = load_refdata(park.refdata_overrides or None)
    params = simulation_parameters(refdata, year)
    if weather is not None and weather_meta is None and weather.attrs:
        weather_meta = dict(weather.attrs)  # prepared by services.weather.load_weather
    if weather is None:
        from parkplan.services.weather import load_weather

        weather, weather_meta = load_weather(
            weather_file, fmt=weather_format, year=year, resolution_minutes=resolution_minutes
        )
    from parkplan.energy.simulate import default_demand_builder, default_pv_builder

    result = simulate_park(
        park,
        weather,
        scenario=sc,
        co2_factors=co2_factors(params),
        year=year,
        resolution_minutes=resolution_minutes,
        parameters=params,
        pv_builder=default_pv_builder(),
        demand_builder=default_demand_builder(refdata),
        weather_meta=weather_meta,
        refdata_version=refdata.version,
        code_version=code_version(),
        keep_series=keep_series,
        meter_data=meter,
    )
    result.problems = [*meter_warnings, *result.problems]
    return result


def write_timeseries(result: SimulationResult, path: str | Path) -> Path:
    """Write the 15-minute series as a long parquet table (see docs/simulation.md)."""
    p = Path(path)
    if p.suffix.lower() != ".parquet":
        raise ParkplanError(
            f"Tijdreeksbestand moet eindigen op .parquet (gevonden: '{p.name}').",
            f"Time-series file must end in .parquet (found: '{p.name}').",
        )
    df = result.timeseries()
    p.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(p, index=False)
    return p
