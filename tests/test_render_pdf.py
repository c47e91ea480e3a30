"""The PDF's structure tree, walked with pikepdf and checked against the Document model."""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from avtal.document import Document, ListBlock, Paragraph, Section, Subheading, Table
from avtal.project import load_project
from avtal.render.pdf import render_pdf
from conftest import EXAMPLE, ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))


def _kids(node: Any) -> list[Any]:
    k = node.get("/K")
    if k is None:
        return []
    items = list(k) if isinstance(k, pikepdf.Array) else [k]
    return [x for x in items if isinstance(x, pikepdf.Dictionary) and "/S" in x]


def _role(node: Any) -> str:
    return str(node.S).lstrip("/")


def _shape(node: Any) -> Any:
    """A structure element as (role, children) for lists and tables, else its role."""
    role = _role(node)
    if role == "L":
        return ("L", [[_role(part) for part in _kids(li)] for li in _kids(node)])
    if role == "Table":
        rows = [[_role(cell) for cell in _kids(tr)] for group in _kids(node) for tr in _kids(group)]
        return ("Table", rows)
    return role


def _expected_blocks(section: Section, level: int) -> list[Any]:
    out: list[Any] = [f"H{level}"]
    for block in section.blocks:
        if isinstance(block, Paragraph) and block.number:
            if isinstance(out[-1], tuple) and out[-1][0] == "L" and out[-1][2]:
                out[-1][1].append(["Lbl", "LBody"])
            else:
                out.append(("L", [["Lbl", "LBody"]], True))
        elif isinstance(block, Paragraph):
            out.append("P")
        elif isinstance(block, Subheading):
            out.append(f"H{level + 1}")
        elif isinstance(block, ListBlock):
            out.append(("L", [["Lbl", "LBody"] for _ in block.items], False))
        elif isinstance(block, Table):
            rows = [["TH"] * len(block.header)] + [["TD"] * len(r) for r in block.rows]
            out.append(("Table", rows))
    return [(x[0], x[1]) if isinstance(x, tuple) and x[0] == "L" else x for x in out]


def expected_structure(doc: Document) -> list[Any]:
    """The roles the Document's parts must have, in reading order."""
    out: list[Any] = ["Title", *(["P"] if doc.subtitle else []), "P"]
    for section in doc.sections:
        out += _expected_blocks(section, 1)
    if doc.signatures:
        out.append("Div")
    for annex in doc.annexes:
        out.append("H1")
        for section in annex.sections:
            out += _expected_blocks(section, 2)
    return out


def _tree(data: bytes) -> tuple[pikepdf.Pdf, Any]:
    pdf = pikepdf.open(io.BytesIO(data))
    (document,) = _kids(pdf.Root.StructTreeRoot)
    assert _role(document) == "Document"
    return pdf, document


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_structure_tree_follows_the_document_model(example: Path) -> None:
    for doc in load_project(example).documents:
        _, document = _tree(render_pdf(doc))
        assert [_shape(k) for k in _kids(document)] == expected_structure(doc), doc.file


def test_paragraph_text_is_in_p_elements_not_spans() -> None:
    doc = load_project(EXAMPLE).documents[0]
    pdf, document = _tree(render_pdf(doc))
    roles: list[str] = []

    def walk(node: Any) -> None:
        roles.append(_role(node))
        for kid in _kids(node):
            walk(kid)

    walk(document)
    assert roles.count("P") > 100
    # Spans only as inline emphasis (role-mapped Strong/Em), never as block containers.
    assert "Span" not in roles
    assert roles.count("Div") <= 1 + 2 * len(doc.signatures)
    role_map = pdf.Root.StructTreeRoot.RoleMap
    assert str(role_map.Title) == "/P"  # PDF/UA-1 knows no Title: it is mapped to P


def test_headings_never_skip_a_level() -> None:
    for example in EXAMPLES:
        for doc in load_project(example).documents:
            _, document = _tree(render_pdf(doc))
            levels = [int(_role(k)[1]) for k in _kids(document) if _role(k) in {"H1", "H2", "H3"}]
            assert levels[0] == 1
            for before, after in itertools.pairwise(levels):
                assert after <= before + 1, doc.file


def test_table_header_cells_are_th_with_column_scope() -> None:
    doc = load_project(EXAMPLE).documents[0]
    _, document = _tree(render_pdf(doc))
    tables = [k for k in _kids(document) if _role(k) == "Table"]
    assert tables
    for table in tables:
        head, _body = _kids(table)
        assert _role(head) == "THead"
        for cell in _kids(_kids(head)[0]):
            assert _role(cell) == "TH"
            attributes = cell.A if isinstance(cell.A, pikepdf.Array) else [cell.A]
            assert any(a.get("/Scope") == "/Column" for a in attributes)


def test_page_header_and_footer_are_artifacts() -> None:
    doc = load_project(EXAMPLE).documents[0]
    pdf = pikepdf.open(io.BytesIO(render_pdf(doc)))
    for page in pdf.pages:
        marked: list[tuple[str, str]] = []
        kind = ""
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in {"BDC", "BMC"}:
                kind = str(operands[0])
            elif name == "EMC":
                kind = ""
            elif name == "Tj" or name == "TJ":
                marked.append((kind, name))
        # The first text on a page (the running header) and the last (the footer) are
        # artifacts, invisible to the structure tree.
        assert marked[0][0] == "/Artifact"
        assert marked[-1][0] == "/Artifact"
        assert any(k != "/Artifact" for k, _ in marked)
