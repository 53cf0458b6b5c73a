#!/usr/bin/env python
"""Django's command-line utility. Defaults to the development settings (DJANGO_SETTINGS_MODULE
in the environment or .env chooses others)."""

import os
import sys


def main():
    # The settings' reader (the environment, then .env or ENV_FILE); imported here, once
    # the checkout is on sys.path.
    from mediahub.settings.env import config

    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", config("DJANGO_SETTINGS_MODULE", default="mediahub.settings.dev")
    )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
