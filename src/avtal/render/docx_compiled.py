"""A Word template compiled once: its package as bytes, with slots for a document's values.

docxtpl renders a Word template by patching its XML for Jinja, rendering it and parsing
the result again; with python-docx, docxtpl and docxcompose that is a tenth of a second
of imports and most of a DOCX render, for a template that is the same for every document.
A template whose tags are all plain substitutions (``{{ title }}``, ``{{p body }}``; the
built-in one is such) is therefore rendered once by docxtpl itself, with a marker in
place of each value and of the body, and the package it writes is split at the markers.
Rendering a document then only fills the slots: each value escaped as lxml escapes text,
the body as lxml writes it. The compiled form is kept in memory and in the cache folder
of :mod:`avtal.clauselib.diskcache`, under the template's content and the versions of the
code that compiled it, so a new process needs none of those libraries.

Where the compiled form could differ from docxtpl's output (a value with a line break, a
tab or only spaces, docxtpl's escape sequences, a template with other tags), the caller
renders through docxtpl instead; tests compare both ways byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from lxml import etree

import avtal
from avtal.document import Document
from avtal.render.docx_package import core_xml, document_texts, write_zip

#: The values a template may print; "body" is the document's body.
NAMES = ("title", "subtitle", "meta_line", "doc_id", "status", "footer_left", "body")
FINGERPRINT = "fingerprint"
_MARK = re.compile("\ue000([a-z_]+)\ue001".encode())
#: Text that docxtpl would change after rendering, or that XML would not keep as it is.
NOT_PLAIN = re.compile(r"[\x00-\x1f\ud800-\udfff\ufffe\uffff]|\{_\{|\}_\}|\{_%|%_\}")
BODY_NOT_PLAIN = re.compile(r"[\n\r\ud800-\udfff]|\{_\{|\}_\}|\{_%|%_\}")
_LIBRARIES = ("docxtpl", "docx", "docxcompose", "jinja2", "lxml", "markupsafe")
_INELIGIBLE = "ineligible"

# A piece of a part: static bytes, or a text node with slots:
# (opening tag or b"", ((literal bytes | value name), ...), closing tag or b"").
Piece = bytes | tuple[bytes, tuple[bytes | str, ...], bytes]


def marker(name: str) -> str:
    """The text that stands for the value ``name`` while a template is compiled."""
    return f"\ue000{name}\ue001"


#: The paragraph that stands for the body while the template is compiled.
BODY_MARK = f"<w:p><w:r><w:t>{marker('body')}</w:t></w:r></w:p>".encode()


@dataclass(frozen=True)
class Compiled:
    """A template's package: zip entries in order, each static bytes or pieces."""

    entries: tuple[tuple[str, tuple[Piece, ...] | None], ...]  # None: the core properties
    styles: tuple[tuple[str, str], ...]
    table_style: str | None
    has_tags: bool

    def render(self, doc: Document, body: Any) -> bytes | None:
        """The DOCX of ``doc`` with ``body`` (a w:body); None if it cannot stand for it."""
        values = {
            "title": doc.title,
            "subtitle": doc.subtitle,
            "meta_line": doc.meta_line,
            "doc_id": doc.doc_id,
            "status": doc.status_label,
            "footer_left": (
                f"Fingeravtryck {doc.printed_fingerprint}" if doc.printed_fingerprint else ""
            ),
            FINGERPRINT: doc.fingerprint,
        }
        if not doc.fingerprint or any(NOT_PLAIN.search(v) for v in values.values()):
            return None
        # Signature blocks write line breaks and tabs as elements of their own.
        if any(BODY_NOT_PLAIN.search(text) for _, text in document_texts(doc, body_only=True)):
            return None
        escaped = {n: _escape(v) for n, v in values.items()}
        escaped["body"] = _body_bytes(body)
        files = []
        for name, pieces in self.entries:
            if pieces is None:
                core = etree.tostring(
                    etree.fromstring(core_xml(doc)), encoding="UTF-8", standalone=True
                )
                files.append((name, core))
                continue
            data = _fill(pieces, escaped)
            if data is None:
                return None
            files.append((name, data))
        return write_zip(files)


