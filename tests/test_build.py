from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from avtal.build import build, render_documents
from avtal.project import load_project
from conftest import EXAMPLE
from textutil import docx_paragraphs, md_words, pdf_body_words, pdf_pages, rejoin, words

EXPECTED = {
    f"{d}.{e}" for d in ("samverkansavtal", "arbetsordning") for e in ("docx", "pdf", "md")
} | {"manifest.json"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build(EXAMPLE, out)
    return out


def test_writes_agreement_and_bylaws_in_all_formats(built: Path) -> None:
    assert {p.name for p in built.iterdir()} == EXPECTED


def test_docx_opens_in_python_docx_with_swedish_language(built: Path) -> None:
    document = docx.Document(str(built / "samverkansavtal.docx"))
    assert document.paragraphs[0].text == "Samverkansavtal"
    styles = zipfile.ZipFile(built / "samverkansavtal.docx").read("word/styles.xml").decode()
    assert 'w:lang w:val="sv-SE"' in styles
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Samverkansavtal\tRS-RV-INK-2027 · Utkast"
    footer = zipfile.ZipFile(built / "samverkansavtal.docx").read("word/footer1.xml").decode()
    assert "NUMPAGES" in footer and "Sida " in footer


def test_pdf_declares_pdfa2b_and_pdfua1_and_has_structure_tree(built: Path) -> None:
    for name in ("samverkansavtal.pdf", "arbetsordning.pdf"):
        reader = PdfReader(str(built / name))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        assert re.search(r"pdfaid:part[=>\"]+2", xmp), xmp[:500]
        assert re.search(r"pdfaid:conformance[=>\"]+B", xmp)
        assert "pdfuaid:part>1<" in xmp
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root
        assert bool(root["/MarkInfo"]["/Marked"])
        assert root["/Lang"] == "sv-SE"


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    build(EXAMPLE, tmp_path)
    for name in EXPECTED:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_agreement_content(built: Path) -> None:
    text = " ".join(words((built / "samverkansavtal.md").read_text(encoding="utf-8")))
    for needle in (
        "Region Sörmland, organisationsnummer 232100-0032",
        "Region Västmanland, organisationsnummer 232100-0172",
        "9 kap. 37 § kommunallagen (2017:725)",
        "9 kap. 38 § kommunallagen",
        "Region Sörmland 50,00 procent",
        "Region Västmanland 50,00 procent",
        "1 januari 2027",
        "31 december 2030",
    ):
        assert needle in text.replace("\u00a0", " "), needle


def test_agreement_has_clauses_of_all_six_areas() -> None:
    project = load_project(EXAMPLE)
    agreement = project.documents[0]
    areas = {project.clause_library.clauses[c.id].meta.area for c in agreement.clauses}
    assert {
        "styrning",
        "kostnader",
        "insyn",
        "kvartalsrapporter",
        "delegation",
        "revision",
    } <= areas
    titles = [s.title for s in agreement.sections]
    assert titles[0] == "Parter" and titles[-1] == "Underskrifter"
    assert [a.label for a in agreement.annexes] == ["Bilaga 1", "Bilaga 2", "Bilaga 3"]


def test_bylaws_number_paragraphs_consecutively() -> None:
    bylaws = load_project(EXAMPLE).documents[1]
    numbers = [b.number for s in bylaws.sections for b in s.blocks if getattr(b, "number", None)]
    assert numbers == [f"{n} §" for n in range(1, len(numbers) + 1)]
    assert bylaws.title == "Arbetsordning för Inköpsrådet"


GN_EXAMPLE = EXAMPLE.with_name("gemensam-namnd.yaml")


@pytest.mark.parametrize(
    "example", [EXAMPLE, GN_EXAMPLE], ids=["avtalssamverkan", "gemensam_namnd"]
)
def test_all_formats_carry_the_same_words(example: Path) -> None:
    project = load_project(example)
    files = render_documents(project.documents)
    for doc in project.documents:
        md = md_words(files[f"{doc.file}.md"])
        docx_words = words("\n".join(docx_paragraphs(files[f"{doc.file}.docx"])))
        pdf = pdf_body_words(files[f"{doc.file}.pdf"], doc.title, doc.doc_id, doc.status_label)
        # DOCX and Markdown are both linear: the same words in the same order.
        assert docx_words == md
        # PDF text extraction may read the signature grid row by row: same words.
        assert Counter(rejoin(pdf, md)) == Counter(md)


def test_pdf_footer_pages(built: Path) -> None:
    pages = pdf_pages((built / "samverkansavtal.pdf").read_bytes())
    assert len(pages) > 3
    assert f"Sida 1 av {len(pages)}" in pages[0]
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]


