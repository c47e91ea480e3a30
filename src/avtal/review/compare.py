"""Load two versions (parameter file, ``REV:path`` or DOCX) and compare them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from avtal.document import Document, Paragraph
from avtal.errors import InputError
from avtal.review.diff import (
    Diff,
    DocumentDiff,
    clause_versions,
    diff_documents,
    diff_params,
)


@dataclass
class Version:
    """One side of a comparison."""

    label: str
    documents: list[Document]
    params: dict[str, Any] | None
    from_docx: bool = False
    #: The fingerprint a DOCX carries (its custom property), "" when none.
    docx_fingerprint: str = ""


def display_name(spec: str) -> str:
    """How a version is named in reports and redlines: a file's name, never its folder."""
    if ":" in spec and not Path(spec).exists():
        rev, _, path = spec.partition(":")
        return f"{rev}:{Path(path).name}"
    return Path(spec).name


def load_version(
    spec: str, clause_dirs: Sequence[Path] = (), old_clauses: Path | None = None
) -> Version:
    """Load one side of a comparison from its command-line spelling.

    ``REV:path`` reads the parameter file at a git revision and, where they are in the
    same repository, the clause library and document definitions at that revision too.
    ``old_clauses`` is a clause folder (with its definitions) to use instead.
    """
    from avtal.project import load_project
    from avtal.review.gitrev import git_params, library_at

    path = Path(spec)
    if path.suffix.lower() == ".docx" and path.is_file():
        from avtal.review.docx_read import read_docx

        doc = read_docx(path)
        return Version(spec, [doc], None, True, doc.fingerprint)
    extra = [old_clauses] if old_clauses is not None else []
    if path.is_file():
        project = load_project(path, [*clause_dirs, *extra])
    elif ":" in spec and not spec.startswith(("/", ".")):
        name, text = git_params(spec)
        with library_at(spec, clause_dirs, old_clauses is None) as (dirs, defs):
            project = load_project(Path(name), [*dirs, *extra], defs, text=text, label=spec)
    else:
        raise InputError(f"{spec}: no such parameter file, DOCX or REV:path")
    return Version(spec, project.documents, project.params.model_dump(mode="json"))


def docx_labels(generated: Document, read: Document) -> dict[str, str]:
    """Reference label in the generated document -> the label the DOCX uses for that place.

    A lawyer who deletes a clause and renumbers turns "punkt 7" into "punkt 6"; mapping
    labels by the clause they belong to keeps those references equal.
    """
    out: dict[str, str] = {}
    theirs = {s.clause_id: s for s in read.sections}
    for section in generated.sections:
        other = theirs.get(section.clause_id)
        if other is None:
            continue
        if section.number and other.number:
            out[f"punkt {section.number}"] = f"punkt {other.number}"
        mine = [b.number for b in section.blocks if isinstance(b, Paragraph) and b.number]
        their = [b.number for b in other.blocks if isinstance(b, Paragraph) and b.number]
        for a, b in zip(mine, their, strict=False):
            out[a if a.endswith("§") else f"punkt {a}"] = b if b.endswith("§") else f"punkt {b}"
    annexes = {a.title: a.label for a in read.annexes}
    for annex in generated.annexes:
        if annex.title in annexes:
            out[annex.label.lower()] = annexes[annex.title].lower()
    return out


def _pair(old: Version, new: Version) -> list[tuple[Document, Document, dict[str, str] | None]]:
    """Pair documents by file name; a DOCX pairs with the document it was made from."""
    if old.from_docx or new.from_docx:
        from avtal.review.align import align_ids

        docx_side, other = (old, new) if old.from_docx else (new, old)
        edited = docx_side.documents[0]
        if other.from_docx:
            match = other.documents[0]
            aligned = align_ids(edited, match)
            pair = (aligned, match) if old.from_docx else (match, aligned)
            return [(*pair, {})]
        found = next((d for d in other.documents if d.doc_id and d.doc_id == edited.doc_id), None)
        found = found or next((d for d in other.documents if d.title == edited.title), None)
        found = found or next((d for d in other.documents if edited.file.startswith(d.file)), None)
        if found is None:
            titles = ", ".join(d.title for d in other.documents)
            raise InputError(
                f"{docx_side.label}: its title {edited.title!r} is none of the documents of "
                f"{other.label} ({titles}); the DOCX cannot be mapped to them"
            )
        aligned = align_ids(edited, found)
        labels = docx_labels(found, aligned)
        return [(aligned, found, labels)] if old.from_docx else [(found, aligned, labels)]
    new_by_file = {d.file: d for d in new.documents}
    return [(d, new_by_file[d.file], None) for d in old.documents if d.file in new_by_file]


