"""Energy flows behind one connection, accumulated separately per interval.

Eight flows describe what happens behind a meter in one interval (all in kWh per interval):

======================  ==============================================================
``pv_to_load``          solar power used on site at once
``pv_to_battery``       solar power stored (AC side, before charging losses)
``pv_to_grid``          solar power fed in
``curtailed``           solar power thrown away at the feed-in limit
``grid_to_load``        offtake used on site
``grid_to_battery``     offtake stored (AC side, before charging losses)
``battery_to_load``     discharge used on site (AC side, after discharging losses)
``battery_to_grid``     discharge fed in (AC side, after discharging losses)
======================  ==============================================================

Balances that close in every interval (checked by :func:`balance_residuals`)::

    load  = pv_to_load + battery_to_load + grid_to_load
    pv    = pv_to_load + pv_to_battery + pv_to_grid + curtailed
    soc_t = soc_(t-1) + eta_c * (pv_to_battery + grid_to_battery)
                      - (battery_to_load + battery_to_grid) / eta_d
    import = grid_to_load + grid_to_battery ;  export = pv_to_grid + battery_to_grid
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FLOW_NAMES: tuple[str, ...] = (
    "pv_to_load",
    "pv_to_battery",
    "pv_to_grid",
    "curtailed",
    "grid_to_load",
    "grid_to_battery",
    "battery_to_load",
    "battery_to_grid",
)
"""The eight flows, in the order of the first axis of :attr:`Flows.data`."""

(
    PV_TO_LOAD,
    PV_TO_BAT,
    PV_TO_GRID,
    CURTAILED,
    GRID_TO_LOAD,
    GRID_TO_BAT,
    BAT_TO_LOAD,
    BAT_TO_GRID,
) = range(8)


@dataclass
class Flows:
    """Per-interval flows of ``n`` units (companies or groups) over ``T`` intervals.

    Attributes
    ----------
    data : ndarray, shape (8, n, T)
        The flows in the order of :data:`FLOW_NAMES`. [kWh]
    soc_kwh : ndarray, shape (n, T)
        State of charge at the end of each interval. [kWh]
    """

    data: NDArray[np.float64]
    soc_kwh: NDArray[np.float64]

    def __getattr__(self, name: str) -> NDArray[np.float64]:
        if name in FLOW_NAMES:
            return self.data[FLOW_NAMES.index(name)]
        raise AttributeError(name)

    @property
    def import_kwh(self) -> NDArray[np.float64]:
        """Offtake from the grid per interval. [kWh]"""
        return self.data[GRID_TO_LOAD] + self.data[GRID_TO_BAT]

    @property
    def export_kwh(self) -> NDArray[np.float64]:
        """Feed-in to the grid per interval. [kWh]"""
        return self.data[PV_TO_GRID] + self.data[BAT_TO_GRID]

    def totals(self) -> dict[str, NDArray[np.float64]]:
        """Sum of every flow over the intervals, per unit. [kWh]"""
        return {name: self.data[k].sum(axis=-1) for k, name in enumerate(FLOW_NAMES)}


def balance_residuals(
    flows: Flows,
    load_kwh: NDArray[np.float64],
    pv_kwh: NDArray[np.float64],
    *,
    eta_charge: NDArray[np.float64] | float,
    eta_discharge: NDArray[np.float64] | float,
    soc_initial_kwh: NDArray[np.float64] | float,
) -> dict[str, NDArray[np.float64]]:
    """Residuals of the three balances per unit and interval (zero when they close).

    Parameters
    ----------
    flows : Flows
        The flows to check.
    load_kwh, pv_kwh : ndarray, shape (n, T)
        Demand and PV production per interval. [kWh]
    eta_charge, eta_discharge : float or ndarray, shape (n,)
        Charging and discharging efficiency per unit. [-]
    soc_initial_kwh : float or ndarray, shape (n,)
        State of charge before the first interval. [kWh]

    Returns
    -------
    dict
        ``load``, ``pv`` and ``battery`` residuals, each of shape (n, T). [kWh]
    """
    d = flows.data
    eta_c = np.asarray(eta_charge, dtype=float).reshape(-1, 1)
    eta_d = np.asarray(eta_discharge, dtype=float).reshape(-1, 1)
    soc0 = np.asarray(soc_initial_kwh, dtype=float).reshape(-1, 1)
    soc = flows.soc_kwh
    previous = np.concatenate([np.broadcast_to(soc0, (soc.shape[0], 1)), soc[:, :-1]], axis=1)
    return {
        "load": load_kwh - d[PV_TO_LOAD] - d[BAT_TO_LOAD] - d[GRID_TO_LOAD],
        "pv": pv_kwh - d[PV_TO_LOAD] - d[PV_TO_BAT] - d[PV_TO_GRID] - d[CURTAILED],
        "battery": soc
        - previous
        - eta_c * (d[PV_TO_BAT] + d[GRID_TO_BAT])
        + (d[BAT_TO_LOAD] + d[BAT_TO_GRID]) / eta_d,
    }
