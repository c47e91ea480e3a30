"""Reading a DOCX back: every generated document compares as identical with its parameters."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from avtal.build import render_documents
from avtal.errors import InputError
from avtal.project import load_project
from avtal.review.compare import compare, load_version
from avtal.review.diff import FRONT, SIGNATURES
from conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))


def replace_xml(data: bytes, edit: Callable[[str], str]) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in archive.infolist():
            content = archive.read(item.filename)
            if item.filename == "word/document.xml":
                content = edit(content.decode()).encode()
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("params", EXAMPLES, ids=lambda p: p.stem)
def test_every_generated_document_compares_identical(params: Path, tmp_path: Path) -> None:
    project = load_project(params)
    files = render_documents(project.documents, ["docx"])
    assert len(files) == len(project.documents)
    version = load_version(str(params))
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        docx = load_version(str(path))
        diff = compare(version, docx)
        assert not diff.differs, (name, [c.clause_id for d in diff.documents for c in d.changes])
        read = docx.documents[0]
        built = next(d for d in project.documents if f"{d.file}.docx" == name)
        assert (read.title, read.subtitle, read.version, read.date) == (
            built.title,
            built.subtitle,
            built.version,
            built.date,
        )
        assert read.fingerprint == built.fingerprint
        assert len(read.signatures) == len(built.signatures)


def _docx(tmp_path: Path, params: Path, file: str, edit: Callable[[str], str]) -> Path:
    project = load_project(params)
    data = render_documents(project.documents, ["docx"])[f"{file}.docx"]
    path = tmp_path / f"{file}-edited.docx"
    path.write_bytes(replace_xml(data, edit))
    return path


def test_title_subtitle_and_signature_edits_are_seen(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    params = write_params()
    project = load_project(params)
    doc = project.documents[0]
    signatory = doc.signatures[0].name

    def edit(xml: str) -> str:
        xml = xml.replace(f">{doc.title}<", f">{doc.title} (reviderat)<", 1)
        xml = xml.replace(f">{doc.subtitle}<", f">{doc.subtitle} i ny lydelse<", 1)
        return xml.replace(f">{signatory}<", ">Annan Person<", 1)

    path = _docx(tmp_path, params, doc.file, edit)
    diff = compare(load_version(str(params)), load_version(str(path)))
    changed = {c.clause_id: c for c in diff.documents[0].changes}
    assert set(changed) == {FRONT, SIGNATURES}
    front = [op for ops in changed[FRONT].words for op in ops if op[0] != "equal"]
    assert ("insert", " (reviderat)") in front and ("insert", " i ny lydelse") in front
    signature = [op for ops in changed[SIGNATURES].words for op in ops if op[0] != "equal"]
    assert signature == [("delete", signatory), ("insert", "Annan Person")]


@pytest.mark.parametrize("params", EXAMPLES, ids=lambda p: p.stem)
def test_restyled_documents_are_read_from_numbering_and_text(params: Path, tmp_path: Path) -> None:
    """As when a counterparty pastes the text into its own template: every style is "Normal"."""
    project = load_project(params)
    files = render_documents(project.documents, ["docx"])
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(
            replace_xml(
                data, lambda xml: re.sub(r"<w:(pStyle|tblStyle) w:val=\"[^\"]*\"/>", "", xml)
            )
        )
        diff = compare(load_version(str(params)), load_version(str(path)))
        assert not diff.differs, (name, [c.clause_id for d in diff.documents for c in d.changes])


def test_a_document_that_cannot_be_mapped_says_so(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    path = tmp_path / "brev.docx"
    letter = WordDocument()
    letter.add_paragraph("Hej!")
    letter.add_paragraph("Här kommer synpunkterna på avtalet, som vi pratade om.")
    letter.save(str(path))
    with pytest.raises(InputError, match="cannot be mapped to clauses"):
        load_version(str(path))


def test_renumbering_after_a_deleted_clause_maps_references_by_target(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    """A lawyer deletes a clause and renumbers: only the deletion is a change."""
    params = write_params()
    defs = tmp_path / "defs"
    defs.mkdir()
    definition = yaml.safe_load(
        (ROOT / "templates" / "samverkansavtal.yaml").read_text(encoding="utf-8")
    )
    gone = "avtalssamverkan.bakgrund"
    definition["sections"] = [s for s in definition["sections"] if s["clause"] != gone]
    (defs / "samverkansavtal.yaml").write_text(
        yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8"
    )
    renumbered = load_project(params, (), [defs])
    original = load_project(params).documents[0]
    shifted = [
        r
        for s in renumbered.documents[0].sections
        for b in s.blocks
        if hasattr(b, "runs")
        for r in b.runs
        if r.ref
    ]
    assert shifted, "the agreement has references that the renumbering moves"
    data = render_documents(renumbered.documents, ["docx"])["samverkansavtal.docx"]
    path = tmp_path / "omnumrerat.docx"
    path.write_bytes(data)
    diff = compare(load_version(str(params)), load_version(str(path)))
    result = diff.documents[0]
    assert [(c.kind, c.clause_id) for c in result.substantive] == [("removed", gone)]
    assert result.renumbered
    assert original.sections[1].clause_id == gone
