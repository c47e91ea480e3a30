"""The redline DOCX: Accept all gives the new document, Reject all the old one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from avtal.project import load_project
from avtal.render.docx import render_docx
from avtal.review.compare import compare, load_version
from avtal.review.diff import diff_documents
from avtal.review.redline_docx import redline_docx
from avtal.review.report import redline_files
from ooxml_changes import apply, document_xml, lines
from test_diff import four_changes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def redlines(old: Path, new: Path, clause_dirs: tuple[Path, ...] = ()) -> dict[str, bytes]:
    diff = compare(load_version(str(old), clause_dirs), load_version(str(new), clause_dirs))
    return redline_files(diff, "Granskare")


def assert_faithful(redline: bytes, old_docx: bytes, new_docx: bytes) -> None:
    """Accept all = the new document's paragraphs, Reject all = the old one's (style, text)."""
    xml = document_xml(redline)
    assert lines(apply(xml, accept=True), skip_cover=True) == lines(
        apply(document_xml(new_docx), True)
    )
    assert lines(apply(xml, accept=False), skip_cover=True) == lines(
        apply(document_xml(old_docx), True)
    )


def without_clause(tmp_path: Path, defs: Path, clause: str) -> None:
    path = defs / "samverkansavtal.yaml"
    definition = yaml.safe_load(path.read_text(encoding="utf-8"))
    definition["sections"] = [s for s in definition["sections"] if s["clause"] != clause]
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")


def test_accept_all_gives_new_and_reject_all_gives_old(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    # Added, removed, moved and reworded clauses, a changed amount: numbers shift everywhere.
    old_path, new_path, clauses, defs = four_changes(tmp_path, write_params)
    without_clause(tmp_path, defs, "avtalssamverkan.skadestand")
    old = load_project(old_path).documents[0]
    new = load_project(new_path, [clauses], [defs]).documents[0]
    diff = compare(load_version(str(old_path)), load_version(str(new_path)))
    result = diff_documents(old, new)
    kinds = {c.kind for c in result.substantive}
    assert kinds == {"added", "removed", "moved", "reworded"}
    data = redline_docx(result, diff, "Granskare", dt.date(2026, 12, 1))
    assert_faithful(data, render_docx(old), render_docx(new))
    xml = document_xml(data).decode()
    # The moved clause is a move, its two halves linked by one name.
    assert "<w:moveFrom " in xml and "<w:moveTo " in xml
    assert xml.count("w:moveFromRangeStart") == 1 and xml.count("w:moveToRangeStart") == 1
    # Numbers of the added and removed clauses are tracked with their headings.
    accepted = [t for _, t in lines(apply(document_xml(data), True), skip_cover=True)]
    rejected = [t for _, t in lines(apply(document_xml(data), False), skip_cover=True)]
    added = next(s.heading for s in new.sections if s.clause_id == "egen.forsakring")
    removed = next(s.heading for s in old.sections if s.clause_id.endswith("skadestand"))
    assert added in accepted and added not in rejected
    assert removed in rejected and removed not in accepted
    assert "\u00a0" in "".join(accepted)  # no-break spaces kept as written


def test_added_and_removed_table_rows_and_signatures(
    write_params: Callable[..., Path],
) -> None:
    def more(data: dict[str, Any]) -> None:
        data["delegation"]["matters"].append(
            {
                "matter": "beslut om förlängning av ramavtal",
                "position": "upphandlare",
                "employer": "sormland",
            }
        )
        data["parties"][1]["signatory"]["name"] = "Ny Namnsson"
        data["document"]["version"] = "2.0"

    old_path, new_path = write_params(name="old.yaml"), write_params(more, name="new.yaml")
    old = load_project(old_path).documents[0]
    new = load_project(new_path).documents[0]
    for before, after, a, b in ((old, new, old_path, new_path), (new, old, new_path, old_path)):
        files = redlines(a, b)
        data = files["samverkansavtal-redline.docx"]
        assert_faithful(data, render_docx(before), render_docx(after))
        from lxml import etree

        root = etree.fromstring(document_xml(data))
        change = "ins" if after is new else "del"
        marked = [
            "".join(row.itertext())
            for row in root.iter(W + "tr")
            if row.find(f"{W}trPr/{W}{change}") is not None
        ]
        assert marked == [next(t for t in marked if "förlängning av ramavtal" in t)]
        # The signatory's new name is a tracked change in the signature table.
        assert "Ny Namnsson" in "".join(root.itertext())
