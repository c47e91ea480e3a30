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

import copy
import datetime as dt
import difflib
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from avtal.document import Document
from avtal.review.diff import FRONT, SIGNATURES, Diff, DocumentDiff, moved_ids
from avtal.review.redline import cover_line, summary_items
from avtal.review.tokens import key, token_ops, tokens

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
_PAR_MARK_ORDER = ("ins", "del", "moveFrom", "moveTo")

Element = Any  # lxml element
Token = tuple[str, str, Element | None, Element | None]  # text, compare key, rPr, special


def _w(tag: str, **attrs: str) -> Element:
    element = etree.Element(W + tag)
    for name, value in attrs.items():
        element.set(W + name, value)
    return element


def _text(element: Element) -> str:
    return "".join(
        (t.text or "") if t.tag in (W + "t", W + "delText") else "\t" if t.tag == W + "tab" else ""
        for t in element.iter(W + "t", W + "delText", W + "tab")
    )


def _style(p: Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return str(style.get(W + "val")) if style is not None else ""


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
        if at < len(expected) and _text(element) == expected[at][0]:
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
        if element.tag == W + "p" and at < len(expected) and _text(element) == expected[at][0]:
            groups.append((expected[at][1], []))
            at += 1
        elif element.tag == W + "tbl":
            caption = element.find(f"{W}tblPr/{W}tblCaption")
            if caption is not None and caption.get(W + "val") == SIGNATURE_CAPTION:
                groups.append((SIGNATURES, []))
        groups[-1][1].append(element)
    return groups


# --- Tracked changes ----------------------------------------------------------------------------


class _Marks:
    """Creates change elements with one author and date and document-unique ids."""

    def __init__(self, author: str, date: dt.date) -> None:
        self.author = author
        self.date = f"{date.isoformat()}T00:00:00Z"
        self.next_id = 1000

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def element(self, tag: str, **attrs: str) -> Element:
        return _w(tag, id=self.new_id(), author=self.author, date=self.date, **attrs)


def _ppr(p: Element) -> Element:
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = _w("pPr")
        p.insert(0, ppr)
    return ppr


def _mark_paragraph(p: Element, mark: Element) -> None:
    """Track a paragraph's mark (w:pPr/w:rPr/w:ins…), in schema order."""
    ppr = _ppr(p)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = _w("rPr")
        tail = [c for c in ppr if c.tag in (W + "sectPr", W + "pPrChange")]
        if tail:
            tail[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, mark)


def _wrap_runs(p: Element, tag: str, marks: _Marks) -> None:
    """Wrap every run of a paragraph in one change element; deleted text as w:delText."""
    for run in list(p.iter(W + "r")):
        if run.getparent().tag in (W + "ins", W + "del", W + "moveFrom", W + "moveTo"):
            continue
        wrapper = marks.element(tag)
        run.addprevious(wrapper)
        wrapper.append(run)
        if tag in ("del", "moveFrom"):
            for t in run.findall(W + "t"):
                t.tag = W + "delText"


def _whole(element: Element, tag: str, marks: _Marks) -> Element:
    """A copy of a paragraph or table, all of it inserted, deleted or moved."""
    element = copy.deepcopy(element)
    paragraphs = [element] if element.tag == W + "p" else list(element.iter(W + "p"))
    for p in paragraphs:
        _wrap_runs(p, tag, marks)
        if element.tag == W + "p":
            _mark_paragraph(p, marks.element(tag))
    if element.tag == W + "tbl":
        for row in element.findall(W + "tr"):
            _mark_row(row, "del" if tag in ("del", "moveFrom") else "ins", marks)
    return element


def _mark_row(row: Element, tag: str, marks: _Marks) -> None:
    trpr = row.find(W + "trPr")
    if trpr is None:
        trpr = _w("trPr")
        prex = row.find(W + "tblPrEx")
        if prex is not None:
            prex.addnext(trpr)
        else:
            row.insert(0, trpr)
    trpr.append(marks.element(tag))


# --- Paragraphs ---------------------------------------------------------------------------------


def _tokens(p: Element) -> list[Token]:
    out: list[Token] = []
    for run in p.iter(W + "r"):
        rpr = run.find(W + "rPr")
        fmt = etree.tostring(rpr).decode() if rpr is not None else ""
        for child in run:
            if child.tag == W + "t":
                out += [(t, f"{key(t)}\0{fmt}", rpr, None) for t in tokens(child.text or "")]
            elif child.tag != W + "rPr":
                name = etree.QName(child).localname
                special = etree.tostring(child).decode()
                out.append(("\t" if name == "tab" else "", f"\0{special}\0{fmt}", rpr, child))
    return out


def _runs(items: list[Token], deleted: bool) -> Iterator[Element]:
    """Runs for consecutive tokens, one per stretch of equal formatting."""
    run: Element | None = None
    last: object = object()
    for text, _key, rpr, special in items:
        if run is None or rpr is not last:
            run = _w("r")
            if rpr is not None:
                run.append(copy.deepcopy(rpr))
            last = rpr
            yield run
        if special is not None:
            run.append(copy.deepcopy(special))
            continue
        t = _w("delText" if deleted else "t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        run.append(t)


def _similar(a: Element, b: Element) -> float:
    if a.tag != b.tag:
        return 0.0
    return difflib.SequenceMatcher(a=_text(a), b=_text(b), autojunk=False).ratio()


def _ppr_key(p: Element) -> str:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return ""
    clean = copy.deepcopy(ppr)
    for child in clean.findall(W + "rPr"):
        clean.remove(child)
    return str(etree.tostring(clean).decode())


def _paragraph(old: Element, new: Element, marks: _Marks) -> Element:
    """The new paragraph with token-level changes against the old one."""
    a, b = _tokens(old), _tokens(new)
    same_text = [t[1] for t in a] == [t[1] for t in b]
    if same_text and _ppr_key(old) == _ppr_key(new):
        return copy.deepcopy(new)
    out = copy.deepcopy(new)
    for child in list(out):
        if child.tag != W + "pPr":
            out.remove(child)
    if _ppr_key(old) != _ppr_key(new):
        change = marks.element("pPrChange")
        before = copy.deepcopy(old.find(W + "pPr")) if old.find(W + "pPr") is not None else None
        before_ppr = _w("pPr")
        if before is not None:
            for child in before:
                if child.tag not in (W + "rPr", W + "sectPr", W + "pPrChange"):
                    before_ppr.append(child)
        change.append(before_ppr)
        _ppr(out).append(change)
    ops = token_ops([t[0] for t in a], [t[0] for t in b], [t[1] for t in a], [t[1] for t in b])
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            out.extend(_runs(b[j1:j2], False))
            continue
        wrapper = marks.element("del" if tag == "delete" else "ins")
        items = a[i1:i2] if tag == "delete" else b[j1:j2]
        wrapper.extend(_runs(items, tag == "delete"))
        out.append(wrapper)
    return out


# --- Tables -------------------------------------------------------------------------------------


def _cells(row: Element) -> list[Element]:
    return list(row.findall(W + "tc"))


def _table(old: Element, new: Element, marks: _Marks) -> list[Element]:
    def columns(table: Element) -> int:
        return len(table.findall(f"{W}tblGrid/{W}gridCol"))

    if columns(old) != columns(new):
        return [_whole(old, "del", marks), _whole(new, "ins", marks)]
    out = copy.deepcopy(new)
    for row in out.findall(W + "tr"):
        out.remove(row)
    old_rows, new_rows = old.findall(W + "tr"), new.findall(W + "tr")
    matcher = difflib.SequenceMatcher(
        a=[_text(r) for r in old_rows], b=[_text(r) for r in new_rows], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(copy.deepcopy(r) for r in new_rows[j1:j2])
            continue
        pairs = [
            (a, b)
            for a, b in zip(old_rows[i1:i2], new_rows[j1:j2], strict=False)
            if len(_cells(a)) == len(_cells(b))
        ]
        for a, b in pairs:
            row = copy.deepcopy(b)
            for cell, old_cell, new_cell in zip(_cells(row), _cells(a), _cells(b), strict=True):
                for child in cell.findall(W + "p") + cell.findall(W + "tbl"):
                    cell.remove(child)
                cell.extend(
                    _elements(
                        list(old_cell.iterchildren(W + "p")),
                        list(new_cell.iterchildren(W + "p")),
                        marks,
                        in_cell=True,
                    )
                )
            out.append(row)
        for row in old_rows[i1 + len(pairs) : i2]:
            out.append(_whole_row(row, "del", marks))
        for row in new_rows[j1 + len(pairs) : j2]:
            out.append(_whole_row(row, "ins", marks))
    return [out]


def _whole_row(row: Element, tag: str, marks: _Marks) -> Element:
    row = copy.deepcopy(row)
    for p in row.iter(W + "p"):
        _wrap_runs(p, tag, marks)
    _mark_row(row, tag, marks)
    return row


# --- Sequences of elements ----------------------------------------------------------------------


def _elements(
    old: list[Element], new: list[Element], marks: _Marks, in_cell: bool = False
) -> list[Element]:
    """Merge two sequences of paragraphs and tables."""
    out: list[Element] = []

    def pair(a: Element, b: Element) -> None:
        if a.tag == W + "p":
            out.append(_paragraph(a, b, marks))
        else:
            out.extend(_table(a, b, marks))

    matcher = difflib.SequenceMatcher(
        a=[f"{e.tag}{_text(e)}" for e in old],
        b=[f"{e.tag}{_text(e)}" for e in new],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                pair(a, b)
            continue
        a_list, b_list = old[i1:i2], new[j1:j2]
        i = j = 0
        while i < len(a_list) and j < len(b_list):
            a, b = a_list[i], b_list[j]
            if _similar(a, b) >= 0.4 or (a.tag == b.tag and len(a_list) - i == len(b_list) - j):
                pair(a, b)
                i, j = i + 1, j + 1
            elif j + 1 < len(b_list) and _similar(a, b_list[j + 1]) >= 0.4:
                out.append(_whole(b, "ins", marks))
                j += 1
            else:
                out.append(_whole(a, "del", marks))
                i += 1
        out += [_whole(a, "del", marks) for a in a_list[i:]]
        out += [_whole(b, "ins", marks) for b in b_list[j:]]
    if in_cell and out and out[-1].tag != W + "p":
        out.append(_w("p"))
    return out


def _moved(elements: list[Element], tag: str, name: str, marks: _Marks) -> list[Element]:
    """A moved clause: its paragraphs as w:moveFrom or w:moveTo inside a named range."""
    out = [_whole(e, tag, marks) for e in elements]
    paragraphs = [e for e in out if e.tag == W + "p"]
    if not paragraphs:
        return out
    range_id = marks.new_id()
    start = marks.element(f"{tag}RangeStart", name=name)
    start.set(W + "id", range_id)
    paragraphs[0].insert(1 if paragraphs[0].find(W + "pPr") is not None else 0, start)
    paragraphs[-1].append(_w(f"{tag}RangeEnd", id=range_id))
    return out


def _merge(
    old_groups: list[tuple[str, list[Element]]],
    new_groups: list[tuple[str, list[Element]]],
    moved: set[str],
    marks: _Marks,
    bookmark: Callable[[str, list[Element]], None],
) -> list[Element]:
    """Merge the clause groups: new order, removed and moved-away clauses where they were."""
    old_by_key = dict(old_groups)
    new_keys = {k for k, _ in new_groups}
    has_table = {k for k, els in [*old_groups, *new_groups] if any(e.tag == W + "tbl" for e in els)}
    as_move = {k for k in moved if k not in has_table}
    after: dict[str, list[tuple[str, list[Element]]]] = {}
    anchor = FRONT
    for group_key, elements in old_groups:
        if group_key in new_keys and group_key not in moved:
            anchor = group_key
        else:
            after.setdefault(anchor, []).append((group_key, elements))
    out: list[Element] = []

    def emit_old(anchor_key: str) -> None:
        for group_key, elements in after.get(anchor_key, []):
            if group_key in as_move:
                merged = _moved(elements, "moveFrom", _move_name(group_key), marks)
            elif group_key in new_keys:
                merged = [_whole(e, "del", marks) for e in elements]
            else:
                merged = [_whole(e, "del", marks) for e in elements]
                bookmark(group_key, merged)
            out.extend(merged)

    for group_key, elements in new_groups:
        if group_key in as_move:
            merged = _moved(elements, "moveTo", _move_name(group_key), marks)
        elif group_key in old_by_key and group_key not in moved:
            merged = _elements(old_by_key[group_key], elements, marks)
        else:
            merged = [_whole(e, "ins", marks) for e in elements]
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
        p = _w("p")
        ppr = _w("pPr")
        ppr.append(_w("pStyle", val="Stycke"))
        p.append(ppr)
        run = _w("r")
        if bold:
            rpr = _w("rPr")
            rpr.append(_w("b"))
            run.append(rpr)
        t = _w("t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        run.append(t)
        p.append(run)
        return p

    out = [para("Ändringar", bold=True), para(cover_line(diff, result))]
    for change, text in summary_items(result):
        p = para("– ")
        anchor = targets.get(change.clause_id)
        link = _w("hyperlink", anchor=anchor, history="1") if anchor else None
        run = _w("r")
        rpr = _w("rPr")
        if link is not None:
            rpr.append(_w("color", val="1F3864"))
            rpr.append(_w("u", val="single"))
        run.append(rpr)
        t = _w("t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        run.append(t)
        if link is not None:
            link.append(run)
            p.append(link)
        else:
            p.append(run)
        out.append(p)
    end = _w("p")
    run = _w("r")
    run.append(_w("br", type="page"))
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
    marks = _Marks(author, date)
    targets: dict[str, str] = {}
    changed = {c.clause_id for c in result.changes if c.kind != "renumbered"}

    def bookmark(group_key: str, elements: list[Element]) -> None:
        paragraphs = [e for e in elements if e.tag == W + "p"]
        if group_key not in changed or group_key in targets or not paragraphs:
            return
        name = f"andring_{len(targets) + 1}"
        bookmark_id = marks.new_id()
        start = _w("bookmarkStart", id=bookmark_id, name=name)
        first = paragraphs[0]
        first.insert(1 if first.find(W + "pPr") is not None else 0, start)
        first.append(_w("bookmarkEnd", id=bookmark_id))
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
