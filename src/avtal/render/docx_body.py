"""The body of a DOCX document as WordprocessingML, written with lxml alone.

Every element is made with lxml's ``SubElement`` rather than through python-docx's
objects: python-docx's element classes, its child setters (which search the schema order
on every insert) and its run text setter (one character at a time) were most of a DOCX
render, and importing python-docx is a tenth of a second a process does not need when the
Word template is already compiled (see :mod:`avtal.render.docx_compiled`). The elements
are the ones python-docx writes for the same calls (tables, cell widths, runs), so a body
reads the same in Word whichever way it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from lxml import etree

from avtal.document import (
    Document,
    Inline,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
)
from avtal.review.docx_read import SIGNATURE_CAPTION

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_WIDTH_CM = 16.0
INDENT_CM = 1.2
#: The paragraph styles a body uses, by their names in the Word template.
PARAGRAPH_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Punkt", "Stycke", "Lista", "Normal")
TABLE_STYLE = "Table Grid"


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


# Element names, qualified once.
_P, _PPR, _PSTYLE, _VAL = _w("p"), _w("pPr"), _w("pStyle"), _w("val")
_R, _RPR, _B, _I, _TAB, _T, _BR = (_w(n) for n in ("r", "rPr", "b", "i", "tab", "t", "br"))
_TBL, _TBLPR, _TBLGRID, _GRIDCOL = _w("tbl"), _w("tblPr"), _w("tblGrid"), _w("gridCol")
_TR, _TRPR, _TC, _TCPR, _TCW = _w("tr"), _w("trPr"), _w("tc"), _w("tcPr"), _w("tcW")
_W, _TYPE = _w("w"), _w("type")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_LOOK = {
    _w("firstColumn"): "1",
    _w("firstRow"): "1",
    _w("lastColumn"): "0",
    _w("lastRow"): "0",
    _w("noHBand"): "0",
    _w("noVBand"): "1",
    _VAL: "04A0",
}


def _twips_floor(cm: float) -> int:
    """A grid column's width: centimetres to twips, rounded down."""
    return int(cm / 2.54 * 1440)


def _twips_cell(cm: float) -> int:
    """A cell's width, rounded the way python-docx rounds ``Cm(x).twips``."""
    return round(int(cm * 360000) / 635)


def append_run(p: Any, text: str, bold: bool = False, italic: bool = False) -> Any:
    """Append a w:r holding ``text`` (tabs as w:tab) to a w:p; return the w:r."""
    r = etree.SubElement(p, _R)
    if bold or italic:
        rpr = etree.SubElement(r, _RPR)
        if bold:
            etree.SubElement(rpr, _B)
        if italic:
            etree.SubElement(rpr, _I)
    for index, part in enumerate(text.split("\t")):
        if index:
            etree.SubElement(r, _TAB)
        if part:
            t = etree.SubElement(r, _T)
            t.set(_SPACE, "preserve")
            t.text = part
    return r


def _plain_run(p: Any, text: str, bold: bool = False) -> None:
    """A run as python-docx's ``add_run`` writes it (signature blocks keep that form).

    Tabs become w:tab, line breaks w:br, and w:t preserves its spaces only when the
    text starts or ends with one.
    """
    r = etree.SubElement(p, _R)
    if bold:
        etree.SubElement(etree.SubElement(r, _RPR), _B)
    pending: list[str] = []

    def flush() -> None:
        if pending:
            chunk = "".join(pending)
            t = etree.SubElement(r, _T)
            t.text = chunk
            if len(chunk.strip()) < len(chunk):
                t.set(_SPACE, "preserve")
            pending.clear()

    for char in text:
        if char == "\t":
            flush()
            etree.SubElement(r, _TAB)
        elif char in "\r\n":
            flush()
            etree.SubElement(r, _BR)
        else:
            pending.append(char)
    flush()


