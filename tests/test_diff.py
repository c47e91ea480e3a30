"""Clause-by-clause diff, reports and redlines."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner

from avtal.cli import main
from avtal.project import load_project
from avtal.review.compare import compare, load_version
from avtal.review.diff import diff_documents
from avtal.review.redline_docx import redline_docx
from avtal.review.report import report_markdown, report_text
from conftest import EXAMPLE, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def four_changes(
    tmp_path: Path, write_params: Callable[..., Path]
) -> tuple[Path, Path, Path, Path]:
    """A new version with one changed cost share, one reworded, one added, one moved clause."""

    def fixed(d: dict[str, Any]) -> None:
        d["costs"].update(model="fixed", shares={"sormland": 52, "vastmanland": 48})

    old = write_params(fixed, name="old.yaml")

    def shares(d: dict[str, Any]) -> None:
        d["costs"].update(model="fixed", shares={"sormland": 55, "vastmanland": 45})

    new = write_params(shares, name="new.yaml")
    clauses = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses" / "tvister", clauses / "tvister")
    tvister = clauses / "tvister" / "avtalssamverkan.md"
    tvister.write_text(
        tvister.read_text(encoding="utf-8").replace(
            "Svensk rätt ska tillämpas", "Svensk lag gäller för"
        ),
        encoding="utf-8",
    )
    (clauses / "forsakring").mkdir()
    (clauses / "forsakring" / "egen.md").write_text(
        "---\nid: egen.forsakring\ntitle: Försäkring\nversion: 1.0.0\narea: forsakring\n"
        "forms: [avtalssamverkan]\n---\nVarje Part ska hålla de försäkringar som behövs.\n",
        encoding="utf-8",
    )
    defs = tmp_path / "defs"
    defs.mkdir()
    definition = yaml.safe_load(
        (ROOT / "templates" / "samverkansavtal.yaml").read_text(encoding="utf-8")
    )
    slots = definition["sections"]
    personal = next(s for s in slots if s["clause"] == "avtalssamverkan.personal")
    slots.remove(personal)
    at = next(i for i, s in enumerate(slots) if s["clause"] == "avtalssamverkan.avtalstid")
    slots.insert(at, personal)
    at = next(i for i, s in enumerate(slots) if s["clause"] == "avtalssamverkan.skadestand")
    slots.insert(at, {"clause": "egen.forsakring"})
    (defs / "samverkansavtal.yaml").write_text(
        yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8"
    )
    return old, new, clauses, defs


def test_diff_reports_exactly_the_four_changes(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    old_path, new_path, clauses, defs = four_changes(tmp_path, write_params)
    old = load_project(old_path).documents[0]
    new = load_project(new_path, [clauses], [defs]).documents[0]
    result = diff_documents(old, new)
    by_clause = {(c.kind, c.clause_id) for c in result.substantive if c.cause != "parameters"}
    assert by_clause == {
        ("reworded", "avtalssamverkan.tvister"),
        ("added", "egen.forsakring"),
        ("moved", "avtalssamverkan.personal"),
    }
    by_params = {(c.kind, c.clause_id) for c in result.substantive if c.cause == "parameters"}
    assert by_params == {
        ("reworded", "avtalssamverkan.kostnader.fast"),
        ("reworded", "avtalssamverkan.bilaga.kostnadsfordelning"),
    }
    # Clauses after the insertion are renumbered, not changed, though their references moved.
    assert ("renumbered", "avtalssamverkan.andringar") in {
        (c.kind, c.clause_id) for c in result.changes
    }
    reworded = next(c for c in result.changes if c.clause_id == "avtalssamverkan.tvister")
    assert tuple(op for op in reworded.words[0] if op[0] != "equal") == (
        ("delete", "rätt ska tillämpas"),
        ("insert", "lag gäller för"),
    )


def test_cli_report_lists_parameters_and_clauses(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    old_path, new_path, _, _ = four_changes(tmp_path, write_params)
    result = CliRunner().invoke(main, ["diff", "--no-color", str(old_path), str(new_path)])
    assert result.exit_code == 1, result.output  # the versions differ
    assert "costs.shares.sormland: 52 → 55" in result.output
    assert "ändrad (genom parametrarna) punkt 9" in result.output
    assert "Region Sörmland [-52,00-]{+55,00+} procent" in result.output
    # An amount is one token: the whole number changes, not digits inside it.
    assert "[-20\u00a0800\u00a0000-]{+22\u00a0000\u00a0000+} kronor" in result.output
    assert "\x1b[" not in result.output
    md = CliRunner().invoke(main, ["diff", "--format", "md", str(old_path), str(new_path)])
    assert "<del>52,00</del><ins>55,00</ins>" in md.output


def test_no_color_env(tmp_path: Path, write_params: Callable[..., Path]) -> None:
    old_path, new_path, _, _ = four_changes(tmp_path, write_params)
    diff = compare(load_version(str(old_path)), load_version(str(new_path)))
    assert "\x1b[" in report_text(diff, color=True)
    assert "\x1b[" not in report_text(diff, color=False)


def test_git_revision_side(tmp_path: Path, write_params: Callable[..., Path]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    params = repo / "p.yaml"
    shutil.copy(EXAMPLE, params)
    run = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    run("-c", "user.name=t", "-c", "user.email=t@e", "add", "p.yaml")
    run("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "v1")
    params.write_text(
        params.read_text(encoding="utf-8").replace("notice_months: 12", "notice_months: 6"),
        encoding="utf-8",
    )
    import os

    here = os.getcwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(main, ["diff", "--no-color", "HEAD:p.yaml", "p.yaml"])
    finally:
        os.chdir(here)
    assert result.exit_code == 1, result.output
    assert "term.notice_months: 12 → 6" in result.output
    assert "avtalssamverkan.avtalstid" in result.output


def test_redline_docx_has_tracked_changes(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    old_path, new_path, clauses, _ = four_changes(tmp_path, write_params)
    out = tmp_path / "diff"
    result = CliRunner().invoke(
        main,
        [
            "diff",
            str(old_path),
            str(new_path),
            "-o",
            str(out),
            "--clauses",
            str(clauses),
            "--author",
            "Granskare",
            "--date",
            "2026-12-01",
        ],
    )
    assert result.exit_code == 1, result.output
    redline = out / "samverkansavtal-redline.docx"
    document = docx.Document(str(redline))  # python-docx reads it
    assert document.paragraphs[0].text == "Samverkansavtal"  # no cover page in the text
    summary = next(iter(document.comments)).text  # the summary is a comment, on the title
    assert summary.startswith("Ändringar\nJämförelse av old.yaml") and "– ändrad" in summary
    xml = zipfile.ZipFile(redline).read("word/document.xml").decode()
    assert '<w:ins w:id="' in xml and '<w:del w:id="' in xml
    assert 'w:author="Granskare"' in xml and 'w:date="2026-12-01T00:00:00Z"' in xml
    assert '<w:delText xml:space="preserve">52,00</w:delText>' in xml
    assert "<w:delText>Part</w:delText>" not in xml
    assert (out / "samverkansavtal-blackline.pdf").read_bytes().startswith(b"%PDF")
    assert "<del>52,00</del>" in (out / "diff.md").read_text(encoding="utf-8")


_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" \
xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" library:link="false"/>
</library:libraries>
"""
_MODULES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" \
library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Module1"/>
</library:library>
"""
# Open a document, optionally run a command on it (Accept all, Reject all), save it as
# ``filter``. One step a process: LibreOffice 7.4 run headless aborts after Accept or Reject
# all on a document with comments, once the result is saved.
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" \
script:language="StarBasic">
Sub Run(source As String, target As String, command As String, filter As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
  If command &lt;&gt; &quot;&quot; Then
    helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
    helper.executeDispatch(doc.getCurrentController().getFrame(), command, &quot;&quot;, 0, Array())
  End If
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = filter
  doc.storeToURL(ConvertToURL(target), store())
  doc.close(True)
End Sub
</script:module>
"""


