"""PDF/A-2b output through the typst Python package.

The Document goes to the typst template ``templates/avtal.typ`` as JSON data, never as
generated markup, so no text needs escaping. Only the fonts inside the typst package are
used and the timestamp is the document date: every machine gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from avtal.document import (
    Block,
    Document,
    Inline,
    ListBlock,
    Paragraph,
    Section,
    Subheading,
)
from avtal.errors import RenderError
from avtal.paths import templates_dir


def _runs(runs: Inline) -> list[dict[str, Any]]:
    return [{"text": r.text, "bold": r.bold, "italic": r.italic, "change": r.change} for r in runs]


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "number": block.number, "runs": _runs(block.runs)}
    if isinstance(block, Subheading):
        return {"kind": "subheading", "runs": _runs(block.runs)}
    if isinstance(block, ListBlock):
        return {"kind": "list", "items": [[label, _runs(r)] for label, r in block.items]}
    return {
        "kind": "table",
        "header": [_runs(c) for c in block.header],
        "rows": [[_runs(c) for c in row] for row in block.rows],
    }


def _section(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "change": section.change,
        "blocks": [_block(b) for b in section.blocks],
    }


def document_data(doc: Document) -> dict[str, Any]:
    """The Document as plain JSON-able data for the typst template.

    Written out field by field rather than with ``dataclasses.asdict``, whose deep copy
    was a fifth of the PDF render time.
    """
    return {
        "title": doc.title,
        "subtitle": doc.subtitle,
        "doc_id": doc.doc_id,
        "version": doc.version,
        "status": doc.status,
        "status_label": doc.status_label,
        "date": [doc.date.year, doc.date.month, doc.date.day],
        "meta_line": doc.meta_line,
        "fingerprint": doc.fingerprint,
        "footer_left": f"Fingeravtryck {doc.short_fingerprint}" if doc.fingerprint else "",
        "sections": [_section(s) for s in doc.sections],
        "annexes": [
            {"heading": a.heading, "sections": [_section(s) for s in a.sections]}
            for a in doc.annexes
        ],
        "signatures": [
            {"party": s.party, "place": s.place, "name": s.name, "title": s.title}
            for s in doc.signatures
        ],
    }


def render_pdf(doc: Document) -> bytes:
    """Render a Document as a tagged PDF/A-2b."""
    import typst

    template = templates_dir() / "avtal.typ"
    payload = json.dumps(document_data(doc), ensure_ascii=False, sort_keys=True)
    stamp = dt.datetime.combine(doc.date, dt.time(12, 0), tzinfo=dt.UTC)
    try:
        result = typst.compile(
            str(template),
            root=str(template.parent),
            sys_inputs={"doc": payload},
            ignore_system_fonts=True,
            font_paths=[],
            pdf_standards=["a-2b", "ua-1"],
            timestamp=int(stamp.timestamp()),
        )
    except Exception as exc:  # typst raises its own TypstError; report it whole
        raise RenderError(f"{template}: PDF rendering failed: {exc}") from None
    if not isinstance(result, bytes):  # pragma: no cover - typst returns bytes for one PDF
        raise RenderError(f"{template}: PDF rendering gave no single PDF")
    return result
