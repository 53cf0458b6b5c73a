from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """For forms whose data goes to a service: the service's ValidationError is keyed by its
    argument names, which are the form's field names; anything else goes above the form."""

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
