"""A web app on a temporary SQLite database with the example park and one user per role."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"
PASSWORD = "wachtwoord-123"
PARK = "voorbeeldpark"
OTHER_PARK = "anderpark"

USERS = {
    # role: (email, parks, company)
    "administrator": ("admin@example.org", [], None),
    "programme_lead": ("lead@example.org", [PARK], None),
    "park_manager": ("manager@example.org", [PARK], None),
    "entrepreneur": ("owner@example.org", [PARK], "c01"),
    "advisor": ("advisor@example.org", [PARK], None),
}


@dataclass
class WebEnv:
    app: object
    url: str

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="https://testserver", follow_redirects=False)

    def login(self, role: str) -> TestClient:
        client = self.client()
        if role == "anonymous":
            return client
        email = USERS[role][0]
        form = client.get("/inloggen")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        response = client.post(
            "/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 303, response.text
        return client


def load_example_parks(url: str) -> None:
    from parkplan.io.parkfile import park_from_document
    from parkplan.services.parks import save_park
    from parkplan.store.db import session_scope

    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    # c02 consented to share its data; c01 did not
    doc["companies"][1]["engagement"]["consent_share_data"] = True
    other = copy.deepcopy(doc)
    other["park"]["id"] = OTHER_PARK
    other["park"]["name"] = "Ander park"
    with session_scope(url) as session:
        for d in (doc, other):
            park, _ = park_from_document(d)
            save_park(session, park, actor="test")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    """One app and database per test module (hashing passwords is slow on purpose)."""
    from parkplan.services.users import add_user
    from parkplan.store.db import dispose_engines, session_scope
    from parkplan.web.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.sqlite'}"
    load_example_parks(url)
    with session_scope(url) as session:
        for role, (email, parks, company) in USERS.items():
            add_user(session, email, role, password=PASSWORD, park_ids=parks, company_id=company)
    yield WebEnv(create_app(url), url)
    dispose_engines()
