"""Word tracked changes between two sequences of paragraphs and tables (lxml elements).

Unchanged paragraphs are copied; changed ones get token-level ``w:ins``/``w:del`` runs
(formatting, tabs and no-break spaces as written, a changed style as ``w:pPrChange``);
added and removed paragraphs also track their paragraph mark; table rows carry
``w:trPr/w:ins`` or ``w:del``; a moved block is ``w:moveFrom``/``w:moveTo`` in a named range.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from collections.abc import Iterator
from typing import Any

from lxml import etree

from avtal.review.tokens import token_ops, tokens

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

Element = Any  # lxml element
Token = tuple[str, str, Element | None, Element | None]  # text, compare key, rPr, special


def w(tag: str, **attrs: str) -> Element:
    """A new w: element with w: attributes."""
    element = etree.Element(W + tag)
    for name, value in attrs.items():
        element.set(W + name, value)
    return element


def text_of(element: Element) -> str:
    """The text of an element as printed: w:t, w:delText, tabs."""
    return "".join(
        (t.text or "") if t.tag in (W + "t", W + "delText") else "\t" if t.tag == W + "tab" else ""
        for t in element.iter(W + "t", W + "delText", W + "tab")
    )


# --- Tracked changes ----------------------------------------------------------------------------


class Marks:
    """Creates change elements with one author and date and document-unique ids."""

    def __init__(self, author: str, date: dt.date) -> None:
        self.author = author
        self.date = f"{date.isoformat()}T00:00:00Z"
        self.next_id = 1000

    def new_id(self) -> str:
        """A fresh id, unique in the document."""
        self.next_id += 1
        return str(self.next_id)

    def element(self, tag: str, **attrs: str) -> Element:
        """A change element (w:ins, w:del, …) with the author, the date and a fresh id."""
        return w(tag, id=self.new_id(), author=self.author, date=self.date, **attrs)


def _ppr(p: Element) -> Element:
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = w("pPr")
        p.insert(0, ppr)
    return ppr


def _mark_paragraph(p: Element, mark: Element) -> None:
    """Track a paragraph's mark (w:pPr/w:rPr/w:ins…), in schema order."""
    ppr = _ppr(p)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = w("rPr")
        tail = [c for c in ppr if c.tag in (W + "sectPr", W + "pPrChange")]
        if tail:
            tail[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, mark)


def _wrap_runs(p: Element, tag: str, marks: Marks) -> None:
    """Wrap every run of a paragraph in one change element; deleted text as w:delText."""
    for run in list(p.iter(W + "r")):
        if run.getparent().tag in (W + "ins", W + "del", W + "moveFrom", W + "moveTo"):
            continue
        wrapper = marks.element(tag)
        run.addprevious(wrapper)
        wrapper.append(run)
        if tag in ("del", "moveFrom"):
            _as_deleted(run)


def _as_deleted(run: Element) -> None:
    """Deleted text and field codes as the schema wants them: w:delText, w:delInstrText."""
    for child in run:
        if child.tag == W + "t":
            child.tag = W + "delText"
        elif child.tag == W + "instrText":
            child.tag = W + "delInstrText"


def whole(element: Element, tag: str, marks: Marks) -> Element:
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


def _mark_row(row: Element, tag: str, marks: Marks) -> None:
    trpr = row.find(W + "trPr")
    if trpr is None:
        trpr = w("trPr")
        prex = row.find(W + "tblPrEx")
        if prex is not None:
            prex.addnext(trpr)
        else:
            row.insert(0, trpr)
    if len(trpr) == 0:
        # The schema wants at least one row property before w:ins or w:del; "may split
        # across pages" is the default, so saying it changes nothing.
        trpr.append(w("cantSplit", val="off"))
    trpr.append(marks.element(tag))


# --- Paragraphs ---------------------------------------------------------------------------------


def _tokens(p: Element) -> list[Token]:
    """The paragraph's tokens with their formatting.

    Text of neighbouring runs with the same formatting is tokenised as one, so that how a
    writer happened to split runs ("(" + "bilaga 3" + ").") does not change the tokens.
    """
    out: list[Token] = []
    pending: list[str] = []
    pending_format: tuple[str, Element | None] = ("", None)

    def flush() -> None:
        fmt, rpr = pending_format
        out.extend((t, f"{t}\0{fmt}", rpr, None) for t in tokens("".join(pending)))
        pending.clear()

    for run in p.iter(W + "r"):
        rpr = run.find(W + "rPr")
        fmt = etree.tostring(rpr).decode() if rpr is not None else ""
        for child in run:
            if child.tag == W + "t":
                if pending and pending_format[0] != fmt:
                    flush()
                pending_format = (fmt, rpr)
                pending.append(child.text or "")
            elif child.tag != W + "rPr":
                flush()
                name = etree.QName(child).localname
                special = etree.tostring(child).decode()
                out.append(("\t" if name == "tab" else "", f"\0{special}\0{fmt}", rpr, child))
    flush()
    return out


