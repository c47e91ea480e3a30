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

from lxml import etree

from avtal.clauselib.clauses import Library
from avtal.document import Document
from avtal.review.comments import Comments, paragraph, with_comments
from avtal.review.redline_docx import heading_paragraphs
from avtal.review.tracked import W


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


def annotate_docx(
    data: bytes, doc: Document, note: Callable[[str], ClauseNote | None], author: str = "avtal"
) -> bytes:
    """The DOCX ``data`` of ``doc`` with a comment on each clause heading."""
    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    comments = Comments(author, f"{doc.date.isoformat()}T00:00:00Z")
    for index, (clause_id, p) in enumerate(heading_paragraphs(root.find(W + "body"), doc)):
        found = note(clause_id)
        if found is not None:
            comments.add(str(index), [paragraph(line) for line in found.lines()], p, p)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return with_comments(data, {"word/document.xml": xml}, comments)
