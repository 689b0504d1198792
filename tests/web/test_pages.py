"""The pages beyond the foundation: import wizard, survey, privacy, invitations, scenarios,
stored baseline and selection -- each with its bad input answered in Dutch, changing nothing."""

from __future__ import annotations

import re
from pathlib import Path

PARK = "voorbeeldpark"  # as in conftest.py

INVENTORY = Path(__file__).parents[1] / "data" / "inventory" / "bedrijven-utf8-bom.csv"


def _csrf(client) -> str:
    return client.get("/api/me").json()["csrf_token"]


def _upload(client, name: str, content: bytes, **fields: str):
    data = {"csrf_token": _csrf(client), **fields}
    return client.post("/importeren", data=data, files={"file": (name, content, "text/csv")})


def _park_ids(url: str) -> set[str]:
    from parkplan.services.parks import list_parks
    from parkplan.store.db import session_scope

    with session_scope(url) as session:
        return {p.id for p in list_parks(session)}


def test_import_wizard_refuses_bad_files_and_saves_after_confirmation(web):
    admin = web.login("administrator")
    before = _park_ids(web.url)

    wrong = _upload(admin, "bedrijven.pdf", b"%PDF-1.4")
    assert wrong.status_code == 415
    assert "bestandstype wordt niet ondersteund" in wrong.text

    limit = web.app.state.max_upload_bytes
    web.app.state.max_upload_bytes = 100
    try:
        big = _upload(admin, "bedrijven.csv", b"x" * 5000, park_id="")
    finally:
        web.app.state.max_upload_bytes = limit
    assert big.status_code == 413
    assert "te groot" in big.text and "niets opgeslagen" in big.text

    text = INVENTORY.read_text(encoding="utf-8-sig")
    bad = text.replace("310.000", "veel").replace("01234567", "12")
    faulty = _upload(admin, "bedrijven.csv", bad.encode(), new_park_id="nieuwpark")
    assert faulty.status_code == 422, re.findall(r'role="alert">(.*?)</', faulty.text, re.S)
    assert "2 fout(en); er is niets opgeslagen" in faulty.text
    rows = re.findall(
        r"<tr><td>bedrijven.csv</td><td class=\"num\">(\d+)</td><td>([^<]+)</td>", faulty.text
    )
    assert ("2", "KVK NUMMER") in rows and ("2", "Jaarverbruik Elektriciteit (kWh)") in rows
    assert _park_ids(web.url) == before

    checked = _upload(admin, "bedrijven.csv", text.encode(), new_park_id="nieuwpark")
    assert checked.status_code == 200, checked.text
    assert "Controle geslaagd" in checked.text and "nieuw park aanmaken" in checked.text
    token = re.search(r'name="token" value="([^"]+)"', checked.text).group(1)
    assert _park_ids(web.url) == before  # checking writes nothing

    manager = web.login("park_manager")
    stolen = manager.post(
        "/importeren/bevestigen", data={"csrf_token": _csrf(manager), "token": token}
    )
    assert stolen.status_code == 410  # another user cannot confirm someone's upload
    done = admin.post("/importeren/bevestigen", data={"csrf_token": _csrf(admin), "token": token})
    assert done.status_code == 303
    new = _park_ids(web.url) - before
    assert len(new) == 1
    assert done.headers["location"] == f"/parken/{new.pop()}?geimporteerd=1"
    again = admin.post("/importeren/bevestigen", data={"csrf_token": _csrf(admin), "token": token})
    assert again.status_code == 410 and "opnieuw" in again.text


def test_park_manager_cannot_create_a_park_by_import(web):
    manager = web.login("park_manager")
    before = _park_ids(web.url)
    text = INVENTORY.read_text(encoding="utf-8-sig")
    answer = _upload(manager, "bedrijven.csv", text.encode(), new_park_id="nieuwpark2")
    assert answer.status_code == 422
    assert "alleen een beheerder kan een nieuw park" in answer.text
    forged = manager.post(
        "/importeren", data={"csrf_token": "vervalst"}, files={"file": ("a.csv", b"x")}
    )
    assert forged.status_code == 403 and "niet vanuit parkplan verstuurd" in forged.text
    assert _park_ids(web.url) == before


