"""Load two versions (parameter file, ``REV:path`` or DOCX) and compare them."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from avtal.document import Document
from avtal.errors import InputError
from avtal.review.diff import (
    Diff,
    diff_documents,
    diff_params,
    reference_labels,
)


@dataclass
class Version:
    """One side of a comparison."""

    label: str
    documents: list[Document]
    params: dict[str, Any] | None
    from_docx: bool = False


def _git_show(spec: str) -> tuple[str, str]:
    rev, _, path = spec.partition(":")
    target = path if path.startswith("/") else f"./{path}"
    try:
        result = subprocess.run(
            ["git", "show", f"{rev}:{target}"], capture_output=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"{spec}: cannot run git: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"{spec}: git cannot show it: {message[-1] if message else 'failed'}")
    try:
        return path, result.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{spec}: is not UTF-8 text") from None


def load_version(spec: str, clause_dirs: Sequence[Path] = ()) -> Version:
    """Load one side of a comparison from its command-line spelling."""
    from avtal.project import load_project

    path = Path(spec)
    if path.suffix.lower() == ".docx" and path.is_file():
        from avtal.review.docx_read import read_docx

        return Version(spec, [read_docx(path)], None, from_docx=True)
    if path.is_file():
        project = load_project(path, clause_dirs)
    elif ":" in spec and not spec.startswith(("/", ".")):
        name, text = _git_show(spec)
        project = load_project(Path(name), clause_dirs, text=text, label=spec)
    else:
        raise InputError(f"{spec}: no such parameter file, DOCX or REV:path")
    return Version(spec, project.documents, project.params.model_dump(mode="json"))


def _pair(old: Version, new: Version) -> list[tuple[Document, Document]]:
    """Pair documents by file name; a DOCX pairs with the document it was made from."""
    pairs = []
    if old.from_docx or new.from_docx:
        docx_side, other = (old, new) if old.from_docx else (new, old)
        edited = docx_side.documents[0]
        match = next((d for d in other.documents if d.title == edited.title), other.documents[0])
        from avtal.review.docx_read import align_ids

        aligned = align_ids(edited, match)
        return [(aligned, match)] if old.from_docx else [(match, aligned)]
    new_by_file = {d.file: d for d in new.documents}
    for doc in old.documents:
        if doc.file in new_by_file:
            pairs.append((doc, new_by_file[doc.file]))
    return pairs


def compare(old: Version, new: Version) -> Diff:
    """Diff two versions: parameters and every document they share."""
    results = []
    for before, after in _pair(old, new):
        old_labels = reference_labels(after) if old.from_docx else None
        new_labels = reference_labels(before) if new.from_docx else None
        results.append(diff_documents(before, after, old_labels, new_labels))
    notes = []
    old_files = {d.file for d in old.documents}
    new_files = {d.file for d in new.documents}
    if not (old.from_docx or new.from_docx):
        notes += [f"document only in the old version: {f}" for f in sorted(old_files - new_files)]
        notes += [f"document only in the new version: {f}" for f in sorted(new_files - old_files)]
    return Diff(
        old.label, new.label, diff_params(old.params, new.params), tuple(results), tuple(notes)
    )
