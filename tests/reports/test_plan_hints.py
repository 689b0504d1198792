"""A plan's 'not run yet' notices give the command for this park, not a placeholder."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, plan_helpers) -> str:
    from parkplan.store.db import dispose_engines

    yield plan_helpers.prepared_database(tmp_path_factory.mktemp("hints"), illustrative=False)
    dispose_engines()


def test_not_run_notices_name_the_park_in_the_command(url, plan_helpers) -> None:
    from parkplan.reports.html import render_html

    html = render_html(plan_helpers.build(url))
    notices = " ".join(re.findall(r'data-kind="not_run">(.*?)</div>', html, flags=re.S))
    assert "Businesscases is nog niet uitgevoerd" in notices
    assert "plan PARK " not in notices
    commands = re.findall(r"parkplan plan ([a-z0-9-]+) --(?:scenario|optimize)", notices)
    assert commands and set(commands) != {"PARK"} and len(set(commands)) == 1