def _engagement(url: str, company_id: str):
    from parkplan.services.parks import get_park
    from parkplan.store.db import session_scope

    with session_scope(url) as session:
        return get_park(session, PARK).company(company_id).engagement


def test_survey_validates_and_saves(web):
    owner = web.login("entrepreneur")
    before = _engagement(web.url, "c01")
    form = {
        "csrf_token": _csrf(owner),
        "bond_with_park": "7",
        "bond_with_companies": "2",
        "interest.heat_pump": "yes",
        "consent": "ja",
    }
    refused = owner.post(f"/parken/{PARK}/bedrijven/c01/enquete", data=form)
    assert refused.status_code == 422
    assert "mag hoogstens 5 zijn" in refused.text and "niets opgeslagen" in refused.text
    assert _engagement(web.url, "c01") == before

    form["bond_with_park"] = "4"
    saved = owner.post(f"/parken/{PARK}/bedrijven/c01/enquete", data=form)
    assert saved.status_code == 303
    after = _engagement(web.url, "c01")
    assert after.bond_with_park == 4 and after.bond_with_companies == 2
    assert after.interest == {"heat_pump": "yes"} and after.consent_share_data is True
    page = owner.get(f"/parken/{PARK}/bedrijven/c01/enquete?opgeslagen=1")
    assert 'id="bond_with_park-4" name="bond_with_park" value="4" checked' in page.text


def test_contact_export_and_erasure_are_audited(web):
    from parkplan.domain.access import Principal, Role
    from parkplan.services.companies import update_company
    from parkplan.services.parks import get_park
    from parkplan.store.db import session_scope
    from parkplan.store.repository import list_audit

    admin = Principal(None, "admin@example.org", Role.ADMINISTRATOR)
    with session_scope(web.url) as session:
        update_company(
            session,
            admin,
            PARK,
            "c03",
            {"contact": {"name": "Jan Jansen", "email": "jan@example.org", "phone": "0612345678"}},
        )
    manager = web.login("park_manager")
    export = manager.get(f"/parken/{PARK}/bedrijven/c03/contactpersoon.json")
    assert export.status_code == 200
    assert export.json()["contact"] == {
        "name": "Jan Jansen",
        "email": "jan@example.org",
        "phone": "0612345678",
    }
    assert "attachment" in export.headers["content-disposition"]
    assert "twee jaar" in export.json()["retention"]["nl"]

    advisor = web.login("advisor")
    assert advisor.get(f"/parken/{PARK}/bedrijven/c03/contactpersoon.json").status_code == 403

    erased = manager.post(
        f"/parken/{PARK}/bedrijven/c03/contactpersoon/wissen", data={"csrf_token": _csrf(manager)}
    )
    assert erased.status_code == 303
    with session_scope(web.url) as session:
        assert get_park(session, PARK).company("c03").contact is None
        entries = list_audit(session, park_id=PARK)
        actions = {(e.action, e.entity, e.entity_id) for e in entries}
        assert ("export", "contact", "c03") in actions and ("erase", "contact", "c03") in actions
        texts = " ".join(f"{e.old_value} {e.new_value}" for e in entries)
    assert "Jan Jansen" not in texts and "jan@example.org" not in texts