def _shown_text(root: Any) -> list[str]:
    """The non-empty paragraphs of a part as text, without the results of fields (page
    numbers), which a word processor computes when it saves."""
    out = []
    for p in root.iter(W + "p"):
        text, in_result = [], False
        for e in p.iter(W + "t", W + "tab", W + "fldChar", W + "fldSimple"):
            if e.tag == W + "fldChar":
                in_result = e.get(W + "fldCharType") == "separate"
            elif e.tag == W + "tab":
                text.append("\t")
            elif not in_result and e.getparent().getparent().tag != W + "fldSimple":
                text.append(e.text or "")
        if "".join(text).strip():
            out.append("".join(text))
    return out


def _parts_text(docx: bytes, kind: str) -> list[str]:
    """The text of the body, or of every header or footer part, after Accept all."""
    from ooxml_changes import apply

    archive = zipfile.ZipFile(io.BytesIO(docx))
    names = sorted(n for n in archive.namelist() if re.fullmatch(rf"word/{kind}\d*\.xml", n))
    return [t for n in names for t in _shown_text(apply(archive.read(n), True))]


def test_libreoffice_accept_all_and_reject_all(tmp_path: Path) -> None:
    """Accept all in LibreOffice gives the new document, Reject all the old one: the whole
    body, the header and the footer, with an added, a removed, a moved clause holding a
    table, a changed amount, date, title and fingerprint.

    And a generated DOCX saved through ODT in LibreOffice still compares as identical.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it in CI")
    from avtal.render.docx import render_docx
    from test_redline_roundtrip import versions

    example = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
    diff = versions(example, tmp_path / "versions")
    result = diff.documents[0]
    old, new = result.old, result.new
    redline = tmp_path / "r.docx"
    redline.write_bytes(redline_docx(result, diff, "Granskare", new.date))
    profile = [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo"]
    # A first start creates the profile; the macro then goes into its Standard library.
    subprocess.run([*profile, "--terminate_after_init"], capture_output=True, timeout=240)
    basic = tmp_path / "lo" / "user" / "basic"
    (basic / "Standard").mkdir(parents=True, exist_ok=True)
    (basic / "script.xlc").write_text(_LIBRARY, encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(_MODULES, encoding="utf-8")
    (basic / "Standard" / "Module1.xba").write_text(_MACRO, encoding="utf-8")
    accepted, rejected = tmp_path / "accepted.docx", tmp_path / "rejected.docx"
    plain, odt, back = tmp_path / "samverkansavtal.docx", tmp_path / "s.odt", tmp_path / "s.docx"
    plain.write_bytes(render_docx(load_project(EXAMPLE).documents[0]))
    word, writer = "MS Word 2007 XML", "writer8"
    for step in (
        (redline, accepted, ".uno:AcceptAllTrackedChanges", word),
        (redline, rejected, ".uno:RejectAllTrackedChanges", word),
        (plain, odt, "", writer),
        (odt, back, "", word),
    ):
        arguments = ",".join(f'"{a}"' for a in step)
        subprocess.run(
            [*profile, f"macro:///Standard.Module1.Run({arguments})"],
            capture_output=True,
            timeout=240,
        )
        assert step[1].is_file(), step
    changes = len(result.substantive)
    for got, doc in ((accepted, new), (rejected, old)):
        # The summary and the comment at each change stay, links and all.
        comments = zipfile.ZipFile(got).read("word/comments.xml").decode()
        assert comments.count("<w:comment ") == 1 + changes
        assert comments.count("<w:hyperlink ") == changes
        for kind in ("document", "header", "footer"):
            assert _parts_text(got.read_bytes(), kind) == _parts_text(render_docx(doc), kind), (
                got.name,
                kind,
            )
    through_odt = compare(load_version(str(EXAMPLE)), load_version(str(back)))
    assert not through_odt.differs, report_text(through_odt)


def _edit_with_tracked_change(source: bytes, old: str, new: str) -> bytes:
    """Do what Word does with track changes on: wrap the old words in w:del, add w:ins."""
    archive = zipfile.ZipFile(io.BytesIO(source))
    xml = archive.read("word/document.xml").decode()
    start = xml.index(f">{old}")
    run_start = (
        xml.rindex("<w:r>", 0, start) if "<w:r>" in xml[:start] else xml.rindex("<w:r ", 0, start)
    )
    run_end = xml.index("</w:r>", start) + len("</w:r>")
    run = xml[run_start:run_end]
    full = run[run.index("<w:t") :]
    text = full[full.index(">") + 1 : full.index("</w:t>")]
    before, after = text.split(old, 1)

    def r(t: str) -> str:
        return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'

    who = 'w:author="Jurist" w:date="2026-12-02T10:00:00Z"'
    replacement = (
        r(before)
        + f'<w:del w:id="9001" {who}><w:r><w:delText>{old}</w:delText></w:r></w:del>'
        + f'<w:ins w:id="9002" {who}>{r(new)}</w:ins>'
        + r(after)
    )
    return _with_document_xml(archive, xml[:run_start] + replacement + xml[run_end:])


def _with_document_xml(archive: zipfile.ZipFile, xml: str) -> bytes:
    """The DOCX in ``archive`` with its word/document.xml replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in archive.infolist():
            data = (
                xml.encode()
                if item.filename == "word/document.xml"
                else archive.read(item.filename)
            )
            target.writestr(item, data)
    return out.getvalue()


