"""Form bases every app's front end shares."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class ServiceErrorsMixin:
    """For forms whose data goes to a service: the service's ValidationError is keyed by its
    argument names, which are the form's field names; anything else (a plain message, or a
    key the form has no field for) goes above the form."""

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):  # ValidationError("...") or a list of them
            self.add_error(None, error.messages)
            return
        for field, messages in error.message_dict.items():
            known = field in self.fields and field != NON_FIELD_ERRORS
            self.add_error(field if known else None, messages)


class BootstrapForm(forms.Form):
    """Bootstrap's classes and the ARIA links to help and errors, set on the widgets, so a
    template renders `{{ field }}` and includes/media_field.html adds the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs["class"]:
                    attrs["class"] += " is-invalid"
                    attrs["aria-invalid"] = "true"
                    described = f"{attrs.get('aria-describedby', '')} {self[name].auto_id}_errors"
                    attrs["aria-describedby"] = described.strip()


class PlainSelect(forms.Select):
    """A Select that writes its HTML in Python: the same markup as Django's templates
    (select.html, one select_option.html per option, attrs.html), without rendering a template
    for every <option> (the dashboard's filters render two of these on every request). Option
    groups go through the templates as usual."""

    @staticmethod
    def _attrs(attrs: dict) -> str:
        return "".join(
            f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
            for name, value in attrs.items()
            if value is not False
        )

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"'
            f"{self._attrs(option['attrs'])}>{conditional_escape(localize(option['label']))}"
            "</option>\n"
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        html = f'<select name="{conditional_escape(widget["name"])}"{self._attrs(widget["attrs"])}>'
        return mark_safe(f"{html}{options}\n</select>")  # noqa: S308 (every value escaped above)
