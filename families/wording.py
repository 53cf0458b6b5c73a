"""The plain words a guardian (or an adult student, or a school admin reading out a paper
form) sees for each purpose of consent, and the version recorded with each consent.

Change WORDING_VERSION whenever the meaning of a text changes: every record keeps the version
its giver saw, so the school can show what was agreed to. Each version is kept here in each
language it was shown in (written, not machine-made from the catalogue): the English and the
Kiswahili of one version say the same thing, so the version alone names what was agreed to,
whichever language the guardian read it in."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Purpose

WORDING_VERSION = "2026-12"

WORDINGS = {
    "2026-12": {
        "en": {
            Purpose.SCHOOL: (
                "Teachers and students of the whole school may see this child's work, not only "
                "their own class."
            ),
            Purpose.PUBLIC: (
                "Work the teachers approve may be shown on the school's public website, where "
                "anyone on the internet can see it."
            ),
            Purpose.DONATIONS: (
                "Public work may be shown with a box asking visitors to donate to the school."
            ),
            Purpose.FULL_NAME: (
                "The child's full name may be shown with their public work. Without this, "
                "visitors see only the first name and the initial of the surname."
            ),
        },
        "sw": {
            Purpose.SCHOOL: (
                "Walimu na wanafunzi wa shule nzima wanaweza kuona kazi za mtoto huyu, si darasa "
                "lake pekee."
            ),
            Purpose.PUBLIC: (
                "Kazi zilizoidhinishwa na walimu zinaweza kuonyeshwa kwenye tovuti ya shule kwa "
                "umma, ambapo mtu yeyote mtandaoni anaweza kuziona."
            ),
            Purpose.DONATIONS: (
                "Kazi za umma zinaweza kuonyeshwa pamoja na kisanduku kinachowaomba wageni "
                "kuchangia shule."
            ),
            Purpose.FULL_NAME: (
                "Jina kamili la mtoto linaweza kuonyeshwa pamoja na kazi zake za umma. Bila "
                "ridhaa hii, wageni huona jina la kwanza tu na herufi ya kwanza ya jina la ukoo."
            ),
        },
    },
}

# The current version in English (the source language).
WORDING = WORDINGS[WORDING_VERSION]["en"]


def wording(purpose: str, *, version: str = WORDING_VERSION, language: str | None = None) -> str:
    """The text of `purpose` in `version`, in `language` (by default the active one), or in
    English where that version has no text in it."""
    texts = WORDINGS[version]
    code = (language or get_language() or "en").split("-")[0]
    return texts.get(code, texts["en"])[purpose]


# Shown where something is not offered for want of consent: why, and what the family can do.
NO_CONSENT_HELP = _(
    "Some choices are not offered because this student's family has not given consent for "
    "them. A guardian can give it from their account (My children > Consent), or the school "
    "office can record a signed paper form."
)
