"""The audit log's name for unlocking a person's sign-in (accounts.viewsets), and the user
list's "Set active state" that dates a person's leaving (in place of Wagtail's own)."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .services import UNLOCK_SIGN_IN_ACTION
from .viewsets import SchoolSetActiveStateBulkAction

# After Wagtail's own (order 0): the registry keeps the last action of each type.
hooks.register("register_bulk_action", SchoolSetActiveStateBulkAction, order=1)


@hooks.register("register_log_actions")
def register_accounts_log_actions(actions):
    @actions.register_action(UNLOCK_SIGN_IN_ACTION)
    class UnlockSignInFormatter(LogFormatter):
        label = "Unlock sign-in"
        message = "Unlocked sign-in: failed sign-ins cleared"
