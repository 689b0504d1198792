import pytest

from parkplan.domain.access import (
    Principal,
    Role,
    can_analyse,
    can_edit_company,
    can_edit_park,
    can_invite,
    can_view_company,
    can_view_company_list,
    can_view_park,
)

ADMIN = Principal(1, "a@example.org", Role.ADMINISTRATOR)
MANAGER = Principal(2, "m@example.org", Role.PARK_MANAGER, frozenset({"p1"}))
OWNER = Principal(3, "o@example.org", Role.ENTREPRENEUR, frozenset({"p1"}), company_id="c1")
LEAD = Principal(4, "l@example.org", Role.PROGRAMME_LEAD, frozenset({"p1", "p2"}))
ADVISOR = Principal(5, "v@example.org", Role.ADVISOR, frozenset({"p2"}))


@pytest.mark.parametrize(
    ("who", "company", "consented", "allowed"),
    [
        (ADMIN, "c1", False, True),
        (MANAGER, "c1", False, True),
        (OWNER, "c1", False, True),
        (OWNER, "c2", True, False),  # never another company's data, consent or not
        (LEAD, "c1", False, False),
        (LEAD, "c1", True, True),
        (ADVISOR, "c1", True, False),  # not assigned to p1
    ],
)
def test_company_data_visibility(who, company, consented, allowed):
    assert can_view_company(who, "p1", company, consented=consented) is allowed


def test_membership_bounds_everything_but_admin():
    for who in (MANAGER, OWNER, LEAD):
        assert can_view_park(who, "p1")
        assert not can_view_park(who, "p3")
    assert can_view_park(ADMIN, "p3")


def test_edit_and_analyse_rights():
    assert can_edit_company(OWNER, "p1", "c1")
    assert not can_edit_company(OWNER, "p1", "c2")
    assert not can_edit_company(LEAD, "p1", "c1")
    assert can_edit_park(MANAGER, "p1") and not can_edit_park(MANAGER, "p2")
    assert not can_edit_park(ADVISOR, "p2")
    assert can_analyse(ADVISOR, "p2") and not can_analyse(OWNER, "p1")
    assert can_view_company_list(MANAGER, "p1") and not can_view_company_list(OWNER, "p1")
    assert not can_view_company_list(LEAD, "p1")


def test_invitations():
    assert can_invite(MANAGER, "p1", Role.ENTREPRENEUR)
    assert not can_invite(MANAGER, "p1", Role.PARK_MANAGER)
    assert not can_invite(MANAGER, "p2", Role.ENTREPRENEUR)
    assert can_invite(ADMIN, "p9", Role.PROGRAMME_LEAD)
