"""The redline DOCX: the two built documents merged into one with Word tracked changes.

Both versions are rendered exactly as ``avtal build`` writes them, and their bodies are
merged element by element: unchanged paragraphs are copied, changed ones get token-level
``w:ins``/``w:del`` runs (formatting, tabs and no-break spaces as written), added and
removed paragraphs also track their paragraph mark, table rows carry ``w:trPr/w:ins`` or
``w:del``, a changed paragraph style a ``w:pPrChange``, and a clause that moved becomes
``w:moveFrom``/``w:moveTo``. Accepting every change therefore gives the new document's text
and rejecting every change the old one's, numbers, headings and signatures included.

Headers and footers are tracked the same way. The cover line (both versions: file, version,
fingerprint) and the summary of the changes, linked to their places, are Word comments, so
that they belong to neither version and stay through Accept all and Reject all.

Written here rather than with a DOCX compare library: the groups (which paragraphs belong
to which clause) come from the Documents, so clauses are matched by id, not by text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable

from lxml import etree

from avtal.document import Document
from avtal.review.comments import Comments, paragraph, with_comments
from avtal.review.diff import FRONT, SIGNATURES, Diff, DocumentDiff, moved_ids
from avtal.review.redline import cover_line, summary_items
from avtal.review.tracked import Element, Marks, W, merge_elements, moved, text_of, w, whole

# --- Grouping the body by clause ----------------------------------------------------------------


def _expected(doc: Document) -> list[tuple[str, str]]:
    """(heading text, group key) in the order the headings appear."""
    out = [(s.heading, s.clause_id) for s in doc.sections]
    for annex in doc.annexes:
        out.append((annex.heading, f"annex:{annex.id}"))
        out += [(s.heading, s.clause_id) for s in annex.sections]
    return out


def heading_paragraphs(body: Element, doc: Document) -> list[tuple[str, Element]]:
    """(clause id, heading paragraph) of every clause of the document, in order."""
    expected = [(h, k) for h, k in _expected(doc) if not k.startswith("annex:")]
    out = []
    at = 0
    for element in body.iterchildren(W + "p"):
        if at < len(expected) and text_of(element) == expected[at][0]:
            out.append((expected[at][1], element))
            at += 1
    return out


def _groups(body: Element, doc: Document) -> list[tuple[str, list[Element]]]:
    from avtal.review.docx_read import SIGNATURE_CAPTION

    expected = _expected(doc)
    groups: list[tuple[str, list[Element]]] = [(FRONT, [])]
    at = 0
    for element in body:
        if element.tag == W + "sectPr":
            continue
        if element.tag == W + "p" and at < len(expected) and text_of(element) == expected[at][0]:
            groups.append((expected[at][1], []))
            at += 1
        elif element.tag == W + "tbl":
            caption = element.find(f"{W}tblPr/{W}tblCaption")
            if caption is not None and caption.get(W + "val") == SIGNATURE_CAPTION:
                groups.append((SIGNATURES, []))
        groups[-1][1].append(element)
    return groups


def _merge(
    old_groups: list[tuple[str, list[Element]]],
    new_groups: list[tuple[str, list[Element]]],
    moved_keys: set[str],
    marks: Marks,
    bookmark: Callable[[str, list[Element]], None],
) -> list[Element]:
    """Merge the clause groups: new order, removed and moved-away clauses where they were."""
    old_by_key = dict(old_groups)
    new_keys = {k for k, _ in new_groups}
    after: dict[str, list[tuple[str, list[Element]]]] = {}
    anchor = FRONT
    for group_key, elements in old_groups:
        if group_key in new_keys and group_key not in moved_keys:
            anchor = group_key
        else:
            after.setdefault(anchor, []).append((group_key, elements))
    out: list[Element] = []

    def emit_old(anchor_key: str) -> None:
        for group_key, elements in after.get(anchor_key, []):
            if group_key in moved_keys:
                merged = moved(elements, "moveFrom", _move_name(group_key), marks)
            else:
                merged = [whole(e, "del", marks) for e in elements]
                bookmark(group_key, merged)
            out.extend(merged)

    for group_key, elements in new_groups:
        if group_key in moved_keys:
            merged = moved(elements, "moveTo", _move_name(group_key), marks)
        elif group_key in old_by_key:
            merged = merge_elements(old_by_key[group_key], elements, marks)
        else:
            merged = [whole(e, "ins", marks) for e in elements]
        bookmark(group_key, merged)
        out.extend(merged)
        emit_old(group_key)
    return out


def _move_name(group_key: str) -> str:
    """A move's name, the same in w:moveFrom and w:moveTo and in every run."""
    return "flytt_" + hashlib.sha256(group_key.encode()).hexdigest()[:10]


