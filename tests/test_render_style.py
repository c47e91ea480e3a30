"""One house style in DOCX and PDF: the same font family, black headings, the same pages."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from avtal.build import render_documents
from avtal.project import load_project
from conftest import EXAMPLE, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))
FONTS = ROOT / "templates" / "fonts"


def _styles(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))


def test_docx_uses_arial_everywhere_and_black_headings() -> None:
    files = render_documents(load_project(EXAMPLE).documents, ["docx"])
    styles = _styles(files["samverkansavtal.docx"])
    for fonts in styles.iter(f"{W}rFonts"):
        assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")]
        assert fonts.get(f"{W}ascii") == "Arial"
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    for style_id in ("Title", "Heading1", "Heading2", "Heading3"):
        rpr = by_id[style_id].find(f"{W}rPr")
        assert rpr.find(f"{W}color").get(f"{W}val") == "000000", style_id
        assert rpr.find(f"{W}b") is not None, style_id
    for color in styles.iter(f"{W}color"):
        assert color.get(f"{W}val") == "000000"


def test_pdf_embeds_only_liberation_sans_shipped_with_its_licence() -> None:
    assert (FONTS / "LICENSE").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1
    files = render_documents(load_project(EXAMPLE).documents, ["pdf"])
    names: set[str] = set()
    with pikepdf.open(io.BytesIO(files["samverkansavtal.pdf"])) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                names.add(str(font.BaseFont).split("+", 1)[-1])
    assert names == {"LiberationSans", "LiberationSans-Bold"}


def _pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as opened:
        return len(opened.pages)


def test_docx_laid_out_by_libreoffice_has_the_pdf_page_count_within_one(
    tmp_path: Path,
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it in CI")
    # LibreOffice lays out the DOCX's Arial with the metric-compatible Liberation Sans that
    # avtal ships: made visible to it through a fontconfig file of its own.
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONTS}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    typst_pages: dict[str, int] = {}
    docx_paths: list[str] = []
    for example in EXAMPLES:
        files = render_documents(load_project(example).documents, ["docx", "pdf"])
        for name, data in files.items():
            stem = f"{example.stem}-{name.rsplit('.', 1)[0]}"
            if name.endswith(".pdf"):
                typst_pages[stem] = _pages_of(data)
            else:
                path = tmp_path / f"{stem}.docx"
                path.write_bytes(data)
                docx_paths.append(str(path))
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path)}
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            *docx_paths,
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    counts = {stem: (_pages(tmp_path / "lo" / f"{stem}.pdf"), n) for stem, n in typst_pages.items()}
    assert len(counts) == 8
    assert all(abs(word - typst) <= 1 for word, typst in counts.values()), counts


def _pages_of(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as opened:
        return len(opened.pages)
