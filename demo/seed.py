"""`manage.py seed_demo`: loads the demo (demo.data) into the platform and two schools.

Idempotent: a school, or a user, that already exists is left exactly as it is (its
password included), so running the seed twice changes nothing.

Never on a real platform: the demo's accounts, a platform operator among them, have a
password anyone can read in the README. The seed runs only where the settings say
DEMO_SEED_ALLOWED (the dev settings while DEBUG is on, and the tests); the production
settings never do. It checks that before anything else, the database included.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image, ImageDraw

from accounts.roles import GUARDIAN, STUDENT
from accounts.services import user_role_get, user_role_set
from classrooms.models import Classroom
from classrooms.services import classroom_create, classroom_student_enrol
from families.consent import consent_give
from families.models import ConsentRecord
from families.services import guardianship_ensure
from galleries.models import GalleryPage
from media_library.models import MediaPage
from media_library.services import media_upload
from tenants.models import School
from tenants.services import platform_setup, school_create
from tenants.urls_helpers import platform_url, school_url

from .data import (
    DEMO_CONSENT_NOTE,
    DEMO_CONSENTS,
    DEMO_PASSWORD,
    OPERATOR_EMAIL,
    OPERATOR_USERNAME,
    SCHOOLS,
    DemoClass,
    DemoGallery,
    DemoPerson,
    DemoSchool,
    DemoWork,
)
from .donations import demo_donations_ensure
from .story import story_ensure

ERROR_NOT_ALLOWED = (
    "The demo was not loaded: it makes accounts whose password is published (a platform "
    "operator among them), so these settings do not allow it (DEMO_SEED_ALLOWED is off, and "
    "the production settings never allow it). Load the demo on a development database, "
    "with mediahub.settings.dev and DEBUG on (or DEMO_SEED_ALLOWED=True)."
)


class DemoSeedRefused(RuntimeError):
    """The settings do not allow the demo here."""


def seed_allowed_check() -> None:
    """DemoSeedRefused unless the settings allow the demo. Touches no database."""
    if not settings.DEMO_SEED_ALLOWED:
        raise DemoSeedRefused(ERROR_NOT_ALLOWED)


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # where, role, login, url
    classes: list[tuple[str, str, str]] = field(default_factory=list)  # where, class, join code

    def lines(self) -> list[str]:
        out = [f"created: {item}" for item in self.created] or ["Nothing new: the demo is loaded."]
        out.append(f"Every demo password is: {DEMO_PASSWORD}")
        width = max(len(r[2]) for r in self.rows)
        out += [
            f"  {where:<10} {role:<13} {login:<{width}}  {url}"
            for where, role, login, url in self.rows
        ]
        out.append("Classes and their join codes (students sign up with a code):")
        out += [f"  {where:<10} {name:<24} {code}" for where, name, code in self.classes]
        return out


def seed(*, story: bool = False) -> SeedReport:
    """The demo's platform, schools, people, classes, works and families; with `story`
    (`manage.py seed_demo` does), also demo.story's to-do list for each person."""
    seed_allowed_check()
    report = SeedReport()
    setup = platform_setup()
    if setup.template_created:
        report.created.append("template schema")
    _operator_ensure(report)
    for spec in SCHOOLS:
        school = School.objects.filter(slug=spec.slug).first()
        if school is None:
            school = school_create(
                name=spec.name,
                slug=spec.slug,
                admin_email=spec.admin.email(spec.slug),
                admin_password=DEMO_PASSWORD,
                admin_display_name=f"{spec.admin.first_name} {spec.admin.last_name}",
            )
            report.created.append(f"school {spec.slug}")
        with schema_context(school.schema_name):
            users = {
                person.username: _person_ensure(report, school, spec, person)
                for person in spec.people
            }
            _consents_ensure(report, spec, users)
            for demo_class in spec.classes:
                _class_ensure(report, spec, demo_class, users)
            for work in spec.works:
                _work_ensure(report, spec, work, users)
            for gallery in spec.galleries:
                _gallery_ensure(report, spec, gallery)
            for family in spec.families:
                for child in family.children:  # idempotent: a link is made once
                    guardianship_ensure(guardian=users[family.guardian], student=users[child])
            report.created += [f"{spec.slug} {item}" for item in demo_donations_ensure()]
            if story:
                report.created += [f"{spec.slug} {item}" for item in story_ensure(spec, users)]
    return report


