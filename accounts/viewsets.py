"""Wagtail's user admin, with a Role field: changing it changes the person's role group and
permissions at once. Role groups and class groups are managed through roles and classes,
so the Groups field offers only the school's own extra groups. A person whose sign-in is
paused (accounts.throttling) shows it on their page, with "Unlock sign-in" for school
admins. Deactivating a person dates their leaving (`left_at`, shown in the list and on their
page; the user list's "Set active state" does it too), which the school's data retention
counts from (privacy)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.bulk_actions import SetActiveStateBulkAction
from wagtail.users.views.users import EditView, IndexView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from core.ratelimit import wait_text

from .permissions import is_school_admin, require_school_admin
from .roles import ROLE_CHOICES, ROLES
from .services import (
    user_activity_track,
    user_role_get,
    user_role_set,
    user_sign_in_unlock,
    users_active_set,
)
from .throttling import account_lock_get

MESSAGE_SIGN_IN_PAUSED = (
    "Signing in to this account is paused for {wait} after too many failed attempts. "
    "If it was this person mistyping, unlock it and they can sign in at once."
)
MESSAGE_SIGN_IN_UNLOCKED = "{name} can sign in again: the failed sign-ins are cleared."
HELP_ACTIVE = (
    "Untick when the person leaves the school: they can no longer sign in, and the date is "
    "recorded as the day they left (the school's data retention, under Privacy, counts from it)."
)


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        help_text="School admins run the school; teachers manage their classes; "
        "students use the school's site only.",
    )
    display_name = forms.CharField(
        required=False, max_length=150, help_text="How the person is shown to others."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.exclude(name__in=ROLES).filter(
            classroom__isnull=True
        )
        self.fields["groups"].required = False
        self.was_active = self.instance.is_active  # before the form sets the new value
        if "is_active" in self.fields:
            self.fields["is_active"].help_text = HELP_ACTIVE
        if self.instance.pk:
            self.fields["role"].initial = user_role_get(self.instance)
            self.fields["display_name"].initial = self.instance.display_name

    def save(self, commit=True):
        user = super().save(commit=False)
        user.display_name = self.cleaned_data.get("display_name", "")
        user_activity_track(user=user, was_active=self.was_active)
        if commit:
            # Keep the role and class groups the form does not show.
            hidden = list(user.groups.filter(name__in=ROLES)) if user.pk else []
            hidden += list(user.groups.filter(classroom__isnull=False)) if user.pk else []
            user.save()
            self.save_m2m()
            user.groups.add(*hidden)
            user_role_set(user=user, role=self.cleaned_data["role"])
        return user


class SchoolUserCreationForm(RoleFormMixin, UserCreationForm):
    pass


class SchoolUserEditForm(RoleFormMixin, UserEditForm):
    pass


class SchoolUserIndexView(IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        after = next(i for i, column in enumerate(columns) if column.name == "is_active")
        left = DateColumn("left_at", label="Left", sort_key="left_at", width="12%")
        columns.insert(after + 1, left)
        return columns


class SchoolUserEditView(EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["left_at"] = self.object.left_at
        lock = account_lock_get(self.object) if is_school_admin(self.request.user) else None
        if lock is not None:
            wait = wait_text(lock.wait_seconds(timezone.now()))
            context["sign_in_paused"] = MESSAGE_SIGN_IN_PAUSED.format(wait=wait)
            context["unlock_sign_in_url"] = reverse(
                "wagtailusers_users:unlock_sign_in", args=[self.object.pk]
            )
        return context


@require_POST
def unlock_sign_in(request, pk: int):
    require_school_admin(request.user)
    user = get_object_or_404(get_user_model(), pk=pk)
    user_sign_in_unlock(user=user, unlocked_by=request.user)
    messages.success(request, MESSAGE_SIGN_IN_UNLOCKED.format(name=get_user_display_name(user)))
    return redirect("wagtailusers_users:edit", pk)


class SchoolSetActiveStateBulkAction(SetActiveStateBulkAction):
    """Wagtail's "Set active state" of the user list, dating (or clearing) each person's
    leaving as the edit form does (registered in accounts.wagtail_hooks, in its place)."""

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, model=None, user=None, **kwargs):
        return users_active_set(users=objects, active=mark_as_active, by=user), 0


class UserViewSet(WagtailUserViewSet):
    index_view_class = SchoolUserIndexView
    edit_view_class = SchoolUserEditView

    def get_form_class(self, for_update=False):
        return SchoolUserEditForm if for_update else SchoolUserCreationForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("unlock-sign-in/<int:pk>/", unlock_sign_in, name="unlock_sign_in"),
        ]
