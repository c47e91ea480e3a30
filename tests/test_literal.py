"""Parameter values are data: markup, template syntax and XML specials print literally."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from avtal.build import render_documents
from avtal.project import load_project
from avtal.render.markdown import unescape
from textutil import docx_paragraphs, pdf_pages

NASTY = "Kommun & <Söder> \"Åä\" 'ö' {{ 7*7 }} **fet** | - {% if %} {#x}"


def test_special_characters_and_template_syntax_print_literally(
    write_params: Callable[..., Path],
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["parties"][1]["name"] = NASTY
        d["activity"]["scope"][0] = "- " + NASTY

    project = load_project(write_params(change))
    files = render_documents(project.documents)
    md = unescape(files["samverkansavtal.md"].decode("utf-8"))
    assert f"{NASTY}, organisationsnummer 232100-0172" in md
    assert "49" not in md.split()
    docx_text = "\n".join(docx_paragraphs(files["samverkansavtal.docx"]))
    assert f"{NASTY}, organisationsnummer 232100-0172" in docx_text
    assert "- " + NASTY in docx_text
    pdf_text = " ".join(" ".join(p.split()) for p in pdf_pages(files["samverkansavtal.pdf"]))
    assert " ".join(NASTY.split()) in pdf_text