def test_invitation_by_link(web):
    manager = web.login("park_manager")
    page = manager.get(f"/parken/{PARK}/uitnodigen")
    assert page.status_code == 200
    assert 'value="entrepreneur"' in page.text and 'value="park_manager"' not in page.text
    token = _csrf(manager)
    refused = manager.post(
        f"/parken/{PARK}/uitnodigen",
        data={"csrf_token": token, "email": "baas@example.org", "role": "park_manager"},
    )
    assert refused.status_code == 422 and "Kies een rol uit de lijst" in refused.text
    made = manager.post(
        f"/parken/{PARK}/uitnodigen",
        data={
            "csrf_token": token,
            "email": "nieuw@example.org",
            "role": "entrepreneur",
            "company_id": "c03",
        },
    )
    assert made.status_code == 200
    link = re.search(r'value="https://testserver(/uitnodiging/[^"]+)"', made.text).group(1)
    guest = web.client()
    accepted = guest.post(link, data={"password": "een-lang-wachtwoord"})
    assert accepted.status_code == 303
    me = guest.get("/api/me").json()
    assert me["role"] == "entrepreneur" and me["company_id"] == "c03"
    assert guest.get(f"/parken/{PARK}/bedrijven/c01").status_code == 403
    assert web.client().post(link, data={"password": "een-lang-wachtwoord"}).status_code == 400


def test_scenario_runs_in_the_background_is_stored_and_compared(web):
    from parkplan.store.db import session_scope
    from parkplan.store.repository import list_results

    manager = web.login("park_manager")
    token = _csrf(manager)
    bad = manager.post(
        f"/parken/{PARK}/scenarios",
        data={"csrf_token": token, "name": "Hub", "hub": "ja", "hub_capacity_kw": "veel"},
    )
    assert bad.status_code == 422 and "er is niets gestart" in bad.text
    started = manager.post(
        f"/parken/{PARK}/scenarios",
        data={
            "csrf_token": token,
            "name": "Hub met batterij",
            "hub": "ja",
            "hub_battery_kwh": "200",
        },
    )
    assert started.status_code == 303
    job_id = started.headers["location"].split("taak=")[1]
    progress = manager.get(started.headers["location"])
    assert f'data-job="{job_id}"' in progress.text and "<progress" in progress.text
    job = web.app.state.jobs.wait(job_id, timeout_s=300)
    status = manager.get(f"/api/jobs/{job_id}").json()
    assert status["state"] == "done", status
    assert status["progress"] == 1.0 and status["result_id"] == job.result_id
    assert web.login("advisor").get(f"/api/jobs/{job_id}").status_code == 404

    with session_scope(web.url) as session:
        rows = [r for r in list_results(session, PARK, "simulation") if r.id == job.result_id]
        assert rows and rows[0].key == "Hub met batterij"
        assert rows[0].inputs_hash and rows[0].refdata_version and rows[0].code_version
        company_names = [c["name"] for c in rows[0].payload["companies"]]

    owner = web.login("entrepreneur")
    compare = owner.get(f"/parken/{PARK}/scenarios?vergelijk={job.result_id}")
    assert compare.status_code == 200
    assert "Hub met batterij" in compare.text and 'role="img"' in compare.text
    assert "Zelfvoorzienendheid" in compare.text
    # park-level figures only: no company of the payload is named on the page
    assert company_names and not any(c in compare.text for c in company_names)
    listed = owner.get(f"/api/parks/{PARK}/scenarios").json()
    assert listed[0]["name"] == "Hub met batterij" and "companies" not in listed[0]

    # the stored scenario as a file for parkplan simulate / plan --scenario
    import yaml

    from parkplan.energy.scenario import parse_scenario

    file = manager.get(f"/parken/{PARK}/scenarios/{job.result_id}.yaml")
    assert file.status_code == 200 and "attachment" in file.headers["content-disposition"]
    doc = yaml.safe_load(file.text)
    assert doc["name"] == "Hub met batterij"
    assert parse_scenario(doc).hubs[0].shared_battery.energy_kwh == 200
    assert owner.get(f"/parken/{PARK}/scenarios/{job.result_id}.yaml").status_code == 403


def test_dashboard_reads_a_stored_baseline(web):
    from parkplan.store.db import session_scope
    from parkplan.store.repository import list_results

    manager = web.login("park_manager")

    def stored() -> int:
        with session_scope(web.url) as session:
            return len(list_results(session, PARK, "baseline"))

    assert manager.get(f"/parken/{PARK}").status_code == 200
    first = stored()
    assert manager.get(f"/parken/{PARK}").status_code == 200
    assert stored() == first  # read back, not recomputed
    manager.patch(
        f"/api/parks/{PARK}/companies/c02",
        json={"employees": 41},
        headers={"X-CSRF-Token": _csrf(manager)},
    )
    assert manager.get(f"/parken/{PARK}").status_code == 200
    assert stored() == first + 1  # the park changed: computed and stored again


