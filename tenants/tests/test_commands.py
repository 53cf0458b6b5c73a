import pytest
from django.core.management import CommandError, call_command

from tenants.models import Domain, School
from tenants.validators import SLUG_ERROR_TAKEN

pytestmark = pytest.mark.django_db


def test_create_school_command_then_again_with_same_slug(capsys):
    args = [
        "--name",
        "Bay School",
        "--slug",
        "bay",
        "--admin-email",
        "head@bay.test",
        "--admin-password",
        "a-Long-pass-phrase-42",
    ]
    call_command("create_school", *args)
    assert "Created Bay School at http://bay.localhost:8000/" in capsys.readouterr().out
    counts = (School.objects.count(), Domain.objects.count())

    with pytest.raises(CommandError) as caught:
        call_command("create_school", *args)

    assert SLUG_ERROR_TAKEN.format(slug="bay") in str(caught.value)
    assert (School.objects.count(), Domain.objects.count()) == counts
