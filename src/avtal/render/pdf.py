"""PDF/A-2b output through the typst Python package.

The Document goes to the typst template ``templates/avtal.typ`` as JSON data, never as
generated markup, so no text needs escaping. Only the fonts shipped in ``templates/fonts``
(Liberation Sans, metric-compatible with the Word template's Arial) and inside the typst
package are used, and the timestamp is the document date: every machine gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
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
        return {"kind": "paragraph", "runs": _runs(block.runs)}
    if isinstance(block, Subheading):
        return {"kind": "subheading", "runs": _runs(block.runs)}
    if isinstance(block, ListBlock):
        return {
            "kind": "list",
            "ordered": block.ordered,
            "items": [[label, _runs(r)] for label, r in block.items],
        }
    return {
        "kind": "table",
        "header": [_runs(c) for c in block.header],
        "rows": [[_runs(c) for c in row] for row in block.rows],
    }


def _blocks(blocks: tuple[Block, ...]) -> list[dict[str, Any]]:
    """The blocks as data; consecutive numbered points become one "points" list.

    One list per run of points is what a screen reader announces as a list (L with LI).
    """
    out: list[dict[str, Any]] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.number:
            if not out or out[-1]["kind"] != "points":
                out.append({"kind": "points", "numbers": [], "items": []})
            out[-1]["numbers"].append(block.number)
            out[-1]["items"].append(_runs(block.runs))
        else:
            out.append(_block(block))
    return out


def _section(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "change": section.change,
        "blocks": _blocks(section.blocks),
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
        "footer_left": (
            f"Fingeravtryck {doc.printed_fingerprint}" if doc.printed_fingerprint else ""
        ),
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


_COMPILERS: dict[str, Any] = {}


def compile_pdf(template: Path, inputs: dict[str, str], when: dt.date) -> bytes:
    """Compile a typst template to PDF/A-2b with the package's fonts only.

    One compiler per template is kept for the process: it keeps its parsed fonts and
    typst's incremental caches between documents, which halves the time of a second PDF.
    """
    import typst

    key = str(template)
    compiler = _COMPILERS.get(key)
    if compiler is None:
        compiler = typst.Compiler(
            str(template),
            root=str(template.parent),
            font_paths=[str(template.parent / "fonts")],
            ignore_system_fonts=True,
        )
        _COMPILERS[key] = compiler
    stamp = dt.datetime.combine(when, dt.time(12, 0), tzinfo=dt.UTC)
    standards: Any = ["a-2b", "ua-1"] if template.name == "avtal.typ" else ["a-2b"]
    try:
        result = compiler.compile(
            sys_inputs=inputs, pdf_standards=standards, timestamp=int(stamp.timestamp())
        )
    except Exception as exc:  # typst raises its own TypstError; report it whole
        raise RenderError(f"{template}: PDF rendering failed: {exc}") from None
    if not isinstance(result, bytes):  # pragma: no cover - typst returns bytes for one PDF
        raise RenderError(f"{template}: PDF rendering gave no single PDF")
    return result


def render_pdf(doc: Document) -> bytes:
    """Render a Document as a tagged PDF/A-2b (PDF/UA-1)."""
    from avtal.render.pdf_tags import list_kinds, set_list_kinds

    data = document_data(doc)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    pdf = compile_pdf(templates_dir() / "avtal.typ", {"doc": payload}, doc.date)
    return set_list_kinds(pdf, list_kinds(data))
