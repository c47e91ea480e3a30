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
from ooxml_changes import apply, assert_faithful, document_xml, lines, paragraph_text, part_xml
from test_diff import four_changes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def redlines(old: Path, new: Path, clause_dirs: tuple[Path, ...] = ()) -> dict[str, bytes]:
    diff = compare(load_version(str(old), clause_dirs), load_version(str(new), clause_dirs))
    return redline_files(diff, "Granskare")


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
    accepted = [t for _, t in lines(apply(document_xml(data), True))]
    rejected = [t for _, t in lines(apply(document_xml(data), False))]
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


def test_cover_names_both_versions_and_links_every_change(
    write_params: Callable[..., Path],
) -> None:
    """The cover line and the summary are comments: text of neither version."""
    from lxml import etree

    old_path = write_params(name="old.yaml")
    new_path = write_params(
        lambda d: (d["term"].update(notice_months=6), d["document"].update(version="2.0")),
        name="new.yaml",
    )
    old = load_project(old_path).documents[0]
    new = load_project(new_path).documents[0]
    diff = compare(load_version(str(old_path)), load_version(str(new_path)))
    data = redlines(old_path, new_path)["samverkansavtal-redline.docx"]
    root = etree.fromstring(document_xml(data))
    comments = etree.fromstring(part_xml(data, "word/comments.xml"))
    summary, *notes = comments.findall(W + "comment")
    texts = [paragraph_text(p) for p in summary.iter(W + "p")]
    assert texts[0] == "Ändringar"
    assert texts[1] == (
        f"Jämförelse av old.yaml, version {old.version}, fingeravtryck {old.short_fingerprint} "
        f"(före) med new.yaml, version 2.0, fingeravtryck {new.short_fingerprint} (efter)."
    )
    # The summary is anchored on the document's first paragraph, its title.
    first = next(root.iter(W + "p"))
    starts = [c.get(W + "id") for c in first.findall(W + "commentRangeStart")]
    assert summary.get(W + "id") in starts
    assert paragraph_text(first) == new.title
    # Every change is listed and linked to a bookmark at its place, and has a comment there.
    changes = diff.documents[0].substantive
    assert len(texts) == 2 + len(changes) == 2 + len(notes)
    links = [h.get(W + "anchor") for h in summary.iter(W + "hyperlink")]
    places = {b.get(W + "name"): b.getparent() for b in root.iter(W + "bookmarkStart")}
    assert len(links) == len(changes) and set(links) <= set(places)
    for link, note, line in zip(links, notes, texts[2:], strict=True):
        ident = note.get(W + "id")
        assert places[link].find(f"{W}commentRangeStart[@{W}id='{ident}']") is not None
        assert paragraph_text(note).endswith(line.removeprefix("– "))
    assert any(
        t.startswith("– ändrad (genom parametrarna) punkt") and "avtalssamverkan.avtalstid" in t
        for t in texts[2:]
    )
    # The document holds no text of the summary.
    assert "Ändringar" not in [t for _, t in lines(root)]


def test_redline_with_a_docx_side_is_dated_from_the_document(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    from avtal.build import render_documents
    from avtal.review.report import report_markdown, report_text

    params = write_params()
    project = load_project(params)
    edited = tmp_path / "edited.docx"
    data = render_documents(project.documents, ["docx"])["samverkansavtal.docx"]
    archive_xml = (
        document_xml(data)
        .decode()
        .replace("Svensk rätt ska tillämpas", "Svensk lag ska tillämpas", 1)
    )
    from test_docx_read import replace_xml

    edited.write_bytes(replace_xml(data, lambda _: archive_xml))
    diff = compare(load_version(str(params)), load_version(str(edited)))
    files = redline_files(diff)
    xml = document_xml(files["samverkansavtal-redline.docx"]).decode()
    date = project.documents[0].date.isoformat()
    assert f'w:date="{date}T00:00:00Z"' in xml and "1970" not in xml
    # A one-word edit is one change in the redline: references are no spurious changes.
    assert xml.count("<w:del ") == 1 and xml.count("<w:ins ") == 1
    # No internal token reaches any output.
    for text in (xml, report_text(diff), report_markdown(diff), files["diff.md"].decode()):
        assert "⟨" not in text and "\0" not in text and "title:" not in text
    from pypdf import PdfReader

    blackline = tmp_path / "b.pdf"
    blackline.write_bytes(files["samverkansavtal-blackline.pdf"])
    pdf_text = " ".join(p.extract_text() or "" for p in PdfReader(str(blackline)).pages)
    assert "⟨" not in pdf_text and "1970" not in pdf_text


def test_dates_and_amounts_are_one_token() -> None:
    from avtal.review.tokens import word_ops

    assert word_ops("från den 1 januari 2027 gäller", "från den 1 februari 2027 gäller") == (
        ("equal", "från den "),
        ("delete", "1 januari 2027"),
        ("insert", "1 februari 2027"),
        ("equal", " gäller"),
    )
    nbsp = "\u00a0"
    assert word_ops(f"20{nbsp}800{nbsp}000 kronor", f"22{nbsp}000{nbsp}000 kronor")[:2] == (
        ("delete", f"20{nbsp}800{nbsp}000"),
        ("insert", f"22{nbsp}000{nbsp}000"),
    )


def test_an_added_list_item_is_one_parameter_change(
    write_params: Callable[..., Path],
) -> None:
    def more(data: dict[str, Any]) -> None:
        data["delegation"]["matters"].append(
            {"matter": "beslut om förlängning", "position": "upphandlare", "employer": "sormland"}
        )

    diff = compare(
        load_version(str(write_params(name="a.yaml"))),
        load_version(str(write_params(more, name="b.yaml"))),
    )
    assert [(p.path, p.old) for p in diff.params] == [("delegation.matters[3]", None)]
    from avtal.review.report import report_text

    assert "delegation.matters[3]: (saknas) → {beslut om förlängning…}" in report_text(diff)


def test_diff_help_states_the_exit_codes() -> None:
    from click.testing import CliRunner

    from avtal.cli import main

    text = " ".join(CliRunner().invoke(main, ["diff", "--help"]).output.split())
    assert "Exits 0 when the versions are equal and 1 when they differ" in text


def test_a_new_date_or_version_is_a_change_of_the_title_block(
    write_params: Callable[..., Path],
) -> None:
    """The identification line is text of the document: its changes are listed too."""
    from avtal.review.report import report_text

    old_path = write_params(name="old.yaml")
    new_path = write_params(
        lambda d: d["document"].update(date="2026-12-01", version="2.0"), name="new.yaml"
    )
    diff = compare(load_version(str(old_path)), load_version(str(new_path)))
    changes = diff.documents[0].substantive
    assert [(c.kind, c.clause_id) for c in changes] == [("reworded", "(titel)")]
    words = [op for ops in changes[0].words for op in ops if op[0] != "equal"]
    assert ("delete", "27 november 2026") in words and ("insert", "1 december 2026") in words
    assert "ändrad" in report_text(diff) and "Version [-" in report_text(diff)
    old = load_project(old_path).documents[0]
    new = load_project(new_path).documents[0]
    data = redlines(old_path, new_path)["samverkansavtal-redline.docx"]
    assert_faithful(data, render_docx(old), render_docx(new))
    assert "– ändrad: Titel" in part_xml(data, "word/comments.xml").decode()
