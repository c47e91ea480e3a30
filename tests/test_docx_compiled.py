"""The compiled Word template writes exactly what docxtpl writes, and only where it can."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from avtal.document import Document, Paragraph, Run, Signature
from avtal.project import load_project
from avtal.render import docx_compiled
from avtal.render.docx import render_docx
from avtal.render.docx_body import Body
from avtal.render.docx_tpl import compile_template, render_full
from conftest import EXAMPLE, ROOT

TEMPLATE = ROOT / "templates" / "avtal.docx"
EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))


def docxtpl_way(doc: Document, template: Path = TEMPLATE) -> bytes:
    return render_full(doc, template, template != TEMPLATE)


def compiled_way(doc: Document) -> bytes | None:
    """The compiled template's output, or None where it stands back for docxtpl."""
    data = TEMPLATE.read_bytes()
    form = docx_compiled.compiled(data, lambda: compile_template(data, TEMPLATE))
    assert form is not None
    table_style = form.table_style
    return form.render(doc, Body(dict(form.styles), lambda: table_style).document(doc))


def first_doc() -> Document:
    return load_project(EXAMPLE).documents[0]


def test_every_example_document_is_byte_identical_both_ways() -> None:
    count = 0
    for example in EXAMPLES:
        for doc in load_project(example).documents:
            expected = docxtpl_way(doc)
            assert compiled_way(doc) == expected, f"{example.name}: {doc.file}"
            assert render_docx(doc) == expected
            count += 1
    assert count >= 8


@pytest.mark.parametrize(
    "change",
    [
        {"status": "slutlig"},  # no printed fingerprint: the footer's text is left empty
        {"status": "slutlig", "show_fingerprint": True},
        {"title": "Avtal om \"A & B\" <utkast> för 'C'"},
        {"subtitle": ""},
        {"subtitle": "  mellan  parterna  "},
        {"doc_id": "ID-ÅÄÖ-€-1"},
        {"signatures": ()},
        {"annexes": ()},
    ],
    ids=lambda change: "-".join(change),
)
def test_changed_values_are_byte_identical_both_ways(change: dict[str, object]) -> None:
    doc = dataclasses.replace(first_doc(), **change)  # type: ignore[arg-type]
    assert compiled_way(doc) == docxtpl_way(doc)


def test_odd_signature_texts_are_byte_identical_both_ways() -> None:
    doc = first_doc()
    sig = Signature(party=" Region\tA ", place="", name="Namn\nEfternamn", title="")
    odd = dataclasses.replace(doc, signatures=(*doc.signatures, sig))
    assert compiled_way(odd) == docxtpl_way(odd)


def test_text_the_compiled_form_cannot_stand_for_takes_docxtpls_way() -> None:
    doc = first_doc()
    section = doc.sections[0]
    lines = dataclasses.replace(
        section, blocks=(Paragraph((Run("rad ett\nrad två {_{ x }_}"),)), *section.blocks)
    )
    for odd in (
        dataclasses.replace(doc, title="Rad ett\nrad två"),
        dataclasses.replace(doc, subtitle=" "),
        dataclasses.replace(doc, fingerprint=""),
        dataclasses.replace(doc, sections=(lines, *doc.sections[1:])),
    ):
        assert compiled_way(odd) is None
        data = render_docx(odd)
        assert data == docxtpl_way(odd)
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    document = zipfile.ZipFile(io.BytesIO(render_docx(odd))).read("word/document.xml")
    assert b"<w:br/>" in document and "rad två {{ x }}".encode() in document


def test_a_template_with_logic_is_rendered_by_docxtpl(tmp_path: Path) -> None:
    import docx as python_docx

    template = python_docx.Document(str(TEMPLATE))
    for paragraph in template.paragraphs:
        if "subtitle" in paragraph.text:
            paragraph.text = "{% if status == 'Utkast' %}UTKAST{% endif %} {{ subtitle }}"
    path = tmp_path / "villkor.docx"
    template.save(str(path))
    assert compile_template(path.read_bytes(), path) is None
    assert compile_template(TEMPLATE.read_bytes(), TEMPLATE) is not None
    doc = first_doc()
    data = render_docx(doc, path)
    assert b"UTKAST " + doc.subtitle.encode() in zipfile.ZipFile(io.BytesIO(data)).read(
        "word/document.xml"
    )
    assert data == docxtpl_way(doc, path)


def test_a_copy_of_the_built_in_template_gives_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "egen.docx"
    path.write_bytes(TEMPLATE.read_bytes())
    doc = first_doc()
    assert render_docx(doc, path) == render_docx(doc) == docxtpl_way(doc, path)


def test_a_new_process_renders_from_the_cache_without_docxtpl(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from avtal.project import load_project\nfrom avtal.render.docx import render_docx\n"
        f"doc = load_project(Path({str(EXAMPLE)!r})).documents[0]\n"
        "sys.stdout.buffer.write(render_docx(doc))\n"
        "print('\\n' + ' '.join(m for m in sys.modules if m.split('.')[0] in "
        "('docx', 'docxtpl', 'docxcompose')), file=sys.stderr)\n"
    )
    env = {"AVTAL_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True)
        for _ in range(2)
    ]
    first, second = runs
    assert b"docxtpl" in first.stderr  # compiled, and kept
    assert second.stderr.strip() == b""  # taken from the cache: none of them imported
    assert first.stdout == second.stdout == docxtpl_way(first_doc())
