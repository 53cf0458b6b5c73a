"""The "no English left" check for pages rendered in Kiswahili (issue 16 §1).

`english_left(html)` collects a page's visible text (not script, style or template, not
elements marked translate="no" — user content: names, titles, comments — nor what they
hold, nor a form's values: an input's, a textarea's) and reports the English interface
strings in it:

- any msgid of our catalogue (locale/sw/LC_MESSAGES/django.po, compiled) shown verbatim: on
  a Kiswahili page it is a string nobody translated, or one not passed through gettext that
  happens to equal a translated one;
- English words no Kiswahili sentence has (ENGLISH_WORDS): what a string that never went
  through gettext at all gives away.

`assert_kiswahili(response)` fails with the page's findings. To check more pages, add them to
the parametrised lists of core/tests/test_i18n_pages.py (or call `assert_kiswahili` from an
app's own tests, on a response rendered with the language cookie set to "sw").
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

# English words that a Kiswahili page never needs (Kiswahili has none of them, and none is
# a brand or a unit: M-Pesa, KES, PIN, SMS, video stay as they are). Whole words, any case.
ENGLISH_WORDS = frozenset(
    """
    the and your you with this that from have has are is not for of to in on at or by
    sign upload save cancel delete edit search back next previous home settings profile
    password email class teacher student review approve published draft donate donation
    amount payment consent notifications privacy comment title description school gallery
    children family guardian help language picture document file work my our please
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
# Elements whose text is never shown.
SKIPPED = frozenset({"script", "style", "template", "noscript", "head"})
# Attributes a person reads or hears (a screen reader): checked like text.
READ_ATTRIBUTES = ("placeholder", "aria-label", "alt", "title")
VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*(?::[^}]*)?\}|%[sd]")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.chunks: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = (
            self._hidden()
            or tag in SKIPPED
            or attrs.get("translate") == "no"
            or (tag == "input" and attrs.get("type") == "hidden")
        )
        if not hidden:
            self.chunks.extend(attrs[name] for name in READ_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.chunks.append(attrs["value"])
        if tag not in VOID:
            # A textarea holds its field's value (what someone wrote), not interface text.
            self.stack.append((tag, hidden or tag == "textarea"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        # Close up to the matching tag (HTML lets some end tags be left out).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._hidden():
            self.chunks.append(text)


def visible_text(html: str) -> list[str]:
    """The page's text as a person sees (or hears) it, chunk by chunk, user content left out."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.chunks


@cache
def catalogue() -> dict[str, str]:
    """Our Kiswahili catalogue, msgid → msgstr (the compiled django.mo of LOCALE_PATHS)."""
    path = Path(settings.LOCALE_PATHS[0]) / "sw" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as file:
        messages = gettext.GNUTranslations(file)._catalog  # noqa: SLF001 (msgid → msgstr)
    return {key: value for key, value in messages.items() if isinstance(key, str) and key}


def _literal_parts(msgid: str) -> list[str]:
    """The parts of a msgid shown as they are: its text between placeholders and tags."""
    text = TAG.sub("\x00", PLACEHOLDER.sub("\x00", msgid))
    return [" ".join(part.split()) for part in text.split("\x00") if part.strip()]


@cache
def _english_phrases() -> tuple[str, ...]:
    """Catalogue text that would be English if seen verbatim: parts with a word of 3+ letters,
    whose translation is not the same text (M-Pesa stays M-Pesa), longest first."""
    phrases = set()
    for msgid, msgstr in catalogue().items():
        translated = set(_literal_parts(msgstr))
        for part in _literal_parts(msgid):
            words = WORD.findall(part)
            meaningful = any(len(word) >= 3 for word in words)
            whole = len(words) >= 2 or part == " ".join(words)
            if part not in translated and meaningful and whole:
                phrases.add(part)
    return tuple(sorted(phrases, key=len, reverse=True))


def english_left(html: str) -> list[str]:
    """What on this Kiswahili page is still English interface text (see the module)."""
    found = []
    for chunk in visible_text(html):
        for phrase in _english_phrases():
            single = " " not in phrase
            if (chunk == phrase) if single else (phrase in chunk):
                found.append(f"catalogue msgid {phrase!r} in {chunk!r}")
                break
        else:
            words = {word.lower() for word in WORD.findall(chunk)}
            english = sorted(words & ENGLISH_WORDS)
            if english:
                found.append(f"English words {english} in {chunk!r}")
    return found


def assert_kiswahili(response, *, label: str = "") -> None:
    """The response is a page in Kiswahili with no English interface text left."""
    assert response.status_code in (200, 400, 403, 404, 410), (label, response.status_code)
    html = response.content.decode()
    assert '<html lang="sw">' in html, f"{label}: not rendered in Kiswahili"
    found = english_left(html)
    assert not found, f"{label}: English left on the page:\n" + "\n".join(found)
