"""Run the screening of many parks on Dask (a LocalCluster, or an existing cluster).

How it works
------------
- Parks are grouped into batches of about ``batch_companies`` companies (at most
  ``batch_parks`` parks), one Dask task per batch, so the scheduler overhead stays small.
- Each worker process builds the :class:`~parkplan.scale.screening.ScreeningContext`
  (weather, reference values, compiled kernel) once, on its first task, and keeps it in a
  process-level cache: the weather and profiles are never shipped with a task.
- The yields per kWp for the PV potential (per grid cell and roof orientation) are computed
  first, as a few Dask tasks over all cells of the run, and installed in every worker
  (``client.run``), so no two workers compute the same cell (tables input).
- The client writes the rows of every finished batch at once to ``<out>.parts/`` (one
  Parquet file per batch, written to a temporary name and renamed), so a crash loses nothing
  already done. A rerun reads the parts, skips every park with a result and screens the
  rest; ``results.parquet`` is assembled from the parts at the end.
- A park that fails is a row with ``status = error`` and its message; the others go on.

Workers must be able to import parkplan; with an existing cluster (``scheduler``) only the
client writes files, so the workers need no shared disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from parkplan.domain.errors import ParkplanError
from parkplan.scale.screening import (
    ScreeningContext,
    error_row,
    results_frame,
    screen_park,
    screening_context,
)
from parkplan.scale.tables import ParkSource

_CONTEXTS: dict[tuple[Any, ...], ScreeningContext] = {}
"""Per worker process: the screening context per settings (built once, reused)."""


@dataclass(frozen=True)
class ScreenSettings:
    """Settings of a screening run (sent to the workers with every task: small)."""

    year: int = 2025
    resolution_minutes: int = 60
    tariff_year: int = 2026
    overrides: tuple[tuple[str, Any], ...] = ()
    weather_file: str | None = None
    """Weather file (``--weather``), read by each worker (default the reference year)."""
    weather_format: str | None = None
    weather_sha256: str | None = None
    """sha256 of the weather file's bytes (in the label: other weather is another run)."""

    def key(self) -> tuple[Any, ...]:
        base = (self.year, self.resolution_minutes, self.tariff_year, self.overrides)
        if self.weather_file is None:  # the default weather keeps the earlier labels
            return base
        return (*base, self.weather_file, self.weather_format, self.weather_sha256)

    def label(self) -> str:
        """Stored with every result row; a rerun only skips rows with the same label."""
        return repr(self.key())


def worker_context(settings: ScreenSettings) -> ScreeningContext:
    """The screening context of this process for ``settings`` (built on first use)."""
    ctx = _CONTEXTS.get(settings.key())
    if ctx is None:
        weather = None
        if settings.weather_file is not None:
            from parkplan.services.weather import load_weather

            weather, _meta = load_weather(
                settings.weather_file,
                fmt=settings.weather_format,
                year=settings.year,
                resolution_minutes=settings.resolution_minutes,
            )
        ctx = screening_context(
            year=settings.year,
            resolution_minutes=settings.resolution_minutes,
            tariff_year=settings.tariff_year,
            overrides=dict(settings.overrides) or None,
            weather=weather,
        )
        _CONTEXTS[settings.key()] = ctx
    return ctx


def warm_up(settings: ScreenSettings) -> float:
    """Build the context and compile the kernel in this process (one tiny park). [s]"""
    from parkplan.domain.model import Company, ElectricityUse, Location, Park

    t0 = time.perf_counter()
    ctx = worker_context(settings)
    park = Park(
        id="warm-up",
        name="warm-up",
        location=Location(lat=52.0, lon=5.0),
        companies=[
            Company(id="a", name="a", electricity=ElectricityUse(annual_kwh=1000.0)),
        ],
    )
    screen_park(park, ctx)
    return time.perf_counter() - t0


def compute_cell_yields(
    cells: Sequence[tuple[tuple[float, float], Sequence[tuple[float, float]]]],
    settings: ScreenSettings,
) -> dict[tuple[tuple[float, float], tuple[float, float]], float]:
    """Yields per kWp for the PV potential of some grid cells (a Dask task)."""
    from parkplan.scale.screening import cell_yields

    ctx = worker_context(settings)
    out: dict[tuple[tuple[float, float], tuple[float, float]], float] = {}
    for cell, orientations in cells:
        out.update(cell_yields(ctx, cell, orientations))
    return out


def install_cell_yields(
    settings: ScreenSettings,
    yields: Mapping[tuple[tuple[float, float], tuple[float, float]], float],
) -> int:
    """Put precomputed cell yields into this worker's context (``client.run``)."""
    ctx = worker_context(settings)
    ctx.yield_cache.update(yields)
    return len(ctx.yield_cache)


