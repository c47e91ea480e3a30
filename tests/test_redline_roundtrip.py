"""Redlines of every form's documents: Accept all gives the new version, Reject all the old.

Two versions of each example differ in every way a redline must carry: an added clause, a
removed clause, a moved clause holding a table, a changed amount and date (in the
parameters and in a clause), and a changed title and fingerprint in the header and footer.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from avtal.project import load_project
from avtal.render.docx import render_docx
from avtal.review.compare import Version, compare
from avtal.review.diff import FRONT, Diff
from avtal.review.redline_docx import redline_docx
from avtal.review.report import report_text
from conftest import ROOT
from ooxml_changes import assert_faithful, part_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))
FORMS = ["avtalssamverkan", "gemensam_namnd", "kommunalforbund", "bolag"]

_TABLE = """Parterna fördelar uppgifterna enligt tabellen.

| Uppgift | Ansvarig |
|---|---|
| Upphandling | Den värdande parten |
| Uppföljning | Varje part |
"""
_CLAUSES = {
    "egen.tabell": ("Fördelning av uppgifter", _TABLE, _TABLE),
    "egen.tillagd": ("Försäkring", "", "Varje part ska hålla de försäkringar som behövs.\n"),
    "egen.borttagen": ("Meddelanden", "Meddelanden ska vara skriftliga.\n", ""),
    "egen.ersattning": (
        "Ersättning",
        "Ersättningen är 20\u00a0800\u00a0000 kronor och betalas senast den 1 mars 2027.\n",
        "Ersättningen är 22\u00a0000\u00a0000 kronor och betalas senast den 1 april 2027.\n",
    ),
}


def _library(folder: Path, definitions: dict[str, dict[str, Any]], new: bool) -> Path:
    """A clause folder with the own clauses of one version and its document definitions."""
    own = folder / "egen"
    own.mkdir(parents=True)
    for clause_id, (title, old_text, new_text) in _CLAUSES.items():
        text = new_text if new else old_text
        if text:
            (own / f"{clause_id.split('.')[1]}.md").write_text(
                f"---\nid: {clause_id}\ntitle: {title}\nversion: {'2' if new else '1'}.0.0\n"
                f"area: egen\nforms: [{', '.join(FORMS)}]\n---\n{text}",
                encoding="utf-8",
            )
    for name, definition in definitions.items():
        definition = copy.deepcopy(definition)
        sections = definition["sections"]
        last = len(sections)
        if new:
            sections.insert(last - 1, {"clause": "egen.tabell"})
            sections.insert(last - 1, {"clause": "egen.ersattning"})
            sections.insert(2, {"clause": "egen.tillagd"})
            definition["title"] = f"{definition['title']} (reviderad)"
        else:
            sections.insert(last - 1, {"clause": "egen.ersattning"})
            sections.insert(2, {"clause": "egen.borttagen"})
            sections.insert(1, {"clause": "egen.tabell"})
        (folder / name).write_text(yaml.safe_dump(definition, allow_unicode=True), "utf-8")
    return folder


def _params(example: Path, folder: Path, new: bool) -> Path:
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    if new:
        data["document"].update(version="2.0", date="2026-12-01")
        if "share_capital" in data.get("company", {}):
            data["company"]["share_capital"] = 1_200_000
        else:
            data["costs"]["example_budget"] += 2_000_000
    path = folder / ("ny.yaml" if new else "gammal.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def versions(example: Path, tmp_path: Path) -> Diff:
    """The comparison of two versions of ``example``, every kind of change in each document."""
    ids = {doc.kind for doc in load_project(example).documents}
    definitions = {}
    for path in (ROOT / "templates").glob("*.yaml"):
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
        if definition.get("id") in ids:
            definitions[path.name] = definition
    assert len(definitions) == len(ids)
    sides = []
    for new in (False, True):
        folder = tmp_path / ("ny" if new else "gammal")
        library = _library(folder / "klausuler", definitions, new)
        project = load_project(_params(example, folder, new), [library])
        sides.append(
            Version(f"{'ny' if new else 'gammal'}.yaml", project.documents, project.params)
        )
    return compare(sides[0], sides[1])


def audit_findings(data: bytes, path: Path) -> list[str]:
    """openxml-audit's findings on a DOCX, and whether it predicts Word opens it clean.

    A validator a file: one reused across files has reported comments of one file as
    missing from the next.
    """
    from openxml_audit import OpenXmlValidator
    from openxml_audit.verdict import AppPrediction, predict

    path.write_bytes(data)
    result = OpenXmlValidator().validate(str(path))
    findings = [str(e) for e in result.errors]
    if predict(result).prediction is not AppPrediction.OPENS_CLEAN:
        findings.append(f"predicted: {predict(result).prediction}")
    return findings


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.parent.name for e in EXAMPLES])
def test_every_document_of_every_form_round_trips(example: Path, tmp_path: Path) -> None:
    diff = versions(example, tmp_path)
    assert len(diff.documents) == len({d.kind for d in load_project(example).documents})
    report = report_text(diff)
    for result in diff.documents:
        kinds = {(c.kind, c.clause_id) for c in result.substantive}
        assert {
            ("added", "egen.tillagd"),
            ("removed", "egen.borttagen"),
            ("moved", "egen.tabell"),
            ("reworded", "egen.ersattning"),
            ("reworded", FRONT),
        } <= kinds, result.file
        data = redline_docx(result, diff, "Granskare", result.new.date)
        assert_faithful(data, render_docx(result.old), render_docx(result.new))
        assert audit_findings(data, tmp_path / f"{result.file}-redline.docx") == []
        body = etree.fromstring(part_xml(data, "word/document.xml"))
        # The moved clause, table and all, is a move: one range each side, the table's
        # text moved, its rows deleted where it was and inserted where it is.
        for side, row_mark in (("moveFrom", "del"), ("moveTo", "ins")):
            assert len(body.findall(f".//{W}{side}RangeStart")) == 1, result.file
            moved_text = "".join(
                t.text or "" for m in body.iter(W + side) for t in m.iter(W + "t", W + "delText")
            )
            assert "Uppföljning" in moved_text and "Den värdande parten" in moved_text
            rows = [
                r
                for r in body.iter(W + "tr")
                if "Uppföljning" in "".join(r.itertext())
                and r.find(f"{W}trPr/{W}{row_mark}") is not None
            ]
            assert len(rows) == 1, (result.file, side)
        # The amount and the date are each one change.
        xml = etree.tostring(body, encoding="unicode")
        assert re.search(r"<w:delText[^>]*>20\u00a0800\u00a0000</w:delText>", xml)
        assert re.search(r"<w:t[^>]*>22\u00a0000\u00a0000</w:t>", xml)
        assert re.search(r"<w:delText[^>]*>1 mars 2027</w:delText>", xml)
        # The header's title and the footer's fingerprint are tracked.
        header = part_xml(data, "word/header1.xml").decode()
        footer = part_xml(data, "word/footer1.xml").decode()
        assert "<w:ins " in header and "(reviderad)" in header
        assert result.old.short_fingerprint in footer and result.new.short_fingerprint in footer
        assert "<w:del " in footer and "<w:ins " in footer
    assert "flyttad" in report and "egen.tabell" in report
