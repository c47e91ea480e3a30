"""Reports of a comparison (terminal, Markdown) and the redline files."""

from __future__ import annotations

import datetime as dt

import click

from avtal.document import Document
from avtal.review.diff import (
    ClauseChange,
    Diff,
    DocumentDiff,
    WordOp,
)
from avtal.review.redline import redline_document

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