def cells_needed(
    source: ParkSource, park_ids: Sequence[str], settings: ScreenSettings
) -> dict[tuple[float, float], set[tuple[float, float]]]:
    """Grid cells and roof orientations of the parks (tables input; empty for park files,
    whose roofs are only known once read: their workers compute yields on demand)."""
    from parkplan.refdata import load_refdata
    from parkplan.scale.screening import _orientation, cell_of
    from parkplan.scale.tables import _faces

    if source.kind != "tables" or source.parks is None or source.companies is None:
        return {}
    step = float(
        load_refdata(dict(settings.overrides) or None).value("screening.pv_potential_grid_deg")
    )
    parks = source.parks.loc[list(park_ids)]
    cell_by_park = {
        pid: cell_of(float(lat), float(lon), step)
        for pid, lat, lon in zip(parks.index, parks["lat"], parks["lon"], strict=True)
        if pd.notna(lat) and pd.notna(lon)
    }
    comps = source.companies[source.companies["park_id"].isin(set(cell_by_park))]
    comps = comps[comps["roof_area_m2"].fillna(0) > 0]
    keys = comps[["park_id", "roof_layout", "roof_tilt_deg", "roof_azimuth_deg"]].drop_duplicates()
    out: dict[tuple[float, float], set[tuple[float, float]]] = {}
    for pid, layout, tilt, az in keys.itertuples(index=False):
        faces = _faces(
            str(layout) if isinstance(layout, str) else "south",
            float(tilt) if pd.notna(tilt) else 0.0,
            float(az) if pd.notna(az) else 180.0,
        )
        for t, a in faces:
            out.setdefault(cell_by_park[pid], set()).add(_orientation(t, a))
    return out


def _precompute_yields(
    client: Any, source: ParkSource, park_ids: Sequence[str], settings: ScreenSettings
) -> int:
    needed = cells_needed(source, park_ids, settings)
    if not needed:
        return 0
    items = sorted((cell, sorted(o)) for cell, o in needed.items())
    n_tasks = max(1, min(len(items), 4 * max(1, len(client.scheduler_info().get("workers", {})))))
    groups = [items[i::n_tasks] for i in range(n_tasks)]
    futures = client.map(compute_cell_yields, groups, settings=settings, pure=False)
    merged: dict[tuple[tuple[float, float], tuple[float, float]], float] = {}
    for part in client.gather(futures):
        merged.update(part)
    client.run(install_cell_yields, settings, merged)
    return len(merged)


def _load_payload(kind: str, pid: str, data: Any) -> Any:
    from parkplan.scale.tables import park_from_rows, read_park_from_file

    if kind == "files":
        return read_park_from_file(data)
    row, companies = data
    return park_from_rows(row, companies)


def screen_batch(
    kind: str, payload: Sequence[tuple[str, Any]], settings: ScreenSettings
) -> list[dict[str, Any]]:
    """Screen one batch of parks in this (worker) process; a bad park becomes an error row.

    Parameters
    ----------
    kind : str
        ``tables`` or ``files``.
    payload : sequence of (park id, data)
        Rows of the park and its companies, or the park file path.
    settings : ScreenSettings
        The run's settings.
    """
    ctx = worker_context(settings)
    rows: list[dict[str, Any]] = []
    for pid, data in payload:
        try:
            park = _load_payload(kind, pid, data)
            row = screen_park(park, ctx)
            row["park_id"] = pid
            if kind == "tables":
                row["province"] = str(data[0].get("province") or "")
        except Exception as exc:  # one bad park must not stop the others
            row = error_row(pid, exc, settings.year, settings.resolution_minutes)
        row["settings"] = settings.label()
        rows.append(row)
    return rows


