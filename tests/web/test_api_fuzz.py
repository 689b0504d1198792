"""schemathesis against the OpenAPI spec, in-process on the ASGI app, logged in as a park
manager (who may call every operation): no request may cause a server error.

Bounded by a few derandomised examples per operation, so the suite stays fast (no time
budget: a loaded machine must not turn into a failing test).
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings

MAX_EXAMPLES = 6


def test_api_answers_every_generated_request_without_server_error(web):
    import schemathesis

    client = web.login("park_manager")
    cookies = {"parkplan_session": client.cookies.get("parkplan_session")}
    headers = {"X-CSRF-Token": client.get("/api/me").json()["csrf_token"]}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", web.app)
    failures: list[str] = []
    answered: list[int] = []
    seen = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        seen += 1

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case) -> None:
            response = case.call(headers=headers, cookies=cookies)
            answered.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        check()
    assert seen >= 8  # every API operation was exercised
    assert failures == []
    assert 200 in answered and 401 not in answered  # the calls really ran logged in
    web.app.state.jobs.shutdown()  # scenarios started by valid examples need not finish