def test_lawyer_edited_docx_reports_the_sentence_in_the_right_clause(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    params = write_params()
    out = tmp_path / "out"
    assert (
        CliRunner()
        .invoke(main, ["build", str(params), "-o", str(out), "--format", "docx"])
        .exit_code
        == 0
    )
    edited = tmp_path / "edited.docx"
    edited.write_bytes(
        _edit_with_tracked_change(
            (out / "samverkansavtal.docx").read_bytes(),
            "Svensk rätt ska tillämpas på Avtalet.",
            "Svensk rätt ska tillämpas på Avtalet och på tvister om det.",
        )
    )
    result = CliRunner().invoke(main, ["diff", "--no-color", str(params), str(edited)])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  ändrad")]
    assert len(lines) == 1, result.output
    assert "punkt 17" in lines[0] and "[avtalssamverkan.tvister]" in lines[0]
    assert "[-Avtalet.-]{+Avtalet och på tvister om det.+}" in result.output
    assert "edited after it was generated" in result.output
    # The unedited generated DOCX diffs clean against its parameters.
    clean = CliRunner().invoke(
        main, ["diff", "--no-color", str(params), str(out / "samverkansavtal.docx")]
    )
    assert "samverkansavtal: 0 ändringar" in clean.output, clean.output
    assert clean.exit_code == 0


def test_markdown_report_of_examples_side_by_side() -> None:
    diff = compare(load_version(str(EXAMPLE)), load_version(str(EXAMPLE)))
    assert "Inga ändringar." in report_markdown(diff)
    assert not diff.differs


def test_docx_reader_reads_tracked_moves_as_accepted(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    from avtal.build import render_documents
    from avtal.review.docx_read import read_docx

    data = render_documents(load_project(write_params()).documents, ["docx"])[
        "samverkansavtal.docx"
    ]
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = archive.read("word/document.xml").decode()
    old = "Svensk rätt ska tillämpas på Avtalet."
    start = xml.index(f">{old}<")
    run_start = xml.rindex("<w:r>", 0, start)
    run_end = xml.index("</w:r>", start) + len("</w:r>")
    who = 'w:author="Jurist" w:date="2026-12-02T10:00:00Z"'
    xml = (
        xml[:run_start]
        + f'<w:moveFrom w:id="9101" {who}>{xml[run_start:run_end]}</w:moveFrom>'
        + f'<w:moveTo w:id="9102" {who}><w:r><w:t>Svensk lag gäller.</w:t></w:r></w:moveTo>'
        + xml[run_end:]
    )
    edited = tmp_path / "flytt.docx"
    edited.write_bytes(_with_document_xml(archive, xml))
    doc = read_docx(edited)
    tvister = next(s for s in doc.sections if s.title == "Tvister")
    last = tvister.blocks[-1]
    assert last.number == "17.5"
    assert "".join(r.text for r in last.runs) == "Svensk lag gäller."
    assert doc.title == "Samverkansavtal"
    assert [a.label for a in doc.annexes] == ["Bilaga 1", "Bilaga 2", "Bilaga 3"]


def test_reading_a_broken_docx_is_a_clear_error(tmp_path: Path) -> None:
    from avtal.errors import InputError
    from avtal.review.docx_read import read_docx

    broken = tmp_path / "trasig.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as info:
        read_docx(broken)
    assert str(info.value).startswith(f"{broken}: pandoc cannot read it as DOCX")


def test_rev_path_reads_the_clause_library_at_that_revision(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    own = repo / "egna" / "tvister"
    own.mkdir(parents=True)
    shutil.copy(EXAMPLE, repo / "p.yaml")
    clause = own / "avtalssamverkan.md"
    # The copy starts at version 1.0.0, whatever the library's version is now.
    clause.write_text(
        re.sub(
            r"^version: .*$",
            "version: 1.0.0",
            (ROOT / "clauses" / "tvister" / "avtalssamverkan.md").read_text(encoding="utf-8"),
            count=1,
            flags=re.M,
        ),
        encoding="utf-8",
    )

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@e", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "v1")
    kept = tmp_path / "v1-egna"
    shutil.copytree(repo / "egna", kept)
    clause.write_text(
        clause.read_text(encoding="utf-8")
        .replace("version: 1.0.0", "version: 1.1.0")
        .replace("Svensk rätt ska tillämpas", "Svensk lag gäller"),
        encoding="utf-8",
    )
    import os

    here, old = os.getcwd(), str(kept)
    os.chdir(repo)
    try:
        result = CliRunner().invoke(
            main, ["diff", "--no-color", "HEAD:p.yaml", "p.yaml", "--clauses", "egna"]
        )
        same = CliRunner().invoke(
            main, ["diff", "--no-color", "p.yaml", "p.yaml", "--clauses", "egna"]
        )
        given = CliRunner().invoke(
            main,
            ["diff", "--no-color", "p.yaml", "p.yaml", "--clauses", "egna", "--old-clauses", old],
        )
    finally:
        os.chdir(here)
    assert result.exit_code == 1, result.output
    assert "avtalssamverkan.tvister: version 1.0.0 → 1.1.0, ny text" in result.output
    assert "ändrad     punkt 17" in result.output
    assert "[-rätt ska tillämpas-]{+lag gäller+}" in result.output
    assert same.exit_code == 0 and "Versionerna är lika." in same.output
    assert given.exit_code == 1 and "version 1.0.0 → 1.1.0" in given.output
