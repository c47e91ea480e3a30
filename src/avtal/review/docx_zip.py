"""A DOCX before it is read: checked as a zip, and its avtal properties.

Sizes are counted while unpacking, not taken from the zip's headers, which can lie: a
300 KB file with a 200 MB document.xml is refused here instead of exhausting pandoc's
memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zipfile
import zlib
from pathlib import Path

from avtal.errors import InputError

#: A date for a DOCX that carries none (no identification line, no core properties).
UNKNOWN_DATE = dt.date.min
#: Limits on a DOCX before pandoc reads it: members, unpacked bytes per member and in all.
MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 50_000_000
MAX_TOTAL_BYTES = 150_000_000


def check_docx(path: Path) -> zipfile.ZipFile:
    """Open a DOCX as a zip and check what it unpacks to, before anything parses it.

    Sizes are counted while unpacking, not taken from the zip's headers, which can lie:
    a 300 KB file with a 200 MB document.xml is refused here instead of exhausting
    pandoc's memory.
    """
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: pandoc cannot read it as DOCX: not a zip file ({exc})") from None
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{path}: {len(members)} zip members; the limit is {MAX_MEMBERS}")
    total = 0
    for info in members:
        size = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_MEMBER_BYTES or total + size > MAX_TOTAL_BYTES:
                        raise InputError(
                            f"{path}: {info.filename} unpacks to more than "
                            f"{min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - total) // 1_000_000} MB; "
                            "this is not a document avtal reads"
                        )
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{path}: pandoc cannot read it as DOCX: {exc}") from None
        total += size
    return archive


def properties(archive: zipfile.ZipFile) -> tuple[str, dt.date]:
    """The avtal fingerprint (custom property) and the modification date of a DOCX."""
    names = set(archive.namelist())
    found = ""
    if "docProps/custom.xml" in names:
        custom = archive.read("docProps/custom.xml").decode("utf-8", "replace")
        match = re.search(r'name="avtal-fingerprint"[^>]*>\s*<[^>]+>(sha256:[0-9a-f]{64})<', custom)
        found = match.group(1) if match else ""
    date = UNKNOWN_DATE
    if "docProps/core.xml" in names:
        core = archive.read("docProps/core.xml").decode("utf-8", "replace")
        match = re.search(r"<dcterms:modified[^>]*>(\d{4}-\d{2}-\d{2})", core) or re.search(
            r"<dcterms:created[^>]*>(\d{4}-\d{2}-\d{2})", core
        )
        if match:
            with contextlib.suppress(ValueError):
                date = dt.date.fromisoformat(match.group(1))
    return found, date
