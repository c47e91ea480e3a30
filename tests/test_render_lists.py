"""Lists and tables in every format: a lettered list is a lettered list in Markdown and in the
PDF's structure tree, a dash list is not numbered, and a long table repeats its header row."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pypandoc
import pytest

from avtal.document import Document, ListBlock, Paragraph, Run, Section, Table
from avtal.paths import templates_dir
from avtal.project import load_project
from avtal.render.docx import render_docx
from avtal.render.markdown import render_markdown
from avtal.render.pdf import compile_pdf, document_data, render_pdf
from avtal.render.pdf_tags import list_kinds, rewrite_list_kinds, set_list_kinds
from conftest import ROOT
from textutil import docx_paragraphs, md_words, pdf_body_words, pdf_pages, rejoin, words

EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))
PARTIES = [f"Region {name}" for name in ("Alfa", "Beta", "Gamma", "Delta", "Epsilon")] * 5


def _runs(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def _document() -> Document:
    """Points, a dash list, a lettered list and a table of 25 parties' shares."""
    points = (
        Paragraph(_runs("Parterna samverkar enligt följande."), number="1.1"),
        Paragraph(_runs("Varje Part bidrar till samarbetet."), number="1.2"),
    )
    dashes = ListBlock((("–", _runs("planering")), ("–", _runs("uppföljning"))))
    letters = ListBlock(
        (
            ("a)", _runs("val av ordförande,")),
            ("b)", _runs("val av justerare,")),
            ("c)", _runs("beslut om ansvarsfrihet.")),
        ),
        ordered=True,
    )
    rows = tuple(
        (_runs(f"{name} {n + 1}"), _runs("4,00 procent"), _runs("1 600 000 kronor"))
        for n, name in enumerate(PARTIES)
    )
    table = Table((_runs("Part"), _runs("Andel"), _runs("Belopp")), rows)
    long = tuple(Paragraph(_runs("Text som fyller sidan. " * 30)) for _ in range(8))
    return Document(
        kind="samverkansavtal",
        file="prov",
        title="Provavtal",
        subtitle="",
        doc_id="PROV-1",
        version="1.0",
        date=dt.date(2027, 1, 1),
        status="utkast",
        sections=(
            Section("Samverkan", "prov.samverkan", "1", (*points, dashes, letters)),
            Section("Andelar", "prov.andelar", "2", (*long, table)),
        ),
    )


def _lists(pdf: bytes) -> list[tuple[str, int]]:
    """Each L of the structure tree: its /ListNumbering and its number of LI with Lbl+LBody."""
    opened = pikepdf.open(io.BytesIO(pdf))
    out = []

    def walk(node: Any) -> None:
        kids = node.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in items:
            if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue
            if kid.S == "/L":
                attributes = kid.A if isinstance(kid.A, pikepdf.Array) else [kid.A]
                (numbering,) = [str(a.ListNumbering) for a in attributes if a.get("/O") == "/List"]
                parts = [[str(p.S) for p in li.K] for li in kid.K]
                assert all(p == ["/Lbl", "/LBody"] for p in parts)
                out.append((numbering, len(parts)))
            else:
                walk(kid)

    walk(opened.Root.StructTreeRoot)
    return out


def test_markdown_letters_a_list_without_a_bullet() -> None:
    text = render_markdown(_document()).decode("utf-8")
    assert "- a)" not in text and "- –" not in text
    assert "a) val av ordförande,\n\nb) val av justerare,\n\nc) beslut om ansvarsfrihet.\n" in text
    assert "- planering\n- uppföljning\n" in text
    blocks = json.loads(pypandoc.convert_text(text, "json", format="markdown"))["blocks"]
    ordered = [b["c"] for b in blocks if b["t"] == "OrderedList"]
    assert [(o[0][1]["t"], o[0][2]["t"], len(o[1])) for o in ordered] == [
        ("LowerAlpha", "OneParen", 3)
    ]
    assert [len(b["c"]) for b in blocks if b["t"] == "BulletList"] == [2]


