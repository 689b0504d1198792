"""Use cases: the business case of a scenario, and sharing a hub's benefit (CLI and web).

:func:`business_case` simulates the park before and after the scenario (15-minute series),
bills every company both times (:mod:`parkplan.economics.tariffs`), prices the measures
(``cost.*``), applies the subsidies each measure asks for in the scenario (refusing those
not allowed) and computes the cash flows. :func:`share` builds the GTO game of the
scenario's energy hub and splits its benefit.

Scenario extensions read here (the simulation ignores them), per measure::

    subsidies: [eia]            # eia | mia | vamil | sde | isde
    on_energielijst: true       # the caller states it (checked on rvo.nl)
    on_milieulijst: false
    mia_category: low           # low | mid | high
    sde_eur_per_kwh: 0.05       # net SDE++ amount of the round (never guessed)
    kw_th: 80                   # heat pump size (else its capex is unknown)

and at the top level ``finance: {discount_rate, horizon_years, price_escalation, tax_rate}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import GRID_LEVELS, Park
from parkplan.economics.business_case import (
    BusinessCaseError,
    Finance,
    MeasureCost,
    battery_cost,
    bill_saving,
    case_cashflow,
    charger_cost,
    heat_pump_cost,
    pv_cost,
)
from parkplan.economics.subsidies import SubsidyResult, apply_subsidies
from parkplan.energy.scenario import (
    BatteryMeasure,
    EnergyHub,
    EvCharging,
    HeatPump,
    RooftopPv,
    Scenario,
)

SHARE_METHODS: tuple[str, ...] = (
    "shapley",
    "proportional-kwh",
    "proportional-kw",
    "proportional-peak",
    "cost-covering",
)
EXACT_MAX_MEMBERS = 16
"""Up to this many members the Shapley value is exact (issue 4); beyond it is sampled."""


def _load(park_or_file: str | Park, scenario: str | Path | Scenario, session: Any) -> Any:
    from parkplan.refdata import load_refdata
    from parkplan.services.simulate import read_scenario_file

    if isinstance(park_or_file, Park):
        park = park_or_file
    else:
        from parkplan.services.parks import load_park

        park = load_park(str(park_or_file), session=session)
    sc = read_scenario_file(scenario, park) if isinstance(scenario, str | Path) else scenario
    refdata = load_refdata(park.refdata_overrides or None)
    return park, sc, refdata


def read_price_series(path: str | Path, n_intervals: int) -> np.ndarray:
    """A supply-price series from a CSV file, aligned to the simulation's intervals.

    The file has one price per line in the last column (EUR/kWh; a header line and a
    decimal comma are allowed), either one per interval of the year or one per hour (each
    hour then covers its four quarter-hours). [EUR/kWh]
    """
    from parkplan.io.dutch_numbers import CellError, parse_number

    p = Path(path)
    try:
        lines = [ln for ln in p.read_text(encoding="utf-8-sig").splitlines() if ln.strip()]
    except OSError as exc:
        raise BusinessCaseError(
            f"prijsbestand niet te lezen: {p} ({exc.strerror})",
            f"price file cannot be read: {p} ({exc.strerror})",
        ) from exc
    values: list[float] = []
    for k, line in enumerate(lines, start=1):
        cell = _last_cell(line)
        try:
            sep = "," if "," in cell else "."
            values.append(float(parse_number(cell, decimal_sep=sep, minimum=None)))
        except CellError as exc:
            if k == 1 and not values:
                continue  # a header line
            raise BusinessCaseError(
                f"{p.name} regel {k}: {exc.nl} ({cell!r})",
                f"{p.name} line {k}: {exc.en} ({cell!r})",
            ) from exc
    arr = np.asarray(values, dtype=float)
    if arr.size * 4 == n_intervals:
        arr = np.repeat(arr, 4)
    if arr.size != n_intervals:
        raise BusinessCaseError(
            f"{p.name}: {len(values)} prijzen, verwacht {n_intervals} (per kwartier) of "
            f"{n_intervals // 4} (per uur)",
            f"{p.name}: {len(values)} prices, expected {n_intervals} (per quarter-hour) or "
            f"{n_intervals // 4} (per hour)",
        )
    return arr


def _last_cell(line: str) -> str:
    """The last field of a CSV line: ';' or tab separated (decimal comma allowed), or
    comma separated with a decimal point; a lone ``0,11`` is a number with a decimal comma."""
    for sep in (";", "\t"):
        if sep in line:
            return line.rsplit(sep, maxsplit=1)[-1].strip()
    if "," in line and ("." in line or line.count(",") > 1):
        return line.rsplit(",", maxsplit=1)[-1].strip()
    return line.strip()


def _operator(park: Park) -> str:
    op = park.grid.operator if park.grid else None
    if not op:
        raise BusinessCaseError(
            "de netbeheerder van het park ontbreekt (park.grid.operator); nodig voor de "
            "transporttarieven",
            "the park's grid operator is missing (park.grid.operator); needed for transport "
            "tariffs",
        )
    return op


def _finance(sc: Scenario, overrides: Mapping[str, Any]) -> tuple[Finance, float | None]:
    raw = dict(sc.raw.get("finance") or {}) if sc.raw else {}
    raw.update({k: v for k, v in overrides.items() if v is not None})
    missing = [k for k in ("discount_rate", "horizon_years") if k not in raw]
    if missing:
        raise BusinessCaseError(
            f"financiële instellingen ontbreken: {missing} (scenario 'finance:' of de opties "
            "--discount-rate/--horizon)",
            f"financial settings missing: {missing} (scenario 'finance:' or the options "
            "--discount-rate/--horizon)",
        )
    try:
        fin = Finance(
            discount_rate=float(raw["discount_rate"]),
            horizon_years=int(raw["horizon_years"]),
            price_escalation=float(raw.get("price_escalation", 0.0)),
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ParkplanError):
            raise
        raise BusinessCaseError(
            f"financiële instellingen zijn geen getallen: {raw}",
            f"financial settings are not numbers: {raw}",
        ) from exc
    tax = raw.get("tax_rate")
    return fin, None if tax is None else float(tax)


def _raw_measures(sc: Scenario) -> list[Mapping[str, Any]]:
    raw = (sc.raw or {}).get("measures") or []
    return [m for m in raw if isinstance(m, Mapping)]


def _weather_provenance(result: Any) -> dict[str, Any]:
    """The weather the simulations used (``provenance.weather`` of the simulation)."""
    prov = result.provenance or {}
    return {"weather": prov.get("weather"), "weather_sha256": prov.get("weather_sha256")}


def _index_of(result: Any) -> dict[str, int]:
    return {cid: i for i, cid in enumerate(result.company_ids)}


def business_case(
    park_or_file: str | Park,
    *,
    scenario: str | Path | Scenario,
    year: int = 2026,
    finance: Mapping[str, Any] | None = None,
    session: Any = None,
    weather: Any = None,
    sensitivity: Mapping[str, tuple[float, float]] | None = None,
    prices: str | Path | np.ndarray | None = None,
) -> dict[str, Any]:
    """The business case of a scenario: per company and for the collective.

    ``prices`` (optional): a supply-price series (a CSV path or an array per interval, e.g.
    day-ahead plus margin, EUR/kWh) used in every bill instead of the flat refdata price, so
    that batteries are valued on arbitrage as well as on peaks.

    ``sensitivity`` (optional) gives the (low, high) ranges of a tornado per company:
    ``price_factor``, ``capex_factor``, ``discount_rate`` (or ``discount_rate_delta``
    around the case's rate), ``yield_factor``; the price is
    re-billed exactly, the yield scales the saving linearly (an approximation).

    Returns a JSON-ready dict: ``companies[]`` (id, bill_before_eur, bill_after_eur, capex_eur,
    subsidy_eur, npv_eur, irr, payback_years, ...), ``collective`` (capex_eur, npv_eur,
    annual_benefit_eur, ...), ``unknown`` (refdata keys to supply), ``finance``,
    ``provenance`` (``weather``, ``weather_sha256`` of the simulations). ``weather``: a frame
    from :func:`parkplan.services.weather.load_weather` on ``year`` (default the reference
    year).
    """
    from parkplan.economics.tariffs import bill_for_connection
    from parkplan.refdata.loader import UnknownValueError
    from parkplan.services.simulate import simulate

    park, sc, refdata = _load(park_or_file, scenario, session)
    fin, tax_rate = _finance(sc, finance or {})
    operator = _operator(park)
    before = simulate(park, scenario=None, year=year, keep_series=True, weather=weather)
    after = simulate(park, scenario=sc, year=year, keep_series=True, weather=weather)
    ib, ia = _index_of(before), _index_of(after)
    price_series = None
    if prices is not None:
        price_series = (
            read_price_series(prices, len(after.index))
            if isinstance(prices, str | Path)
            else np.asarray(prices, dtype=float)
        )

    # measures and subsidies per company
    per_company: dict[str, list[MeasureCost]] = {c.id: [] for c in park.companies}
    subs: dict[str, list[SubsidyResult]] = {c.id: [] for c in park.companies}
    pv_kwh: dict[str, float] = {}
    per_measure_subs: dict[str, list[list[SubsidyResult]]] = {}
    raws = _raw_measures(sc)
    c_rate = refdata.value("battery.c_rate_per_h")
    for k, m in enumerate(sc.measures):
        raw = raws[k] if k < len(raws) else {}
        cost: MeasureCost | None = None
        kind = ""
        if isinstance(m, RooftopPv):
            cid = m.company
            added = after.companies[ia[cid]].pv_kwp - before.companies[ib[cid]].pv_kwp
            cost, kind = pv_cost(max(added, 0.0), year=year, refdata=refdata, company=cid), "pv"
            pv_kwh[cid] = after.companies[ia[cid]].pv_kwh - before.companies[ib[cid]].pv_kwh
        elif isinstance(m, BatteryMeasure):
            cid = m.company
            power = m.power_kw if m.power_kw is not None else m.energy_kwh * c_rate
            cost = battery_cost(m.energy_kwh, power, year=year, refdata=refdata, company=cid)
            kind = "battery"
        elif isinstance(m, HeatPump):
            cid = m.company
            kw_th = raw.get("kw_th")
            cost = heat_pump_cost(
                None if kw_th is None else float(kw_th), year=year, refdata=refdata, company=cid
            )
            kind = "heat_pump"
        elif isinstance(m, EvCharging):
            cid = m.company
            cost = charger_cost(
                m.vehicles, m.charger_kw or 11.0, year=year, refdata=refdata, company=cid
            )
            kind = "charger"
        if cost is None:
            continue
        per_company[cid].append(cost)
        schemes = list(raw.get("subsidies") or [])
        measure_subs: list[SubsidyResult] = []
        if schemes:
            conn = _connection(park, cid)
            measure_subs = _subsidies_for(kind, schemes, cost, raw, conn, pv_kwh.get(cid, 0.0),
                                          year, refdata, fin, tax_rate)  # fmt: skip
            subs[cid].extend(measure_subs)
        per_measure_subs.setdefault(cid, []).append(measure_subs)

    # bills and company cases
    companies: list[dict[str, Any]] = []
    all_unknown: set[str] = set()
    for c in park.companies:
        conn = _connection(park, c.id)
        row: dict[str, Any] = {"id": c.id, "name": c.name}
        if conn is None:
            row["unknown"] = ["connection"]
            companies.append(row)
            continue
        bills: list[Any] = []
        bill_error: str | None = None
        for res, idx in ((before, ib), (after, ia)):
            i = idx[c.id]
            try:
                bills.append(
                    bill_for_connection(
                        res.flows.import_kwh[i],
                        res.flows.export_kwh[i],
                        res.index,
                        conn,
                        operator=operator,
                        year=year,
                        refdata=refdata,
                        prices=price_series,
                    )
                )
            except UnknownValueError as exc:  # e.g. the operator's category bounds
                bill_error = str(exc.key)
        if bill_error is not None:
            case = case_cashflow(c.id, per_company[c.id], None, fin, subsidies=subs[c.id],
                                 unknown=[bill_error])  # fmt: skip
            all_unknown.update(case.unknown)
            d = case.to_dict()
            d.update({"name": c.name, "bill_before_eur": None, "bill_after_eur": None})
            companies.append(d)
            continue
        saving, unknown = bill_saving(bills[0], bills[1])
        case = case_cashflow(
            c.id,
            per_company[c.id],
            saving,
            fin,
            subsidies=subs[c.id],
            unknown=unknown,
            annual_kwh=pv_kwh.get(c.id)
            if per_company[c.id] and all(m.kind == "pv" for m in per_company[c.id])
            else None,
        )
        all_unknown.update(case.unknown)
        d = case.to_dict()
        d["measure_cases"] = _measure_cases(
            c.id, per_company[c.id], per_measure_subs.get(c.id, []), saving=saving, fin=fin,
            pv_kwh=pv_kwh.get(c.id),
        )  # fmt: skip
        if sensitivity and per_company[c.id] and saving is not None:
            d["sensitivity"] = [
                b.to_dict()
                for b in _tornado(c.id, per_company[c.id], subs[c.id], saving, fin, sensitivity,
                                  before, after, ib, ia, conn, operator, year, refdata,
                                  price_series)
            ]  # fmt: skip
        if c.building_owner == "tenant" and any(m.kind == "pv" for m in per_company[c.id]):
            d["owner_tenant"] = _owner_tenant(c.id, raws, sc, saving, pv_kwh.get(c.id, 0.0))
        d.update(
            {
                "name": c.name,
                "bill_before_eur": bills[0].total_eur if bills[0].complete else None,
                "bill_after_eur": bills[1].total_eur if bills[1].complete else None,
                "bill_before": bills[0].to_dict(),
                "bill_after": bills[1].to_dict(),
            }
        )
        companies.append(d)

    collective = _collective(park, sc, after, refdata, operator, year, fin)
    all_unknown.update(collective.get("unknown", []))
    return {
        "park": park.id,
        "scenario": sc.name,
        "year": year,
        "operator": operator,
        "finance": {
            "discount_rate": fin.discount_rate,
            "horizon_years": fin.horizon_years,
            "price_escalation": fin.price_escalation,
        },
        "companies": companies,
        "collective": collective,
        "unknown": sorted(all_unknown),
        "how_to_fill_unknown": (
            "Vul onbekende waarden per park in onder refdata_overrides in het parkbestand / "
            "Supply unknown values per park under refdata_overrides in the park file"
        ),
        "refdata_version": refdata.version,
        "refdata_used": [v.to_dict() for v in refdata.used()],
        "provenance": _weather_provenance(after),
        "price_series": None
        if price_series is None
        else {
            "mean_eur_per_kwh": float(price_series.mean()),
            "min_eur_per_kwh": float(price_series.min()),
            "max_eur_per_kwh": float(price_series.max()),
        },
    }


def _tornado(  # noqa: PLR0917
    cid: str, measures: list[MeasureCost], subsidies: list[SubsidyResult], saving: float,
    fin: Finance, ranges: Mapping[str, tuple[float, float]], before: Any, after: Any,
    ib: Mapping[str, int], ia: Mapping[str, int], conn: Any, operator: str, year: int,
    refdata: Any, price_series: np.ndarray | None = None,
) -> list[Any]:  # fmt: skip
    """Tornado of one company's NPV; the price is re-billed at the scaled prices."""
    from parkplan.economics.sensitivity import case_tornado
    from parkplan.economics.tariffs import bill_for_connection

    base_price = (
        refdata.value("supply.electricity.eur_per_kwh", year) if price_series is None
        else price_series
    )  # fmt: skip
    feed = refdata.value("supply.electricity.feed_in_eur_per_kwh", year)

    def saving_at(pf: float, yf: float) -> float:
        totals = []
        for res, idx in ((before, ib), (after, ia)):
            i = idx[cid]
            bill = bill_for_connection(
                res.flows.import_kwh[i], res.flows.export_kwh[i], res.index, conn,
                operator=operator, year=year, refdata=refdata, prices=base_price * pf,
                feed_in_prices=feed * pf,
            )  # fmt: skip
            totals.append(bill.total_eur)
        return (totals[0] - totals[1]) * yf

    return case_tornado(
        measures, saving, fin, subsidies=subsidies, saving_at=saving_at,
        price_factor=ranges["price_factor"], capex_factor=ranges["capex_factor"],
        discount_rate=_rate_range(fin, ranges), yield_factor=ranges["yield_factor"],
    )  # fmt: skip


def _measure_cases(
    cid: str,
    measures: list[MeasureCost],
    subsidies: list[list[SubsidyResult]],
    *,
    saving: float | None,
    fin: Finance,
    pv_kwh: float | None,
) -> list[dict[str, Any]]:
    """Cash flow per measure: the company's saving attributed in proportion to investment.

    The bill shows the saving of all measures together; one figure per measure needs a key,
    and the investment is the one every measure has (documented in docs/business-case.md).
    """
    known = [m.capex_eur for m in measures if m.capex_eur is not None]
    total = float(sum(known)) if len(known) == len(measures) else None
    out = []
    for k, m in enumerate(measures):
        share = None if total is None or total <= 0 else float(m.capex_eur or 0.0) / total
        s_k = None if saving is None or share is None else saving * share
        case = case_cashflow(
            f"{cid}:{m.kind}", [m], s_k, fin, subsidies=subsidies[k] if k < len(subsidies) else [],
            annual_kwh=pv_kwh if m.kind == "pv" else None,
        )  # fmt: skip
        d = case.to_dict()
        d["saving_share"] = share
        out.append(d)
    return out


def _rate_range(fin: Finance, ranges: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """``discount_rate`` as (low, high), or ``discount_rate_delta`` around the case's rate."""
    if "discount_rate" in ranges:
        return ranges["discount_rate"]
    lo, hi = ranges["discount_rate_delta"]
    return max(fin.discount_rate + lo, 0.0), fin.discount_rate + hi


def _owner_tenant(
    cid: str, raws: list[Mapping[str, Any]], sc: Scenario, saving: float | None, pv_kwh: float
) -> dict[str, Any]:
    """The owner/tenant split of a tenant's rooftop PV (arrangement from the scenario)."""
    from parkplan.economics.revenue_models import owner_tenant

    raw = next(
        (r for r, m in zip(raws, sc.measures, strict=False)
         if isinstance(m, RooftopPv) and m.company == cid), {},
    )  # fmt: skip
    arrangement = raw.get("arrangement")
    if arrangement is None:
        return {
            "unknown": ["arrangement"],
            "note_nl": "het bedrijf huurt: geef 'arrangement' (ppa, rent_surcharge, "
            "tenant_invests) bij de PV-maatregel",
            "note_en": "the company is a tenant: give 'arrangement' (ppa, rent_surcharge, "
            "tenant_invests) on the PV measure",
        }
    return owner_tenant(
        cid, str(raw.get("building_owner_name", "eigenaar")), arrangement=str(arrangement),
        annual_saving_eur=saving or 0.0, pv_kwh=pv_kwh,
        ppa_price_eur_per_kwh=raw.get("ppa_price_eur_per_kwh"),
        rent_surcharge_eur_per_year=raw.get("rent_surcharge_eur_per_year"),
    ).to_dict()  # fmt: skip


def _connection(park: Park, cid: str) -> Any:
    c = park.company(cid)
    el = [x for x in c.connections if x.carrier == "electricity"]
    return el[0] if el else None


def _subsidies_for(  # noqa: PLR0917
    kind: str,
    schemes: list[str],
    cost: MeasureCost,
    raw: Mapping[str, Any],
    conn: Any,
    annual_kwh: float,
    year: int,
    refdata: Any,
    fin: Finance,
    tax_rate: float | None,
) -> list[SubsidyResult]:
    if cost.capex_eur is None:
        raise BusinessCaseError(
            f"subsidie voor {kind} zonder bekende investering is niet te berekenen",
            f"a subsidy for {kind} without a known investment cannot be computed",
        )
    return apply_subsidies(
        kind,
        schemes,
        investment_eur=cost.capex_eur,
        year=year,
        refdata=refdata,
        kwp=cost.size if kind == "pv" else 0.0,
        annual_kwh=annual_kwh,
        connection_kind=conn.kind if conn is not None else "kleinverbruik",
        on_energielijst=raw.get("on_energielijst"),
        on_milieulijst=raw.get("on_milieulijst"),
        mia_category=str(raw.get("mia_category", "low")),
        sde_eur_per_kwh=raw.get("sde_eur_per_kwh"),
        lifetime_years=cost.lifetime_years,
        discount_rate=fin.discount_rate,
        tax_rate=tax_rate,
    )


def hub_game(park: Park, hub: EnergyHub, result: Any, refdata: Any, operator: str, year: int,  # noqa: PLR0917
             *, with_assets: bool = False) -> Any:  # fmt: skip
    """The GTO game of a hub's members on the simulated series (after the scenario)."""
    from parkplan.economics.games import SharedAssets, gto_game

    idx = _index_of(result)
    rows, ckw, levels = [], [], []
    for cid in hub.members:
        conn = _connection(park, cid)
        if conn is None or conn.kind != "grootverbruik" or conn.contracted_kw is None:
            raise BusinessCaseError(
                f"bedrijf '{cid}' kan niet in een GTO: alleen grootverbruikaansluitingen met "
                "gecontracteerd vermogen",
                f"company '{cid}' cannot join a GTO: only grootverbruik connections with a "
                "contracted capacity",
            )
        rows.append(idx[cid])
        ckw.append(conn.contracted_kw)
        levels.append(conn.grid_level)
    shared = None
    if with_assets and hub.shared_battery is not None and hub.shared_battery.energy_kwh > 0:
        from parkplan.energy.battery import Strategy, battery_from_defaults
        from parkplan.services.simulate import simulation_parameters

        params = simulation_parameters(refdata, year)
        target = hub.shared_battery.target_import_kw or hub.group_capacity_kw
        bat = battery_from_defaults(
            hub.shared_battery.energy_kwh,
            params,
            power_kw=hub.shared_battery.power_kw,
            strategy=Strategy.PEAK_SHAVING if target else Strategy.SELF_CONSUMPTION,
            target_import_kw=target,
        )
        shared = SharedAssets(
            supply_eur_per_kwh=refdata.value("supply.electricity.eur_per_kwh", year),
            feed_in_eur_per_kwh=refdata.value("supply.electricity.feed_in_eur_per_kwh", year),
            shared_battery=bat,
        )
    return gto_game(
        result.flows.import_kwh[rows],
        result.index,
        ckw,
        export_kwh=result.flows.export_kwh[rows],
        ids=list(hub.members),
        grid_levels=levels,
        operator=operator,
        year=year,
        refdata=refdata,
        shared=shared,
    )


def _collective(  # noqa: PLR0917
    park: Park, sc: Scenario, after: Any, refdata: Any, operator: str, year: int, fin: Finance
) -> dict[str, Any]:
    from parkplan.refdata.loader import UnknownValueError

    hubs = sc.hubs
    out: dict[str, Any] = {
        "capex_eur": 0.0,
        "npv_eur": None,
        "annual_benefit_eur": 0.0,
        "hubs": [],
        "unknown": [],
    }
    if not hubs:
        out["npv_eur"] = 0.0
        return out
    total_benefit: float | None = 0.0
    measures: list[MeasureCost] = []
    for hub, hres in zip(hubs, after.hubs, strict=False):
        entry: dict[str, Any] = {"name": hub.name, "members": list(hub.members)}
        if hub.shared_battery is not None and hub.shared_battery.energy_kwh > 0:
            c_rate = refdata.value("battery.c_rate_per_h")
            power = hub.shared_battery.power_kw or hub.shared_battery.energy_kwh * c_rate
            measures.append(
                battery_cost(
                    hub.shared_battery.energy_kwh, power, year=year, refdata=refdata,
                    kind="shared_battery",
                )
            )  # fmt: skip
        pv_value = 0.0
        if hub.shared_pv is not None and hub.shared_pv.kwp > 0:
            measures.append(
                pv_cost(hub.shared_pv.kwp, year=year, refdata=refdata, kind="shared_pv")
            )
            # shared PV behind the group meter: its production replaces offtake at the
            # supply price (kWh, tax and supply stay per connection under a GTO)
            pv_value = hres.shared_pv_kwh * refdata.value("supply.electricity.eur_per_kwh", year)
        try:
            game = hub_game(park, hub, after, refdata, operator, year, with_assets=True)
            gto = game.total_benefit_eur()
            entry.update(
                {
                    "gto_benefit_eur": gto,
                    "shared_pv_value_eur": pv_value,
                    "standalone_transport_eur": float(game.standalone_eur.sum()),
                    "group_category": GRID_LEVELS[int(game.rank.max())],
                }
            )
            if total_benefit is not None:
                total_benefit += gto + pv_value
            if game.n <= EXACT_MAX_MEMBERS and game.n >= 2:
                from parkplan.economics.allocation import shapley_exact
                from parkplan.economics.games import gto_coalition_values
                from parkplan.economics.revenue_models import energy_hub_gto

                plain = hub_game(park, hub, after, refdata, operator, year)
                phi = shapley_exact(gto_coalition_values(plain))
                raw_hub = next(
                    (r for r, m in zip(_raw_measures(sc), sc.measures, strict=False) if m is hub),
                    {},
                )
                entry["revenue_model"] = energy_hub_gto(
                    hub.name,
                    dict(zip(plain.ids, plain.standalone_eur.tolist(), strict=True)),
                    dict(zip(plain.ids, phi.tolist(), strict=True)),
                    ems_cost_eur_per_year=raw_hub.get("ems_cost_eur_per_year"),
                    contracted_kw=dict(zip(plain.ids, plain.contracted_kw.tolist(), strict=True)),
                    group_capacity_kw=hub.group_capacity_kw,
                ).to_dict()
        except UnknownValueError as exc:
            entry["unknown"] = [str(exc.key)]
            out["unknown"].extend(str(exc.key).split(", "))
            total_benefit = None
        out["hubs"].append(entry)
    case = case_cashflow("collectief", measures, total_benefit, fin)
    out.update(
        {
            "capex_eur": case.capex_eur,
            "opex_eur_per_year": case.opex_eur_per_year,
            "npv_eur": case.npv_eur,
            "irr": case.irr,
            "payback_years": case.payback_years,
            "annual_benefit_eur": total_benefit,
            "measures": [m.to_dict() for m in measures],
        }
    )
    return out


def peak_contributions_kw(game: Any) -> np.ndarray:
    """Each member's offtake in the group's peak interval, summed over the months. [kW]

    The key of ``proportional-peak``: who is on the grid when the group peaks. Members that
    feed in at that moment contribute 0 (not negative).
    """
    total = game.net_kwh.sum(axis=0)
    out = np.zeros(game.n)
    for k in range(game.months):
        a, b = int(game.month_starts[k]), int(game.month_starts[k + 1])
        t = a + int(np.argmax(total[a:b]))
        out += np.maximum(game.net_kwh[:, t], 0.0) / game.interval_h
    return out


def share(
    park_or_file: str | Park,
    *,
    scenario: str | Path | Scenario,
    method: str,
    year: int = 2026,
    seed: int = 1,
    session: Any = None,
    weather: Any = None,
    target_rel_halfwidth: float = 0.02,
    max_seconds: float = 30.0,
) -> dict[str, Any]:
    """Split the benefit of the scenario's energy hub among its members.

    Returns ``total_benefit_eur`` (EUR/yr), ``companies[]`` (id, benefit_eur, share 0-1,
    ci95_eur), ``stable`` and, when not stable, ``blocking_coalition`` (company ids).
    """
    from parkplan.economics.allocation import (
        core_check_exact,
        proportional_split,
        shapley_exact,
    )
    from parkplan.economics.games import (
        gto_blocking_search,
        gto_coalition_values,
        gto_shapley_owen,
    )
    from parkplan.services.simulate import simulate

    if method not in SHARE_METHODS:
        raise BusinessCaseError(
            f"onbekende verdeelmethode {method!r}; verwacht een van {SHARE_METHODS}",
            f"unknown sharing method {method!r}; expected one of {SHARE_METHODS}",
        )
    park, sc, refdata = _load(park_or_file, scenario, session)
    if not sc.hubs:
        raise BusinessCaseError(
            "het scenario heeft geen energiehub (type: energy_hub) om te verdelen",
            "the scenario has no energy hub (type: energy_hub) to share",
        )
    hub = sc.hubs[0]
    operator = _operator(park)
    after = simulate(park, scenario=sc, year=year, keep_series=True, weather=weather)
    game = hub_game(park, hub, after, refdata, operator, year)
    n = game.n
    total = game.total_benefit_eur()
    half = np.zeros(n)
    values = None
    exact = n <= EXACT_MAX_MEMBERS
    coalition_values = gto_coalition_values(game) if exact else None
    if method == "shapley":
        if exact:
            values = shapley_exact(coalition_values)
        else:
            est = gto_shapley_owen(
                game,
                seed=seed,
                target_rel_halfwidth=target_rel_halfwidth,
                max_seconds=max_seconds,
                max_rounds=10_000,
            )
            values, half = est.values, est.ci95_halfwidth
    elif method == "proportional-kwh":
        values = proportional_split(total, game.import_kwh.sum(axis=1))
    elif method == "proportional-kw":
        values = proportional_split(total, game.contracted_kw)
    elif method == "proportional-peak":
        values = proportional_split(total, peak_contributions_kw(game))
    else:  # cost-covering: the group cost in proportion to each member's cost alone
        values = proportional_split(total, game.standalone_eur)
    if exact:
        check = core_check_exact(coalition_values, values, tol=1e-6 * max(1.0, abs(total)))
    else:
        check = gto_blocking_search(game, values, seed=seed, tol=1e-6 * max(1.0, abs(total)))
        if not check.stable and check.excess <= float(half[list(check.blocking_coalition)].sum()):
            # the excess lies within the sampling uncertainty of the shares: not a finding
            check = type(check)(True, (), check.excess)
    companies = [
        {
            "id": game.ids[i],
            "benefit_eur": float(values[i]),
            "share": float(values[i] / total) if total else 0.0,
            "ci95_eur": float(half[i]),
            "standalone_transport_eur": float(game.standalone_eur[i]),
            "category": game.categories[i],
        }
        for i in range(n)
    ]
    out: dict[str, Any] = {
        "park": park.id,
        "scenario": sc.name,
        "hub": hub.name,
        "year": year,
        "method": method,
        "exact": exact or method != "shapley",
        "total_benefit_eur": total,
        "companies": companies,
        "stable": check.stable,
        "stability_check": "exact" if exact else "sampled search",
        "refdata_version": refdata.version,
        "provenance": _weather_provenance(after),
    }
    if not check.stable:
        out["blocking_coalition"] = [game.ids[i] for i in check.blocking_coalition]
        out["blocking_excess_eur"] = check.excess
    return out
