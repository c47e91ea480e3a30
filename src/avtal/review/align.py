"""Align a Document read from a DOCX with the Document it is compared with.

A DOCX knows no clause ids: its sections get the ids of the same-titled sections of the
other version.
"""

from __future__ import annotations

from dataclasses import replace

from avtal.document import Block, Document, Paragraph, Run, Section, Subheading
from avtal.review.docx_read import UNSTYLED


def _subheadings(reference: Document) -> set[str]:
    return {
        "".join(r.text for r in b.runs)
        for section in [*reference.sections, *(s for a in reference.annexes for s in a.sections)]
        for b in section.blocks
        if isinstance(b, Subheading)
    }


def _paragraph_texts(reference: Document) -> set[str]:
    return {
        "".join(r.text for r in b.runs)
        for section in [*reference.sections, *(s for a in reference.annexes for s in a.sections)]
        for b in section.blocks
        if isinstance(b, Paragraph) and not b.number
    }


def _fold(
    sections: tuple[Section, ...], known: set[str], subheadings: set[str], texts: set[str]
) -> list[Section]:
    """Put back as sub-headings or paragraphs the "sections" that are such in the reference.

    Without paragraph styles a sub-heading, or a short paragraph that introduces a list,
    reads like a heading; the reference says which it is.
    """
    out: list[Section] = []
    for section in sections:
        if out and section.title not in known and section.title in subheadings | texts:
            last = out[-1]
            run = (Run(section.title),)
            block: Block = Subheading(run) if section.title in subheadings else Paragraph(run)
            out[-1] = replace(last, blocks=(*last.blocks, block, *section.blocks))
        else:
            out.append(section)
    return out


def align_ids(doc: Document, reference: Document) -> Document:
    """Give the DOCX document's sections the clause ids of same-titled reference sections."""
    ids = {s.title: s.clause_id for s in reference.sections}
    annex_ids = {s.title: s.clause_id for a in reference.annexes for s in a.sections}
    annex_by_title = {a.title: a.id for a in reference.annexes}
    subheadings = _subheadings(reference) if doc.kind == UNSTYLED else set()
    texts = _paragraph_texts(reference) if doc.kind == UNSTYLED else set()

    def fix(section: Section, table: dict[str, str]) -> Section:
        return replace(section, clause_id=table.get(section.title, section.clause_id))

    return replace(
        doc,
        file=reference.file,
        sections=tuple(fix(s, ids) for s in _fold(doc.sections, set(ids), subheadings, texts)),
        annexes=tuple(
            replace(
                a,
                id=annex_by_title.get(a.title, a.id),
                sections=tuple(
                    fix(s, annex_ids) for s in _fold(a.sections, set(annex_ids), subheadings, texts)
                ),
            )
            for a in doc.annexes
        ),
    )