def test_pdf_tags_dashes_as_unnumbered_and_letters_as_lower_alpha() -> None:
    assert _lists(render_pdf(_document())) == [("/Decimal", 2), ("/None", 2), ("/LowerAlpha", 3)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_list_of_the_examples_is_tagged_as_what_it_is(example: Path) -> None:
    for doc in load_project(example).documents:
        found = _lists(render_pdf(doc))
        assert [kind for kind, _ in found] == list_kinds(document_data(doc)), doc.file
        assert "/Circle" not in {kind for kind, _ in found}
    if example.stem == "bolag":
        assert ("/LowerAlpha", 13) in _lists(render_pdf(load_project(example).documents[0]))


def test_the_in_place_patch_keeps_the_file_sound_and_agrees_with_a_rewrite() -> None:
    doc = load_project(EXAMPLES[0]).documents[0]
    data = document_data(doc)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    raw = compile_pdf(templates_dir() / "avtal.typ", {"doc": payload}, doc.date)
    kinds = list_kinds(data)
    patched = set_list_kinds(raw, kinds)
    assert len(patched) != len(raw) or patched != raw
    # Every object the cross-reference table names starts where the table says.
    table = patched[patched.rindex(b"\nxref\n") :]
    count = int(re.match(rb"\nxref\n0 (\d+)\n", table).group(1))  # type: ignore[union-attr]
    rows = table.split(b"\n", 3)[3]
    for number in range(1, count):
        row = rows[20 * number : 20 * number + 20]
        if row[17:18] == b"n":
            offset = int(row[:10])
            assert patched[offset:].startswith(b"%d 0 obj" % number), number
    start = int(patched.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert patched[start:].startswith(b"xref\n")
    assert not pikepdf.open(io.BytesIO(patched)).check_pdf_syntax()
    assert _lists(patched) == _lists(rewrite_list_kinds(raw, kinds))
    assert render_pdf(doc) == patched  # the same bytes every time


def test_a_long_table_repeats_its_header_row_on_each_page() -> None:
    doc = _document()
    pdf = render_pdf(doc)
    pages = pdf_pages(pdf)
    spanned = [n for n, page in enumerate(pages) if "Region Alfa" in page]
    assert len(spanned) >= 2
    for n in spanned:
        assert re.search(r"Part\s+Andel\s+Belopp", pages[n]), n
    # The structure tree holds the header row once, as TH cells; the repeats are artifacts.
    opened = pikepdf.open(io.BytesIO(pdf))
    (document,) = opened.Root.StructTreeRoot.K
    (table,) = [k for k in document.K if isinstance(k, pikepdf.Dictionary) and k.S == "/Table"]
    head, body = list(table.K)
    assert str(head.S) == "/THead" and len(list(head.K)) == 1
    assert [str(c.S) for c in head.K[0].K] == ["/TH"] * 3
    assert len(list(body.K)) == len(PARTIES)


def test_all_formats_carry_the_same_words_with_lists_and_a_long_table() -> None:
    doc = _document()
    md = md_words(render_markdown(doc))
    assert words("\n".join(docx_paragraphs(render_docx(doc)))) == md
    pdf = pdf_body_words(render_pdf(doc), doc.title, doc.doc_id, doc.status_label)
    assert Counter(rejoin(pdf, md)) == Counter(md)


@pytest.mark.parametrize("name", ["avtalssamverkan", "bolag"])
def test_the_merged_council_pdf_tags_each_list_as_its_own_document_does(name: str) -> None:
    from avtal.bundle.pack import make_bundle

    [example] = [p for p in EXAMPLES if p.stem == name]
    files, parties = make_bundle(example)
    party = parties[0]
    # The memo comes first in the merged PDF, then the attached documents in their order.
    parts = [f"{party.folder}/tjansteskrivelse.pdf"] + [
        n
        for n in files
        if n.startswith(f"{party.folder}/bilaga-") or n == f"{party.folder}/samverkansavtal.pdf"
        if n.endswith(".pdf")
    ]
    expected = [kind for part in parts for kind, _ in _lists(files[part])]
    merged = [kind for kind, _ in _lists(files[f"{party.folder}/{party.merged}"])]
    assert merged == expected
    assert "/None" in merged or "/LowerAlpha" in merged
