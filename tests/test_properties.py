"""Property-based tests: any printable text survives every format literally."""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from avtal.build import render_documents
from avtal.clauselib.context import build_context
from avtal.cli import main  # noqa: F401  (import check: the CLI module loads)
from avtal.load.params import validate
from conftest import EXAMPLE
from textutil import docx_paragraphs, pdf_pages

BASE: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))

# Printable text the bundled fonts cover: Latin-1 letters, digits, punctuation, symbols
# and spaces (control characters are refused by the model; see test_hostile).
printable = (
    st.text(
        alphabet=st.characters(codec="latin-1", categories=("L", "N", "P", "S", "Zs")),
        min_size=1,
        max_size=60,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


def _project(description: str, scope_item: str) -> Any:
    from avtal.assemble import assemble
    from avtal.clauselib.clauses import Library
    from avtal.clauselib.definitions import definitions_for
    from avtal.clauselib.jinja_env import make_environment
    from avtal.paths import clauses_dir, templates_dir
    from avtal.project import Project

    data = copy.deepcopy(BASE)
    data["activity"]["description"] = description
    data["activity"]["scope"][0] = scope_item
    params = validate(data, "p.yaml", {})
    library = Library([clauses_dir()])
    env = make_environment([clauses_dir()])
    context = build_context(params)
    path, definition, lines = definitions_for(params.form, [templates_dir()])[0]
    doc = assemble(params, context, library, env, definition, path, lines)
    return Project(EXAMPLE, params, lines, library, [doc])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(description=printable, scope_item=printable)
def test_any_printable_text_appears_literally(description: str, scope_item: str) -> None:
    from avtal.render.markdown import unescape

    project = _project(description, scope_item)
    files = render_documents(project.documents)
    md = unescape(files["samverkansavtal.md"].decode("utf-8"))
    assert description in md and scope_item in md
    xml = zipfile.ZipFile(io.BytesIO(files["samverkansavtal.docx"])).read("word/document.xml")
    etree.fromstring(xml)  # well-formed XML, whatever the text held
    docx_text = "\n".join(docx_paragraphs(files["samverkansavtal.docx"]))
    assert description in docx_text and scope_item in docx_text
    squeeze = lambda text: "".join(text.split())  # noqa: E731  (PDF text wraps lines)
    pdf_text = squeeze(" ".join(pdf_pages(files["samverkansavtal.pdf"])))
    assert squeeze(description) in pdf_text and squeeze(scope_item) in pdf_text
