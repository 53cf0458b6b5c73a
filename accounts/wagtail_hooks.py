"""The audit log's name for unlocking a person's sign-in (accounts.viewsets)."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .services import UNLOCK_SIGN_IN_ACTION


@hooks.register("register_log_actions")
def register_accounts_log_actions(actions):
    @actions.register_action(UNLOCK_SIGN_IN_ACTION)
    class UnlockSignInFormatter(LogFormatter):
        label = "Unlock sign-in"
        message = "Unlocked sign-in: failed sign-ins cleared"
