"""Child-level data is seen only by those allowed, and every view is logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from oversight.accounts.audit import can_see_child_data, log_child_data_access
from oversight.accounts.models import ChildDataAccess

pytestmark = pytest.mark.django_db


def _request(user, path="/performance/cpp_open/rows/?month=2020-01"):
    request = RequestFactory().get(path, REMOTE_ADDR="10.0.0.7")
    request.user = user
    return request


def test_a_team_manager_may_see_child_level_rows_and_the_view_is_logged(tara_team_manager):
    assert can_see_child_data(tara_team_manager)
    entry = log_child_data_access(_request(tara_team_manager), "cpp_open rows 2020-01", rows_shown=12)
    assert ChildDataAccess.objects.get() == entry
    assert (entry.user, entry.rows_shown, entry.ip_address) == (tara_team_manager, 12, "10.0.0.7")
    assert entry.path == "/performance/cpp_open/rows/?month=2020-01"


@pytest.mark.parametrize("who", ["bob_board_member", "owen_action_owner", "priya_programme_manager"])
def test_people_without_the_permission_are_refused_and_nothing_is_shown(request, who):
    user = request.getfixturevalue(who)
    assert not can_see_child_data(user)
    with pytest.raises(PermissionDenied):
        log_child_data_access(_request(user), "cpp_open rows 2020-01")
    assert not ChildDataAccess.objects.exists()


def test_the_access_log_cannot_be_edited_or_deleted_in_the_admin(admin_client, tara_team_manager):
    entry = log_child_data_access(_request(tara_team_manager), "cla_open rows")
    assert admin_client.get(f"/admin/accounts/auditevent/{entry.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/accounts/auditevent/{entry.pk}/change/", {"what": "tampered"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.what == "cla_open rows"
