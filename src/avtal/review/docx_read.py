"""Read a DOCX made by avtal, possibly edited in Word, back into a Document.

pandoc (through pypandoc) reads the file, with Word's tracked changes accepted
(``--track-changes=accept``: inserted text counts, deleted and moved-away text does not)
and the paragraph styles kept (``docx+styles``), so the styles avtal writes say what each
paragraph is: a heading, a numbered point, a list item. Sections get the clause ids of the
same-titled sections of the other version in a diff (:func:`align_ids`).

pandoc comes from the optional ``word`` extra (``pip install 'avtal[word]'``): a 35 MB
wheel that only reading Word files needs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

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

#: The caption avtal gives the table of signatures (a layout table, not content).
SIGNATURE_CAPTION = "Underskrifter"
_NUMBER = re.compile(r"^(\d+(?:\.\d+)*|\d+ §) ")
_ANNEX = re.compile(r"^(Bilaga \d+) – (.+)$")
_SECTION = re.compile(r"^(\d+)\. (.+)$")


def _inline_text(items: list[Any]) -> str:
    out: list[str] = []
    for item in items:
        kind, content = item.get("t"), item.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in (
            "Strong",
            "Emph",
            "Underline",
            "SmallCaps",
            "Strikeout",
            "Superscript",
            "Subscript",
        ):
            out.append(_inline_text(content))
        elif kind == "Span" or kind == "Link":
            out.append(_inline_text(content[1]))
        elif kind == "Quoted":
            quote = "”" if content[0]["t"] == "DoubleQuote" else "’"
            out.append(quote + _inline_text(content[1]) + quote)
        elif kind == "Code":
            out.append(content[1])
    return "".join(out)


def _blocks_text(blocks: list[Any]) -> str:
    parts = []
    for block in blocks:
        if block.get("t") in ("Para", "Plain"):
            parts.append(_inline_text(block["c"]))
        elif block.get("t") == "Div":
            parts.append(_blocks_text(block["c"][1]))
    return " ".join(" ".join(p.split()) for p in parts if p.strip())


def _style(div: dict[str, Any]) -> str:
    attributes = dict(div["c"][0][2])
    return str(attributes.get("custom-style", ""))


def _table_rows(table: dict[str, Any]) -> list[tuple[str, ...]]:
    _attr, _caption, _specs, head, bodies, foot = table["c"]
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    return [tuple(_blocks_text(cell[4]) for cell in row[1]) for row in rows]


def _pandoc_json(path: Path) -> dict[str, Any]:
    try:
        import pypandoc
    except ImportError:
        raise InputError(
            f"{path}: reading a Word file needs pandoc; install it with pip install 'avtal[word]'"
        ) from None
    try:
        raw = pypandoc.convert_file(
            str(path), "json", format="docx+styles", extra_args=["--track-changes=accept"]
        )
    except (RuntimeError, OSError) as exc:
        raise InputError(f"{path}: pandoc cannot read it as DOCX: {exc}") from None
    data: dict[str, Any] = json.loads(raw)
    return data


class _Reader:
    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.annexes: list[Annex] = []
        self.current: list[Block] | None = None
        self.heading: tuple[str | None, str] | None = None
        self.in_annex = False
        self.items: list[tuple[str, tuple[Run, ...]]] = []

    def close_list(self) -> None:
        if self.items and self.current is not None:
            ordered = self.items[0][0] != "–"
            self.current.append(ListBlock(tuple(self.items), ordered=ordered))
        self.items = []

    def close_section(self) -> None:
        self.close_list()
        if self.heading is not None and self.current is not None:
            number, name = self.heading
            section = Section(name, f"title:{name}", number, tuple(self.current))
            if self.in_annex and self.annexes:
                last = self.annexes[-1]
                self.annexes[-1] = replace(last, sections=(*last.sections, section))
            else:
                self.sections.append(section)
        self.current, self.heading = None, None

    def header(self, level: int, text: str) -> None:
        if level == 1:
            self.close_section()
            annex = _ANNEX.match(text)
            if annex:
                self.in_annex = True
                self.annexes.append(
                    Annex(f"title:{annex.group(2)}", annex.group(1), annex.group(2), ())
                )
                return
            numbered = _SECTION.match(text)
            self.heading = (numbered.group(1), numbered.group(2)) if numbered else (None, text)
            self.current = []
        elif level == 2 and self.in_annex:
            self.close_section()
            self.heading, self.current = (None, text), []
        elif self.current is not None:
            self.close_list()
            self.current.append(Subheading((Run(text),)))

    def paragraph(self, style: str, text: str) -> None:
        if self.current is None or not text:
            return
        if style == "Lista":
            label, _, item = text.partition(" ")
            self.items.append((label, (Run(item),)))
            return
        self.close_list()
        found = _NUMBER.match(text) if style == "Punkt" else None
        number = found.group(1) if found else None
        content = text[found.end() :] if found else text
        self.current.append(Paragraph((Run(content),), number=number))

    def block(self, block: dict[str, Any], style: str = "") -> None:
        kind = block.get("t")
        if kind == "Header":
            self.header(block["c"][0], " ".join(_inline_text(block["c"][2]).split()))
        elif kind == "Div":
            for inner in block["c"][1]:
                self.block(inner, _style(block))
        elif kind in ("Para", "Plain"):
            self.paragraph(style, " ".join(_inline_text(block["c"]).split()))
        elif kind == "Table" and self.current is not None:
            # The signature block is a layout table without the grid style of content tables.
            if not dict(block["c"][0][2]).get("custom-style"):
                return
            self.close_list()
            rows = _table_rows(block)
            if rows:
                cells = [tuple((Run(c),) for c in row) for row in rows]
                self.current.append(Table(cells[0], tuple(cells[1:])))


def read_docx(path: Path) -> Document:
    """Parse a DOCX into a Document whose clause ids are ``title:<heading title>``."""
    data = _pandoc_json(path)
    reader = _Reader()
    for block in data.get("blocks", []):
        reader.block(block)
    reader.close_section()
    meta = data.get("meta", {})

    def meta_text(key: str) -> str:
        value = meta.get(key)
        return " ".join(_inline_text(value["c"]).split()) if value else ""

    return Document(
        kind="docx",
        file=path.stem,
        title=meta_text("title"),
        subtitle=meta_text("subtitle"),
        doc_id="",
        version="",
        date=dt.date(1970, 1, 1),
        status="utkast",
        sections=tuple(reader.sections),
        annexes=tuple(reader.annexes),
    )


def align_ids(doc: Document, reference: Document) -> Document:
    """Give the DOCX document's sections the clause ids of same-titled reference sections."""
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
