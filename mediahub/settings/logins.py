"""Failed logins (django-axes): an account locks after a few failures, an address after many
(accounts.throttling). A whole school signs in from one address: its limit is far higher. Part
of the base settings (base.py imports them all); every variable is in `.env.example`.
"""

from datetime import timedelta

from .env import config

AXES_HANDLER = "accounts.throttling.SchoolAxesHandler"
AXES_FAILURE_LIMIT = config("AXES_FAILURE_LIMIT", default=5, cast=int)
AXES_ADDRESS_FAILURE_LIMIT = config("AXES_ADDRESS_FAILURE_LIMIT", default=100, cast=int)
AXES_COOLOFF_TIME = timedelta(minutes=config("AXES_COOLOFF_MINUTES", default=15, cast=int))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.throttling.login_identifier"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
# How many reverse proxies in front of the app set X-Forwarded-For (0: none, use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = config("TRUSTED_PROXY_COUNT", default=0, cast=int)
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
# A sign-in clears its own account's failures only (SchoolAxesHandler.reset_user_attempts).
AXES_RESET_ON_SUCCESS = True
# Tries refused during a lock check no password, so they are not failures: a lock ends when
# the lockout page says, however often a class retries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
