"""PDF/A-2b output through the typst Python package.

The Document goes to the typst template ``templates/avtal.typ`` as JSON data, never as
generated markup, so no text needs escaping. Only the fonts inside the typst package are
used and the timestamp is the document date: every machine gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any

from avtal.document import Document
from avtal.errors import RenderError
from avtal.paths import templates_dir


def document_data(doc: Document) -> dict[str, Any]:
    """The Document as plain JSON-able data for the typst template."""
    data = asdict(doc)
    data["date"] = [doc.date.year, doc.date.month, doc.date.day]
    data["status_label"] = doc.status_label
    data["meta_line"] = doc.meta_line
    data["footer_left"] = f"Fingeravtryck {doc.short_fingerprint}" if doc.fingerprint else ""
    data["sections"] = [{**asdict(s), "heading": s.heading} for s in doc.sections]
    data["annexes"] = [
        {
            "heading": a.heading,
            "sections": [{**asdict(s), "heading": s.heading} for s in a.sections],
        }
        for a in doc.annexes
    ]
    data.pop("clauses", None)
    return data


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
