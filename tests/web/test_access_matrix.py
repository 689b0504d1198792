"""The committed access matrix (role x route) is the contract: every route of the app must be
in it, and every row is checked against the running app."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

MATRIX = Path(__file__).with_name("access_matrix.csv")
ROLES = ["anonymous", "administrator", "programme_lead", "park_manager", "entrepreneur", "advisor"]
UNLISTED = {"/static", "/api/openapi.json", "/api/docs", "/docs/oauth2-redirect"}


def _rows() -> list[dict[str, str]]:
    with MATRIX.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _all_routes(routes, prefix: str = ""):
    """Every route, also inside included routers (FastAPI >= 0.16x keeps them nested)."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            context = getattr(route, "include_context", None)
            yield from _all_routes(original.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute | Route):
            yield prefix + route.path, route


def test_every_route_is_in_the_matrix(web):
    listed = {(r["route"], r["method"]) for r in _rows()}
    missing = []
    routes = list(_all_routes(web.app.routes))
    found = {path for path, _ in routes}
    assert {"/parken/{park_id}", "/api/me"} <= found  # the walk finds nested routes
    for path, route in routes:
        if path in UNLISTED:
            continue
        for method in sorted(route.methods or ()):
            if method in ("HEAD", "OPTIONS"):
                continue
            if (path, method) not in listed:
                missing.append(f"{method} {path}")
    assert not missing, f"routes missing from {MATRIX.name}: {missing}"


def _edit_form(client, path: str) -> dict[str, str]:
    page = client.get(path)
    if page.status_code != 200:
        return {}
    fields = dict(re.findall(r'<input id="[^"]+" name="([^"]+)" value="([^"]*)"', page.text))
    for name, block in re.findall(
        r'<select id="[^"]+" name="([^"]+)">(.*?)</select>', page.text, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', block)
        fields[name] = chosen.group(1) if chosen else ""
    # radio buttons keep their checked answer (the survey)
    for name, value in re.findall(
        r'<input type="radio" id="[^"]+" name="([^"]+)" value="([^"]*)" checked>', page.text
    ):
        fields[name] = value
    return fields


def _request(client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    me = client.get("/api/me")
    token = me.json()["csrf_token"] if me.status_code == 200 else "none"
    if method == "POST" and path.startswith("/api/"):
        # an invalid scenario: access is checked first, nothing runs
        bad = {"name": "x", "measures": [{"type": "onbekend"}]}
        return client.post(path, json=bad, headers={"X-CSRF-Token": token})
    if method == "POST":
        data = _edit_form(client, path)
        data["csrf_token"] = token
        return client.post(path, data=data)
    if method == "PATCH":
        return client.patch(path, json={"employees": 40}, headers={"X-CSRF-Token": token})
    raise AssertionError(method)


@pytest.mark.parametrize("role", ROLES)
def test_matrix_rows_hold(web, role):
    client = web.login(role)
    failures = []
    for row in _rows():
        expected = row[role]
        if row["path"] == "-" or expected in ("public", "skip"):
            # public: no session needed; skip: would start a long background job (the
            # route's denials are still checked for the other roles)
            continue
        response = _request(client, row["method"], row["path"])
        location = response.headers.get("location", "")
        if expected == "allow":
            # access granted: the page or answer, a redirect onwards, or a Dutch message
            # about the input itself (422, 410: nothing changed) -- never 401/403/404/5xx
            ok = response.status_code in (200, 202, 410, 422) or (
                response.status_code == 303 and not location.startswith("/inloggen")
            )
        elif expected == "missing":
            ok = response.status_code == 404
        elif expected == "deny":
            ok = response.status_code == 403
        elif expected == "login":
            ok = response.status_code == 401 or (
                response.status_code == 303 and location.startswith("/inloggen")
            )
        else:
            raise AssertionError(f"unknown expectation {expected!r}")
        if not ok:
            failures.append(f"{row['method']} {row['path']}: {response.status_code} {location}")
    assert not failures, f"{role}: {failures}"
