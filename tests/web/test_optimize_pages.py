"""Optimisation and business case from the web: forms, background jobs, result pages, API.

The example park's operator (Rendo) has no published tariffs in refdata: like
tests/optimize/test_optimize_cli.py these tests give HYPOTHETICAL values through the park's
``refdata_overrides`` (stated test values, not facts). The optimisation runs in fast mode
at hourly resolution (a few seconds). Jobs are awaited with the runner's ``wait`` (an upper
bound only, no timing assertion).
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from ..helpers import HYPOTHETICAL_RENDO
from .conftest import PARK

WAIT_S = 600.0  # an upper bound for a loaded 2-core machine, not a timing assertion


def set_overrides(url: str, overrides: dict) -> None:
    """Replace the example park's refdata overrides (the test's hypothetical tariffs)."""
    from parkplan.services.parks import get_park, save_park
    from parkplan.store.db import session_scope

    with session_scope(url) as session:
        park = get_park(session, PARK)
        save_park(
            session,
            dataclasses.replace(park, refdata_overrides=dict(overrides)),
            replace=True,
            actor="test",
        )


@pytest.fixture(scope="module")
def tariffs(web):
    set_overrides(web.url, HYPOTHETICAL_RENDO)
    return web


def csrf(client) -> str:
    return client.get("/api/me").json()["csrf_token"]


def finished(web, job_id: str):
    job = web.app.state.jobs.wait(job_id, timeout_s=WAIT_S)
    assert job is not None and job.finished_s is not None, "job did not finish"
    return job


def job_of(response) -> str:
    assert response.status_code == 303, response.text
    found = re.search(r"taak=([\w-]+)", response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1)


def post_fast_optimization(client, name: str, co2_cap: str = ""):
    """Post the scenarios page's optimisation form: fast mode, hourly, ``co2_cap`` in t/yr."""
    data = {"opt_name": name, "opt_resolution": "60", "opt_fast": "ja", "opt_co2_cap": co2_cap}
    return client.post(f"/parken/{PARK}/optimaliseren", data={"csrf_token": csrf(client), **data})


@pytest.fixture(scope="module")
def optimum(tariffs):
    """One optimisation started from the scenarios page by the park manager."""
    client = tariffs.login("park_manager")
    response = post_fast_optimization(client, "Optimum snel")
    assert "doel=optimalisatie" in response.headers["location"]
    job_id = job_of(response)
    progress = client.get(response.headers["location"])
    assert progress.status_code == 200
    assert f'data-done-url="/parken/{PARK}/optimalisaties/{{result_id}}"' in progress.text
    assert "Optimalisatie loopt" in progress.text
    job = finished(tariffs, job_id)
    status = client.get(f"/api/jobs/{job_id}").json()
    assert status["state"] == "done", status
    assert status["result_id"] == job.result_id
    return client, job.result_id


def test_the_scenarios_page_offers_the_optimisation_form_to_analysts_only(web):
    for role in ("park_manager", "advisor", "administrator"):
        page = web.login(role).get(f"/parken/{PARK}/scenarios")
        assert page.status_code == 200
        assert 'action="/parken/voorbeeldpark/optimaliseren"' in page.text
        assert re.search(r'id="o-fast" name="opt_fast" value="ja" checked', page.text)
    for role in ("entrepreneur", "programme_lead"):
        page = web.login(role).get(f"/parken/{PARK}/scenarios")
        assert "optimaliseren" not in page.text
    english = web.login("park_manager").get(f"/parken/{PARK}/scenarios?lang=en")
    assert ">Optimise</button>" in english.text
    assert "Fast mode (typical days" in english.text


def test_an_invalid_optimisation_form_starts_nothing(web):
    client = web.login("park_manager")
    response = client.post(
        f"/parken/{PARK}/optimaliseren",
        data={"csrf_token": csrf(client), "opt_name": "", "opt_co2_cap": "veel"},
    )
    assert response.status_code == 422
    assert "er is niets gestart" in response.text
    assert "Dit veld is verplicht." in response.text
    assert 'id="o-co2" name="opt_co2_cap" value="veel"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_the_optimisation_form_needs_the_csrf_token(web):
    client = web.login("park_manager")
    response = client.post(
        f"/parken/{PARK}/optimaliseren", data={"csrf_token": "vals", "opt_name": "x"}
    )
    assert response.status_code == 403