def _runs(items: list[Token], deleted: bool) -> Iterator[Element]:
    """Runs for consecutive tokens, one per stretch of equal formatting."""
    run: Element | None = None
    last: object = object()
    for text, _key, rpr, special in items:
        if run is None or rpr is not last:
            run = w("r")
            if rpr is not None:
                run.append(copy.deepcopy(rpr))
            last = rpr
            yield run
        if special is not None:
            run.append(copy.deepcopy(special))
            if deleted:
                _as_deleted(run)
            continue
        t = w("delText" if deleted else "t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        run.append(t)


def _similar(a: Element, b: Element) -> float:
    if a.tag != b.tag:
        return 0.0
    return difflib.SequenceMatcher(a=text_of(a), b=text_of(b), autojunk=False).ratio()


def _ppr_key(p: Element) -> str:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return ""
    clean = copy.deepcopy(ppr)
    for child in clean.findall(W + "rPr"):
        clean.remove(child)
    return str(etree.tostring(clean).decode())


def _paragraph(old: Element, new: Element, marks: Marks) -> Element:
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
        before_ppr = w("pPr")
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


def _table(old: Element, new: Element, marks: Marks) -> list[Element]:
    def columns(table: Element) -> int:
        return len(table.findall(f"{W}tblGrid/{W}gridCol"))

    if columns(old) != columns(new):
        return [whole(old, "del", marks), whole(new, "ins", marks)]
    out = copy.deepcopy(new)
    for row in out.findall(W + "tr"):
        out.remove(row)
    old_rows, new_rows = old.findall(W + "tr"), new.findall(W + "tr")
    matcher = difflib.SequenceMatcher(
        a=[text_of(r) for r in old_rows], b=[text_of(r) for r in new_rows], autojunk=False
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
                    merge_elements(
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


def _whole_row(row: Element, tag: str, marks: Marks) -> Element:
    row = copy.deepcopy(row)
    for p in row.iter(W + "p"):
        _wrap_runs(p, tag, marks)
    _mark_row(row, tag, marks)
    return row


# --- Sequences of elements ----------------------------------------------------------------------


def merge_elements(
    old: list[Element], new: list[Element], marks: Marks, in_cell: bool = False
) -> list[Element]:
    """Merge two sequences of paragraphs and tables."""
    out: list[Element] = []

    def pair(a: Element, b: Element) -> None:
        if a.tag == W + "p":
            out.append(_paragraph(a, b, marks))
        else:
            out.extend(_table(a, b, marks))

    matcher = difflib.SequenceMatcher(
        a=[f"{e.tag}{text_of(e)}" for e in old],
        b=[f"{e.tag}{text_of(e)}" for e in new],
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
                out.append(whole(b, "ins", marks))
                j += 1
            else:
                out.append(whole(a, "del", marks))
                i += 1
        out += [whole(a, "del", marks) for a in a_list[i:]]
        out += [whole(b, "ins", marks) for b in b_list[j:]]
    if in_cell and out and out[-1].tag != W + "p":
        out.append(w("p"))
    return out


def moved(elements: list[Element], tag: str, name: str, marks: Marks) -> list[Element]:
    """A moved clause: its text as w:moveFrom or w:moveTo inside a named range.

    A table's text moves the same way; its rows are deleted (moveFrom) or inserted
    (moveTo), since a row has no move mark of its own (``w:trPr`` holds only ``w:ins``
    and ``w:del``). The range runs from the first paragraph to the last, in a table cell
    if the clause ends with a table.
    """
    out = [whole(e, tag, marks) for e in elements]
    paragraphs = [p for e in out for p in ([e] if e.tag == W + "p" else e.iter(W + "p"))]
    if not paragraphs:
        return out
    range_id = marks.new_id()
    start = marks.element(f"{tag}RangeStart", name=name)
    start.set(W + "id", range_id)
    paragraphs[0].insert(1 if paragraphs[0].find(W + "pPr") is not None else 0, start)
    paragraphs[-1].append(w(f"{tag}RangeEnd", id=range_id))
    return out
