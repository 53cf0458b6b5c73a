"""ServiceErrorsMixin puts a service's errors where the person reads them, whatever shape the
ValidationError has."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.forms import BootstrapForm, ServiceErrorsMixin


class _Form(ServiceErrorsMixin, BootstrapForm):
    title = forms.CharField(help_text="A title")


def _form():
    form = _Form({"title": "x"})
    assert form.is_valid()
    return form


def test_errors_keyed_by_argument_go_next_to_their_field():
    form = _form()
    form.add_service_errors(ValidationError({"title": ["Give it a title."]}))
    assert form.errors == {"title": ["Give it a title."]}
    assert "is-invalid" in form.fields["title"].widget.attrs["class"]
    assert form.fields["title"].widget.attrs["aria-describedby"] == "id_title_help id_title_errors"


def test_a_plain_message_goes_above_the_form():
    form = _form()
    form.add_service_errors(ValidationError("Someone else decided first."))
    assert form.non_field_errors() == ["Someone else decided first."]


def test_a_list_of_messages_goes_above_the_form():
    form = _form()
    form.add_service_errors(ValidationError([ValidationError("One."), ValidationError("Two.")]))
    assert form.non_field_errors() == ["One.", "Two."]


def test_keys_the_form_has_no_field_for_go_above_the_form():
    form = _form()
    form.add_service_errors(
        ValidationError({"classroom": ["Not yours."], NON_FIELD_ERRORS: ["Try again."]})
    )
    assert sorted(form.non_field_errors()) == ["Not yours.", "Try again."]
    assert "title" not in form.errors
