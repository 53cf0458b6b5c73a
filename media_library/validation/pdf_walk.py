"""The PDF check's own process: opens a PDF with qpdf (through pikepdf) and says whether it
would run or carry anything when opened. documents.py starts it for every PDF upload.

Run as `python -I pdf_walk.py MAX_OBJECTS SECONDS MEMORY_MB [PATH]` (the PDF on standard
input when no path is given); prints one JSON object, {"verdict": ..., "reason": ...}, where
the verdict is one of VERDICTS. It imports nothing of the project and nothing of Django: a
hostile PDF is parsed in a process that can be killed, with its memory (RLIMIT_AS) and CPU
time (RLIMIT_CPU) capped, so no PDF can pin or exhaust the app's worker, whatever qpdf does
with it.

Every object of the file is read, not only those a viewer reaches from the catalog: an
action written in an object stream, behind a string that says "stream", in a page's /AA or
at the end of a /Next chain is still a dictionary qpdf parses, with its names decoded. What
is refused:

- scripts and actions that reach outside the file: any action of a type in ACTIVE_ACTIONS
  (JavaScript, Launch, ImportData, SubmitForm, GoToE, GoToR, Rendition, Movie, Sound,
  RichMediaExecute), wherever it is, /Next chains included; the JavaScript name tree; /JS;
- actions that run by themselves: additional actions (/AA, on the catalog, pages,
  annotations, form fields), and a document-open action (/OpenAction) that is anything but
  going to a page (an /OpenAction that is a destination, as LaTeX writes, is fine);
- XFA forms (/XFA: scripted forms), rich media and 3D annotations (they run code);
- links to anything but web pages and email addresses (a /URI action to javascript:, file:
  or a Windows share runs a script or reaches the student's own machine);
- embedded files: the EmbeddedFiles name tree, file specifications with /EF or /RF, file
  attachment annotations, embedded file streams, portfolios (/Collection).

Links to web pages (/URI behind a click), going to a page (/GoTo), ordinary forms and
outlines are fine.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time

import pikepdf

CLEAN = "clean"
SCRIPT = "script"
ATTACHMENT = "attachment"
ENCRYPTED = "encrypted"
DAMAGED = "damaged"
TOO_COMPLEX = "too_complex"
VERDICTS = (CLEAN, SCRIPT, ATTACHMENT, ENCRYPTED, DAMAGED, TOO_COMPLEX)

ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/GoToE",
    "/GoToR",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/RichMediaExecute",
}
# What an /OpenAction may do: go to a page (in the document).
OPEN_ACTIONS_ALLOWED = {"/GoTo"}
# Where a link (a /URI action) may lead.
URI_SCHEMES_ALLOWED = {"http", "https", "mailto"}
_SCRIPT_KEYS = {"/JS", "/JavaScript", "/AA", "/XFA", "/OnInstantiate"}
_ATTACHMENT_KEYS = {"/EmbeddedFiles", "/EF", "/RF", "/Collection"}
_SCRIPT_SUBTYPES = {"/RichMedia", "/3D"}
_ACTION_CHAIN_LIMIT = 1000
# qpdf's own limits, for the decoding it does (object and cross-reference streams): the
# walk decodes nothing else. Generous for any real PDF; a bomb stops at them.
_QPDF_LIMITS = {
    "flate_max_memory": 64 * 1024 * 1024,
    "png_max_memory": 64 * 1024 * 1024,
    "tiff_max_memory": 64 * 1024 * 1024,
    "run_length_max_memory": 64 * 1024 * 1024,
    "parser_max_container_size": 1_000_000,
    "doc_max_warnings": 100,
}


class _Refused(Exception):
    def __init__(self, verdict: str, reason: str):
        super().__init__(reason)
        self.verdict = verdict
        self.reason = reason


def pdf_verdict(source, *, max_objects: int, seconds: float) -> tuple[str, str]:
    """(verdict, reason) for the PDF at `source` (a path or a binary stream)."""
    deadline = time.monotonic() + seconds
    try:
        pdf = pikepdf.open(source, attempt_recovery=False)
    except pikepdf.PasswordError:
        return ENCRYPTED, "needs a password"
    except (pikepdf.PdfError, ValueError) as error:
        return DAMAGED, f"qpdf could not open it: {error}"
    with pdf:
        if pdf.is_encrypted:
            return ENCRYPTED, "encrypted"
        try:
            _walk(pdf, max_objects=max_objects, deadline=deadline)
        except _Refused as refused:
            return refused.verdict, refused.reason
        except (pikepdf.PdfError, ValueError, TypeError, RecursionError) as error:
            return DAMAGED, f"qpdf could not read an object: {error}"
        if warnings := pdf.get_warnings():
            # qpdf had to guess: another viewer may guess otherwise, and see what we didn't.
            return DAMAGED, f"qpdf warned: {warnings[0]}"
    return CLEAN, ""


def _walk(pdf: pikepdf.Pdf, *, max_objects: int, deadline: float) -> None:
    declared = pdf.trailer.get("/Size")
    if isinstance(declared, int) and declared > max_objects:
        raise _Refused(TOO_COMPLEX, f"{declared} objects declared")
    objects = pdf.get_xref_table()
    if len(objects) > max_objects:
        raise _Refused(TOO_COMPLEX, f"{len(objects)} objects")
    _open_action_check(pdf)
    for number, ((objid, generation), entry) in enumerate(objects.items()):
        if number % 256 == 0 and time.monotonic() > deadline:
            raise _Refused(TOO_COMPLEX, f"out of time after {number} objects")
        if entry.type == 0:  # a free entry: no object
            continue
        obj = pdf.get_object(objid, generation)
        if not isinstance(obj, pikepdf.Object):  # null: qpdf could not read it (warned)
            continue
        where = f"object {objid} {generation}"
        # The object's own value, its indirect children as references ("12 0 R"); names
        # decoded ("/J#61vaScript" reads "/JavaScript"), strings prefixed "u:" or "b:".
        _check(json.loads(obj.to_json(dereference=True)), where)
    _check(json.loads(pdf.trailer.to_json(dereference=True)), "trailer")


def _check(value, where: str) -> None:
    """Refuses (raises _Refused) a dictionary or array, or anything inside it, that is
    active or embeds a file."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(child for child in item if isinstance(child, dict | list))
            continue
        if not isinstance(item, dict):
            continue
        keys = item.keys()
        if found := _SCRIPT_KEYS.intersection(keys):
            raise _Refused(SCRIPT, f"{min(found)} in {where}")
        if found := _ATTACHMENT_KEYS.intersection(keys):
            raise _Refused(ATTACHMENT, f"{min(found)} in {where}")
        action = _name(item, "/S")
        if action in ACTIVE_ACTIONS:
            raise _Refused(SCRIPT, f"a {action} action in {where}")
        if action == "/URI" and _uri_scheme(item.get("/URI")) not in URI_SCHEMES_ALLOWED:
            raise _Refused(SCRIPT, f"a link to {str(item.get('/URI'))[:80]} in {where}")
        subtype = _name(item, "/Subtype")
        if subtype in _SCRIPT_SUBTYPES:
            raise _Refused(SCRIPT, f"a {subtype} annotation in {where}")
        if subtype == "/FileAttachment" or _name(item, "/Type") == "/EmbeddedFile":
            raise _Refused(ATTACHMENT, f"an attached file in {where}")
        stack.extend(child for child in item.values() if isinstance(child, dict | list))


