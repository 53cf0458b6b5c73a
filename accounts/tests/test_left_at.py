"""A person's leaving is dated when a school admin deactivates their account, on its page or
with the user list's "Set active state", and the date goes when it is reactivated; the list
and the page show it (the school's data retention counts from it: privacy)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_activity_track, users_active_set
from accounts.viewsets import HELP_ACTIVE
from conftest import client_as, user_named

pytestmark = pytest.mark.django_db

ADMIN = "admin@greenwood.test"
THEN = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def _edit_data(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "role": "student",
        **changes,
    }
    return {key: value for key, value in data.items() if value is not None}


def _amina(greenwood) -> User:
    with schema_context(greenwood.schema_name):
        return user_named("amina")


def _reload(greenwood, user) -> User:
    with schema_context(greenwood.schema_name):
        return User.objects.get(pk=user.pk)


def test_tracking_dates_a_deactivation_keeps_the_date_and_clears_it_on_reactivation():
    user = User(is_active=False)
    user_activity_track(user=user, was_active=True, now=THEN)
    assert user.left_at == THEN
    # Saved again while inactive (another field changed): the date stays.
    user_activity_track(user=user, was_active=False, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert user.left_at == THEN
    user.is_active = True
    user_activity_track(user=user, was_active=False)
    assert user.left_at is None
    # Inactive all along, never dated (deactivated before dates were kept): no date invented.
    undated = User(is_active=False)
    user_activity_track(user=undated, was_active=False)
    assert undated.left_at is None


def test_deactivating_on_the_users_page_dates_it_and_reactivating_clears_it(greenwood):
    client = client_as(greenwood, ADMIN)
    amina = _amina(greenwood)
    url = f"/admin/users/edit/{amina.pk}/"
    form = client.get(url).context["form"]
    assert form.fields["is_active"].help_text == HELP_ACTIVE

    before = timezone.now()
    response = client.post(url, _edit_data(amina))  # "Active" unticked: left out of the POST
    assert response.status_code == 302, response.context["form"].errors
    amina = _reload(greenwood, amina)
    assert not amina.is_active and before <= amina.left_at <= timezone.now()

    # Shown on her page and in the list.
    page = client.get(url).content.decode()
    assert f"Left the school on {timezone.localtime(amina.left_at):%-d %B %Y}" in page
    listing = client.get("/admin/users/", {"q": "amina"})
    columns = [column.name for column in listing.context["table"].columns.values()]
    assert columns[columns.index("is_active") + 1] == "left_at"

    # Saving her page again while inactive keeps the date.
    left_at = amina.left_at
    assert client.post(url, _edit_data(amina, display_name="Amina H.")).status_code == 302
    assert _reload(greenwood, amina).left_at == left_at

    assert client.post(url, _edit_data(amina, is_active="on")).status_code == 302
    amina = _reload(greenwood, amina)
    assert amina.is_active and amina.left_at is None
    assert "Left the school on" not in client.get(url).content.decode()


def test_the_lists_set_active_state_dates_and_clears_leaving(greenwood):
    client = client_as(greenwood, ADMIN)
    with schema_context(greenwood.schema_name):
        amina, brian, admin = (user_named(n) for n in ("amina", "brian", ADMIN))
    url = "/admin/bulk/accounts/user/set_active_state/"
    query = f"?id={amina.pk}&id={brian.pk}&id={admin.pk}"

    response = client.post(url + query, {"mark_as_active": "False"})
    assert response.status_code == 302
    amina, brian = _reload(greenwood, amina), _reload(greenwood, brian)
    assert not amina.is_active and amina.left_at is not None
    assert not brian.is_active and brian.left_at == amina.left_at
    admin = _reload(greenwood, admin)
    assert admin.is_active and admin.left_at is None  # nobody deactivates themselves

    response = client.post(url + query, {"mark_as_active": "True"})
    assert response.status_code == 302
    for person in (amina, brian):
        person = _reload(greenwood, person)
        assert person.is_active and person.left_at is None


def test_marking_inactive_again_keeps_the_first_date_and_only_school_admins_may(school):
    amina, admin, grace = (user_named(n) for n in ("amina", ADMIN, "grace"))
    assert users_active_set(users=[amina], active=False, by=admin, now=THEN) == 1
    later = datetime(2026, 6, 1, tzinfo=UTC)
    users_active_set(users=[amina], active=False, by=admin, now=later)
    assert User.objects.get(pk=amina.pk).left_at == THEN

    with pytest.raises(PermissionDenied):
        users_active_set(users=[amina], active=True, by=grace)
    assert not User.objects.get(pk=amina.pk).is_active
