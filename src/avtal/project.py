"""A loaded cooperation: parameters, clause library and assembled documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from avtal.assemble import assemble, document_labels
from avtal.clauselib.clauses import Library
from avtal.clauselib.context import build_context
from avtal.clauselib.definitions import definitions_for
from avtal.clauselib.jinja_env import make_environment
from avtal.document import Document
from avtal.errors import InputError
from avtal.load.model import Params
from avtal.load.params import load_params
from avtal.load.yamlio import LineMap
from avtal.paths import clauses_dir, templates_dir
from avtal.review.provenance import (
    fingerprint,
)


@dataclass
class Project:
    """A loaded parameter file with everything needed to assemble its documents."""

    params_path: Path
    params: Params
    lines: LineMap
    clause_library: Library
    documents: list[Document] = field(default_factory=list)


def load_project(
    params_path: Path,
    clause_dirs: Sequence[Path] = (),
    definition_dirs: Sequence[Path] = (),
    text: str | None = None,
    label: str | None = None,
) -> Project:
    """Load and validate parameters and clauses, then assemble every document.

    A user's clause folder may also hold document definitions (``*.yaml`` at its top
    level); like its clauses, they extend or replace the built-in ones by id.
    ``text`` and ``label`` load parameters that are not a file of their own (a git
    revision); see :func:`avtal.load.params.load_params`.
    """
    params, lines = load_params(params_path, text, label)
    library = Library([clauses_dir(), *clause_dirs])
    env = make_environment([clauses_dir(), *clause_dirs])
    context = build_context(params)
    project = Project(params_path, params, lines, library)
    # A document may cite the points of the documents assembled before it (by order).
    external: dict[str, str] = {}
    for def_path, definition, def_lines in definitions_for(
        params.form, [templates_dir(), *clause_dirs, *definition_dirs]
    ):
        doc = assemble(params, context, library, env, definition, def_path, def_lines, external)
        project.documents.append(replace(doc, fingerprint=fingerprint(params, doc)))
        external = {**external, **document_labels(doc)}
    if not project.documents:
        raise InputError(f"{params_path}: no document definition for form {params.form!r}")
    return project