def _escape(text: str) -> bytes:
    """Text as lxml writes it in an element (line breaks never get here)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()


def _body_bytes(body: Any) -> bytes:
    """The children of a w:body as they appear inside the document part."""
    data: bytes = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    return re.sub(rb"</?w:body[^>]*>", b"", data)


def _fill(pieces: tuple[Piece, ...], values: Mapping[str, bytes]) -> bytes | None:
    out = []
    for piece in pieces:
        if isinstance(piece, bytes):
            out.append(piece)
            continue
        opening, parts, closing = piece
        text = b"".join(p if isinstance(p, bytes) else values[p] for p in parts)
        if text and not text.strip():
            return None  # only spaces: the XML parsers docxtpl uses might drop them
        if not text and opening:
            out.append(opening[:-1] + b"/>")  # an element left empty is written as <x/>
        else:
            out += (opening, text, closing)
    return b"".join(out)


def split_part(data: bytes) -> tuple[Piece, ...] | None:
    """Split a part at its markers; None if one is not in an element's text."""
    pieces: list[Piece] = []
    position = 0
    for match in _MARK.finditer(data):
        if match.start() < position:
            continue  # within a text node already taken
        start = data.rfind(b">", 0, match.start()) + 1
        end = data.find(b"<", match.end())
        if start == 0 or end < 0 or b"<" in data[start : match.start()]:
            return None
        if b">" in data[match.end() : end]:
            return None
        node = data[start:end]
        parts: list[bytes | str] = []
        last = 0
        for inner in _MARK.finditer(node):
            if node[last : inner.start()]:
                parts.append(node[last : inner.start()])
            parts.append(inner.group(1).decode())
            last = inner.end()
        if node[last:]:
            parts.append(node[last:])
        opening = closing = b""
        tag_start = data.rfind(b"<", 0, start)
        tag = data[tag_start:start]
        name = re.match(rb"<([\w:.-]+)[\s>]", tag)
        close = b"</" + name.group(1) + b">" if name else b""
        if name and not tag.endswith(b"/>") and data.startswith(close, end):
            opening, closing = tag, close
            start, end = tag_start, end + len(close)
        pieces += (data[position:start], (opening, tuple(parts), closing))
        position = end
    pieces.append(data[position:])
    return tuple(p for p in pieces if p != b"")


def _code_stamp() -> bytes:
    """What the compiled form depends on besides the template: this code, the libraries."""
    package = Path(avtal.__file__).resolve().parent
    files = [*sorted(package.glob("render/docx*.py")), package / "clauselib/jinja_env.py"]
    for library in _LIBRARIES:
        spec = find_spec(library)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    parts = [avtal.__version__, sys.version]
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        parts.append(f"{path}:{info.st_mtime_ns}:{info.st_size}")
    return "\0".join(parts).encode()


_MEMORY: dict[str, Compiled | None] = {}


def compiled(data: bytes, compile_template: Callable[[], Compiled | None]) -> Compiled | None:
    """The compiled form of the template ``data``, or None when it has other tags.

    ``compile_template`` compiles it when neither memory nor the cache folder has it.
    """
    from avtal.clauselib import diskcache

    digest = hashlib.sha256(data).hexdigest()
    if digest in _MEMORY:
        return _MEMORY[digest]
    entry = "docx-" + hashlib.sha256(digest.encode() + b"\0" + _code_stamp()).hexdigest()
    stored = diskcache.load(entry)
    if isinstance(stored, Compiled) or stored == _INELIGIBLE:
        result = stored if isinstance(stored, Compiled) else None
    else:
        result = compile_template()
        diskcache.store(entry, _INELIGIBLE if result is None else result)
    _MEMORY[digest] = result
    return result
