"""The annotated DOCX: a Word comment on each clause saying why it says what it says.

Each clause heading carries a comment with the clause id and version, its legal basis and
its uncertain points (the ``uncertain:`` list of the clause), so that a reviewer reads in
Word what each clause rests on. The document's text is the built document's, unchanged:
comments are not part of it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from lxml import etree

from avtal.document import Document
from avtal.library.clauses import Library
from avtal.review.redline_docx import heading_paragraphs
from avtal.review.tracked import W_NS, W, w

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


class ClauseNote:
    """What the comment on one clause says."""

    def __init__(
        self, clause_id: str, version: str, legal_basis: list[str], uncertain: list[str]
    ) -> None:
        self.clause_id = clause_id
        self.version = version
        self.legal_basis = legal_basis
        self.uncertain = uncertain

    def lines(self) -> list[str]:
        """The comment's paragraphs."""
        out = [f"Klausul {self.clause_id}, version {self.version}."]
        basis = "; ".join(self.legal_basis)
        out.append(f"Rättslig grund: {basis}." if basis else "Rättslig grund: anges inte.")
        if self.uncertain:
            out.append("Osäkra punkter (bedömningar, inte fastslagen rätt):")
            out += [f"– {point}" for point in self.uncertain]
        else:
            out.append("Inga osäkra punkter har noterats.")
        return out


def library_notes(library: Library) -> Callable[[str], ClauseNote | None]:
    """What the comment on each clause says, from the clause library's front matter."""

    def note(clause_id: str) -> ClauseNote | None:
        clause = library.get(clause_id)
        if clause is None:
            return None
        meta = clause.meta
        return ClauseNote(meta.id, meta.version, list(meta.legal_basis), list(meta.uncertain))

    return note


def _paragraph(text: str) -> Any:
    p = w("p")
    run = w("r")
    t = w("t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    p.append(run)
    return p


def annotate_docx(
    data: bytes, doc: Document, note: Callable[[str], ClauseNote | None], author: str = "avtal"
) -> bytes:
    """The DOCX ``data`` of ``doc`` with a comment on each clause heading."""
    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    comments = etree.Element(W + "comments", nsmap={"w": W_NS})
    date = f"{doc.date.isoformat()}T00:00:00Z"
    for index, (clause_id, p) in enumerate(heading_paragraphs(root.find(W + "body"), doc)):
        found = note(clause_id)
        if found is None:
            continue
        ident = str(index)
        comment = w("comment", id=ident, author=author, date=date, initials="A")
        comment.extend(_paragraph(line) for line in found.lines())
        comments.append(comment)
        start = w("commentRangeStart", id=ident)
        ppr = p.find(W + "pPr")
        p.insert(1 if ppr is not None else 0, start)
        p.append(w("commentRangeEnd", id=ident))
        reference = w("r")
        reference.append(w("commentReference", id=ident))
        p.append(reference)
    parts = {
        "word/document.xml": etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        ),
        "word/comments.xml": etree.tostring(
            comments, xml_declaration=True, encoding="UTF-8", standalone=True
        ),
        "word/_rels/document.xml.rels": _with_relation(source.read("word/_rels/document.xml.rels")),
        "[Content_Types].xml": _with_type(source.read("[Content_Types].xml")),
    }
    out = io.BytesIO()
    names = [i.filename for i in source.infolist()]
    if "word/comments.xml" not in names:
        names.append("word/comments.xml")
    names.sort(key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, parts[name] if name in parts else source.read(name))
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
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _with_type(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    if any(o.get("PartName") == "/word/comments.xml" for o in root):
        return xml
    override = etree.SubElement(root, f"{{{_CT_NS}}}Override")
    override.set("PartName", "/word/comments.xml")
    override.set("ContentType", _COMMENTS_TYPE)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