def test_the_result_page_shows_sizes_costs_and_solver(optimum, tariffs):
    client, result_id = optimum
    page = client.get(f"/parken/{PARK}/optimalisaties/{result_id}")
    assert page.status_code == 200
    text = page.text
    for words in (
        "Optimum snel",
        "Waarde van samenwerking",
        "Groepsvermogen energiehub",
        "Extra zonnepanelen per dak",
        "Batterijen",
        "Kosten per jaar",
        "<dd>optimaal</dd>",  # the solver status in Dutch
        "HiGHS",
        'role="img"',
    ):
        assert words in text, words
    data = client.get(f"/api/parks/{PARK}/optimizations/{result_id}").json()
    assert data["name"] == "Optimum snel"
    assert data["mode"] == "fast"
    assert data["value_of_cooperation_eur"] == pytest.approx(
        data["alone_total_eur"] - data["together_total_eur"], abs=0.02
    )
    assert data["hub"]["members"] == ["c01", "c02"]
    assert data["scenario_document"]["name"] == "Optimum snel"
    assert "scenario_file" not in data  # the temporary file is not exposed
    # the group capacity on the page is the optimum's
    kw = f"{data['hub']['contract_kw']:,.0f}".replace(",", ".")
    assert f"{kw} kW" in text
    listed = client.get(f"/api/parks/{PARK}/optimizations").json()
    assert any(o["id"] == result_id and o["mode"] == "fast" for o in listed)
    # entrepreneurs and programme leads do not see sizes per company
    for role in ("entrepreneur", "programme_lead"):
        other = tariffs.login(role)
        assert other.get(f"/parken/{PARK}/optimalisaties/{result_id}").status_code == 403
        assert other.get(f"/api/parks/{PARK}/optimizations/{result_id}").status_code == 403


def test_the_optimum_is_saved_as_a_scenario_for_the_comparison(optimum):
    client, result_id = optimum
    stored = client.get(f"/api/parks/{PARK}/scenarios").json()
    mine = [s for s in stored if s["name"] == "Optimum snel"]
    assert len(mine) == 1
    assert mine[0]["measures"] > 0
    page = client.get(f"/parken/{PARK}/scenarios?vergelijk={mine[0]['id']}")
    assert page.status_code == 200
    assert "Vergelijking" in page.text and "Optimum snel" in page.text
    listing = client.get(f"/parken/{PARK}/optimalisaties")
    assert f'href="/parken/{PARK}/optimalisaties/{result_id}"' in listing.text


def test_an_infeasible_optimisation_shows_the_dutch_explanation(tariffs):
    client = tariffs.login("advisor")
    response = post_fast_optimization(client, "Geen CO2", co2_cap="0")
    job_id = job_of(response)
    finished(tariffs, job_id)
    status = client.get(f"/api/jobs/{job_id}").json()
    assert status["state"] == "failed"
    assert "CO2-plafond" in status["error"] and "niet haalbaar" in status["error"]
    assert "Traceback" not in status["error"] and "Onverwachte fout" not in status["error"]
    english = client.get(f"/api/jobs/{job_id}?lang=en").json()
    assert english["error"] != status["error"]


def test_unknown_tariffs_fail_the_job_with_the_key_named(web):
    set_overrides(web.url, {})
    try:
        client = web.login("park_manager")
        response = client.post(
            f"/api/parks/{PARK}/optimizations",
            json={"name": "Zonder tarieven", "resolution_minutes": 60, "fast": True},
            headers={"X-CSRF-Token": csrf(client)},
        )
        assert response.status_code == 202, response.text
        job_id = response.json()["id"]
        finished(web, job_id)
        status = client.get(f"/api/jobs/{job_id}").json()
        assert status["state"] == "failed"
        assert "grid_category.rendo" in status["error"]
    finally:
        set_overrides(web.url, HYPOTHETICAL_RENDO)


