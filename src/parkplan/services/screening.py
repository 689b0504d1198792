"""Use case: screen many parks (tables or park files) on Dask and write the results and
reports; generate the synthetic national dataset. Shared by the CLI (and the web app)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from parkplan.domain.errors import ParkplanError


def parse_overrides(items: list[str] | tuple[str, ...]) -> dict[str, float | str]:
    """``KEY=VALUE`` pairs (decimal point or comma) as reference-data overrides."""
    out: dict[str, float | str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParkplanError(
                f"Override '{item}' is niet van de vorm SLEUTEL=WAARDE.",
                f"Override '{item}' is not of the form KEY=VALUE.",
            )
        text = value.strip()
        try:
            out[key.strip()] = float(text.replace(",", "."))
        except ValueError:
            out[key.strip()] = text
    return out


def screen(
    input_path: str | Path,
    out: str | Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    resolution_minutes: int = 60,
    year: int = 2025,
    tariff_year: int = 2026,
    overrides: Mapping[str, Any] | None = None,
    reports_dir: str | Path | None = None,
    progress: bool = False,
    lang: str = "nl",
    client: Any = None,
    batch_companies: int | None = None,
    weather_file: str | Path | None = None,
    weather_format: str | None = None,
) -> dict[str, Any]:
    """Screen every park of ``input_path`` and write ``out`` (and the reports).

    Parameters
    ----------
    input_path : path
        A folder with ``parks`` and ``companies`` tables (Parquet/CSV), or a folder of park
        files (or one park file).
    out : path
        Results file (``.parquet``); ``<out>.parts/`` holds the finished batches (resume).
    scheduler : str, optional
        Address of an existing Dask scheduler; default a LocalCluster.
    workers : int
        Worker processes of the LocalCluster.
    resolution_minutes : int
        60 or 15.
    year, tariff_year : int
        Simulated (weather) year and the year of the transport tariffs.
    overrides : mapping, optional
        Per-run reference-data overrides (labelled as such in the results' metadata).
    reports_dir : path, optional
        Folder for summary.csv, parks.geojson, ranking.md and ranking.html; default the
        folder of ``out``.
    weather_file, weather_format : optional
        Weather file (KNMI, PVGIS TMY, DWD TRY; :func:`parkplan.services.weather.load_weather`)
        of every park; read once here (a file that cannot be used stops the run before it
        starts) and by each worker from its path (the workers need the file at that path);
        default the reference year. Its metadata are returned as ``weather``.

    Returns
    -------
    dict
        The run summary (:meth:`parkplan.scale.runner.RunSummary.to_dict`), input metadata,
        the files written and the totals.
    """
    import pandas as pd

    from parkplan.reports.screening import summary_table, write_reports
    from parkplan.scale.runner import ScreenSettings, run_screening
    from parkplan.scale.tables import read_park_source

    if resolution_minutes not in (15, 60):
        raise ParkplanError(
            f"Resolutie {resolution_minutes} min niet ondersteund; verwacht 15 of 60.",
            f"Resolution {resolution_minutes} min not supported; expected 15 or 60.",
        )
    if workers < 1:
        raise ParkplanError(
            f"Aantal workers moet minstens 1 zijn (gevonden: {workers}).",
            f"Number of workers must be at least 1 (found: {workers}).",
        )
    from parkplan.services.weather import load_weather

    _w, weather_meta = load_weather(
        weather_file, fmt=weather_format, year=year, resolution_minutes=resolution_minutes
    )
    source, meta = read_park_source(input_path)
    settings = ScreenSettings(
        year=year,
        resolution_minutes=resolution_minutes,
        tariff_year=tariff_year,
        overrides=tuple(sorted((overrides or {}).items())),
        weather_file=None if weather_file is None else str(Path(weather_file).resolve()),
        weather_format=weather_format,
        weather_sha256=None if weather_file is None else weather_meta.get("file_sha256"),
    )
    summary = run_screening(
        source,
        out,
        settings=settings,
        scheduler=scheduler,
        workers=workers,
        client=client,
        progress=progress,
        batch_companies=batch_companies,
    )
    results = pd.read_parquet(out)
    parks_table = None
    if source.parks is not None:
        parks_table = source.parks.reset_index()
    files = write_reports(
        results,
        Path(reports_dir) if reports_dir else Path(out).parent,
        parks=parks_table,
        lang="en" if lang == "en" else "nl",
        synthetic=bool(meta.get("synthetic")),
    )
    total = summary_table(results, by=None).iloc[0].to_dict()
    return {
        **summary.to_dict(),
        "input": {
            k: v
            for k, v in meta.items()
            if k in ("kind", "parks", "companies", "synthetic", "label", "seed")
        },
        "resolution_minutes": resolution_minutes,
        "year": year,
        "tariff_year": tariff_year,
        "overrides": dict(overrides or {}),
        "weather": {k: v for k, v in weather_meta.items() if k != "path"},
        "files": [str(out), *(str(f) for f in files)],
        "totals": {k: (None if pd.isna(v) else v) for k, v in total.items()},
    }


def synthetic_national(
    out_dir: str | Path, *, parks: int | None = None, seed: int | None = None
) -> dict[str, Any]:
    """Generate the synthetic national dataset into ``out_dir`` (see
    :func:`parkplan.scale.synthetic.write_synthetic_national`)."""
    from parkplan.scale.synthetic import DEFAULT_SEED, write_synthetic_national

    return write_synthetic_national(out_dir, parks, seed=DEFAULT_SEED if seed is None else seed)