def test_docx_is_valid_zip_with_fixed_dates(built: Path) -> None:
    archive = zipfile.ZipFile(io.BytesIO((built / "samverkansavtal.docx").read_bytes()))
    assert archive.namelist()[0] == "[Content_Types].xml"
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "2026-11-27T00:00:00Z" in core


def test_gemensam_namnd_alternative(tmp_path: Path) -> None:
    build(GN_EXAMPLE, tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"samverkansavtal.pdf", "reglemente.docx", "reglemente.pdf", "reglemente.md"} <= names
    agreement = " ".join(words((tmp_path / "samverkansavtal.md").read_text(encoding="utf-8")))
    reglemente = " ".join(words((tmp_path / "reglemente.md").read_text(encoding="utf-8")))
    # The seed's economics: 20 tkr x 6 meetings = 120 tkr a year, 480 tkr per term of office.
    assert (
        "20 000 kronor per sammanträde, vid sex sammanträden om året sammanlagt 120 000 kronor "
        "per år" in agreement
    )
    assert "480 000 kronor per mandatperiod" in agreement
    for text in (agreement, reglemente):
        assert "9 kap. 34 § kommunallagen" in text
    assert "9 kap. 32 § kommunallagen" in reglemente
    # Same parties and facts as the avtalssamverkan alternative.
    assert "Region Sörmland, organisationsnummer 232100-0032" in agreement
    assert "Region Västmanland, organisationsnummer 232100-0172" in agreement


def test_user_word_template_replaces_the_built_in(tmp_path: Path) -> None:
    import docx as python_docx

    from avtal.paths import templates_dir

    template = python_docx.Document(str(templates_dir() / "avtal.docx"))
    template.styles["Normal"].font.name = "Garamond"
    custom = tmp_path / "hus.docx"
    template.save(str(custom))
    out = tmp_path / "out"
    from click.testing import CliRunner

    from avtal.cli import main

    result = CliRunner().invoke(
        main,
        ["build", str(EXAMPLE), "-o", str(out), "--format", "docx", "--docx-template", str(custom)],
    )
    assert result.exit_code == 0, result.output
    styles = zipfile.ZipFile(out / "samverkansavtal.docx").read("word/styles.xml").decode()
    assert "Garamond" in styles


def test_broken_word_template_is_a_clear_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from avtal.cli import main

    broken = tmp_path / "trasig.docx"
    broken.write_bytes(b"not a zip")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE), "-o", str(out), "--docx-template", str(broken)]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {broken}: cannot open Word template")
    assert not out.exists()


def test_several_parameter_files_build_in_parallel(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from avtal.cli import main

    broken = tmp_path / "trasig.yaml"
    broken.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "  model: equal\n", "  model: fixed\n  shares: {sormland: 1, vastmanland: 48}\n"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(EXAMPLE), str(GN_EXAMPLE), str(broken), "-o", str(out), "--format", "md"],
    )
    assert result.exit_code == 1
    assert "1 of 3 builds failed" in result.output
    assert "must sum to 100" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["avtalssamverkan", "gemensam-namnd"]
    assert (out / "avtalssamverkan" / "samverkansavtal.md").read_bytes() == render_documents(
        load_project(EXAMPLE).documents, ["md"]
    )["samverkansavtal.md"]
    assert (out / "gemensam-namnd" / "reglemente.md").is_file()
