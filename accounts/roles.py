"""The four roles of a school (django-role-permissions). A role is a Group in the school's
schema, so it is per school. `accounts.services.roles_sync` gives each role's group the
Wagtail permissions below, which is how the Wagtail admin enforces the role (a guardian, like
a student, has none of the admin). A teacher's
page and collection permissions are per class: `classrooms` grants them on assignment."""

from rolepermissions.roles import AbstractUserRole


class SchoolAdmin(AbstractUserRole):
    role_name = "school_admin"
    label = "School admin"
    available_permissions = {
        "manage_school": True,
        "manage_classes": True,
        "invite_teachers": True,
        "moderate_any_media": True,
    }


class Teacher(AbstractUserRole):
    role_name = "teacher"
    label = "Teacher"
    available_permissions = {
        "manage_own_classes": True,
        "moderate_class_media": True,
    }


class Student(AbstractUserRole):
    role_name = "student"
    label = "Student"
    available_permissions = {
        "upload_media": True,
    }


class Guardian(AbstractUserRole):
    """A student's parent or guardian, linked to their children by a family code (families):
    sees their own children's live work on the school's site, nothing of the admin."""

    role_name = "guardian"
    label = "Guardian"
    available_permissions = {
        "view_own_children_work": True,
    }


# The roles' names, for code that must name one (role checks: accounts.permissions).
SCHOOL_ADMIN = SchoolAdmin.role_name
TEACHER = Teacher.role_name
STUDENT = Student.role_name
GUARDIAN = Guardian.role_name

ROLES = {role.get_name(): role for role in (SchoolAdmin, Teacher, Student, Guardian)}
ROLE_CHOICES = [(name, role.label) for name, role in ROLES.items()]