def test_selection_page_ranks_and_checks_weights(web):
    admin = web.login("administrator")
    page = admin.get("/selectie")
    assert page.status_code == 200, re.findall(r'role="alert">(.*?)</div', page.text, re.S)
    assert "Rangorde" in page.text and "Stabiliteit van de rangorde" in page.text
    assert "Ander park" in page.text
    bad = admin.get("/selectie?w_area_ha=-1")
    assert bad.status_code == 422 and "mag niet negatief zijn" in bad.text


def test_plan_text_is_saved_and_in_the_downloaded_plan(web):
    manager = web.login("park_manager")
    page = manager.get(f"/parken/{PARK}/plan")
    assert page.status_code == 200 and "Teksten van het plan" in page.text
    saved = manager.post(
        f"/parken/{PARK}/plan/tekst",
        data={
            "csrf_token": _csrf(manager),
            "section": "summary",
            "markdown": "Het park {{ park_name }} kiest voor een energiehub.",
        },
    )
    assert saved.status_code == 303
    bad = manager.post(
        f"/parken/{PARK}/plan/tekst",
        data={"csrf_token": _csrf(manager), "section": "bestaat-niet", "markdown": "x"},
    )
    assert bad.status_code == 422 and "Onbekende sectie" in bad.text
    plan = manager.get(f"/parken/{PARK}/plan.md")
    assert plan.status_code == 200
    assert "attachment" in plan.headers["content-disposition"]
    assert "kiest voor een energiehub" in plan.text and "{{ park_name }}" not in plan.text
    assert manager.get(f"/parken/{PARK}/plan.exe").status_code == 404


def test_what_do_i_gain_reads_the_stored_business_case(web):
    from parkplan.store.db import session_scope
    from parkplan.store.repository import save_result

    owner = web.login("entrepreneur")
    empty = owner.get(f"/parken/{PARK}/bedrijven/c01/opbrengst")
    assert empty.status_code == 200 and "nog geen businesscase" in empty.text
    case = {"id": "c01", "capex_eur": 120000.0, "subsidy_eur": 0.0, "annual_saving_eur": 15250.0,
            "opex_eur_per_year": 1200.0, "npv_eur": 43210.0, "irr": 0.087, "payback_years": 8.5,
            "unknown": []}  # fmt: skip
    other = {**case, "id": "c02", "capex_eur": 999999.0}
    with session_scope(web.url) as session:
        save_result(session, PARK, "business_case", {"companies": [case, other]}, key="Zon")
        mine = {"id": "c01", "benefit_eur": 4321.0, "share": 0.25, "ci95_eur": 100.0}
        split = {"hub": "GTO", "method": "shapley", "companies": [mine]}
        save_result(session, PARK, "share", split, key="Zon")
    page = owner.get(f"/parken/{PARK}/bedrijven/c01/opbrengst")
    assert page.status_code == 200
    for text in ("€ 120.000", "€ 15.250", "8,5 jaar", "8,7 %", "€ 4.321", "25,0 %", "Zon"):
        assert text in page.text, text
    assert "999.999" not in page.text  # another company's figures never show


