import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_within_a_school_ignoring_case(greenwood):
    with schema_context(greenwood.schema_name):
        UserFactory(username="zed", email="zed@example.test")
        with pytest.raises(IntegrityError), transaction.atomic():
            UserFactory(username="zed2", email="ZED@Example.test")


def test_full_clean_reports_a_duplicate_email(greenwood):
    with schema_context(greenwood.schema_name):
        UserFactory(username="zed", email="zed@example.test")
        duplicate = User(username="zed2", email="Zed@example.test")
        duplicate.set_password("x")
        with pytest.raises(ValidationError) as caught:
            duplicate.full_clean()
        assert "A user with this email address already exists." in str(caught.value)


def test_same_email_may_exist_in_two_schools(greenwood, riverside):
    with schema_context(greenwood.schema_name):
        UserFactory(username="zed", email="zed@example.test")
    with schema_context(riverside.schema_name):
        UserFactory(username="zed", email="zed@example.test")
        assert User.objects.filter(email="zed@example.test").count() == 1


def test_display_name_is_the_full_name(greenwood):
    with schema_context(greenwood.schema_name):
        user = UserFactory(first_name="Amina", last_name="Hassan", display_name="")
        assert user.get_full_name() == "Amina Hassan"
        user.display_name = "Mina H."
        assert user.get_full_name() == "Mina H." == str(user)
