"""Wagtail's user admin, with a Role field: changing it changes the person's role group and
permissions at once. Role groups and class groups are managed through roles and classes,
so the Groups field offers only the school's own extra groups."""

from django import forms
from django.contrib.auth.models import Group
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .roles import ROLE_CHOICES, ROLES
from .services import user_role_get, user_role_set


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
        if self.instance.pk:
            self.fields["role"].initial = user_role_get(self.instance)
            self.fields["display_name"].initial = self.instance.display_name

    def save(self, commit=True):
        user = super().save(commit=False)
        user.display_name = self.cleaned_data.get("display_name", "")
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


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return SchoolUserEditForm if for_update else SchoolUserCreationForm
