"""DOCX output through docxtpl and the Word template in ``templates/``.

The body is built as a docxtpl sub-document with python-docx, using the template's
styles; point numbers are text computed in the Document (Word's own list numbering does
not restart reliably). The zip is then rewritten with fixed entry dates and pinned core
properties, so the same Document gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate
from lxml.etree import SubElement

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
from avtal.errors import InputError
from avtal.library.jinja_env import make_environment
from avtal.paths import templates_dir
from avtal.render.docx_package import (
    check_text,
    finish_package,
    normalise_zip,
    require_tags,
)
from avtal.review.docx_read import SIGNATURE_CAPTION

TEXT_WIDTH_CM = 16.0
INDENT_CM = 1.2
# The children of w:tblPr in schema order: a new child goes before the first later one.
_TBL_PR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
)  # fmt: skip


def _insert_tbl_pr(tbl_pr: Any, element: Any) -> None:
    """Insert a child of w:tblPr at its place in the schema order."""
    name = element.tag.rsplit("}", 1)[-1]
    later = {qn(f"w:{n}") for n in _TBL_PR_ORDER[_TBL_PR_ORDER.index(name) + 1 :]}
    for child in tbl_pr:
        if child.tag in later:
            child.addprevious(element)
            return
    tbl_pr.append(element)


class _Styles:
    """Paragraph style ids, looked up once.

    python-docx's lookup by name on every paragraph scans all styles of the template and
    dominated the render time.
    """

    def __init__(self, document: Any) -> None:
        self.ids = {
            name: document.styles[name].style_id
            for name in (
                "Heading 1",
                "Heading 2",
                "Heading 3",
                "Punkt",
                "Stycke",
                "Lista",
                "Normal",
            )
        }

    def add(self, sub: Any, name: str, text: str = "") -> Any:
        """Append a paragraph of the named style to the sub-document; return its w:p."""
        p = SubElement(sub.subdocx.element.body, _P)
        SubElement(SubElement(p, _PPR), _PSTYLE).set(_VAL, self.ids[name])
        if text:
            _append_run(p, text)
        return p


# Element names, qualified once. Elements are made with lxml's SubElement: python-docx's
# OxmlElement and its child setters (which search the schema order on every insert) and
# its run text setter (one character at a time) were most of a DOCX render.
_P, _PPR, _PSTYLE, _VAL = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:val")
_R, _RPR, _B, _I, _TAB, _T = (qn(f"w:{n}") for n in ("r", "rPr", "b", "i", "tab", "t"))
_SPACE = qn("xml:space")


def _append_run(p: Any, text: str, bold: bool = False, italic: bool = False) -> Any:
    """Append a w:r holding ``text`` (tabs as w:tab) to a w:p; return the w:r."""
    r = SubElement(p, _R)
    if bold or italic:
        rpr = SubElement(r, _RPR)
        if bold:
            SubElement(rpr, _B)
        if italic:
            SubElement(rpr, _I)
    for index, part in enumerate(text.split("\t")):
        if index:
            SubElement(r, _TAB)
        if part:
            t = SubElement(r, _T)
            t.set(_SPACE, "preserve")
            t.text = part
    return r


def _grid_widths(table: Any, widths: list[float]) -> None:
    """Set both grid and cell widths: LibreOffice reads the grid, Word the cells."""
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(int(width / 2.54 * 1440)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


def _header_row(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


class _Body:
    """Writes a Document's body into a docxtpl sub-document."""

    def __init__(self, sub: Any, styles: _Styles) -> None:
        self.sub = sub
        self.styles = styles

    def runs(self, p: Any, runs: Inline, lead: str = "") -> None:
        """Append runs to a w:p."""
        if lead:
            _append_run(p, lead)
        for run in runs:
            _append_run(p, run.text, run.bold, run.italic)

    def para(self, style: str, runs: Inline, lead: str = "") -> Any:
        paragraph = self.styles.add(self.sub, style)
        self.runs(paragraph, runs, lead)
        return paragraph

    def table(self, block: Table) -> None:
        cols = len(block.header)
        table = self.sub.subdocx._body.add_table(1 + len(block.rows), cols, Cm(TEXT_WIDTH_CM))
        table.style = "Table Grid"
        for cell, runs in zip(table.rows[0].cells, block.header, strict=True):
            self.runs(cell.paragraphs[0]._p, tuple(replace(r, bold=True) for r in runs))
        _header_row(table.rows[0])
        for row, cells in zip(table.rows[1:], block.rows, strict=True):
            for cell, runs in zip(row.cells, cells, strict=True):
                self.runs(cell.paragraphs[0]._p, runs)
        # As in the PDF: indented like the points' text, the first column twice as wide.
        width = TEXT_WIDTH_CM - INDENT_CM
        _grid_widths(table, [width * (2 if i == 0 else 1) / (cols + 1) for i in range(cols)])
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), str(int(INDENT_CM / 2.54 * 1440)))
        indent.set(qn("w:type"), "dxa")
        _insert_tbl_pr(table._tbl.tblPr, indent)
        self.styles.add(self.sub, "Normal")

    def section(self, section: Section, heading_style: str) -> None:
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
        per_row = 2
        sigs = list(doc.signatures)
        rows = (len(sigs) + per_row - 1) // per_row
        table = self.sub.subdocx._body.add_table(rows, per_row, Cm(TEXT_WIDTH_CM))
        caption = OxmlElement("w:tblCaption")
        caption.set(qn("w:val"), SIGNATURE_CAPTION)
        _insert_tbl_pr(table._tbl.tblPr, caption)
        for index, sig in enumerate(sigs):
            cell = table.rows[index // per_row].cells[index % per_row]
            cell.paragraphs[0].add_run(sig.party).bold = True
            cell.add_paragraph(f"{sig.place} den")
            line = cell.add_paragraph()
            borders = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            for key, value in (
                ("w:val", "single"),
                ("w:sz", "4"),
                ("w:space", "1"),
                ("w:color", "000000"),
            ):
                bottom.set(qn(key), value)
            borders.append(bottom)
            # w:pBdr must come before w:spacing in w:pPr: add it first, and let
            # python-docx place w:spacing after it.
            line._p.get_or_add_pPr().append(borders)
            line.paragraph_format.space_before = Cm(1.2)
            cell.add_paragraph(sig.name)
            cell.add_paragraph(sig.title)
        _grid_widths(table, [TEXT_WIDTH_CM / per_row] * per_row)


def _page_break(sub: Any) -> None:
    sub.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _new_subdoc(tpl: Any) -> Any:
    """An empty docxtpl sub-document on the template's own part and page size.

    docxtpl's ``new_subdoc`` opens python-docx's whole default template only to take its
    empty body; an empty body parsed here is the same and saves a fifth of a render.
    """
    from docx.document import Document as WordDocument
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docxtpl.subdoc import Subdoc

    # No w:sectPr in the body, so that paragraphs can simply be appended.
    element = parse_xml(f"<w:document {nsdecls('w')}><w:body/></w:document>")
    sub = Subdoc.__new__(Subdoc)
    sub.tpl = tpl
    sub.docx = tpl.docx
    sub.subdocx = WordDocument(element, tpl.docx.part)
    return sub


_ENVIRONMENT: list[Any] = []
_COMPILED_LIMIT = 64


def _environment() -> Any:
    """The DOCX Jinja environment, made once, remembering the template parts it compiled.

    docxtpl compiles the template's document, header and footer XML on every render;
    they are the same for every document, so each is compiled once per process.
    """
    if _ENVIRONMENT:
        return _ENVIRONMENT[0]
    env = make_environment(mark_values=False)
    env.autoescape = True
    compile_source = env.from_string
    compiled: dict[str, Any] = {}

    def from_string(source: str) -> Any:
        template = compiled.get(source)
        if template is None:
            if len(compiled) >= _COMPILED_LIMIT:
                compiled.clear()
            template = compiled[source] = compile_source(source)
        return template

    env.from_string = from_string  # type: ignore[method-assign,assignment]
    _ENVIRONMENT.append(env)
    return env


def render_docx(doc: Document, template: Path | None = None) -> bytes:
    """Render a Document as DOCX bytes."""
    path = template or templates_dir() / "avtal.docx"
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds on a broken .docx
        raise InputError(f"{path}: cannot open Word template: {exc}") from None
    if template is not None:
        require_tags(tpl, path)
    check_text(doc)
    sub = _new_subdoc(tpl)
    try:
        st = _Styles(tpl.get_docx())
    except KeyError as exc:
        raise InputError(f"{path}: Word template lacks the paragraph style {exc}") from None
    body = _Body(sub, st)
    for section in doc.sections:
        body.section(section, "Heading 1")
    if doc.signatures:
        body.signatures(doc)
    for annex in doc.annexes:
        _page_break(sub)
        st.add(sub, "Heading 1", annex.heading)
        for section in annex.sections:
            body.section(section, "Heading 2")
    context = {
        "title": doc.title,
        "subtitle": doc.subtitle,
        "meta_line": doc.meta_line,
        "doc_id": doc.doc_id,
        "status": doc.status_label,
        "footer_left": (
            f"Fingeravtryck {doc.printed_fingerprint}" if doc.printed_fingerprint else ""
        ),
        "body": sub,
    }
    env = _environment()
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except Exception as exc:  # a user template may hold any broken tag
        raise InputError(f"{path}: Word template failed to render: {exc}") from None
    if doc.fingerprint:
        from docxcompose.properties import CustomProperties

        CustomProperties(tpl.docx)["avtal-fingerprint"] = doc.fingerprint
    finish_package(tpl.docx, doc)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return normalise_zip(buffer.getvalue())
