"""The review aid: Word comments on each clause; every DOCX review writes passes the audit."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from avtal.clauselib.clauses import Library
from avtal.cli import main
from avtal.paths import clauses_dir
from avtal.project import load_project
from ooxml_changes import apply, document_xml, lines


def test_build_annotate_comments_each_clause(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    params = write_params()
    plain, annotated = tmp_path / "plain", tmp_path / "annotated"
    runner = CliRunner()
    assert (
        runner.invoke(main, ["build", str(params), "-o", str(plain), "--format", "docx"]).exit_code
        == 0
    )
    result = runner.invoke(
        main, ["build", str(params), "-o", str(annotated), "--format", "docx", "--annotate"]
    )
    assert result.exit_code == 0, result.output
    # The documents themselves are unchanged; the review copy has the same text.
    original = (plain / "samverkansavtal.docx").read_bytes()
    assert (annotated / "samverkansavtal.docx").read_bytes() == original
    review = (annotated / "samverkansavtal-granskning.docx").read_bytes()
    assert lines(apply(document_xml(review), True)) == lines(apply(document_xml(original), True))
    doc = load_project(params).documents[0]
    library = Library([clauses_dir()])
    comments = {
        c.text.split(",")[0].removeprefix("Klausul "): c.text
        for c in docx.Document(io.BytesIO(review)).comments
    }
    clause_ids = [s.clause_id for s in doc.sections] + [
        s.clause_id for a in doc.annexes for s in a.sections
    ]
    assert set(comments) == set(clause_ids)
    for clause_id in clause_ids:
        meta = library.get(clause_id).meta  # type: ignore[union-attr]
        text = comments[clause_id]
        assert f"version {meta.version}" in text
        assert all(basis in text for basis in meta.legal_basis)
        assert all(point in text for point in meta.uncertain)
    assert any("Osäkra punkter" in t for t in comments.values())


def _audit(data: bytes, tmp_path: Path, name: str) -> set[str]:
    """openxml-audit's errors, without their place in the document."""
    audit = pytest.importorskip("openxml_audit", reason="openxml-audit is not installed")
    path = tmp_path / name
    path.write_bytes(data)
    result = audit.OpenXmlValidator().validate(str(path))
    return {re.sub(r"/document\[1\]\S*", "", str(e)) for e in result.errors}


def test_redline_and_annotated_docx_add_no_audit_error(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    """What review writes passes the audit with no finding, as the documents do."""
    from avtal.build import render_documents
    from avtal.review.annotate import annotate_docx, library_notes
    from avtal.review.compare import compare, load_version
    from avtal.review.report import redline_files

    old = write_params(name="old.yaml")

    def change(data: dict[str, Any]) -> None:
        data["costs"].update(example_budget=50_000_000)
        data["delegation"]["matters"].append(
            {"matter": "beslut om förlängning", "position": "upphandlare", "employer": "sormland"}
        )
        data["parties"][1]["signatory"]["name"] = "Ny Namnsson"

    new = write_params(change, name="new.yaml")
    project = load_project(new)
    base = render_documents(project.documents[:1], ["docx"])["samverkansavtal.docx"]
    known = _audit(base, tmp_path, "base.docx")
    redline = redline_files(compare(load_version(str(old)), load_version(str(new))))
    assert known == set()
    assert _audit(redline["samverkansavtal-redline.docx"], tmp_path, "r.docx") == set()
    notes = library_notes(project.clause_library)
    annotated = annotate_docx(base, project.documents[0], notes)
    assert _audit(annotated, tmp_path, "a.docx") == set()