def _provenance_notes(old: Version, new: Version, results: list[DocumentDiff]) -> list[str]:
    """Say when a DOCX carries the fingerprint of the other side but not its text."""
    notes = []
    for docx_side, other in ((old, new), (new, old)):
        if not docx_side.from_docx or not docx_side.docx_fingerprint or not results:
            continue
        result = results[0]
        generated = result.new if other is new else result.old
        if generated.fingerprint and docx_side.docx_fingerprint == generated.fingerprint:
            if result.changes:
                notes.append(
                    f"{display_name(docx_side.label)} was edited after it was generated: it "
                    f"carries the fingerprint of {display_name(other.label)} "
                    f"({generated.short_fingerprint}) but its text differs"
                )
        elif generated.fingerprint and not other.from_docx:
            notes.append(
                f"{display_name(docx_side.label)} was generated from other parameters or "
                f"clauses than {display_name(other.label)} (fingerprint "
                f"{docx_side.docx_fingerprint.removeprefix('sha256:')[:12]}, not "
                f"{generated.short_fingerprint})"
            )
    return notes


def compare(old: Version, new: Version) -> Diff:
    """Diff two versions: parameters, every document they share and the clause library."""
    results = [diff_documents(before, after, labels) for before, after, labels in _pair(old, new)]
    notes: list[str] = []
    old_files = {d.file for d in old.documents}
    new_files = {d.file for d in new.documents}
    if not (old.from_docx or new.from_docx):
        notes += [
            f"dokument bara i den gamla versionen: {f}" for f in sorted(old_files - new_files)
        ]
        notes += [f"dokument bara i den nya versionen: {f}" for f in sorted(new_files - old_files)]
    notes += _provenance_notes(old, new, results)
    library = {c.clause_id: c for r in results for c in clause_versions(r.old, r.new)}
    return Diff(
        display_name(old.label),
        display_name(new.label),
        diff_params(old.params, new.params),
        tuple(results),
        tuple(notes),
        tuple(library[k] for k in sorted(library)),
    )


def change_date(diff: Diff, given: dt.date | None = None) -> dt.date:
    """The date of tracked changes: ``given``, else the newest document date of the versions.

    A version read from a DOCX takes its date from the document's own identification
    line; there is never a made-up date.
    """
    if given is not None:
        return given
    from avtal.review.docx_zip import UNKNOWN_DATE

    dates = [d for r in diff.documents for d in (r.new.date, r.old.date) if d != UNKNOWN_DATE]
    if not dates:
        raise InputError("neither version carries a document date; give one with --date")
    return max(dates)


def run_diff(
    old: str,
    new: str,
    out_dir: Path | None,
    output: str,
    author: str,
    date: object,
    no_color: bool,
    clause_dirs: Sequence[Path],
    old_clauses: Path | None,
) -> bool:
    """The ``avtal diff`` command: print the report, write the redline; True if they differ."""
    import os
    import sys

    import click

    from avtal.output import write_files
    from avtal.review.report import redline_files, report_markdown, report_text

    bad = [c for c in author if ord(c) < 32 or ord(c) == 127]
    if bad or not author.strip():
        raise InputError(
            f"--author: {author!r} holds control characters or is blank; give a plain name"
        )
    result = compare(load_version(old, clause_dirs, old_clauses), load_version(new, clause_dirs))
    if out_dir is not None:
        when = date.date() if isinstance(date, dt.datetime) else None
        write_files(out_dir, redline_files(result, author, when))
    if output == "md":
        click.echo(report_markdown(result), nl=False)
    else:
        color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
        click.echo(report_text(result, color=color), nl=False, color=color)
    return result.differs
