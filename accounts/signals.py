"""What accounts announces, for the apps above it to act on."""

from django.dispatch import Signal

# A person's role was set to `role` (accounts.services.user_role_set), in the transaction that
# set it: what the old role held (a class's teaching, enrolments) ends with it.
role_changed = Signal()  # sender: the user model; kwargs: user, role
