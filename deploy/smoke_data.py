"""prod-smoke's people and content in its school (made with `manage.py create_school`), in a
process of its own with the production settings and the smoke's environment:

    python deploy/smoke_data.py <school slug>     prints what it made, as JSON

A teacher and a student (whose family's consent to public work with a donate block the
school admin records from a paper form); the class "Art", whose work goes to its teacher for
review (so an upload sends the teacher the submission email), and the trusted class "Gallery"
with a published public picture carrying a donate block, in a school with donations on. The
password is SMOKE_PASSWORD's. Also says which task backend production uses (the smoke checks
that tasks go to the worker).

Django and the project are imported after django.setup() (the settings come from the
environment the smoke gives this process).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def people_and_content(slug: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tenants.utils import schema_context
    from scratch import picture
    from wagtail.models import Site

    from accounts.permissions import users_with_role
    from accounts.roles import SCHOOL_ADMIN
    from accounts.services import user_role_set
    from classrooms.services import (
        classroom_create,
        classroom_student_enrol,
        classroom_trust_set,
    )
    from donations.models import DonationSettings
    from families.consent import consent_give
    from families.models import Purpose
    from media_library.services import media_upload
    from tenants.models import School

    password = os.environ["SMOKE_PASSWORD"]
    school = School.objects.get(slug=slug)
    with schema_context(school.schema_name):
        User = get_user_model()
        people = {}
        for username, role in (("teacher", "teacher"), ("student", "student")):
            user = User.objects.create_user(
                username=username,
                email=f"{username}@{slug}.test",
                password=password,
                first_name=username.title(),
                last_name="Smoke",
            )
            user_role_set(user=user, role=role)
            people[username] = user
        art = classroom_create(
            name="Art", grade="Form 1", subject="Art", teachers=[people["teacher"]]
        )
        gallery = classroom_create(
            name="Gallery", grade="Form 1", subject="Art", teachers=[people["teacher"]]
        )
        for classroom in (art, gallery):
            classroom_student_enrol(classroom=classroom, student=people["student"])
        classroom_trust_set(classroom=gallery, trusted=True)  # published at once: no email
        DonationSettings.objects.create(site=Site.objects.get(is_default_site=True), enabled=True)
        # The student's family consented on paper (recorded by the school's admin, whom
        # create_school made): public work, with a donate block.
        admin = users_with_role(SCHOOL_ADMIN).first()
        for purpose in (Purpose.SCHOOL, Purpose.PUBLIC, Purpose.DONATIONS):
            consent_give(student=people["student"], purpose=purpose, by=admin, note="smoke")
        page = media_upload(
            classroom=gallery,
            uploaded_by=people["student"],
            file=SimpleUploadedFile("p.jpg", picture(), content_type="image/jpeg"),
            title="Smoke picture",
            visibility="public",
        )
        page.body.append(("donate", {"heading": "Support us", "text": "Paint and paper."}))
        page.save_revision().publish()
    backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS])  # not the proxy's type
    return {
        "schema": school.schema_name,
        "art_id": art.pk,
        "public_page_id": page.pk,
        "teacher_email": people["teacher"].email,
        "student": people["student"].username,
        "student_email": people["student"].email,
        "task_backend": f"{backend.__module__}.{backend.__qualname__}",
    }


if __name__ == "__main__":  # see the module's docstring
    import django

    django.setup()
    print(json.dumps(people_and_content(sys.argv[1])))
