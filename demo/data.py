"""The demo's data: two schools with people of every role, their classes, works and
galleries, and the demo's password. `demo.seed` loads it (`manage.py seed_demo`)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.roles import GUARDIAN, SCHOOL_ADMIN, STUDENT, TEACHER
from families.models import Purpose

# What the demo's families consented to, on a paper form the school admin recorded.
DEMO_CONSENTS = (Purpose.SCHOOL, Purpose.PUBLIC, Purpose.DONATIONS)
DEMO_CONSENT_NOTE = "demo"
DEMO_PASSWORD = "mediahub-demo-2026"  # noqa: S105 (demo only; printed and in the README)
OPERATOR_USERNAME = "operator"
OPERATOR_EMAIL = "operator@mediahub.test"
# The people's roles as the demo's report shows them, and the role each stands for.
ROLE_NAMES = {
    "school admin": SCHOOL_ADMIN,
    "teacher": TEACHER,
    "student": STUDENT,
    "guardian": GUARDIAN,
}


@dataclass(frozen=True)
class DemoPerson:
    role: str  # a label of ROLE_NAMES: "school admin", "teacher", "student" or "guardian"
    username: str
    first_name: str
    last_name: str

    @property
    def role_name(self) -> str:
        """The role (accounts.roles) this person holds."""
        return ROLE_NAMES[self.role]

    def email(self, slug: str) -> str:
        return f"{self.username}@{slug}.test"


@dataclass(frozen=True)
class DemoFamily:
    guardian: str  # username of a guardian among the school's people
    children: tuple[str, ...]  # usernames of students


@dataclass(frozen=True)
class DemoClass:
    name: str
    grade: str
    subject: str
    teachers: tuple[str, ...]  # usernames
    students: tuple[str, ...]


@dataclass(frozen=True)
class DemoWork:
    title: str
    owner: str  # username
    classroom: str
    visibility: str
    colour: tuple[int, int, int]


@dataclass(frozen=True)
class DemoGallery:
    title: str
    classroom: str
    works: tuple[str, ...]  # titles of the class's published works


@dataclass(frozen=True)
class DemoSubmission:
    """Work sent for review, left waiting for its teacher ("awaiting") or sent back with
    the teacher's comment ("changes"): the story's to-do list (demo.story)."""

    title: str  # ASCII: a PDF's text is written with a standard font
    owner: str  # username
    classroom: str
    kind: str  # "video", "audio" or "pdf" (demo.files)
    state: str  # "awaiting" or "changes"
    comment: str = ""


@dataclass(frozen=True)
class DemoDonation:
    amount: int  # KES
    status: str  # donations.models.Status
    donor_name: str = ""
    message: str = ""


@dataclass(frozen=True)
class DemoSchool:
    slug: str
    name: str
    people: tuple[DemoPerson, ...]
    classes: tuple[DemoClass, ...] = ()
    works: tuple[DemoWork, ...] = ()
    galleries: tuple[DemoGallery, ...] = ()
    families: tuple[DemoFamily, ...] = ()
    # Students whose family has given no consent yet (the rest: school, public, donations,
    # recorded by the school admin from a paper form; nobody's full name).
    no_consent: tuple[str, ...] = ()
    submissions: tuple[DemoSubmission, ...] = ()
    donations: tuple[DemoDonation, ...] = ()

    @property
    def admin(self) -> DemoPerson:
        return next(p for p in self.people if p.role_name == SCHOOL_ADMIN)


def _people(admin, teachers, students, guardians=()) -> tuple[DemoPerson, ...]:
    return (
        DemoPerson("school admin", *admin),
        *(DemoPerson("teacher", *t) for t in teachers),
        *(DemoPerson("student", *s) for s in students),
        *(DemoPerson("guardian", *g) for g in guardians),
    )


SCHOOLS = (
    DemoSchool(
        "greenwood",
        "Greenwood Academy",
        _people(
            ("admin", "Faith", "Mutua"),
            [("grace", "Grace", "Wanjiru"), ("peter", "Peter", "Otieno")],
            [
                ("amina", "Amina", "Hassan"),
                ("brian", "Brian", "Kamau"),
                ("cynthia", "Cynthia", "Njeri"),
                ("david", "David", "Mwangi"),
            ],
            [("mama.amina", "Halima", "Hassan")],
        ),
        (
            DemoClass("Art", "Form 2", "Art", ("grace",), ("amina", "brian", "cynthia")),
            DemoClass("Media Studies", "Form 3", "Media", ("peter",), ("cynthia", "david")),
        ),
        (
            DemoWork("Sunset over the lake", "amina", "Art", "public", (233, 120, 60)),
            DemoWork("Still life with mangoes", "brian", "Art", "school", (240, 190, 40)),
            DemoWork("Our school garden", "david", "Media Studies", "class", (70, 150, 80)),
        ),
        (
            DemoGallery(
                "Art: best of term", "Art", ("Sunset over the lake", "Still life with mangoes")
            ),
        ),
        (DemoFamily("mama.amina", ("amina",)),),
        no_consent=("david",),
        submissions=(
            DemoSubmission("Mangoes in motion", "brian", "Art", "video", "awaiting"),
            DemoSubmission("Our class song", "cynthia", "Art", "audio", "awaiting"),
            DemoSubmission(
                "Colour wheel notes",
                "amina",
                "Art",
                "pdf",
                "changes",
                "A good start. Add your name and the date on the first page, then send it again.",
            ),
            DemoSubmission(
                "Interview with the head teacher", "david", "Media Studies", "audio", "awaiting"
            ),
        ),
        donations=(
            DemoDonation(1000, "paid", "Wanjiku M.", "For paint and brushes!"),
            DemoDonation(500, "paid", "", "Keep painting, Amina."),
            DemoDonation(250, "paid", "A parent"),
            DemoDonation(300, "cancelled"),
        ),
    ),
    DemoSchool(
        "riverside",
        "Riverside School",
        _people(
            ("admin", "Samuel", "Kiprono"),
            [("mary", "Mary", "Achieng"), ("john", "John", "Kiprop")],
            [
                ("esther", "Esther", "Wambui"),
                ("felix", "Felix", "Omondi"),
                ("gloria", "Gloria", "Chebet"),
                ("hassan", "Hassan", "Ali"),
            ],
            [("baba.gloria", "Joseph", "Chebet")],
        ),
        (
            DemoClass("Music", "Grade 7", "Music", ("mary",), ("esther", "felix", "gloria")),
            DemoClass("Photography", "Grade 8", "Art", ("john",), ("gloria", "hassan")),
        ),
        (
            DemoWork("River at dawn", "gloria", "Photography", "public", (60, 110, 200)),
            DemoWork("Market day", "hassan", "Photography", "school", (200, 80, 120)),
        ),
        (DemoGallery("Photography walk", "Photography", ("River at dawn", "Market day")),),
        (DemoFamily("baba.gloria", ("gloria",)),),
        no_consent=("felix",),
        submissions=(
            DemoSubmission("Drum rhythm", "esther", "Music", "audio", "awaiting"),
            DemoSubmission(
                "Sunrise timelapse",
                "hassan",
                "Photography",
                "video",
                "changes",
                "Hold the phone still: rest it on a wall and film it again.",
            ),
        ),
        donations=(
            DemoDonation(2000, "paid", "Riverside old students"),
            DemoDonation(100, "cancelled"),
        ),
    ),
)
