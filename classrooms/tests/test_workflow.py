"""Each class's moderation workflow: created with the class, acted on only by the class's
teachers (and school admins); uploads go to it unless the class is trusted."""

import pytest
from wagtail.models import TaskState, WorkflowState

from classrooms.models import Classroom, ClassTeachersTask
from classrooms.services import classroom_create
from conftest import user_named
from media_library import selectors, services
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _upload(classroom="Art", owner="amina"):
    return services.media_upload(
        classroom=Classroom.objects.get(name=classroom),
        uploaded_by=user_named(owner),
        file=samples.uploaded(samples.png(), "a.png"),
        title="For review",
    )


def test_a_new_class_gets_its_own_workflow_on_its_page(school):
    classroom = classroom_create(name="Drama", grade="Form 4")
    workflow = classroom.page.get_workflow()
    assert workflow is not None and workflow.name == "Moderation: Drama (Form 4)"
    (task,) = [t.specific for t in workflow.tasks.all()]
    assert isinstance(task, ClassTeachersTask) and task.classroom == classroom


def test_an_upload_awaits_its_teachers(school):
    page = _upload()
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and not page.live
    assert selectors.media_page_status(page).code == "awaiting_approval"


@pytest.mark.parametrize(
    ("who", "can_act"),
    [("grace", True), ("admin@greenwood.test", True), ("peter", False), ("amina", False)],
)
def test_only_the_classs_teachers_and_admins_can_act(school, who, can_act):
    page = _upload()
    task = page.current_workflow_state.current_task_state.task.specific
    user = user_named(who)
    assert bool(task.get_actions(page, user)) == can_act
    reviewable = task.get_task_states_user_can_moderate(user)
    assert reviewable.filter(status=TaskState.STATUS_IN_PROGRESS).exists() == can_act
    assert task.locked_for_user(page, user) == (not can_act)


def test_approval_publishes(school):
    page = _upload()
    page.current_workflow_state.current_task_state.approve(user=user_named("grace"))
    page.refresh_from_db()
    assert page.live and selectors.media_page_status(page).code == "published"


def test_changes_requested_then_resubmitted(school):
    page = _upload()
    page.current_workflow_state.current_task_state.reject(
        user=user_named("grace"), comment="Add a description, please."
    )
    status = selectors.media_page_status(page)
    assert status.code == "changes_requested" and status.comment == "Add a description, please."
    services.media_update(
        page=page,
        user=user_named("amina"),
        title="For review",
        description="My summer",
        tags=[],
        visibility="class",
    )
    page.refresh_from_db()
    assert selectors.media_page_status(page).code == "awaiting_approval"
    assert not page.live


def test_a_trusted_class_publishes_directly(school):
    art = Classroom.objects.get(name="Art")
    art.is_trusted = True
    art.save()
    page = _upload()
    assert page.live and page.current_workflow_state is None
