"""The signed-in person's role is read once per request (their groups prefetched with them),
and a change of role is seen at once by the same object."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.backends import EmailOrUsernameBackend
from accounts.permissions import is_student, is_teacher
from accounts.roles import TEACHER
from accounts.services import user_role_set
from conftest import client_as, school_user


def test_a_request_reads_the_persons_groups_once(greenwood):
    client = client_as(greenwood, "amina")
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    group_reads = [q["sql"] for q in queries if '"auth_group"."name"' in q["sql"]]
    assert len(group_reads) == 1, group_reads


def test_a_role_changed_on_the_prefetched_person_is_seen_at_once(greenwood):
    with schema_context(greenwood.schema_name):
        user = EmailOrUsernameBackend().get_user(school_user(greenwood, "amina").pk)
        assert is_student(user) and not is_teacher(user)
        user_role_set(user=user, role=TEACHER)
        assert is_teacher(user) and not is_student(user)


def test_no_person_for_an_unknown_or_inactive_id(greenwood):
    with schema_context(greenwood.schema_name):
        backend = EmailOrUsernameBackend()
        assert backend.get_user(10**9) is None
        user = school_user(greenwood, "amina")
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert backend.get_user(user.pk) is None