class Body:
    """Writes a Document's body into a w:body element, using the template's style ids."""

    def __init__(
        self,
        styles: Mapping[str, str],
        table_style: Callable[[], str | None],
        body: Any | None = None,
    ) -> None:
        self.styles = styles
        self.table_style = table_style
        self.element = etree.Element(_w("body"), nsmap={"w": W_NS}) if body is None else body

    def add(self, style: str, text: str = "") -> Any:
        """Append a paragraph of the named style; return its w:p."""
        p = etree.SubElement(self.element, _P)
        etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE).set(_VAL, self.styles[style])
        if text:
            append_run(p, text)
        return p

    def runs(self, p: Any, runs: Inline, lead: str = "") -> None:
        """Append runs to a w:p."""
        if lead:
            append_run(p, lead)
        for run in runs:
            append_run(p, run.text, run.bold, run.italic)

    def para(self, style: str, runs: Inline, lead: str = "") -> Any:
        """Append a paragraph of the named style holding ``runs``; return its w:p."""
        paragraph = self.add(style)
        self.runs(paragraph, runs, lead)
        return paragraph

    def _table(
        self, rows: int, widths: list[float], style: str | None, indent_cm: float = 0.0
    ) -> list[list[Any]]:
        """Append a w:tbl; return the first w:p of every cell, row by row.

        The grid takes widths rounded down, the cells rounded to the nearest twip: as
        python-docx writes them (LibreOffice reads the grid, Word the cells).
        """
        tbl = etree.SubElement(self.element, _TBL)
        tbl_pr = etree.SubElement(tbl, _TBLPR)
        if style is not None:
            etree.SubElement(tbl_pr, _w("tblStyle")).set(_VAL, style)
        tbl_w = etree.SubElement(tbl_pr, _w("tblW"))
        tbl_w.set(_TYPE, "auto")
        tbl_w.set(_W, "0")
        if indent_cm:
            indent = etree.SubElement(tbl_pr, _w("tblInd"))
            indent.set(_W, str(_twips_floor(indent_cm)))
            indent.set(_TYPE, "dxa")
        etree.SubElement(tbl_pr, _w("tblLook"), _LOOK)
        grid = etree.SubElement(tbl, _TBLGRID)
        for width in widths:
            etree.SubElement(grid, _GRIDCOL).set(_W, str(_twips_floor(width)))
        cells = []
        for _ in range(rows):
            tr = etree.SubElement(tbl, _TR)
            row = []
            for width in widths:
                tc = etree.SubElement(tr, _TC)
                tc_w = etree.SubElement(etree.SubElement(tc, _TCPR), _TCW)
                tc_w.set(_TYPE, "dxa")
                tc_w.set(_W, str(_twips_cell(width)))
                row.append(etree.SubElement(tc, _P))
            cells.append(row)
        return cells

    def table(self, block: Table) -> None:
        """Append a table with a repeated header row, followed by an empty paragraph."""
        cols = len(block.header)
        # As in the PDF (avtal-lib.typ): indented like the points' text, a wide first column
        # for names and a wider last one, so that an amount stays on one line.
        width = TEXT_WIDTH_CM - INDENT_CM
        weights = [1.0] * cols if cols == 1 else [1.6] + [1.0] * (cols - 2) + [1.4]
        widths = [width * w / sum(weights) for w in weights]
        cells = self._table(1 + len(block.rows), widths, self.table_style(), INDENT_CM)
        for p, runs in zip(cells[0], block.header, strict=True):
            self.runs(p, tuple(replace(r, bold=True) for r in runs))
        header_row = cells[0][0].getparent().getparent()
        header_row.insert(0, etree.Element(_TRPR))
        etree.SubElement(header_row[0], _w("tblHeader"))
        for row, texts in zip(cells[1:], block.rows, strict=True):
            for p, runs in zip(row, texts, strict=True):
                self.runs(p, runs)
        self.add("Normal")

    def section(self, section: Section, heading_style: str) -> None:
        """Append a section: its heading in ``heading_style``, then its blocks."""
        sub_style = "Heading 2" if heading_style == "Heading 1" else "Heading 3"
        self.para(heading_style, (Run(section.heading),))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                if block.number:
                    self.para("Punkt", block.runs, f"{block.number}\t")
                else:
                    self.para("Stycke", block.runs)
            elif isinstance(block, Subheading):
                self.para(sub_style, block.runs)
            elif isinstance(block, ListBlock):
                for label, runs in block.items:
                    self.para("Lista", runs, f"{label}\t")
            elif isinstance(block, Table):
                self.table(block)

    def signatures(self, doc: Document) -> None:
        """Append the signature blocks, two to a row, in a table captioned for readers."""
        per_row = 2
        sigs = list(doc.signatures)
        rows = (len(sigs) + per_row - 1) // per_row
        cells = self._table(rows, [TEXT_WIDTH_CM / per_row] * per_row, None)
        caption = cells[0][0].getparent().getparent().getparent()[0]
        etree.SubElement(caption, _w("tblCaption")).set(_VAL, SIGNATURE_CAPTION)
        for index, sig in enumerate(sigs):
            first = cells[index // per_row][index % per_row]
            tc = first.getparent()
            _plain_run(first, sig.party, bold=True)
            self._cell_paragraph(tc, f"{sig.place} den")
            line = etree.SubElement(tc, _P)
            ppr = etree.SubElement(line, _PPR)
            bottom = etree.SubElement(etree.SubElement(ppr, _w("pBdr")), _w("bottom"))
            for key, value in (("val", "single"), ("sz", "4"), ("space", "1"), ("color", "000000")):
                bottom.set(_w(key), value)
            etree.SubElement(ppr, _w("spacing")).set(_w("before"), str(_twips_cell(1.2)))
            self._cell_paragraph(tc, sig.name)
            self._cell_paragraph(tc, sig.title)

    @staticmethod
    def _cell_paragraph(tc: Any, text: str) -> None:
        p = etree.SubElement(tc, _P)
        if text:
            _plain_run(p, text)

    def page_break(self) -> None:
        """Append a paragraph holding a page break."""
        r = etree.SubElement(etree.SubElement(self.element, _P), _R)
        etree.SubElement(r, _BR).set(_TYPE, "page")

    def document(self, doc: Document) -> Any:
        """Write the whole body of ``doc``; return the w:body element."""
        for section in doc.sections:
            self.section(section, "Heading 1")
        if doc.signatures:
            self.signatures(doc)
        for annex in doc.annexes:
            self.page_break()
            self.add("Heading 1", annex.heading)
            for section in annex.sections:
                self.section(section, "Heading 2")
        return self.element
