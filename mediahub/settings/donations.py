"""Donations' settings: M-Pesa Express (Daraja STK Push), the amounts and the limits.
Part of the base settings (base.py imports them all); every variable is in `.env.example`."""

from decouple import Csv

from .env import config

# Off: no school shows the donate form, whatever its own setting says (and production needs
# none of the Daraja settings below).
DONATIONS_ENABLED = config("DONATIONS_ENABLED", default=True, cast=bool)
# Daraja's address: the sandbox, production (https://api.safaricom.co.ke) or the local
# simulator (`manage.py daraja_simulator`; the dev settings' default).
DARAJA_BASE_URL = config("DARAJA_BASE_URL", default="https://sandbox.safaricom.co.ke")
# The platform's Daraja app (a school may set its own in Settings > Donations).
DARAJA_CONSUMER_KEY = config("DARAJA_CONSUMER_KEY", default="")
DARAJA_CONSUMER_SECRET = config("DARAJA_CONSUMER_SECRET", default="")
# The paybill (or till's store number) and its Lipa na M-Pesa Online passkey. The defaults
# are Safaricom's published sandbox shortcode and passkey, which only the sandbox accepts.
DARAJA_SHORTCODE = config("DARAJA_SHORTCODE", default="174379")
DARAJA_PASSKEY = config(
    "DARAJA_PASSKEY", default="bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
)
# CustomerPayBillOnline (a paybill) or CustomerBuyGoodsOnline (a till: set DARAJA_TILL_NUMBER).
DARAJA_TRANSACTION_TYPE = config("DARAJA_TRANSACTION_TYPE", default="CustomerPayBillOnline")
DARAJA_TILL_NUMBER = config("DARAJA_TILL_NUMBER", default="")
# Where Daraja posts the result: empty builds https://<school host>[:port] from
# PLATFORM_SCHEME and PLATFORM_PORT; otherwise this, with {host} replaced by the school's host.
DARAJA_CALLBACK_BASE_URL = config("DARAJA_CALLBACK_BASE_URL", default="")
# Seconds to wait for Daraja: to connect, and for an answer.
DARAJA_CONNECT_TIMEOUT = config("DARAJA_CONNECT_TIMEOUT", default=5, cast=float)
DARAJA_READ_TIMEOUT = config("DARAJA_READ_TIMEOUT", default=20, cast=float)
# Amounts a visitor may give, in whole shillings, and the preset buttons of the donate form.
DONATION_MIN_AMOUNT = config("DONATION_MIN_AMOUNT", default=10, cast=int)
DONATION_MAX_AMOUNT = config("DONATION_MAX_AMOUNT", default=150_000, cast=int)
DONATION_PRESETS = config("DONATION_PRESETS", default="100,250,500,1000", cast=Csv(int))
# One pending prompt per phone within this many seconds.
DONATION_PHONE_COOLDOWN_SECONDS = config("DONATION_PHONE_COOLDOWN_SECONDS", default=60, cast=int)
# At most this many donation attempts per address (per school) within the window.
DONATION_RATE_LIMIT = config("DONATION_RATE_LIMIT", default=5, cast=int)
DONATION_RATE_WINDOW_SECONDS = config("DONATION_RATE_WINDOW_SECONDS", default=600, cast=int)
# At most this many prompts to one phone in 24 hours, all schools together (every attempt
# that sent or tried to send one counts), so nobody can have a phone prompted all day.
DONATION_PHONE_DAILY_LIMIT = config("DONATION_PHONE_DAILY_LIMIT", default=10, cast=int)
# At most this many donation attempts per school per minute, from everyone together.
DONATION_SCHOOL_RATE_PER_MINUTE = config("DONATION_SCHOOL_RATE_PER_MINUTE", default=30, cast=int)
# A donation still pending this long after its push is checked with STK Query, at most once
# per DONATION_QUERY_INTERVAL_SECONDS (from the waiting page's status checks).
DONATION_QUERY_AFTER_SECONDS = config("DONATION_QUERY_AFTER_SECONDS", default=30, cast=int)
DONATION_QUERY_INTERVAL_SECONDS = config("DONATION_QUERY_INTERVAL_SECONDS", default=15, cast=int)
# The waiting page's countdown: how long a visitor is asked to watch their phone.
DONATION_WAIT_SECONDS = config("DONATION_WAIT_SECONDS", default=90, cast=int)
