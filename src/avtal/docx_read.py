"""Read a DOCX made by avtal, possibly edited in Word, back into a Document.

Word's tracked changes are read as if accepted: inserted text (``w:ins``) counts, deleted
text (``w:delText`` inside ``w:del``) does not. Sections are found by the heading styles
avtal writes; their clause ids are matched by title against the other version in a diff.
This reads avtal's own structure directly with lxml (already installed with python-docx)
instead of going through pandoc: the styles say exactly what each paragraph is, which a
generic DOCX-to-Markdown conversion would flatten.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from avtal.document import (
    Annex,
    Block,
    Document,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
)
from avtal.errors import InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SIGNATURE_CAPTION = "Underskrifter"
_NUMBER = re.compile(r"^(\d+(?:\.\d+)*|\d+ §)\t")
_ANNEX = re.compile(r"^(Bilaga \d+) – (.+)$")


def _text(element: Any) -> str:
    parts: list[str] = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br"):
        # Tracked changes read as accepted: deleted and moved-away text does not count.
        if any(a.tag in (f"{W}del", f"{W}moveFrom") for a in node.iterancestors()):
            continue
        parts.append(
            node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else " "
        )
    return "".join(parts)


def _style(paragraph: Any) -> str:
    found = paragraph.find(f"{W}pPr/{W}pStyle")
    return str(found.get(f"{W}val")) if found is not None else ""


def read_docx(path: Path) -> Document:
    """Parse a DOCX into a Document whose clause ids are ``title:<heading title>``."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: not a readable DOCX file ({exc})") from None
    body = etree.fromstring(xml).find(f"{W}body")
    title = subtitle = ""
    sections: list[Section] = []
    annexes: list[Annex] = []
    current: list[Block] | None = None
    heading: tuple[str | None, str] | None = None
    in_annex = False
    list_items: list[tuple[str, tuple[Run, ...]]] = []

    def close_list() -> None:
        if list_items and current is not None:
            ordered = list_items[0][0] != "–"
            current.append(ListBlock(tuple(list_items), ordered=ordered))
        list_items.clear()

    def close_section() -> None:
        nonlocal current, heading
        close_list()
        if heading is not None and current is not None:
            number, name = heading
            section = Section(name, f"title:{name}", number, tuple(current))
            if in_annex and annexes:
                last = annexes[-1]
                annexes[-1] = Annex(last.id, last.label, last.title, (*last.sections, section))
            else:
                sections.append(section)
        current, heading = None, None

    for child in body:
        if child.tag == f"{W}p":
            style, text = _style(child), _text(child)
            if style == "Title":
                title = text
            elif style == "Subtitle":
                subtitle = text
            elif style == "Heading1":
                close_section()
                match = _ANNEX.match(text)
                if match:
                    in_annex = True
                    annexes.append(
                        Annex(f"title:{match.group(2)}", match.group(1), match.group(2), ())
                    )
                else:
                    number, _, name = text.partition(". ")
                    heading = (number, name) if number.isdigit() else (None, text)
                    current = []
            elif style == "Heading2" and in_annex:
                close_section()
                heading, current = (None, text), []
            elif current is None:
                continue
            elif style in ("Heading2", "Heading3"):
                close_list()
                current.append(Subheading((Run(text),)))
            elif style == "Lista":
                label, _, item = text.partition("\t")
                list_items.append((label, (Run(item),)))
            elif style in ("Punkt", "Stycke") or text.strip():
                close_list()
                found = _NUMBER.match(text)
                point = found.group(1) if found else None
                content = text[found.end() :] if found else text
                current.append(Paragraph((Run(content),), number=point))
        elif child.tag == f"{W}tbl" and current is not None:
            caption = child.find(f"{W}tblPr/{W}tblCaption")
            if caption is not None and caption.get(f"{W}val") == SIGNATURE_CAPTION:
                continue
            close_list()
            rows = [
                tuple((Run(_text(cell)),) for cell in row.iter(f"{W}tc"))
                for row in child.iter(f"{W}tr")
            ]
            if rows:
                current.append(Table(rows[0], tuple(rows[1:])))
    close_section()
    return Document(
        kind="docx",
        file=path.stem,
        title=title,
        subtitle=subtitle,
        doc_id="",
        version="",
        date=dt.date(1970, 1, 1),
        status="utkast",
        sections=tuple(sections),
        annexes=tuple(annexes),
    )


def align_ids(doc: Document, reference: Document) -> Document:
    """Give the DOCX document's sections the clause ids of same-titled reference sections."""
    from dataclasses import replace

    ids = {s.title: s.clause_id for s in reference.sections}
    annex_ids = {s.title: s.clause_id for a in reference.annexes for s in a.sections}

    def fix(section: Section, table: dict[str, str]) -> Section:
        return replace(section, clause_id=table.get(section.title, section.clause_id))

    return replace(
        doc,
        sections=tuple(fix(s, ids) for s in doc.sections),
        annexes=tuple(
            replace(a, sections=tuple(fix(s, annex_ids) for s in a.sections)) for a in doc.annexes
        ),
    )
