"""The class form of the Wagtail admin."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.permissions import is_school_admin

from .models import Classroom
from .selectors import teacher_list


class ClassroomForm(WagtailAdminModelForm):
    """Name, grade and subject; school admins also choose the class's teachers."""

    teachers = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People with the Teacher role. They get this class's page and collection.",
    )

    class Meta:
        model = Classroom
        fields = ["name", "grade", "subject", "is_trusted"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and is_school_admin(for_user):
            self.fields["teachers"].queryset = teacher_list()
            if self.instance.pk:
                self.fields["teachers"].initial = list(self.instance.teachers.all())
        else:  # teachers edit their class's details, not who teaches it or its trust
            del self.fields["teachers"]
            del self.fields["is_trusted"]
