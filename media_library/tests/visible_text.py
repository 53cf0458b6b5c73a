"""What a page shows a person, for the "no English left" checks of pages rendered in Kiswahili:
its text and its readable attributes (placeholder, aria-label, title, alt), without scripts,
styles, and anything marked translate="no" (names, titles, comments: user content).

`english_left(html)` names what is still English there: a message of the catalogue shown as it
is in English (a msgid, whose msgstr differs), or an English interface word."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sw" / "LC_MESSAGES" / "django.po"
SKIPPED = {"script", "style", "template", "svg", "code"}  # code: join codes, file types
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
READ_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")

# Words of the interface that Kiswahili never uses (words shared by both, like "video",
# "PDF" or "Kiswahili", are left out; so is "English", the language switch's own name).
ENGLISH_WORDS = {
    "the",
    "and",
    "your",
    "you",
    "is",
    "are",
    "of",
    "to",
    "with",
    "for",
    "this",
    "that",
    "has",
    "have",
    "not",
    "here",
    "what",
    "who",
    "can",
    "by",
    "from",
    "or",
    "it",
    "its",
    "will",
    "all",
    "my",
    "sign",
    "upload",
    "edit",
    "delete",
    "save",
    "cancel",
    "review",
    "approve",
    "work",
    "class",
    "children",
    "consent",
    "search",
    "show",
    "title",
    "tags",
    "description",
    "changes",
    "request",
    "published",
    "draft",
    "awaiting",
    "teacher",
    "student",
    "family",
    "child",
    "join",
    "code",
    "page",
    "back",
    "choose",
    "file",
    "photo",
    "download",
    "length",
    "newer",
    "older",
    "print",
    "gallery",
    "galleries",
    "home",
}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from the check)
        self.chunks: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        hidden = self.hidden or tag in SKIPPED or attributes.get("translate") == "no"
        if not hidden:
            self.chunks += [attributes[a] for a in READ_ATTRIBUTES if attributes.get(a)]
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        # Pop up to the matching tag (HTML lets some end tags be left out).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    """The page's visible pieces of text, in order; the <head> but its <title> left out."""
    body = html.split("<body", 1)[-1]
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    parser = _VisibleText()
    parser.feed("<body" + body)
    # The title's parts one by one (" · "): the page's name, then the school's.
    parts = " ".join(title.group(1).split()).split(" · ") if title else []
    return [part for part in parts if part] + parser.chunks


@cache
def english_msgids() -> frozenset[str]:
    """The catalogue's messages without placeholders whose Kiswahili differs from the English:
    shown verbatim on a Kiswahili page, one of them is untranslated text."""
    text = CATALOGUE.read_text(encoding="utf-8")
    found = set()
    for msgid, msgstr in re.findall(r'\nmsgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', text):
        english, swahili = (_po_string(part) for part in (msgid, msgstr))
        plain = not any(mark in english for mark in ("%(", "{", "<"))
        if english and swahili and english != swahili and plain:
            found.add(english)
    return frozenset(found)


def _po_string(lines: str) -> str:
    pieces = re.findall(r'"((?:[^"\\]|\\.)*)"', lines)
    return "".join(pieces).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def english_left(html: str, *, allowed: set[str] = frozenset()) -> list[str]:
    """What is still English among the page's visible text: each piece that is a msgid, or
    that has an English interface word. `allowed`: pieces the caller knows are not interface
    text (a class's subject typed by a teacher, say)."""
    msgids = english_msgids()
    left = []
    for chunk in visible_text(html):
        if chunk in allowed:
            continue
        words = {word.lower() for word in re.findall(r"[A-Za-z]+", chunk)}
        is_msgid = chunk in msgids or any(len(m) > 25 and m in chunk for m in msgids)
        if is_msgid or words & ENGLISH_WORDS:
            left.append(chunk)
    return left
