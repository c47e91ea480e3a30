"""The package around a DOCX body: checked template, properties, parts, fixed zip.

Word repairs a file whose parts disagree with each other, so the written package holds
only what avtal can keep right: the core properties are written here whole (python-docx's
setters write ``cp:version``, ``cp:lastModifiedBy`` and ``cp:revision`` under the
custom-properties namespace once docxcompose has remapped the ``cp`` prefix, and refuse
values over 255 characters), the extended properties say only which program wrote the
file (page and word counts would be wrong until Word lays the document out), and the
thumbnail and ``stylesWithEffects.xml`` (a copy of the styles that Word 2010 wrote and that
would disagree with the template's own styles) are dropped.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from avtal.document import Document, Inline, ListBlock, Paragraph, Section, Subheading, Table
from avtal.errors import InputError, RenderError

_DROPPED_RELATIONSHIPS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)
_EXTENDED = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
)
_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>avtal</Application></Properties>'
)
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Word's limit for a core property such as the subject (python-docx enforces it too).
_PROPERTY_MAX = 255

# The tags of the body part a Word template must hold; header and footer tags are optional.
REQUIRED_TAGS = {
    "{{ title }}": re.compile(r"\{\{-?\s*title\b"),
    "{{ subtitle }}": re.compile(r"\{\{-?\s*subtitle\b"),
    "{{ meta_line }}": re.compile(r"\{\{-?\s*meta_line\b"),
    "{{p body }}": re.compile(r"\{\{p\s+body\b"),
}

# Characters XML 1.0 cannot carry (lxml refuses them with "All strings must be XML
# compatible"): C0 controls except tab, line feed and carriage return, and U+FFFE/U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def require_tags(tpl: Any, path: Path) -> None:
    """Refuse a Word template that lacks avtal's tags in its body, naming them."""
    text = re.sub(r"<[^>]+>", "", tpl.get_xml())
    missing = [tag for tag, pattern in REQUIRED_TAGS.items() if not pattern.search(text)]
    if missing:
        raise InputError(
            f"{path}: not an avtal Word template: its body lacks the tag"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )


def _inline_texts(runs: Inline) -> Iterator[str]:
    for run in runs:
        yield run.text


def _section_texts(section: Section) -> Iterator[tuple[str, str]]:
    where = f"clause {section.clause_id}"
    yield where, section.heading
    for block in section.blocks:
        if isinstance(block, Paragraph | Subheading):
            for text in _inline_texts(block.runs):
                yield where, text
        elif isinstance(block, ListBlock):
            for label, runs in block.items:
                yield where, label
                for text in _inline_texts(runs):
                    yield where, text
        elif isinstance(block, Table):
            for cells in (block.header, *block.rows):
                for cell in cells:
                    for text in _inline_texts(cell):
                        yield where, text


def document_texts(doc: Document, body_only: bool = False) -> Iterator[tuple[str, str]]:
    """Every text of ``doc`` with where it is, for error messages.

    With ``body_only``, only the texts of the body's headings, paragraphs and tables.
    """
    if not body_only:
        for text in (doc.title, doc.subtitle, doc.doc_id, doc.version):
            yield "the document's title or identification", text
    for section in doc.sections:
        yield from _section_texts(section)
    for annex in doc.annexes:
        yield f"annex {annex.id}", annex.heading
        for section in annex.sections:
            yield from _section_texts(section)
    for sig in () if body_only else doc.signatures:
        for text in sig.lines:
            yield "a signature block", text


def check_text(doc: Document) -> None:
    """Refuse text a DOCX cannot carry (control characters), naming where it is."""
    for where, text in document_texts(doc):
        match = NOT_XML.search(text)
        if match:
            raise RenderError(
                f"{doc.file}.docx: {where} holds the control character "
                f"U+{ord(match.group()):04X}, which a Word document cannot carry"
            )


def _property(text: str) -> str:
    """Shorten a core property to Word's limit, at a word boundary, with an ellipsis."""
    if len(text) <= _PROPERTY_MAX:
        return text
    cut = text[: _PROPERTY_MAX - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > _PROPERTY_MAX // 2 else cut).rstrip(" ,") + "…"


def core_xml(doc: Document) -> bytes:
    """The core properties of a document: title, subject, id, version, language, dates."""
    nsmap = {"cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "xsi": _XSI}
    root = etree.Element(f"{{{_CP}}}coreProperties", nsmap=nsmap)
    stamp = f"{doc.date.isoformat()}T00:00:00Z"
    for ns, name, value in (
        (_DC, "title", doc.title),
        (_DC, "subject", doc.subtitle),
        (_DC, "creator", "avtal"),
        (_CP, "lastModifiedBy", "avtal"),
        (_CP, "revision", "1"),
        (_DCTERMS, "created", stamp),
        (_DCTERMS, "modified", stamp),
        (_DC, "identifier", doc.doc_id),
        (_DC, "language", "sv-SE"),
        (_CP, "version", doc.version),
    ):
        element = etree.SubElement(root, f"{{{ns}}}{name}")
        element.text = _property(value)
        if ns == _DCTERMS:
            element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def clean_package(document: Any) -> None:
    """Drop the thumbnail and stylesWithEffects; say only which program wrote the file."""
    package = document.part.package
    for rels in (package.rels, document.part.rels):
        for rid in [r for r, rel in rels.items() if rel.reltype in _DROPPED_RELATIONSHIPS]:
            del rels[rid]
    for rel in package.rels.values():
        if rel.reltype == _EXTENDED:
            rel.target_part._blob = _APP_XML


def finish_package(document: Any, doc: Document) -> None:
    """Clean the package and write the document's core properties."""
    clean_package(document)
    core = document.part.package._core_properties_part
    core._element = etree.fromstring(core_xml(doc))


def package_order(names: Iterable[str]) -> list[str]:
    """The order of a written package's entries: ``[Content_Types].xml``, then by name."""
    return sorted(names, key=lambda n: (n != "[Content_Types].xml", n))


def write_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``entries`` in their order, with fixed entry dates and modes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return out.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Fixed entry dates and modes, ``[Content_Types].xml`` first, then sorted names."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return write_zip((name, source.read(name)) for name in package_order(source.namelist()))
