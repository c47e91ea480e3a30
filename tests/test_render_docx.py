"""The DOCX avtal writes: valid for Word, its properties, and the Word template it needs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from openxml_audit import OpenXmlValidator
from openxml_audit.verdict import AppPrediction, predict

from avtal.build import render_documents
from avtal.bundle.pack import make_bundle
from avtal.cli import main
from avtal.project import load_project
from avtal.render.docx import render_docx
from avtal.review.annotate import annotate_docx, library_notes
from avtal.review.compare import compare, load_version
from avtal.review.report import redline_files
from conftest import EXAMPLE, ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))
GN_EXAMPLE = EXAMPLE.with_name("gemensam-namnd.yaml")
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
DC = "{http://purl.org/dc/elements/1.1/}"


def _every_docx(tmp_path: Path) -> dict[str, bytes]:
    """Every kind of DOCX avtal writes: documents of all four forms, memo, redline, annotated."""
    files: dict[str, bytes] = {}
    for example in EXAMPLES:
        built = render_documents(load_project(example).documents, ["docx"])
        files.update({f"{example.stem}/{name}": data for name, data in built.items()})
    bundle, _ = make_bundle(EXAMPLE)
    files.update({n: d for n, d in bundle.items() if n.endswith("tjansteskrivelse.docx")})
    changed = tmp_path / "ny.yaml"
    changed.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("notice_months: 12", "notice_months: 6"),
        encoding="utf-8",
    )
    diff = compare(load_version(str(EXAMPLE)), load_version(str(changed)))
    redlines = redline_files(diff, "Granskare")
    files.update({n: d for n, d in redlines.items() if n.endswith(".docx")})
    project = load_project(EXAMPLE)
    notes = library_notes(project.clause_library)
    for doc in project.documents:
        annotated = annotate_docx(render_docx(doc), doc, notes)
        files[f"{doc.file}-granskning.docx"] = annotated
    return files


def test_every_docx_avtal_writes_opens_in_word_without_repair(tmp_path: Path) -> None:
    files = _every_docx(tmp_path)
    assert sum(n.endswith("redline.docx") for n in files) >= 1
    assert sum(n.endswith("tjansteskrivelse.docx") for n in files) == 2
    assert sum(n.endswith("granskning.docx") for n in files) == 2
    assert len(files) == 13
    for name, data in files.items():
        path = tmp_path / "audit" / name.replace("/", "-")
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        # A validator a file: one reused caches cross-part references by id() of the
        # package, so a later file can be checked against an earlier file's comments.
        result = OpenXmlValidator().validate(str(path))
        findings = [str(e) for e in result.errors]
        assert findings == [], name
        assert predict(result).prediction is AppPrediction.OPENS_CLEAN, name


def test_the_built_in_template_is_valid_too(tmp_path: Path) -> None:
    result = OpenXmlValidator().validate(str(ROOT / "templates" / "avtal.docx"))
    assert [str(e) for e in result.errors] == []


def test_package_has_no_thumbnail_no_styles_with_effects_and_honest_app_xml() -> None:
    doc = load_project(EXAMPLE).documents[0]
    archive = zipfile.ZipFile(io.BytesIO(render_docx(doc)))
    names = archive.namelist()
    assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n]
    types = archive.read("[Content_Types].xml").decode()
    assert "thumbnail" not in types and "stylesWithEffects" not in types
    app = etree.fromstring(archive.read("docProps/app.xml"))
    assert [child.tag.rsplit("}", 1)[1] for child in app] == ["Application"]
    assert app[0].text == "avtal"


def test_core_properties_once_each_in_their_own_namespace() -> None:
    doc = load_project(EXAMPLE).documents[0]
    archive = zipfile.ZipFile(io.BytesIO(render_docx(doc)))
    core = etree.fromstring(archive.read("docProps/core.xml"))
    tags = [child.tag for child in core]
    assert len(tags) == len(set(tags))
    assert core.find(f"{CP}version").text == doc.version
    assert core.find(f"{CP}lastModifiedBy").text == "avtal"
    assert core.find(f"{CP}revision").text == "1"
    assert core.find(f"{DC}title").text == doc.title
    assert core.find(f"{DC}identifier").text == doc.doc_id
    assert core.find(f"{DC}language").text == "sv-SE"
    custom = archive.read("docProps/custom.xml").decode()
    assert doc.fingerprint in custom


def test_a_template_without_avtal_tags_is_refused_naming_them(tmp_path: Path) -> None:
    other = tmp_path / "annat.docx"
    other.write_bytes(render_docx(load_project(EXAMPLE).documents[0]))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE), "-o", str(out), "--docx-template", str(other)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"error: {other}: not an avtal Word template: its body lacks the tags "
        "{{ title }}, {{ subtitle }}, {{ meta_line }}, {{p body }}\n"
    )
    assert not out.exists()


def test_a_template_lacking_only_the_body_tag_names_that_one(tmp_path: Path) -> None:
    import docx as python_docx

    template = python_docx.Document(str(ROOT / "templates" / "avtal.docx"))
    for paragraph in template.paragraphs:
        if "body" in paragraph.text:
            paragraph.text = "Brödtext"
    path = tmp_path / "utan-body.docx"
    template.save(str(path))
    with pytest.raises(Exception, match=r"lacks the tag \{\{p body \}\}$"):
        render_docx(load_project(EXAMPLE).documents[0], path)
