"""DOCX output: a Document in the house style of the Word template in ``templates/``.

The body is written as WordprocessingML with lxml (:mod:`avtal.render.docx_body`), using
the template's styles; point numbers are text computed in the Document (Word's own list
numbering does not restart reliably). The template itself is filled in by docxtpl: once
per template when its tags are plain substitutions (:mod:`avtal.render.docx_compiled`),
otherwise for every document (:mod:`avtal.render.docx_tpl`). Either way the zip has fixed
entry dates and pinned core properties, so the same Document gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from avtal.document import Document
from avtal.paths import templates_dir
from avtal.render.docx_body import Body
from avtal.render.docx_compiled import Compiled, compiled
from avtal.render.docx_package import check_text


def _compiled(path: Path) -> Compiled | None:
    """The compiled form of the template at ``path``; None if it has none (or is unreadable)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None

    def compile_template() -> Compiled | None:
        from avtal.render.docx_tpl import compile_template

        return compile_template(data, path)

    return compiled(data, compile_template)


def render_docx(doc: Document, template: Path | None = None) -> bytes:
    """Render a Document as DOCX bytes, with the built-in Word template or ``template``."""
    path = template or templates_dir() / "avtal.docx"
    form = _compiled(path)
    if form is not None and (form.has_tags or template is None):
        check_text(doc)
        table_style = form.table_style
        body = Body(dict(form.styles), lambda: table_style).document(doc)
        data = form.render(doc, body)
        if data is not None:
            return data
    from avtal.render.docx_tpl import render_full

    return render_full(doc, path, template is not None)
