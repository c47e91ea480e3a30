"""The redline DOCX: the two built documents merged into one with Word tracked changes.

Both versions are rendered exactly as ``avtal build`` writes them, and their bodies are
merged element by element: unchanged paragraphs are copied, changed ones get token-level
``w:ins``/``w:del`` runs (formatting, tabs and no-break spaces as written), added and
removed paragraphs also track their paragraph mark, table rows carry ``w:trPr/w:ins`` or
``w:del``, a changed paragraph style a ``w:pPrChange``, and a clause that moved becomes
``w:moveFrom``/``w:moveTo``. Accepting every change therefore gives the new document's text
and rejecting every change the old one's, numbers, headings and signatures included.

A cover page comes first, before the document: both versions (file, version, fingerprint)
and a summary of the changes linked to their places. It belongs to neither version.

Written here rather than with a DOCX compare library: the groups (which paragraphs belong
to which clause) come from the Documents, so clauses are matched by id, not by text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable

from lxml import etree

from avtal.document import Document
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
    has_table = {k for k, els in [*old_groups, *new_groups] if any(e.tag == W + "tbl" for e in els)}
    as_move = {k for k in moved_keys if k not in has_table}
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
            if group_key in as_move:
                merged = moved(elements, "moveFrom", _move_name(group_key), marks)
            elif group_key in new_keys:
                merged = [whole(e, "del", marks) for e in elements]
            else:
                merged = [whole(e, "del", marks) for e in elements]
                bookmark(group_key, merged)
            out.extend(merged)

    for group_key, elements in new_groups:
        if group_key in as_move:
            merged = moved(elements, "moveTo", _move_name(group_key), marks)
        elif group_key in old_by_key and group_key not in moved_keys:
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


def _cover(diff: Diff, result: DocumentDiff, targets: dict[str, str]) -> list[Element]:
    """The cover page: both versions, then each change with a link to its place."""

    def para(text: str, bold: bool = False) -> Element:
        p = w("p")
        ppr = w("pPr")
        ppr.append(w("pStyle", val="Stycke"))
        p.append(ppr)
        run = w("r")
        if bold:
            rpr = w("rPr")
            rpr.append(w("b"))
            run.append(rpr)
        t = w("t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        run.append(t)
        p.append(run)
        return p

    out = [para("Ändringar", bold=True), para(cover_line(diff, result))]
    for change, text in summary_items(result):
        p = para("– ")
        anchor = targets.get(change.clause_id)
        link = w("hyperlink", anchor=anchor, history="1") if anchor else None
        run = w("r")
        rpr = w("rPr")
        if link is not None:
            rpr.append(w("color", val="1F3864"))
            rpr.append(w("u", val="single"))
        run.append(rpr)
        t = w("t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        run.append(t)
        if link is not None:
            link.append(run)
            p.append(link)
        else:
            p.append(run)
        out.append(p)
    end = w("p")
    run = w("r")
    run.append(w("br", type="page"))
    end.append(run)
    out.append(end)
    return out


def _body(data: bytes) -> tuple[Element, Element]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return root, root.find(W + "body")


def redline_docx(result: DocumentDiff, diff: Diff, author: str, date: dt.date) -> bytes:
    """The redline DOCX of one document: the new formatting, tracked changes against the old."""
    from avtal.render.docx import render_docx

    old_data, new_data = render_docx(result.old), render_docx(result.new)
    _, old_body = _body(old_data)
    new_root, new_body = _body(new_data)
    marks = Marks(author, date)
    targets: dict[str, str] = {}
    changed = {c.clause_id for c in result.changes if c.kind != "renumbered"}

    def bookmark(group_key: str, elements: list[Element]) -> None:
        paragraphs = [e for e in elements if e.tag == W + "p"]
        if group_key not in changed or group_key in targets or not paragraphs:
            return
        name = f"andring_{len(targets) + 1}"
        bookmark_id = marks.new_id()
        start = w("bookmarkStart", id=bookmark_id, name=name)
        first = paragraphs[0]
        first.insert(1 if first.find(W + "pPr") is not None else 0, start)
        first.append(w("bookmarkEnd", id=bookmark_id))
        targets[group_key] = name

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
    new_body.extend(_cover(diff, result, targets))
    new_body.extend(merged)
    if section is not None:
        new_body.append(section)
    xml = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _replace_member(new_data, "word/document.xml", xml)


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The DOCX with one member replaced; entry order and dates kept (reproducible)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()
