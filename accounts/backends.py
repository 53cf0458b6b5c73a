from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    """Accepts a username or an email address (any case) in the username field.
    Users are per school, so this only ever finds people of the current school."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        field = "email__iexact" if "@" in username else "username"
        user = User._default_manager.filter(**{field: username}).first()
        if user is None and field == "email__iexact":
            user = User._default_manager.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