def test_the_api_refuses_invalid_options_and_other_parks(web):
    client = web.login("park_manager")
    headers = {"X-CSRF-Token": csrf(client)}
    bad = client.post(
        f"/api/parks/{PARK}/optimizations",
        json={"name": "x", "resolution_minutes": 30},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == "Ongeldige invoer."
    other = client.post("/api/parks/anderpark/optimizations", json={"name": "x"}, headers=headers)
    assert other.status_code == 403
    no_token = client.post(f"/api/parks/{PARK}/optimizations", json={"name": "x"})
    assert no_token.status_code == 403


@pytest.fixture(scope="module")
def business_case(optimum, tariffs):
    """The business case of the optimum, started from the park's business case page."""
    client, _ = optimum
    page = client.get(f"/parken/{PARK}/opbrengst")
    assert page.status_code == 200
    choice = re.search(r'<option value="(\d+)"[^>]*>Optimum snel', page.text)
    assert choice, "the optimum is offered as a scenario"
    response = client.post(
        f"/parken/{PARK}/opbrengst",
        data={
            "csrf_token": csrf(client),
            "bc_scenario": choice.group(1),
            "bc_discount_pct": "6",
            "bc_horizon": "15",
            "bc_escalation_pct": "",
        },
    )
    job_id = job_of(response)
    assert (
        'data-done-url="/parken/voorbeeldpark/opbrengst"'
        in client.get(response.headers["location"]).text
    )
    finished(tariffs, job_id)
    status = client.get(f"/api/jobs/{job_id}").json()
    assert status["state"] == "done", status
    return status["result_id"]


def test_the_business_case_page_shows_every_company_to_the_park_manager(business_case, web):
    page = web.login("park_manager").get(f"/parken/{PARK}/opbrengst")
    assert page.status_code == 200
    for words in (
        "Optimum snel",
        "Transport Bakker BV",
        "Metaalbewerking De Vries",
        "Shapley",
        "Opnieuw doorrekenen",
        "disconteringsvoet 6,0 %",
    ):
        assert words in page.text, words
    data = web.login("park_manager").get(f"/api/parks/{PARK}/business-case").json()
    case = data["case"]
    assert case["result_id"] == business_case
    assert {c["id"] for c in case["companies"]} == {"c01", "c02", "c03"}
    shares = {c["id"]: c["share"] for c in case["companies"]}
    assert shares["c03"] is None  # not in the hub
    total = case["park"]["hub_benefit_eur"]
    assert shares["c01"]["benefit_eur"] + shares["c02"]["benefit_eur"] == pytest.approx(total)
    assert case["park"]["share_method"] == "shapley"


def test_an_entrepreneur_sees_only_the_own_company_and_park_totals(business_case, web):
    client = web.login("entrepreneur")  # c01
    page = client.get(f"/parken/{PARK}/opbrengst")
    assert page.status_code == 200
    assert "Transport Bakker BV" in page.text
    assert "Metaalbewerking De Vries" not in page.text
    assert "Administratiekantoor" not in page.text
    assert "Het park als geheel" in page.text
    assert 'action="/parken/voorbeeldpark/opbrengst"' not in page.text  # may not compute
    case = client.get(f"/api/parks/{PARK}/business-case").json()["case"]
    assert [c["id"] for c in case["companies"]] == ["c01"]
    assert case["park"]["company_count"] == 3
    assert case["companies"][0]["share"]["id"] == "c01"
    own = client.get(f"/parken/{PARK}/bedrijven/c01/opbrengst")
    assert "Uw deel van de energiehub" in own.text
    assert client.get(f"/parken/{PARK}/bedrijven/c02/opbrengst").status_code == 403
    # the programme lead sees the aggregates and only the company that consented (c02)
    lead = web.login("programme_lead").get(f"/api/parks/{PARK}/business-case").json()["case"]
    assert [c["id"] for c in lead["companies"]] == ["c02"]


def test_an_invalid_business_case_form_starts_nothing(optimum):
    client, _ = optimum
    response = client.post(
        f"/parken/{PARK}/opbrengst",
        data={"csrf_token": csrf(client), "bc_scenario": "999999", "bc_horizon": "80"},
    )
    assert response.status_code == 422
    assert "er is niets gestart" in response.text
    assert "Vul een getal in." in response.text  # the discount rate is required
    missing = client.post(
        f"/parken/{PARK}/opbrengst",
        data={
            "csrf_token": csrf(client),
            "bc_scenario": "999999",
            "bc_discount_pct": "6",
            "bc_horizon": "15",
        },
    )
    assert missing.status_code == 422
    assert "Dit scenario bestaat niet" in missing.text


def test_the_business_case_api_starts_a_job_and_refuses_bad_input(business_case, web):
    client = web.login("advisor")
    headers = {"X-CSRF-Token": csrf(client)}
    stored = client.get(f"/api/parks/{PARK}/scenarios").json()
    scenario_id = next(s["id"] for s in stored if s["name"] == "Optimum snel")
    bad = client.post(
        f"/api/parks/{PARK}/business-case",
        json={"scenario_result_id": scenario_id, "discount_rate": 0.06, "horizon_years": 99},
        headers=headers,
    )
    assert bad.status_code == 422
    unknown = client.post(
        f"/api/parks/{PARK}/business-case",
        json={"scenario_result_id": 999999, "discount_rate": 0.06, "horizon_years": 15},
        headers=headers,
    )
    assert unknown.status_code == 404
    started = client.post(
        f"/api/parks/{PARK}/business-case",
        json={"scenario_result_id": scenario_id, "discount_rate": 0.05, "horizon_years": 10},
        headers=headers,
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    finished(web, job_id)
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "done"
    case = client.get(f"/api/parks/{PARK}/business-case").json()["case"]
    assert case["finance"]["horizon_years"] == 10
    assert case["result_id"] > business_case
    denied = web.login("entrepreneur")
    assert (
        denied.post(
            f"/api/parks/{PARK}/business-case",
            json={"scenario_result_id": scenario_id, "discount_rate": 0.05, "horizon_years": 10},
            headers={"X-CSRF-Token": csrf(denied)},
        ).status_code
        == 403
    )


def test_the_new_api_operations_are_in_the_openapi_spec(web):
    spec = web.client().get("/api/openapi.json").json()
    paths = spec["paths"]
    assert "post" in paths["/api/parks/{park_id}/optimizations"]
    assert "get" in paths["/api/parks/{park_id}/optimizations/{result_id}"]
    assert {"get", "post"} <= set(paths["/api/parks/{park_id}/business-case"])


def test_a_newer_case_without_hub_does_not_show_an_older_split(business_case, web):
    """Runs last: the newest business case is then of a scenario without an energy hub."""
    client = web.login("park_manager")
    headers = {"X-CSRF-Token": csrf(client)}
    doc = {
        "format": "parkplan-scenario/1",
        "name": "Alleen zon",
        "measures": [{"type": "rooftop_pv", "company": "c01", "fill": True}],
    }
    simulated = client.post(f"/api/parks/{PARK}/scenarios", json=doc, headers=headers)
    assert simulated.status_code == 202, simulated.text
    result_id = finished(web, simulated.json()["id"]).result_id
    started = client.post(
        f"/api/parks/{PARK}/business-case",
        json={"scenario_result_id": result_id, "discount_rate": 0.06, "horizon_years": 15},
        headers=headers,
    )
    assert started.status_code == 202, started.text
    finished(web, started.json()["id"])
    case = web.login("entrepreneur").get(f"/api/parks/{PARK}/business-case").json()["case"]
    assert case["scenario"] == "Alleen zon"
    assert case["companies"][0]["share"] is None
    assert case["park"]["hub_benefit_eur"] is None
    own = web.login("entrepreneur").get(f"/parken/{PARK}/bedrijven/c01/opbrengst")
    assert "Alleen zon" in own.text
    assert "Uw deel van de energiehub" not in own.text
