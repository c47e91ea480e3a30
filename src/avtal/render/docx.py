"""DOCX output through docxtpl and the Word template in ``templates/``.

The body is built as a docxtpl sub-document with python-docx, using the template's
styles; point numbers are text computed in the Document (Word's own list numbering does
not restart reliably). The zip is then rewritten with fixed entry dates and pinned core
properties, so the same Document gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate

from avtal.document import Document, Inline, ListBlock, Paragraph, Section, Subheading, Table
from avtal.errors import RenderError
from avtal.jinja_env import make_environment
from avtal.paths import templates_dir

TEXT_WIDTH_CM = 16.0


class _Styles:
    """Paragraph style ids, looked up once.

    python-docx's lookup by name on every paragraph scans all styles of the template and
    dominated the render time.
    """

    def __init__(self, document: Any) -> None:
        self.ids = {
            name: document.styles[name].style_id
            for name in ("Heading 1", "Heading 2", "Punkt", "Stycke", "Lista", "Normal")
        }

    def add(self, sub: Any, name: str, text: str = "") -> Any:
        paragraph = sub.add_paragraph(text)
        paragraph._p.style = self.ids[name]
        return paragraph


def _runs(paragraph: Any, runs: Inline) -> None:
    for run in runs:
        r = paragraph.add_run(run.text)
        if run.bold:
            r.bold = True
        if run.italic:
            r.italic = True


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
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _table(sub: Any, st: _Styles, block: Table) -> None:
    cols = len(block.header)
    table = sub.add_table(rows=1 + len(block.rows), cols=cols)
    table.style = "Table Grid"
    for cell, runs in zip(table.rows[0].cells, block.header, strict=True):
        paragraph = cell.paragraphs[0]
        _runs(paragraph, tuple(r.__class__(r.text, True, r.italic) for r in runs))
    _header_row(table.rows[0])
    for row, cells in zip(table.rows[1:], block.rows, strict=True):
        for cell, runs in zip(row.cells, cells, strict=True):
            _runs(cell.paragraphs[0], runs)
    first = 7.0 if cols > 1 else TEXT_WIDTH_CM
    rest = (TEXT_WIDTH_CM - first) / (cols - 1) if cols > 1 else 0
    _grid_widths(table, [first] + [rest] * (cols - 1))
    st.add(sub, "Normal")


def _section(sub: Any, st: _Styles, section: Section, heading_style: str) -> None:
    st.add(sub, heading_style, section.heading)
    for block in section.blocks:
        if isinstance(block, Paragraph):
            if block.number:
                paragraph = st.add(sub, "Punkt")
                paragraph.add_run(f"{block.number}\t")
            else:
                paragraph = st.add(sub, "Stycke")
            _runs(paragraph, block.runs)
        elif isinstance(block, Subheading):
            _runs(st.add(sub, "Heading 2"), block.runs)
        elif isinstance(block, ListBlock):
            for label, runs in block.items:
                paragraph = st.add(sub, "Lista")
                paragraph.add_run(f"{label}\t")
                _runs(paragraph, runs)
        elif isinstance(block, Table):
            _table(sub, st, block)


def _signatures(sub: Any, doc: Document) -> None:
    per_row = 2
    sigs = list(doc.signatures)
    rows = (len(sigs) + per_row - 1) // per_row
    table = sub.add_table(rows=rows, cols=per_row)
    for index, sig in enumerate(sigs):
        cell = table.rows[index // per_row].cells[index % per_row]
        first = cell.paragraphs[0]
        first.add_run(sig.party).bold = True
        cell.add_paragraph(f"{sig.place} den")
        line = cell.add_paragraph()
        line.paragraph_format.space_before = Cm(1.2)
        p_pr = line._p.get_or_add_pPr()
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
        p_pr.append(borders)
        cell.add_paragraph(sig.name)
        cell.add_paragraph(sig.title)
    _grid_widths(table, [TEXT_WIDTH_CM / per_row] * per_row)


def _page_break(sub: Any) -> None:
    sub.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


_DATE_RE = re.compile(rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>")


def _normalise_zip(data: bytes, when: dt.date) -> bytes:
    """Fixed entry dates, [Content_Types].xml first then sorted names, pinned core dates."""
    stamp = f"{when.isoformat()}T00:00:00Z".encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            content = source.read(name)
            if name == "docProps/core.xml":
                content = _DATE_RE.sub(
                    lambda m: (
                        b"<dcterms:%s%s>%s</dcterms:%s>"
                        % (m.group(1), m.group(2), stamp, m.group(1))
                    ),
                    content,
                )
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()


def render_docx(doc: Document, template: Path | None = None) -> bytes:
    """Render a Document as DOCX bytes."""
    path = template or templates_dir() / "avtal.docx"
    try:
        tpl = DocxTemplate(str(path))
    except Exception as exc:  # docxtpl raises many kinds on a broken .docx
        raise RenderError(f"{path}: cannot open Word template: {exc}") from None
    sub = tpl.new_subdoc()
    try:
        st = _Styles(tpl.get_docx())
    except KeyError as exc:
        raise RenderError(f"{path}: Word template lacks the paragraph style {exc}") from None
    for section in doc.sections:
        _section(sub, st, section, "Heading 1")
    if doc.signatures:
        _signatures(sub, doc)
    for annex in doc.annexes:
        _page_break(sub)
        st.add(sub, "Heading 1", annex.heading)
        for section in annex.sections:
            _section(sub, st, section, "Heading 2")
    context = {
        "title": doc.title,
        "subtitle": doc.subtitle,
        "meta_line": doc.meta_line,
        "doc_id": doc.doc_id,
        "status": doc.status_label,
        "footer_left": f"Fingeravtryck {doc.short_fingerprint}" if doc.fingerprint else "",
        "body": sub,
    }
    env = make_environment(mark_values=False)
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except Exception as exc:  # a user template may hold any broken tag
        raise RenderError(f"{path}: Word template failed to render: {exc}") from None
    core = tpl.docx.core_properties
    core.title = doc.title
    core.subject = doc.subtitle
    core.identifier = doc.doc_id
    core.version = doc.version
    core.language = "sv-SE"
    core.author = "avtal"
    core.last_modified_by = "avtal"
    core.revision = 1
    if doc.fingerprint:
        from docxcompose.properties import CustomProperties

        CustomProperties(tpl.docx)["avtal-fingerprint"] = doc.fingerprint
    stamp = dt.datetime.combine(doc.date, dt.time(0, 0))
    core.created = stamp
    core.modified = stamp
    buffer = io.BytesIO()
    tpl.save(buffer)
    return _normalise_zip(buffer.getvalue(), doc.date)
