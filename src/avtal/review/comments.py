"""Word comments in a DOCX package: the comments part, anchors, and the package rewritten.

Comments are not part of a document's text: Accept all and Reject all leave them alone and
they never change what the document says, which is why the review aids (the annotated
DOCX, the summary of a redline) are comments.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from avtal.review.tracked import W_NS, W, w

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

Element = Any  # lxml element


def text_run(text: str, bold: bool = False, link: bool = False) -> Element:
    """A run of text, bold or formatted as a link."""
    run = w("r")
    if bold or link:
        rpr = w("rPr")
        if bold:
            rpr.append(w("b"))
        if link:
            rpr.append(w("color", val="1F3864"))
            rpr.append(w("u", val="single"))
        run.append(rpr)
    t = w("t")
    t.set(_XML_SPACE, "preserve")
    t.text = text
    run.append(t)
    return run


def paragraph(text: str, bold: bool = False, anchor: str | None = None) -> Element:
    """A comment paragraph; with ``anchor`` its text links to that bookmark."""
    p = w("p")
    run = text_run(text, bold=bold, link=anchor is not None)
    if anchor is None:
        p.append(run)
    else:
        link = w("hyperlink", anchor=anchor, history="1")
        link.append(run)
        p.append(link)
    return p


class Comments:
    """The comments of one document, each anchored on a paragraph of it."""

    def __init__(self, author: str, date: str) -> None:
        self.author = author
        self.date = date
        self.part = etree.Element(W + "comments", nsmap={"w": W_NS})

    def add(self, ident: str, paragraphs: list[Element], first: Element, last: Element) -> None:
        """A comment with ``paragraphs`` on the range from paragraph ``first`` to ``last``."""
        initials = "".join(word[0] for word in self.author.split() if word)[:9] or "A"
        comment = w("comment", id=ident, author=self.author, date=self.date, initials=initials)
        comment.extend(paragraphs)
        self.part.append(comment)
        start = w("commentRangeStart", id=ident)
        first.insert(1 if first.find(W + "pPr") is not None else 0, start)
        last.append(w("commentRangeEnd", id=ident))
        reference = w("r")
        reference.append(w("commentReference", id=ident))
        last.append(reference)

    def xml(self) -> bytes:
        """The comments part."""
        return _xml(self.part)


def _xml(root: Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def with_comments(data: bytes, parts: dict[str, bytes], comments: Comments) -> bytes:
    """The DOCX ``data`` with ``parts`` replaced and the comments part added.

    Entries keep their order and dates, the comments part comes last: the same input
    gives the same bytes.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in source.infolist()]
    parts = dict(parts)
    parts["word/comments.xml"] = comments.xml()
    parts["word/_rels/document.xml.rels"] = _with_relation(
        parts.get("word/_rels/document.xml.rels") or source.read("word/_rels/document.xml.rels")
    )
    parts["[Content_Types].xml"] = _with_type(
        parts.get("[Content_Types].xml") or source.read("[Content_Types].xml")
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, parts.get(info.filename) or source.read(info))
        if "word/comments.xml" not in names:
            info = zipfile.ZipInfo("word/comments.xml", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, parts["word/comments.xml"])
    return out.getvalue()


def _with_relation(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    if any(r.get("Type") == _COMMENTS_REL for r in root):
        return xml
    ids = {r.get("Id") for r in root}
    number = 1
    while f"rId{number}" in ids:
        number += 1
    relation = etree.SubElement(root, f"{{{_REL_NS}}}Relationship")
    relation.set("Id", f"rId{number}")
    relation.set("Type", _COMMENTS_REL)
    relation.set("Target", "comments.xml")
    return _xml(root)


def _with_type(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    if any(o.get("PartName") == "/word/comments.xml" for o in root):
        return xml
    override = etree.SubElement(root, f"{{{_CT_NS}}}Override")
    override.set("PartName", "/word/comments.xml")
    override.set("ContentType", _COMMENTS_TYPE)
    return _xml(root)
