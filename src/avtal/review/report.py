"""Reports of a comparison (terminal, Markdown) and the redline files.

The documents are Swedish, so are the words a reviewer reads: "ändrad", "tillagd",
"borttagen", "flyttad", "omnumrerad".
"""

from __future__ import annotations

import datetime as dt

import click

from avtal.review.diff import (
    ClauseChange,
    Diff,
    WordOp,
    describe_kind,
)


def _show(value: object) -> str:
    if value is None:
        return "(saknas)"
    if isinstance(value, dict):
        named = value.get("name") or value.get("matter") or value.get("id")
        return f"{{{named}…}}" if named else "{…}"
    return str(value)


def _words(ops: tuple[WordOp, ...], style: str, color: bool, context: int = 8) -> str:
    parts = []
    for index, (op, text) in enumerate(ops):
        if op == "equal":
            words = text.split(" ")
            if len(words) > 2 * context:
                head = words[:context] if index else []
                tail = words[-context:] if index < len(ops) - 1 else []
                text = " ".join([*head, "…", *tail]) if head or tail else "…"
                text = (" " if index else "") + text.strip() + (" " if tail else "")
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
    return "".join(parts)


def where(change: ClauseChange) -> str:
    """Where a change is: "punkt 6", or "punkt 6 → punkt 7" for a move."""
    if change.kind in ("moved", "renumbered") and change.old_label != change.new_label:
        return f"{change.old_label} → {change.new_label}"
    return change.label


def describe(change: ClauseChange) -> str:
    """The kind of change in Swedish, with its cause when the parameters made it."""
    return describe_kind(change)


def _clause_lines(diff: Diff) -> list[str]:
    out = []
    for item in diff.clauses:
        text = ", ny text" if item.text_changed else ""
        out.append(f"{item.clause_id}: version {item.old_version} → {item.new_version}{text}")
    return out


def report_text(diff: Diff, color: bool = False) -> str:
    """A terminal report: parameters, clause library, then each document's changes."""
    bold = (lambda t: click.style(t, bold=True)) if color else (lambda t: t)
    lines = [bold(f"Jämförelse {diff.old_label} → {diff.new_label}"), ""]
    if diff.params:
        lines.append(bold("Parametrar"))
        lines += [f"  {p.path}: {_show(p.old)} → {_show(p.new)}" for p in diff.params]
        lines.append("")
    if diff.clauses:
        lines.append(bold("Klausulbiblioteket"))
        lines += [f"  {line}" for line in _clause_lines(diff)]
        lines.append("")
    for doc in diff.documents:
        count = len(doc.substantive)
        lines.append(bold(f"{doc.file}: {count} {'ändring' if count == 1 else 'ändringar'}"))
        for change in doc.substantive:
            ident = "" if change.clause_id.startswith("(") else f" [{change.clause_id}]"
            lines.append(f"  {describe(change):<10} {where(change):<22} {change.title}{ident}")
            for ops in change.words[:12]:
                lines.append("      " + _words(ops, "text", color))
        if doc.renumbered:
            moved = ", ".join(where(c) for c in doc.renumbered)
            lines.append(f"  bara omnumrerade, texten oförändrad: {moved}")
        lines.append("")
    lines += [f"obs: {n}" for n in diff.notes]
    if not diff.differs:
        lines.append("Versionerna är lika.")
    return "\n".join(lines).rstrip() + "\n"


def report_markdown(diff: Diff) -> str:
    """The same report as Markdown (insertions and deletions as <ins>/<del>)."""
    lines = [f"# Jämförelse: {diff.old_label} → {diff.new_label}", ""]
    if diff.params:
        lines += ["## Parametrar", "", "| parameter | före | efter |", "|---|---|---|"]
        lines += [f"| `{p.path}` | {_show(p.old)} | {_show(p.new)} |" for p in diff.params]
        lines.append("")
    if diff.clauses:
        lines += ["## Klausulbiblioteket", ""]
        lines += [f"- {line}" for line in _clause_lines(diff)]
        lines.append("")
    for doc in diff.documents:
        lines += [f"## {doc.title} ({doc.file})", ""]
        if not doc.substantive:
            lines += ["Inga ändringar.", ""]
        for change in doc.substantive:
            lines += [
                f"### {describe(change)}: {where(change)} {change.title}",
                "",
                *([f"Klausul `{change.clause_id}`.", ""] if change.clause_id[0] != "(" else []),
            ]
            for ops in change.words:
                lines += [f"> {_words(ops, 'md', False, context=1000)}", ""]
        if doc.renumbered:
            lines += ["Bara omnumrerade: " + ", ".join(where(c) for c in doc.renumbered), ""]
    lines += [f"- {n}" for n in diff.notes]
    return "\n".join(lines).rstrip() + "\n"


def redline_files(
    diff: Diff, author: str = "avtal", date: dt.date | None = None
) -> dict[str, bytes]:
    """For each document with changes: a redline DOCX and a blackline PDF; and diff.md."""
    from avtal.render.pdf import render_pdf
    from avtal.review.compare import change_date
    from avtal.review.redline import redline_document
    from avtal.review.redline_docx import redline_docx

    files: dict[str, bytes] = {}
    for result in diff.documents:
        if not result.changes:
            continue
        when = change_date(diff, date)
        files[f"{result.file}-redline.docx"] = redline_docx(result, diff, author, when)
        files[f"{result.file}-blackline.pdf"] = render_pdf(redline_document(result, diff, when))
    files["diff.md"] = report_markdown(diff).encode("utf-8")
    return files