def _name(dictionary: dict, key: str) -> str | None:
    value = dictionary.get(key)
    return value if isinstance(value, str) else None


def _uri_scheme(value) -> str | None:
    """The scheme of a /URI action's address, as qpdf's JSON writes the string ("u:" text,
    "b:" hexadecimal bytes); None when there is no readable one."""
    if not isinstance(value, str):
        return None
    if value.startswith("b:"):
        try:
            value = bytes.fromhex(value[2:]).decode("latin-1")
        except ValueError:
            return None
    else:
        value = value.removeprefix("u:")
    scheme, colon, _rest = value.strip().partition(":")
    return scheme.lower() if colon else None


def _open_action_check(pdf: pikepdf.Pdf) -> None:
    """The action the document runs when opened, with every action it chains (/Next), may
    only go to a page. A destination (an array or a name) is not an action: fine."""
    root = pdf.trailer.get("/Root")
    if not isinstance(root, pikepdf.Dictionary):
        raise _Refused(DAMAGED, "no document catalog")
    pending = [root.get("/OpenAction")]
    seen = 0
    while pending:
        action = pending.pop()
        if not isinstance(action, pikepdf.Dictionary):
            continue
        seen += 1
        if seen > _ACTION_CHAIN_LIMIT:
            raise _Refused(TOO_COMPLEX, "an endless /OpenAction chain")
        kind = action.get("/S")
        if str(kind) not in OPEN_ACTIONS_ALLOWED:
            raise _Refused(SCRIPT, f"an /OpenAction of type {kind}")
        following = action.get("/Next")
        if isinstance(following, pikepdf.Array):
            pending.extend(following)
        elif following is not None:
            pending.append(following)


def _limit_this_process(seconds: float, memory_mb: int) -> None:
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        memory = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):  # not every system caps address space (macOS)
        pass
    pikepdf.settings.set_qpdf_limits(**_QPDF_LIMITS)


def main(argv: list[str]) -> int:
    max_objects, seconds, memory_mb = int(argv[1]), float(argv[2]), int(argv[3])
    _limit_this_process(seconds, memory_mb)
    source = argv[4] if len(argv) > 4 else io.BytesIO(sys.stdin.buffer.read())
    try:
        verdict, reason = pdf_verdict(source, max_objects=max_objects, seconds=seconds)
    except MemoryError:
        verdict, reason = TOO_COMPLEX, "out of memory"
    json.dump({"verdict": verdict, "reason": reason[:500]}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
