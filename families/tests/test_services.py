"""Family codes and guardians: codes made, withdrawn and used a limited number of times,
several guardians per child and several children per guardian, one answer for every code
that does not work, and the school's people only for their own students."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from rolepermissions.checkers import has_role

from accounts.permissions import is_guardian
from accounts.tests.factories import PASSWORD
from classrooms.models import Classroom
from conftest import user_named
from families import services
from families.models import FamilyCode, Guardianship
from families.selectors import guardian_children, is_guardian_of

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.9"


def _signup(code, email="mama.new@example.test", **extra):
    return services.guardian_signup_with_code(
        code=code,
        first_name="Zawadi",
        last_name="Hassan",
        email=email,
        password=PASSWORD,
        address=ADDRESS,
        **extra,
    )


def _code(student="amina", by="grace", **kwargs):
    return services.family_code_create(
        student=user_named(student), created_by=user_named(by), **kwargs
    )


def test_a_code_signs_up_a_guardian_of_that_child(school):
    code = _code()
    guardian = _signup(code.code.lower()[:5] + "-" + code.code[5:])  # as typed from a slip
    assert has_role(guardian, "guardian") and is_guardian(guardian)
    assert list(guardian_children(guardian)) == [user_named("amina")]
    assert is_guardian_of(guardian, user_named("amina"))
    assert not is_guardian_of(guardian, user_named("brian"))
    code.refresh_from_db()
    assert code.uses == 1 and code.is_usable
    assert not guardian.has_perm("wagtailadmin.access_admin")


def test_several_guardians_per_child_until_the_code_is_used_up(school):
    code = _code(max_uses=2)
    first = _signup(code.code, email="one@example.test")
    second = _signup(code.code, email="two@example.test")
    with pytest.raises(ValidationError) as error:
        _signup(code.code, email="three@example.test")
    assert error.value.message_dict["code"] == [str(services.ERROR_FAMILY_CODE_INVALID)]
    links = Guardianship.objects.filter(student=user_named("amina"), family_code=code)
    assert set(links.values_list("guardian", flat=True)) == {first.pk, second.pk}
    code.refresh_from_db()
    assert code.uses == 2 and not code.is_usable
    assert not Guardianship.objects.filter(guardian__email="three@example.test").exists()


def test_a_guardian_joins_a_second_child_when_signed_in(school):
    guardian = _signup(_code().code)
    link = services.guardian_join_with_code(
        guardian=guardian, code=_code("david", by="peter").code, address=ADDRESS
    )
    assert link.student == user_named("david")
    assert sorted(c.username for c in guardian_children(guardian)) == ["amina", "david"]


def test_joining_twice_for_the_same_child_says_so_and_uses_nothing(school):
    code = _code()
    guardian = _signup(code.code)
    with pytest.raises(ValidationError) as error:
        services.guardian_join_with_code(guardian=guardian, code=code.code, address=ADDRESS)
    assert error.value.message_dict["code"] == [services.ERROR_ALREADY_LINKED.format(child="Amina")]
    code.refresh_from_db()
    assert code.uses == 1


def test_only_guardians_join_with_a_family_code(school):
    code = _code()
    for login in ("amina", "grace", "admin@greenwood.test"):
        with pytest.raises(ValidationError) as error:
            services.guardian_join_with_code(
                guardian=user_named(login), code=code.code, address=ADDRESS
            )
        assert error.value.message_dict["code"] == [str(services.ERROR_JOIN_NOT_A_GUARDIAN)]
    code.refresh_from_db()
    assert code.uses == 0


def test_unknown_used_up_and_withdrawn_codes_get_one_answer(school):
    used_up = _code(max_uses=1)
    _signup(used_up.code, email="first@example.test")
    withdrawn = _code()
    services.family_code_withdraw(family_code=withdrawn, withdrawn_by=user_named("grace"))
    assert withdrawn.withdrawn_at is not None and not withdrawn.is_usable
    answers = []
    for typed in ("ZZZZZ-ZZZZZ", used_up.code, withdrawn.code, ""):
        with pytest.raises(ValidationError) as error:
            _signup(typed, email="again@example.test")
        answers.append(error.value.message_dict["code"])
    assert answers == [[str(services.ERROR_FAMILY_CODE_INVALID)]] * 4
    assert not Guardianship.objects.filter(guardian__email="again@example.test").exists()


def test_a_taken_email_is_told_only_with_a_working_code(school):
    with pytest.raises(ValidationError) as error:
        _signup("ZZZZZ-ZZZZZ", email="grace@greenwood.test")
    assert "email" not in error.value.message_dict
    code = _code()
    with pytest.raises(ValidationError) as error:
        _signup(code.code, email="grace@greenwood.test")
    assert "email" in error.value.message_dict
    code.refresh_from_db()
    assert code.uses == 0


def test_a_teacher_makes_codes_only_for_students_of_their_classes(school):
    with pytest.raises(PermissionDenied):
        _code("amina", by="peter")  # Peter teaches Media Studies; Amina is in Art
    with pytest.raises(PermissionDenied):
        _code("amina", by="brian")  # a student
    code = _code("amina", by="admin@greenwood.test")  # school admins: every student
    with pytest.raises(PermissionDenied):
        services.family_code_withdraw(family_code=code, withdrawn_by=user_named("peter"))
    assert _code("cynthia", by="peter").student.username == "cynthia"  # in Media Studies too
    assert FamilyCode.objects.filter(withdrawn_at__isnull=False).count() == 0


def test_uses_are_between_one_and_ten(school):
    for wrong in (0, 11):
        with pytest.raises(ValidationError) as error:
            _code(max_uses=wrong)
        assert error.value.message_dict["max_uses"] == [
            services.ERROR_MAX_USES.format(most=services.MAX_USES_MOST)
        ]


def test_notify_preference_is_the_guardians_for_all_their_children(school):
    guardian = _signup(_code().code)
    services.guardian_join_with_code(
        guardian=guardian, code=_code("david", by="peter").code, address=ADDRESS
    )
    assert services.guardian_notify_preference_set(guardian=guardian, notify=False) == 2
    assert not Guardianship.objects.filter(guardian=guardian, notify_on_publish=True).exists()
    services.guardian_notify_preference_set(guardian=guardian, notify=True)
    assert Guardianship.objects.filter(guardian=guardian, notify_on_publish=True).count() == 2


@pytest.fixture
def three_failures(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "join_code": {"user": "0/900", "address": "3/900"},
    }
    cache.clear()
    yield
    cache.clear()


def test_wrong_codes_are_limited_per_address_then_no_code_is_checked(school, three_failures):
    for _ in range(3):
        with pytest.raises(ValidationError):
            _signup("ZZZZZ-ZZZZZ")
    code = _code()
    with pytest.raises(services.TooManyFailures) as error:
        _signup(code.code)  # even a right code: nothing is checked while paused
    assert "Too many wrong family codes" in error.value.message_dict["code"][0]
    code.refresh_from_db()
    assert code.uses == 0


def test_the_class_slips_make_a_code_for_each_student_without_one(school):
    art = Classroom.objects.get(name="Art")
    _code("amina")
    made = services.family_codes_ensure_for_class(classroom=art, created_by=user_named("grace"))
    assert made == 2  # Brian and Cynthia
    again = services.family_codes_ensure_for_class(classroom=art, created_by=user_named("grace"))
    assert again == 0