def _consents_ensure(report: SeedReport, spec: DemoSchool, users) -> None:
    """The families' consents (DEMO_CONSENTS), as the school admin recorded them from paper
    forms, for each student but those of `spec.no_consent`. Once per student."""
    admin = users[spec.admin.username]
    for person in spec.people:
        if person.role_name != STUDENT or person.username in spec.no_consent:
            continue
        student = users[person.username]
        if ConsentRecord.objects.filter(student=student).exists():
            continue
        for purpose in DEMO_CONSENTS:
            consent_give(student=student, purpose=purpose, by=admin, note=DEMO_CONSENT_NOTE)
        report.created.append(f"{spec.slug} consents of {person.username}")


def _gallery_ensure(report: SeedReport, spec: DemoSchool, gallery: DemoGallery) -> None:
    """A teacher's gallery of the class's published works, published. Made once."""
    if GalleryPage.objects.filter(title=gallery.title).exists():
        return
    classroom = Classroom.objects.get(name=gallery.classroom)
    teacher = classroom.teachers.first()
    works = [MediaPage.objects.get(title=title) for title in gallery.works]
    page = GalleryPage(
        title=gallery.title,
        owner=teacher,
        intro=f"<p>Chosen by {teacher.get_full_name()}.</p>",
        body=[
            ("grid", {"heading": "", "columns": "3", "items": works}),
            ("text", "<p>More to come as the term goes on.</p>"),
        ],
    )
    classroom.page.add_child(instance=page)
    page.save_revision(user=teacher).publish(user=teacher)
    report.created.append(f"{spec.slug} gallery {gallery.title!r}")


def _work_ensure(report: SeedReport, spec: DemoSchool, work: DemoWork, users) -> None:
    """A published picture, as if its teacher had approved it: the dashboards have something
    to show. Made once; later runs leave it as it is."""
    if MediaPage.objects.filter(title=work.title).exists():
        return
    page = media_upload(
        classroom=Classroom.objects.get(name=work.classroom),
        uploaded_by=users[work.owner],
        file=SimpleUploadedFile("work.png", _picture(work.colour), content_type="image/png"),
        title=work.title,
        description=f"Made in {work.classroom}.",
        tags=[work.classroom.lower()],
        visibility=work.visibility,
    )
    classroom = page.get_parent().specific.classroom
    teacher = classroom.teachers.first()
    # Approved as a teacher would, through the class's workflow (which publishes it).
    page.current_workflow_state.current_task_state.approve(user=teacher)
    report.created.append(f"{spec.slug} work {work.title!r}")


def _picture(colour: tuple[int, int, int]) -> bytes:
    """A 1200x800 gradient with a few shapes: something to look at, made here, not fetched."""
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 800, 8):
        shade = tuple(max(0, c - i // 6) for c in colour)
        draw.rectangle([0, i, 1200, i + 8], fill=shade)
    draw.ellipse([420, 180, 780, 540], fill=(250, 240, 220))
    draw.rectangle([0, 600, 1200, 800], fill=tuple(c // 2 for c in colour))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _class_ensure(report: SeedReport, spec: DemoSchool, demo_class: DemoClass, users) -> None:
    """A class is made with its teachers and students once; later runs leave it as it is."""
    classroom = Classroom.objects.filter(name=demo_class.name).first()
    if classroom is None:
        classroom = classroom_create(
            name=demo_class.name,
            grade=demo_class.grade,
            subject=demo_class.subject,
            teachers=[users[name] for name in demo_class.teachers],
        )
        for name in demo_class.students:
            classroom_student_enrol(classroom=classroom, student=users[name])
        report.created.append(f"{spec.slug} class {classroom}")
    report.classes.append((spec.slug, str(classroom), classroom.join_code_display))


def _operator_ensure(report: SeedReport) -> None:
    User = get_user_model()
    if not User.objects.filter(username=OPERATOR_USERNAME).exists():
        User.objects.create_superuser(
            username=OPERATOR_USERNAME,
            email=OPERATOR_EMAIL,
            password=DEMO_PASSWORD,
            display_name="Platform operator",
        )
        report.created.append("platform operator")
    report.rows.append(("platform", "operator", OPERATOR_USERNAME, platform_url("/admin/")))


def _person_ensure(report: SeedReport, school: School, spec: DemoSchool, person: DemoPerson):
    User = get_user_model()
    email = person.email(spec.slug)
    # The school's first admin was made by school_create with the email as username.
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(
            username=person.username,
            email=email,
            first_name=person.first_name,
            last_name=person.last_name,
            display_name=f"{person.first_name} {person.last_name}",
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        report.created.append(f"{spec.slug} {person.role} {email}")
    if user_role_get(user) is None:  # made before roles existed, or its role was removed
        user_role_set(user=user, role=person.role_name)
    url = school_url(school, "/" if person.role_name in (STUDENT, GUARDIAN) else "/admin/")
    report.rows.append((spec.slug, person.role, email, url))
    return user
