"""PDFs: whole, and running or carrying nothing when opened. A PDF can carry JavaScript,
launch actions, scripted (XFA) forms and attached files that a student's viewer would run or
offer to open, so every object of the file is read by a real PDF parser (qpdf, through
pikepdf) and the PDF is refused if any of them is active: see pdf_walk.py for what is.

The parser runs in a process of its own (pdf_walk.py), with its memory, CPU time and the
number of objects it reads capped, and killed after MEDIA_PDF_CHECK_SECONDS: a hostile PDF
(a bomb in an object stream, millions of objects, a parser bug) costs that process, never the
app's worker. A PDF the parser can't open cleanly is refused as damaged, an encrypted one as
locked, and one it can't finish reading in time as one we can't check.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError

from .formats import PDF
from .messages import (
    ERROR_PDF_ATTACHMENT,
    ERROR_PDF_ENCRYPTED,
    ERROR_PDF_SCRIPT,
    ERROR_PDF_UNCHECKABLE,
    corrupt,
)

logger = logging.getLogger(__name__)

_WALKER = Path(__file__).with_name("pdf_walk.py")
# The parser's process may use this much address space (Python and qpdf themselves take about
# 200 MB of it); past it, qpdf's allocations fail and the PDF is one we can't check.
WALKER_MEMORY_MB = 1024
# Starting Python and importing pikepdf, on a busy machine, on top of the walk's own budget.
_START_SECONDS = 5

# The verdicts pdf_walk.py prints (it imports nothing of ours, so they are spelled twice;
# a test checks both lists agree), and what the student reads for each.
_REFUSALS = {
    "script": (ERROR_PDF_SCRIPT, "pdf_script"),
    "attachment": (ERROR_PDF_ATTACHMENT, "pdf_attachment"),
    "encrypted": (ERROR_PDF_ENCRYPTED, "pdf_encrypted"),
    "too_complex": (ERROR_PDF_UNCHECKABLE, "pdf_uncheckable"),
}
VERDICTS = ("clean", "damaged", *_REFUSALS)


def pdf_check(file: IO[bytes]) -> None:
    """A PDF must be whole (end with %%EOF) and pass pdf_walk.py's check; else a
    ValidationError with the reason in plain words."""
    size = file.seek(0, 2)
    file.seek(max(size - 1024, 0))
    if b"%%EOF" not in file.read():
        raise corrupt(PDF)
    verdict, reason = _verdict(file)
    if verdict == "clean":
        return
    logger.info("PDF refused (%s): %s", verdict, reason)
    if verdict == "damaged":
        raise corrupt(PDF)
    message, code = _REFUSALS.get(verdict, _REFUSALS["too_complex"])
    raise ValidationError(message, code=code)


def _verdict(file: IO[bytes]) -> tuple[str, str]:
    seconds = settings.MEDIA_PDF_CHECK_SECONDS
    command = [
        sys.executable,
        "-I",  # no PYTHON* variables, no user site: the interpreter as installed
        str(_WALKER),
        str(settings.MEDIA_PDF_MAX_OBJECTS),
        str(seconds),
        str(WALKER_MEMORY_MB),
    ]
    data = None
    if hasattr(file, "temporary_file_path"):  # where the upload already is, on disk
        command.append(file.temporary_file_path())
    else:
        file.seek(0)
        data = file.read()
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and script, no shell)
            command, input=data, capture_output=True, timeout=seconds + _START_SECONDS
        )
    except subprocess.TimeoutExpired:
        return "too_complex", f"killed after {seconds + _START_SECONDS} s"
    try:
        answer = json.loads(done.stdout)
        return str(answer["verdict"]), str(answer["reason"])
    except (ValueError, KeyError, TypeError):
        # Killed by its limits (CPU time, memory), or qpdf crashed: we could not check it.
        stderr = done.stderr.decode(errors="replace")[-500:]
        return "too_complex", f"the check ended with {done.returncode}: {stderr}"
