"""The list kinds of a tagged PDF, set after typst has written it.

typst tags every ``list`` as a bullet list with circles and every ``enum`` as a decimal
list, whatever the labels say. A screen reader announces that kind, so an avtal PDF would
call a dash list numbered and a lettered list decimal. The kind of each list is known from
the Document; this module writes it into the structure tree's ``/ListNumbering`` attribute:
``/None`` for dash bullets (the label is text, not a number), ``/LowerAlpha`` for "a)", "b)",
``/Decimal`` for numbered points ("6.2", "3 §").

typst writes a plain PDF: uncompressed objects, one classic cross-reference table. In such
a file the attribute is a few bytes of one object, so it is replaced in place and the table's
offsets are shifted: about a millisecond, where a rewrite with pypdf took 60–700 ms and
pikepdf (not a run-time dependency) 25 ms for a ten-page agreement. A file of any other
shape is rewritten with pypdf, already a dependency, which keeps its trailer, document
information and XMP metadata as typst wrote them.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterator
from typing import Any

from avtal.errors import RenderError

#: Structure roles that group blocks; lists sit directly inside them.
_GROUPS = {"/Document", "/Part", "/Sect", "/Div", "/NonStruct", "/Art"}


def list_kinds(data: dict[str, Any]) -> list[str]:
    """The ``/ListNumbering`` of each list of a document's data, in reading order."""
    sections = [*data["sections"], *(s for a in data["annexes"] for s in a["sections"])]
    out: list[str] = []
    for section in sections:
        for block in section["blocks"]:
            if block["kind"] == "points":
                out.append("/Decimal")
            elif block["kind"] == "list":
                out.append("/LowerAlpha" if block["ordered"] else "/None")
    return out


def _kids(node: Any) -> Iterator[Any]:
    from pypdf.generic import ArrayObject, DictionaryObject

    kids = node.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            yield kid


def _lists(node: Any) -> Iterator[Any]:
    for kid in _kids(node):
        role = kid["/S"]
        if role == "/L":
            yield kid
        elif role in _GROUPS:
            yield from _lists(kid)


_DOCUMENT = re.compile(rb"<</Type/StructElem/S/Document/[^\n]*?/K\[([0-9 R]*)\]")
_LIST = re.compile(rb"\n(\d+) 0 obj\n<</Type/StructElem/S/L/[^\n]*?/ListNumbering/([A-Za-z]+)")
_XREF = re.compile(rb"\nxref\n0 (\d+)\n")
_STARTXREF = re.compile(rb"startxref\n(\d+)\n%%EOF\s*\Z")


def _in_place(pdf: bytes, kinds: list[str]) -> bytes | None:
    """The PDF patched in place, or None when the file is not shaped as expected."""
    if b"/ObjStm" in pdf or b"/Type/XRef" in pdf:
        return None
    documents = _DOCUMENT.findall(pdf)
    tables = list(_XREF.finditer(pdf))
    end = _STARTXREF.search(pdf)
    if len(documents) != 1 or len(tables) != 1 or end is None:
        return None
    table = tables[0]
    if int(end.group(1)) != table.start() + 1:
        return None
    values = {int(m.group(1)): m.span(2) for m in _LIST.finditer(pdf)}
    order = [int(n) for n in re.findall(rb"(\d+) 0 R", documents[0]) if int(n) in values]
    if len(order) != len(values) or len(order) != len(kinds):
        return None
    pairs = zip(order, kinds, strict=True)
    patches = sorted((values[number], kind.lstrip("/").encode()) for number, kind in pairs)
    pieces: list[bytes] = []
    positions: list[int] = []
    shifts: list[int] = []  # the shift of every offset after positions[i]
    done, shift = 0, 0
    for (start, stop), value in patches:
        pieces += [pdf[done:start], value]
        shift += len(value) - (stop - start)
        positions.append(start)
        shifts.append(shift)
        done = stop
    head = pdf[done : table.end()]
    count = int(table.group(1))
    entries = pdf[table.end() : table.end() + 20 * count]
    rest = pdf[table.end() + 20 * count : end.start()]
    if len(entries) != 20 * count or not rest.startswith(b"trailer"):
        return None
    rows = []
    for index in range(count):
        row = entries[20 * index : 20 * index + 20]
        if row[17:18] == b"n":
            offset = int(row[:10])
            before = bisect.bisect_left(positions, offset)
            moved = offset + (shifts[before - 1] if before else 0)
            row = b"%010d" % moved + row[10:]
        rows.append(row)
    tail = pdf[end.start() : end.start(1)] + b"%d" % (table.start() + 1 + shift) + pdf[end.end(1) :]
    return b"".join([*pieces, head, *rows, rest, tail])


def set_list_kinds(pdf: bytes, kinds: list[str]) -> bytes:
    """The PDF with each list's ``/ListNumbering`` set to ``kinds``, in reading order."""
    if not kinds:
        return pdf
    patched = _in_place(pdf, kinds)
    return patched if patched is not None else rewrite_list_kinds(pdf, kinds)


def rewrite_list_kinds(pdf: bytes, kinds: list[str]) -> bytes:
    """:func:`set_list_kinds` by rewriting the whole file with pypdf (any PDF)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    found = list(_lists(writer.root_object["/StructTreeRoot"].get_object()))
    if len(found) != len(kinds):
        raise RenderError(
            f"PDF tagging: the document has {len(kinds)} lists, the PDF's structure tree "
            f"{len(found)}"
        )
    for element, kind in zip(found, kinds, strict=True):
        attributes = element.get("/A")
        attributes = attributes.get_object() if attributes is not None else None
        if isinstance(attributes, ArrayObject):
            attributes = next(
                (
                    a.get_object()
                    for a in attributes
                    if isinstance(a.get_object(), DictionaryObject)
                    and a.get_object().get("/O") == "/List"
                ),
                None,
            )
        if not isinstance(attributes, DictionaryObject):
            attributes = DictionaryObject({NameObject("/O"): NameObject("/List")})
            element[NameObject("/A")] = attributes
        attributes[NameObject("/ListNumbering")] = NameObject(kind)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