def test_follow_up_actions_kpis_and_news(web):
    from parkplan.store.db import session_scope
    from parkplan.store.repository import list_audit

    manager = web.login("park_manager")
    token = _csrf(manager)
    base = f"/parken/{PARK}/voortgang"
    bad = manager.post(
        f"{base}/actie",
        data={"csrf_token": token, "title": "Netbeheerder spreken", "phase": "preparation",
              "due": "31-02-2027"},
    )  # fmt: skip
    assert bad.status_code == 422 and "Datum niet herkend" in bad.text
    assert "Netbeheerder spreken</td>" not in manager.get(base).text
    made = manager.post(
        f"{base}/actie",
        data={"csrf_token": token, "title": "Netbeheerder spreken", "phase": "preparation",
              "owner": "Parkmanager", "due": "01-03-2027"},
    )  # fmt: skip
    assert made.status_code == 303
    page = manager.get(base).text
    action_id = re.search(r'name="action_id" value="(\d+)"', page).group(1)
    assert "01-03-2027" in page
    done = manager.post(
        f"{base}/status", data={"csrf_token": token, "action_id": action_id, "status": "done"}
    )
    assert done.status_code == 303
    kpi = manager.post(
        f"{base}/kpi",
        data={"csrf_token": token, "kpi": "co2_t", "year": "2026", "value": "1.200",
              "target": "1.500", "source": "nulmeting"},
    )  # fmt: skip
    assert kpi.status_code == 303
    news = manager.post(
        f"{base}/nieuws",
        data={"csrf_token": token, "title": "Bijeenkomst energiehub", "body": "Donderdag 19 uur."},
    )
    assert news.status_code == 303

    owner = web.login("entrepreneur")
    seen = owner.get(base)
    assert seen.status_code == 200
    assert "Bijeenkomst energiehub" in seen.text and "klaar" in seen.text
    assert "1.200" in seen.text and "1.500" in seen.text
    assert (
        owner.post(
            f"{base}/nieuws", data={"csrf_token": _csrf(owner), "title": "x", "body": "y"}
        ).status_code
        == 403
    )
    with session_scope(web.url) as session:
        changes = [
            (e.field, e.old_value, e.new_value)
            for e in list_audit(session, park_id=PARK)
            if e.entity == "roadmap_action" and e.action == "update"
        ]
    assert ("status", "open", "done") in changes


ENGLISH = {
    "/parken?lang=en": "Parks",
    f"/parken/{PARK}?lang=en": "Key figures",
    f"/parken/{PARK}/scenarios?lang=en": "New scenario",
    f"/parken/{PARK}/voortgang?lang=en": "Roadmap actions",
    f"/parken/{PARK}/plan?lang=en": "Texts of the plan",
    f"/parken/{PARK}/uitnodigen?lang=en": "Invite someone",
    f"/parken/{PARK}/bedrijven/c01/enquete?lang=en": "Interest per measure",
    f"/parken/{PARK}/bedrijven/c01/opbrengst?lang=en": "What do I gain?",
    "/importeren?lang=en": "Import data",
    "/privacy?lang=en": "Retention",
}


def test_every_page_has_an_english_version(web):
    manager = web.login("park_manager")
    for path, text in ENGLISH.items():
        page = manager.get(path)
        assert page.status_code == 200, path
        assert '<html lang="en">' in page.text and text in page.text, path


def test_concurrent_page_views_and_edits_do_not_fail(web):
    """Reads (with audited company reads) and an edit at the same time on SQLite: no errors."""
    import threading

    manager = web.login("park_manager")
    cookies = {"parkplan_session": manager.cookies.get("parkplan_session")}
    token = _csrf(manager)
    statuses: list[int] = []
    lock = threading.Lock()

    def reader(i: int) -> None:
        client = web.client()
        client.cookies.update(cookies)
        for k in range(6):
            path = f"/parken/{PARK}" if (i + k) % 2 else f"/parken/{PARK}/bedrijven/c0{1 + k % 3}"
            code = client.get(path).status_code
            with lock:
                statuses.append(code)

    def editor() -> None:
        client = web.client()
        client.cookies.update(cookies)
        for n in (42, 43, 44):
            r = client.patch(
                f"/api/parks/{PARK}/companies/c03",
                json={"employees": n},
                headers={"X-CSRF-Token": token},
            )
            with lock:
                statuses.append(r.status_code)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(6)]
    threads.append(threading.Thread(target=editor))
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(statuses) == 6 * 6 + 3
    assert set(statuses) == {200}
