"""The merged PDF of a council matter: the PDF/A, and a reading copy with everything.

The merged PDF/A holds the memo and every document of the build, each stamped with its
attachment number. Extra attachments (e.g. the investigation) are PDFs of unknown
conformance: they cannot be embedded in a PDF/A, so the PDF/A lists them with their
SHA-256, and a *reading copy* beside it (plainly marked, not PDF/A) holds them too, so that
a nämnd can read one file.

Page labels say where a page is ("Tjänsteskrivelse:2", "Bilaga 1:3"). typst derives a
page label from a numbering pattern, in which "i" and "a" are counting symbols, so a word
like "Bilaga" cannot be a prefix; the labels are therefore written afterwards, as a small
incremental update that replaces the page-label object and leaves every byte typst wrote
as it was (an incremental update is allowed in PDF/A-2). It is written here rather than
with a PDF library because the update is a few lines and must stay byte-identical between
runs and keep the file's classic cross-reference table.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from avtal.errors import InputError, RenderError
from avtal.paths import templates_dir

#: Which files of templates/ the bundle template needs.
_TEMPLATE_FILES = ("bundle.typ", "avtal-lib.typ")


def _pdf_string(text: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte-order mark, written in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def page_label_ranges(starts: list[int], prefixes: list[str], pages: int) -> list[tuple[int, str]]:
    """``(first page index, prefix)`` per part; a part's pages count from 1 after the prefix."""
    out = list(zip(starts, prefixes, strict=True))
    if any(b <= a for (a, _), (b, _) in itertools.pairwise(out)) or (
        out and (out[0][0] != 0 or out[-1][0] >= pages)
    ):
        raise RenderError("merged PDF: the parts' first pages are not in order")
    return out


def with_page_labels(pdf: bytes, ranges: list[tuple[int, str]], single: set[int]) -> bytes:
    """Append an incremental update that sets the page labels.

    ``ranges`` gives each part's first page index and label prefix; a part whose index is
    in ``single`` has one page and gets the prefix alone as its label ("Innehåll").
    """
    tail = pdf[-2048:]
    trailer = re.search(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", tail, re.S)
    if trailer is None:
        raise RenderError("merged PDF: no classic trailer to update")
    body, prev = trailer.group(1), int(trailer.group(2))
    root = int(re.search(rb"/Root (\d+) 0 R", body).group(1))  # type: ignore[union-attr]
    catalog_at = pdf.rfind(b"\n%d 0 obj\n" % root)
    catalog_end = pdf.find(b"endobj", catalog_at)
    catalog = pdf[catalog_at:catalog_end]
    nums = b"".join(
        b"%d<<%s%s>>"
        % (
            start,
            b"" if index in single else b"/S/D",
            b"/P" + _pdf_string(prefix if index in single else f"{prefix}:"),
        )
        for index, (start, prefix) in enumerate(ranges)
    )
    labels = b"<</Nums[" + nums + b"]>>"
    existing = re.search(rb"/PageLabels (\d+) 0 R", catalog)
    objects: list[tuple[int, bytes]] = []
    if existing is not None:
        objects.append((int(existing.group(1)), labels))
    else:
        inner = catalog[catalog.find(b"<<") + 2 : catalog.rfind(b">>")]
        objects.append((root, b"<<" + inner + b"/PageLabels " + labels + b">>"))
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = []
    for number, data in objects:
        offsets.append((number, len(out)))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, data)
    xref_at = len(out)
    out += b"xref\n"
    for number, offset in sorted(offsets):
        out += b"%d 1\n%010d 00000 n\r\n" % (number, offset)
    extra = re.sub(rb"/Prev \d+", b"", body)
    out += b"trailer\n<<%s/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (extra, prev, xref_at)
    return bytes(out)


def page_count(data: bytes, name: str) -> int:
    """The number of pages of an extra attachment (read with pypdf)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"{name}: not a readable PDF ({exc})") from None


def compile_bundle(data: dict[str, Any], when: dt.date, extras: dict[str, bytes]) -> bytes:
    """Compile templates/bundle.typ: a PDF/A-2b, or (with ``extras``) the reading copy.

    Returns the PDF with its page labels; the start page of every part comes from the
    ``<doc-start>`` metadata the template places on it.
    """
    import typst

    stamp = dt.datetime.combine(when, dt.time(12, 0), tzinfo=dt.UTC)
    inputs = {"bundle": json.dumps(data, ensure_ascii=False, sort_keys=True)}
    with tempfile.TemporaryDirectory(prefix="avtal-bundle-") as tmp:
        root = Path(tmp)
        for name in _TEMPLATE_FILES:
            shutil.copyfile(templates_dir() / name, root / name)
        for name, content in extras.items():
            (root / name).write_bytes(content)
        compiler = typst.Compiler(
            str(root / "bundle.typ"), root=str(root), font_paths=[], ignore_system_fonts=True
        )
        standards: Any = [] if data["reading"] else ["a-2b"]
        try:
            pdf = compiler.compile(
                sys_inputs=inputs, pdf_standards=standards, timestamp=int(stamp.timestamp())
            )
            starts = json.loads(compiler.query("<doc-start>", field="value"))
        except Exception as exc:  # typst raises its own TypstError; report it whole
            raise RenderError(f"bundle.typ: PDF rendering failed: {exc}") from None
    if not isinstance(pdf, bytes):  # pragma: no cover - typst returns bytes for one PDF
        raise RenderError("bundle.typ: PDF rendering gave no single PDF")
    # Each list tagged as what it is, as in the documents' own PDFs (see render.pdf_tags):
    # the documents are the only parts with lists, in the order of the parts.
    from avtal.render.pdf_tags import list_kinds, set_list_kinds

    kinds = [k for part in data["parts"] if part["kind"] == "doc" for k in list_kinds(part["doc"])]
    pdf = set_list_kinds(pdf, kinds)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    firsts = [0] + [int(s) - 1 for s in starts]
    prefixes = ["Innehåll"] + [str(p["label"]) for p in data["parts"]]
    ranges = page_label_ranges(firsts, prefixes, pages)
    single = {0} if len(firsts) < 2 or firsts[1] == 1 else set()
    return with_page_labels(pdf, ranges, single)
