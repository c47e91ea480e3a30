"""DOCX through docxtpl: the Word template rendered with Jinja, and compiled once.

A template whose tags are plain substitutions is compiled here (see
:mod:`avtal.render.docx_compiled`); any other template, and a document whose text the
compiled form cannot stand for exactly, is rendered by docxtpl every time. The body is a
docxtpl sub-document holding the elements :mod:`avtal.render.docx_body` writes. The zip
is then rewritten with fixed entry dates and pinned core properties, so the same Document
gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from docx.enum.style import WD_STYLE_TYPE
from docxtpl import DocxTemplate
from jinja2 import nodes
from lxml import etree

from avtal.clauselib.jinja_env import make_environment
from avtal.document import Document
from avtal.errors import InputError
from avtal.render.docx_body import PARAGRAPH_STYLES, TABLE_STYLE, W_NS, Body
from avtal.render.docx_compiled import (
    BODY_MARK,
    FINGERPRINT,
    NAMES,
    Compiled,
    Piece,
    marker,
    split_part,
)
from avtal.render.docx_package import (
    check_text,
    clean_package,
    finish_package,
    normalise_zip,
    package_order,
    require_tags,
)


def open_template(source: str | IO[bytes], path: Path) -> Any:
    """A DocxTemplate with its document loaded; InputError if it is not a Word file."""
    try:
        tpl = DocxTemplate(source)
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds on a broken .docx
        raise InputError(f"{path}: cannot open Word template: {exc}") from None
    return tpl


def paragraph_style_ids(document: Any) -> dict[str, str]:
    """The ids of the paragraph styles a body uses, looked up by name once.

    python-docx's lookup by name on every paragraph scans all styles of the template.
    Raises KeyError naming a style the template lacks.
    """
    return {name: document.styles[name].style_id for name in PARAGRAPH_STYLES}


def table_style_id(document: Any) -> str | None:
    """The id python-docx writes for the table style (None: the template's default)."""
    style_id: str | None = document.styles.get_style_id(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    return style_id


def new_subdoc(tpl: Any) -> Any:
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


def _docx_environment(
    wrap: Callable[[Callable[[str], Any]], Callable[[str], Any]],
) -> Any:
    """A Jinja environment for a Word template, its ``from_string`` wrapped by ``wrap``."""
    env = make_environment(mark_values=False)
    env.autoescape = True
    env.from_string = wrap(env.from_string)  # type: ignore[method-assign,assignment]
    return env


def environment() -> Any:
    """The DOCX Jinja environment, made once, remembering the template parts it compiled.

    docxtpl compiles the template's document, header and footer XML on every render;
    they are the same for every document, so each is compiled once per process.
    """
    if _ENVIRONMENT:
        return _ENVIRONMENT[0]
    compiled: dict[str, Any] = {}

    def remembering(compile_source: Callable[[str], Any]) -> Callable[[str], Any]:
        def from_string(source: str) -> Any:
            template = compiled.get(source)
            if template is None:
                if len(compiled) >= _COMPILED_LIMIT:
                    compiled.clear()
                template = compiled[source] = compile_source(source)
            return template

        return from_string

    _ENVIRONMENT.append(_docx_environment(remembering))
    return _ENVIRONMENT[0]


def _context(doc: Document, body: Any) -> dict[str, Any]:
    return {
        "title": doc.title,
        "subtitle": doc.subtitle,
        "meta_line": doc.meta_line,
        "doc_id": doc.doc_id,
        "status": doc.status_label,
        "footer_left": (
            f"Fingeravtryck {doc.printed_fingerprint}" if doc.printed_fingerprint else ""
        ),
        "body": body,
    }


def render_full(doc: Document, path: Path, user_template: bool) -> bytes:
    """Render a Document through docxtpl, every step of it."""
    tpl = open_template(str(path), path)
    if user_template:
        require_tags(tpl, path)
    check_text(doc)
    sub = new_subdoc(tpl)
    document = tpl.get_docx()
    try:
        styles = paragraph_style_ids(document)
    except KeyError as exc:
        raise InputError(f"{path}: Word template lacks the paragraph style {exc}") from None
    Body(styles, lambda: table_style_id(document), sub.subdocx.element.body).document(doc)
    try:
        tpl.render(_context(doc, sub), jinja_env=environment(), autoescape=True)
    except Exception as exc:  # a user template may hold any broken tag
        raise InputError(f"{path}: Word template failed to render: {exc}") from None
    if doc.fingerprint:
        from docxcompose.properties import CustomProperties

        CustomProperties(tpl.docx)["avtal-fingerprint"] = doc.fingerprint
    finish_package(tpl.docx, doc)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return normalise_zip(buffer.getvalue())


def compile_template(data: bytes, path: Path) -> Compiled | None:
    """Render the template ``data`` with markers and split what docxtpl writes.

    None when it cannot be opened, or holds anything but plain substitutions of
    :data:`~avtal.render.docx_compiled.NAMES`: docxtpl's way then renders (or reports) it.
    """
    try:
        tpl = open_template(io.BytesIO(data), path)
        document = tpl.get_docx()
        styles = paragraph_style_ids(document)
        table_style = table_style_id(document)
    except (InputError, KeyError, ValueError):
        return None
    has_tags = True
    try:
        require_tags(tpl, path)
    except InputError:
        has_tags = False
    if not _render_markers(tpl):
        return None
    from docxcompose.properties import CustomProperties

    CustomProperties(tpl.docx)["avtal-fingerprint"] = marker(FINGERPRINT)
    clean_package(tpl.docx)
    core = tpl.docx.part.package._core_properties_part.partname.lstrip("/")
    buffer = io.BytesIO()
    tpl.save(buffer)
    package = zipfile.ZipFile(buffer)
    entries: list[tuple[str, tuple[Piece, ...] | None]] = []
    bodies = 0
    for name in package_order(package.namelist()):
        part = package.read(name)
        if name == core:
            entries.append((name, None))
            continue
        bodies += part.count(BODY_MARK)
        pieces = split_part(part.replace(BODY_MARK, marker("body").encode()))
        if pieces is None:
            return None
        entries.append((name, pieces))
    if bodies != 1:
        return None
    return Compiled(tuple(entries), tuple(styles.items()), table_style, has_tags)


def _render_markers(tpl: Any) -> bool:
    """Render ``tpl`` with a marker for every value; whether its tags are all plain."""
    sub = new_subdoc(tpl)
    p = etree.SubElement(sub.subdocx.element.body, f"{{{W_NS}}}p")
    etree.SubElement(etree.SubElement(p, f"{{{W_NS}}}r"), f"{{{W_NS}}}t").text = marker("body")
    context: dict[str, Any] = {name: marker(name) for name in NAMES}
    context["body"] = sub
    sources: list[str] = []

    def recording(compile_source: Callable[[str], Any]) -> Callable[[str], Any]:
        def from_string(source: str) -> Any:
            sources.append(source)
            return compile_source(source)

        return from_string

    env = _docx_environment(recording)
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except Exception:  # docxtpl's way reports it
        return False
    for source in sources:
        for node in env.parse(source).find_all(nodes.Node):
            if isinstance(node, nodes.Output | nodes.TemplateData):
                continue
            if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in NAMES:
                continue
            return False
    return True
