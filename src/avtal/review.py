"""The review workflow: load two versions, diff them, report and write redlines.

A version is a parameter file, a parameter file at a git revision (``REV:path``), or a
DOCX (as generated, or edited in Word with tracked changes).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from avtal.diff import (
    ClauseChange,
    Diff,
    DocumentDiff,
    WordOp,
    diff_documents,
    diff_params,
    redline_document,
    reference_labels,
)
from avtal.document import Document
from avtal.errors import InputError


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
    from avtal.build import load_project

    path = Path(spec)
    if path.suffix.lower() == ".docx" and path.is_file():
        from avtal.docx_read import read_docx

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
        from avtal.docx_read import align_ids

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


# --- Reports ----------------------------------------------------------------------------------


def _show(value: object) -> str:
    return "(none)" if value is None else str(value)


def _words(ops: tuple[WordOp, ...], style: str, color: bool, context: int = 8) -> str:
    parts = []
    for index, (op, text) in enumerate(ops):
        if op == "equal":
            words = text.split()
            if len(words) > 2 * context:
                head = words[:context] if index else []
                tail = words[-context:] if index < len(ops) - 1 else []
                text = " ".join([*head, "…", *tail]) if head or tail else "…"
            parts.append(text)
        elif style == "md":
            parts.append(f"<ins>{text}</ins>" if op == "insert" else f"<del>{text}</del>")
        elif color:
            parts.append(
                click.style(
                    text,
                    fg="green" if op == "insert" else "red",
                    underline=op == "insert",
                    strikethrough=op == "delete",
                )
            )
        else:
            parts.append(f"{{+{text}+}}" if op == "insert" else f"[-{text}-]")
    return " ".join(p for p in parts if p)


def _where(change: ClauseChange) -> str:
    if change.kind in ("moved", "renumbered") and change.old_label != change.new_label:
        return f"{change.old_label} → {change.new_label}"
    return change.label


def report_text(diff: Diff, color: bool = False) -> str:
    """A terminal report: parameters, then each document's changed clauses."""
    bold = (lambda t: click.style(t, bold=True)) if color else (lambda t: t)
    lines = [bold(f"Comparing {diff.old_label} → {diff.new_label}"), ""]
    if diff.params:
        lines.append(bold("Parameters"))
        lines += [f"  {p.path}: {_show(p.old)} → {_show(p.new)}" for p in diff.params]
        lines.append("")
    for doc in diff.documents:
        lines.append(bold(f"{doc.file}: {len(doc.substantive)} changed clause(s)"))
        for change in doc.substantive:
            where = _where(change)
            why = " (by the parameters)" if change.cause == "parameters" else ""
            lines.append(
                f"  {change.kind:<10} {where:<22} {change.title} [{change.clause_id}]{why}"
            )
            for ops in change.words[:12]:
                lines.append("      " + _words(ops, "text", color))
        if doc.renumbered:
            moved = ", ".join(_where(c) for c in doc.renumbered)
            lines.append(f"  renumbered only, text unchanged: {moved}")
        lines.append("")
    lines += [f"note: {n}" for n in diff.notes]
    return "\n".join(lines).rstrip() + "\n"


def report_markdown(diff: Diff) -> str:
    """The same report as Markdown (insertions and deletions as <ins>/<del>)."""
    lines = [f"# Jämförelse: {diff.old_label} → {diff.new_label}", ""]
    if diff.params:
        lines += ["## Parameters", "", "| parameter | old | new |", "|---|---|---|"]
        lines += [f"| `{p.path}` | {_show(p.old)} | {_show(p.new)} |" for p in diff.params]
        lines.append("")
    for doc in diff.documents:
        lines += [f"## {doc.title} ({doc.file})", ""]
        if not doc.substantive:
            lines += ["No changed clauses.", ""]
        for change in doc.substantive:
            lines += [
                f"### {change.kind}: {_where(change)} {change.title}",
                "",
                f"Clause `{change.clause_id}`.",
                "",
            ]
            for ops in change.words:
                lines += [f"> {_words(ops, 'md', False, context=1000)}", ""]
        if doc.renumbered:
            lines += ["Renumbered only: " + ", ".join(_where(c) for c in doc.renumbered), ""]
    lines += [f"- {n}" for n in diff.notes]
    return "\n".join(lines).rstrip() + "\n"


def redline_files(
    diff: Diff, author: str = "avtal", date: dt.date | None = None
) -> dict[str, bytes]:
    """For each document with changes: a redline DOCX and a blackline PDF."""
    from avtal.render.docx import Tracker, render_docx
    from avtal.render.pdf import render_pdf

    files: dict[str, bytes] = {}
    for result in diff.documents:
        if not result.substantive:
            continue
        doc = _redline(result, diff)
        when = date or doc.date
        files[f"{result.file}-redline.docx"] = render_docx(doc, tracker=Tracker(author, when))
        files[f"{result.file}-blackline.pdf"] = render_pdf(doc)
    files["diff.md"] = report_markdown(diff).encode("utf-8")
    return files


def _redline(result: DocumentDiff, diff: Diff) -> Document:
    return redline_document(result, f"Ändringar jämfört med {diff.old_label}")