# --- The file -----------------------------------------------------------------------------------


def _first_paragraph(elements: list[Element]) -> Element | None:
    """The first paragraph of a group, in a table cell if the group starts with a table."""
    return next((p for e in elements for p in ([e] if e.tag == W + "p" else e.iter(W + "p"))), None)


def _summary(
    diff: Diff,
    result: DocumentDiff,
    targets: dict[str, tuple[str, Element]],
    body: Element,
    comments: Comments,
    marks: Marks,
) -> None:
    """The cover line and the summary of changes, as Word comments.

    A comment is not part of the document's text: Accept all and Reject all leave it alone,
    so the redline accepted is exactly the new document and rejected exactly the old one,
    cover and summary included. (Text inserted by one author and deleted by another would
    vanish on both too, but Word's default "Simple Markup" view hides deleted text, so the
    summary would not be seen.) The first comment, on the document's first paragraph,
    names both versions and lists every change with a link to its place; each change also
    has a comment of its own where it is, naming its kind, clause and label.
    """
    items = summary_items(result)
    lines = [paragraph("Ändringar", bold=True), paragraph(cover_line(diff, result))]
    for change, text in items:
        target = targets.get(change.clause_id)
        lines.append(paragraph(f"– {text}", anchor=target[0] if target else None))
    first = next(body.iter(W + "p"))
    comments.add(marks.new_id(), lines, first, first)
    for number, (change, text) in enumerate(items, start=1):
        target = targets.get(change.clause_id)
        if target is not None:
            note = paragraph(f"Ändring {number} av {len(items)}: {text}")
            comments.add(marks.new_id(), [note], target[1], target[1])


def _body(data: bytes) -> tuple[Element, Element]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return root, root.find(W + "body")


def redline_docx(result: DocumentDiff, diff: Diff, author: str, date: dt.date) -> bytes:
    """The redline DOCX of one document: the new formatting, tracked changes against the old.

    Body, headers and footers are tracked; the summary is in comments.
    """
    from avtal.render.docx import render_docx

    old_data, new_data = render_docx(result.old), render_docx(result.new)
    _, old_body = _body(old_data)
    new_root, new_body = _body(new_data)
    marks = Marks(author, date)
    targets: dict[str, tuple[str, Element]] = {}
    changed = {c.clause_id for c in result.changes if c.kind != "renumbered"}

    def bookmark(group_key: str, elements: list[Element]) -> None:
        first = _first_paragraph(elements)
        if group_key not in changed or group_key in targets or first is None:
            return
        name = f"andring_{len(targets) + 1}"
        bookmark_id = marks.new_id()
        start = w("bookmarkStart", id=bookmark_id, name=name)
        first.insert(1 if first.find(W + "pPr") is not None else 0, start)
        first.append(w("bookmarkEnd", id=bookmark_id))
        targets[group_key] = (name, first)

    merged = _merge(
        _groups(old_body, result.old),
        _groups(new_body, result.new),
        moved_ids(result.old, result.new),
        marks,
        bookmark,
    )
    section = new_body.find(W + "sectPr")
    for child in list(new_body):
        new_body.remove(child)
    new_body.extend(merged)
    if section is not None:
        new_body.append(section)
    comments = Comments(author, marks.date)
    _summary(diff, result, targets, new_body, comments, marks)
    parts = tracked_parts(old_data, new_data, marks)
    parts["word/document.xml"] = etree.tostring(
        new_root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return with_comments(new_data, parts, comments)


def tracked_parts(old_data: bytes, new_data: bytes, marks: Marks) -> dict[str, bytes]:
    """The headers and footers of the new DOCX, tracked against the old one's.

    Both are rendered from one template, so their parts have the same names; a part only
    one side has is taken as it is.
    """
    old_zip, new_zip = zipfile.ZipFile(io.BytesIO(old_data)), zipfile.ZipFile(io.BytesIO(new_data))
    old_names = set(old_zip.namelist())
    out: dict[str, bytes] = {}
    for name in new_zip.namelist():
        if not re.fullmatch(r"word/(header|footer)\d*\.xml", name) or name not in old_names:
            continue
        old_root = etree.fromstring(old_zip.read(name))
        new_root = etree.fromstring(new_zip.read(name))
        merged = merge_elements(
            [e for e in old_root if e.tag in (W + "p", W + "tbl")],
            [e for e in new_root if e.tag in (W + "p", W + "tbl")],
            marks,
        )
        for child in [e for e in new_root if e.tag in (W + "p", W + "tbl")]:
            new_root.remove(child)
        new_root.extend(merged)
        out[name] = etree.tostring(
            new_root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    return out
