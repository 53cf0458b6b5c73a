from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Classroom
from .permissions import is_school_admin
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


ERROR_COMMENT_REQUIRED = "Say what to change: the student sees your comment with their work."


class ChangesRequestedForm(forms.Form):
    """The comment of a "Request changes": required, since it is all the student gets."""

    comment = forms.CharField(
        label="What should the student change?",
        widget=forms.Textarea({"rows": 3}),
        max_length=2000,
        error_messages={"required": ERROR_COMMENT_REQUIRED},
    )
