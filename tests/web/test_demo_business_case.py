"""The web business case page computes for a demo park: the demo parks carry illustrative
placeholders for the tariffs and tax rates refdata does not know (docs/demo-data.md), and
the page shows that these reference values were overridden.

The smallest demo park (demo-riegmeer) with solar on two roofs; the job is awaited with the
runner's ``wait`` (an upper bound only, no timing assertion).
"""

from __future__ import annotations

import re

SMALL = "demo-riegmeer"
WAIT_S = 600.0  # an upper bound for a loaded 2-core machine, not a timing assertion


def _store_scenario(url: str) -> None:
    """A simulated scenario with its document, as the scenarios page stores it."""
    from parkplan.energy.scenario import parse_scenario
    from parkplan.services.demo import load_demo_parks
    from parkplan.services.parks import get_park
    from parkplan.services.simulate import simulate
    from parkplan.store.db import session_scope
    from parkplan.store.repository import save_result

    with session_scope(url) as session:
        load_demo_parks(session, park_ids=[SMALL])
        park = get_park(session, SMALL)
    roofs = [c.id for c in park.companies if c.roofs][:2]
    doc = {
        "format": "parkplan-scenario/1",
        "name": "Zon demo",
        "measures": [{"type": "rooftop_pv", "company": cid, "fill": True} for cid in roofs],
    }
    result = simulate(park, scenario=parse_scenario(doc, park))
    payload = result.to_dict("nl")
    payload["scenario_document"] = doc
    with session_scope(url) as session:
        save_result(session, SMALL, "simulation", payload, key="Zon demo")


def test_the_business_case_page_computes_for_a_demo_park(web):
    _store_scenario(web.url)
    client = web.login("administrator")
    page = client.get(f"/parken/{SMALL}/opbrengst")
    assert page.status_code == 200, page.text
    choice = re.search(r'<option value="(\d+)"[^>]*>Zon demo', page.text)
    assert choice, "the stored scenario is offered"
    token = client.get("/api/me").json()["csrf_token"]
    response = client.post(
        f"/parken/{SMALL}/opbrengst",
        data={
            "csrf_token": token,
            "bc_scenario": choice.group(1),
            "bc_discount_pct": "5",
            "bc_horizon": "15",
            "bc_escalation_pct": "",
        },
    )
    assert response.status_code == 303, response.text
    job_id = re.search(r"taak=([\w-]+)", response.headers["location"]).group(1)
    job = web.app.state.jobs.wait(job_id, timeout_s=WAIT_S)
    assert job is not None and job.finished_s is not None, "job did not finish"
    status = client.get(f"/api/jobs/{job_id}").json()
    assert status["state"] == "done", status

    case = client.get(f"/api/parks/{SMALL}/business-case").json()["case"]
    assert case["unknown"] == []
    assert case["park"]["npv_eur"] is not None
    overridden = case["refdata_overridden"]
    assert overridden and all(v["overridden"] and v["indicative"] for v in overridden)
    assert {v["key"].split(".")[1] for v in overridden if v["key"].startswith("grid_")} == {"rendo"}
    page = client.get(f"/parken/{SMALL}/opbrengst")
    assert "Onbekend (niet meegerekend" not in page.text
    assert "Referentiewaarden aangepast voor dit park:" in page.text
    assert "ILLUSTRATIEF demo placeholder" in page.text