def make_batches(
    source: ParkSource,
    park_ids: Sequence[str],
    *,
    batch_companies: int = 400,
    batch_parks: int = 50,
) -> list[list[str]]:
    """Group parks into batches of about ``batch_companies`` companies (file input: by
    ``batch_parks // 5`` parks, sizes unknown until read). Large parks come first so the
    last tasks are short (better load balance)."""
    if source.kind == "files":
        size = max(1, batch_parks // 5)
        return [list(park_ids[i : i + size]) for i in range(0, len(park_ids), size)]
    assert source.companies is not None
    counts = source.companies.groupby("park_id", sort=False).size()
    ordered = sorted(park_ids, key=lambda p: -int(counts.get(p, 0)))
    batches: list[list[str]] = []
    cur: list[str] = []
    n = 0
    for pid in ordered:
        c = int(counts.get(pid, 0))
        if cur and (n + c > batch_companies or len(cur) >= batch_parks):
            batches.append(cur)
            cur, n = [], 0
        cur.append(pid)
        n += c
    if cur:
        batches.append(cur)
    return batches


BATCH_COMPANIES = 400
"""Companies per task by default: about 1-2 s of work per task at hourly resolution, so the
Dask overhead (a few ms per task) stays well under 1 %."""
TASKS_PER_WORKER = 8
"""Small runs are cut into at least this many tasks per worker, for load balance."""


def _auto_batch(source: ParkSource, park_ids: Sequence[str], workers: int | None) -> int:
    if source.companies is None:
        return BATCH_COMPANIES
    n = int(source.companies["park_id"].isin(set(park_ids)).sum())
    per = n // (max(workers or 2, 1) * TASKS_PER_WORKER)
    return max(20, min(BATCH_COMPANIES, per))


# --------------------------------------------------------------------------------------
# parts: what is done
# --------------------------------------------------------------------------------------


def parts_dir_for(out: str | Path) -> Path:
    """The folder of the per-batch result files of ``out``."""
    p = Path(out)
    return p.with_name(p.name + ".parts")


def read_parts(parts_dir: Path) -> pd.DataFrame:
    """Every finished row in the parts (a park screened twice: the latest one, by the
    time its part was written)."""
    files = (
        sorted(parts_dir.glob("part-*.parquet"), key=lambda f: (f.stat().st_mtime_ns, f.name))
        if parts_dir.is_dir()
        else []
    )
    if not files:
        return pd.DataFrame()
    frames = [pd.read_parquet(f) for f in files]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    return df.drop_duplicates("park_id", keep="last")


def write_part(parts_dir: Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    """Write the rows of one batch atomically (temporary name, then rename)."""
    parts_dir.mkdir(parents=True, exist_ok=True)
    ids = ",".join(str(r["park_id"]) for r in rows)
    digest = hashlib.sha256(f"{ids}|{time.time_ns()}".encode()).hexdigest()[:16]
    final = parts_dir / f"part-{digest}.parquet"
    tmp = parts_dir / f".tmp-{digest}.parquet"
    results_frame(rows).to_parquet(tmp, index=False)
    tmp.replace(final)
    return final


# --------------------------------------------------------------------------------------
# the cluster
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A Dask client: to ``scheduler`` when given, else to a quiet LocalCluster of
    ``workers`` processes with one thread each (its dashboard on a free port)."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    for name in ("distributed", "distributed.nanny", "distributed.scheduler", "distributed.worker"):
        logging.getLogger(name).setLevel(logging.ERROR)
    env = {
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1",
    }
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # a free port: never clashes with another cluster
        silence_logs=logging.ERROR,
        env=env,
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


# --------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------


@dataclass
class RunSummary:
    """What a screening run did."""

    out: Path
    parks: int
    screened: int
    skipped: int
    errors: int
    company_years: int
    """Companies x simulated years screened in this run."""
    seconds: float
    """Wall time of the screening (cluster start and warm-up excluded). [s]"""
    startup_seconds: float
    workers: int
    batches: int
    error_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def company_years_per_s(self) -> float:
        """Throughput. [company-years/s]"""
        return self.company_years / self.seconds if self.seconds > 0 else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "parks": self.parks,
            "screened": self.screened,
            "skipped": self.skipped,
            "errors": self.errors,
            "company_years": self.company_years,
            "seconds": round(self.seconds, 3),
            "startup_seconds": round(self.startup_seconds, 3),
            "company_years_per_s": round(self.company_years_per_s, 2),
            "workers": self.workers,
            "batches": self.batches,
            "error_parks": [
                {"park_id": r["park_id"], "error": r.get("error", "")} for r in self.error_rows
            ],
        }


def run_screening(
    source: ParkSource,
    out: str | Path,
    *,
    settings: ScreenSettings | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    client: Any = None,
    park_ids: Sequence[str] | None = None,
    batch_companies: int | None = None,
    batch_parks: int = 50,
    progress: bool = False,
    on_part: Callable[[Path, int], None] | None = None,
) -> RunSummary:
    """Screen the parks of ``source`` on Dask and write ``out`` (Parquet).

    Parameters
    ----------
    source : ParkSource
        Tables or park files (:func:`parkplan.scale.tables.read_park_source`).
    out : path
        Results file; parts go to ``<out>.parts/`` and make a rerun resume.
    settings : ScreenSettings, optional
        Year, resolution, tariff year, overrides.
    scheduler : str, optional
        Address of an existing Dask scheduler; default a LocalCluster of ``workers``.
    workers : int
        Worker processes of the LocalCluster (one thread each).
    client : dask.distributed.Client, optional
        An open client to use (then ``scheduler`` and ``workers`` are ignored).
    park_ids : sequence of str, optional
        Only these parks (default all).
    batch_companies, batch_parks : int
        Batch size: about this many companies, at most this many parks per task. Default
        for ``batch_companies``: :data:`BATCH_COMPANIES`, smaller for small runs so every
        worker gets at least ``TASKS_PER_WORKER`` tasks (load balance).
    progress : bool
        Show a progress bar (rich) on stderr.
    on_part : callable, optional
        Called with (part file, parks in it) after each part is written.

    Returns
    -------
    RunSummary
    """
    settings = settings or ScreenSettings()
    out_path = Path(out)
    if out_path.suffix.lower() != ".parquet":
        raise ParkplanError(
            f"Resultaatbestand moet eindigen op .parquet (gevonden: '{out_path.name}').",
            f"Results file must end in .parquet (found: '{out_path.name}').",
        )
    parts = parts_dir_for(out_path)
    wanted = list(park_ids) if park_ids is not None else list(source.park_ids)
    unknown = [p for p in wanted if p not in set(source.park_ids)]
    if unknown:
        raise ParkplanError(
            f"Onbekende park-id's: {unknown[:5]}.", f"Unknown park ids: {unknown[:5]}."
        )
    done = read_parts(parts)
    done_ok: set[str] = set()
    if len(done):
        same = done.get("settings", pd.Series("", index=done.index)) == settings.label()
        done_ok = set(done.loc[same & (done["status"] == "ok"), "park_id"])
    todo = [p for p in wanted if p not in done_ok]
    if batch_companies is None:
        known = len(client.scheduler_info().get("workers", {})) if client is not None else workers
        batch_companies = _auto_batch(source, todo, known if not scheduler else None)
    batches = make_batches(source, todo, batch_companies=batch_companies, batch_parks=batch_parks)
    company_years = 0
    errors: list[dict[str, Any]] = []
    n_workers = workers
    t_start = time.perf_counter()
    startup = 0.0
    seconds = 0.0
    if batches:
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(dask_client(scheduler, workers))
            n_workers = len(client.scheduler_info().get("workers", {})) or workers
            client.run(warm_up, settings)
            startup = time.perf_counter() - t_start
            t0 = time.perf_counter()
            _precompute_yields(client, source, todo, settings)
            futures = {
                client.submit(
                    screen_batch,
                    source.kind,
                    source.batch_payload(b),
                    settings,
                    pure=False,
                    key=f"screen-{i}-{hashlib.sha1(','.join(b).encode()).hexdigest()[:10]}",
                ): b
                for i, b in enumerate(batches)
            }
            company_years, errors = _collect(
                futures, parts, total=len(todo), progress=progress, on_part=on_part
            )
            seconds = time.perf_counter() - t0
    assemble_results(parts, out_path, wanted)
    return RunSummary(
        out=out_path,
        parks=len(wanted),
        screened=len(todo),
        skipped=len(wanted) - len(todo),
        errors=len(errors),
        company_years=company_years,
        seconds=seconds,
        startup_seconds=startup,
        workers=n_workers,
        batches=len(batches),
        error_rows=errors,
    )


def _collect(
    futures: Mapping[Any, list[str]],
    parts: Path,
    *,
    total: int,
    progress: bool,
    on_part: Callable[[Path, int], None] | None,
) -> tuple[int, list[dict[str, Any]]]:
    from dask.distributed import as_completed

    company_years = 0
    errors: list[dict[str, Any]] = []
    bar = None
    task = None
    if progress:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn("parken"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        bar.start()
        task = bar.add_task("screen", total=total)
    try:
        for fut in as_completed(list(futures)):
            batch = futures[fut]
            try:
                rows = fut.result()
            except Exception as exc:  # a lost worker: record, go on
                rows = [error_row(pid, exc, 0, 0) for pid in batch]
            path = write_part(parts, rows)
            for r in rows:
                if r.get("status") == "ok":
                    company_years += int(r.get("n_companies") or 0)
                else:
                    errors.append(r)
            if bar is not None and task is not None:
                bar.advance(task, len(rows))
            if on_part is not None:
                on_part(path, len(rows))
    finally:
        if bar is not None:
            bar.stop()
    return company_years, errors


def assemble_results(parts: Path, out: Path, park_ids: Sequence[str]) -> pd.DataFrame:
    """Assemble ``out`` from the parts, in the input order of ``park_ids`` (written
    atomically). Returns the table."""
    df = read_parts(parts)
    if len(df):
        order = {p: i for i, p in enumerate(park_ids)}
        df = df[df["park_id"].isin(order)].copy()
        df["_order"] = df["park_id"].map(order)
        df = df.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    df = results_frame(df.to_dict("records")) if len(df) else results_frame([])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    df.to_parquet(tmp, index=False)
    tmp.replace(out)
    return df
