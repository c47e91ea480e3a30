"""Apply Word's "Accept all" or "Reject all" to a document.xml, as Word does.

A paragraph whose mark is removed joins the next paragraph; a table row marked inserted
(rejected) or deleted (accepted) goes, and a table left without rows goes too.
"""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def apply(xml: bytes, accept: bool) -> Any:
    """The document tree with every change accepted (or rejected)."""
    root = etree.fromstring(xml)
    keep, drop = ("ins", "moveTo"), ("del", "moveFrom")
    if not accept:
        keep, drop = drop, keep
    for tag in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"):
        for element in list(root.iter(W + tag)):
            element.getparent().remove(element)
    # Rows first.
    for row in list(root.iter(W + "tr")):
        trpr = row.find(W + "trPr")
        if trpr is None:
            continue
        if any(trpr.find(W + t) is not None for t in drop):
            row.getparent().remove(row)
            continue
        for t in keep:
            for mark in trpr.findall(W + t):
                trpr.remove(mark)
    for table in list(root.iter(W + "tbl")):
        if table.find(W + "tr") is None:
            table.getparent().remove(table)
    # Paragraph properties.
    for change in list(root.iter(W + "pPrChange")):
        ppr = change.getparent()
        if not accept:
            old = change.find(W + "pPr")
            for child in list(ppr):
                if child.tag not in (W + "rPr", W + "sectPr"):
                    ppr.remove(child)
            for index, child in enumerate(old if old is not None else []):
                ppr.insert(index, copy.deepcopy(child))
        else:
            ppr.remove(change)
    # Paragraph marks.
    joining = []
    for p in list(root.iter(W + "p")):
        rpr = p.find(f"{W}pPr/{W}rPr")
        if rpr is None:
            continue
        if any(rpr.find(W + t) is not None for t in drop):
            joining.append(p)
        for t in (*keep, *drop):
            for mark in rpr.findall(W + t):
                rpr.remove(mark)
    # Runs.
    for tag in drop:
        for element in list(root.iter(W + tag)):
            if element.getparent() is not None and element.getparent().tag != W + "rPr":
                element.getparent().remove(element)
    for tag in keep:
        for element in list(root.iter(W + tag)):
            if element.getparent().tag != W + "rPr" and element.getparent().tag != W + "trPr":
                _unwrap(element)
    for text in list(root.iter(W + "delText")):
        text.tag = W + "t"
    for code in list(root.iter(W + "delInstrText")):
        code.tag = W + "instrText"
    for p in joining:
        following = p.getnext()
        if following is None or following.tag != W + "p":
            continue  # Word keeps a paragraph mark it cannot join to anything
        content = [c for c in p if c.tag != W + "pPr"]
        at = 1 if following.find(W + "pPr") is not None else 0
        for offset, child in enumerate(content):
            following.insert(at + offset, child)
        p.getparent().remove(p)
    return root


def paragraph_text(p: Any) -> str:
    return "".join(
        (e.text or "") if e.tag == W + "t" else "\t" if e.tag == W + "tab" else ""
        for e in p.iter(W + "t", W + "tab")
    )


def lines(root: Any) -> list[tuple[str, str]]:
    """(style, text) of every non-empty paragraph in document order, tables included.

    Of a document's body, or of the whole part for a header or footer.
    """
    body = root.find(W + "body")
    out = []
    for element in body if body is not None else root:
        for p in element.iter(W + "p"):
            text = paragraph_text(p)
            if text:
                style = p.find(f"{W}pPr/{W}pStyle")
                out.append((style.get(W + "val") if style is not None else "", text))
    return out


def document_xml(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


def part_xml(docx: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read(name)


def text_parts(docx: bytes) -> list[str]:
    """The parts of a DOCX that hold text of the document: body, headers, footers."""
    names = zipfile.ZipFile(io.BytesIO(docx)).namelist()
    return sorted(
        n for n in names if n == "word/document.xml" or n.startswith(("word/header", "word/footer"))
    )


def _key(element: Any) -> str:
    """Properties as compared: without change marks and the paragraph mark's run properties."""
    if element is None:
        return ""
    clean = copy.deepcopy(element)
    for tag in ("rPr", "ins", "del", "moveFrom", "moveTo", "pPrChange", "rPrChange"):
        for child in clean.findall(W + tag):
            clean.remove(child)
    return etree.tostring(clean, encoding="unicode")


def formatted(root: Any) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every paragraph (empty ones too) as (its properties, its text by formatting).

    Neighbouring runs of the same formatting are joined, so how text is split into runs
    does not count; what it says, how it is formatted and the paragraph's properties
    (style, numbering) do. Comment references carry no text and do not count.
    """
    body = root.find(W + "body")
    out = []
    for element in body if body is not None else root:
        for p in [element] if element.tag == W + "p" else element.iter(W + "p"):
            runs: list[tuple[str, str]] = []
            for run in p.iter(W + "r"):
                text = "".join(
                    (e.text or "") if e.tag == W + "t" else "\t"
                    for e in run.iter(W + "t", W + "tab")
                )
                if not text:
                    continue
                fmt = _key(run.find(W + "rPr"))
                if runs and runs[-1][0] == fmt:
                    runs[-1] = (fmt, runs[-1][1] + text)
                else:
                    runs.append((fmt, text))
            out.append((_key(p.find(W + "pPr")), tuple(runs)))
    return out


def assert_faithful(redline: bytes, old: bytes, new: bytes) -> None:
    """Accept all gives exactly ``new``, Reject all exactly ``old``: every paragraph of the
    body, the headers and the footers, its text, formatting and properties; nothing skipped."""
    parts = text_parts(new)
    assert text_parts(redline) == parts == text_parts(old)
    for name in parts:
        for accept, expected in ((True, new), (False, old)):
            got = formatted(apply(part_xml(redline, name), accept))
            want = formatted(apply(part_xml(expected, name), True))
            assert got == want, (name, "accept" if accept else "reject")
