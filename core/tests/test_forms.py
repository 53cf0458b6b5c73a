"""ServiceErrorsMixin puts a service's errors where the person reads them, whatever shape the
ValidationError has."""

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.forms import BootstrapForm, PlainSelect, ServiceErrorsMixin


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


_CHOICES = [("", "All <kinds>"), ("a&b", 'Tom\'s "work"'), (3, "Three"), ("x", "Ex")]


@pytest.mark.parametrize("value", [None, "", "a&b", "3", ["x"]])
@pytest.mark.parametrize("attrs", [{}, {"class": "form-select is-invalid", "aria-invalid": "true"}])
def test_plain_select_writes_what_the_templates_write(value, attrs):
    """PlainSelect skips the templates, not a character of their HTML."""
    own_attrs = {"data-x": '"q"', "disabled": True, "hidden": False}
    plain = PlainSelect(attrs=own_attrs, choices=_CHOICES)
    templated = forms.Select(attrs=dict(plain.attrs), choices=_CHOICES)
    extra = {"id": "id_kind", **attrs}
    assert plain.render("kind", value, dict(extra)) == templated.render("kind", value, dict(extra))


def test_plain_select_leaves_option_groups_to_the_templates():
    choices = [("Group", [("1", "One")]), ("2", "Two")]
    plain, templated = PlainSelect(choices=choices), forms.Select(choices=choices)
    assert plain.render("g", "1") == templated.render("g", "1")
