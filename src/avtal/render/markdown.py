"""Markdown output: for git, for reviewers and as the reference text of a build."""

from __future__ import annotations

import re

from avtal.document import Document, Inline, ListBlock, Paragraph, Section, Subheading, Table

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^([#+\-=]|\d+[.)])")


def escape(text: str, line_start: bool = True) -> str:
    """Escape what CommonMark would otherwise read as markup."""
    out = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(r"\\\1", out) if line_start else out


def unescape(text: str) -> str:
    """Inverse of :func:`escape`, for comparing Markdown with other outputs."""
    return re.sub(r"\\([\\`*_\[\]<>|#+\-=.)])", r"\1", text)


def _inline(runs: Inline) -> str:
    parts = []
    for run in runs:
        text = _SPECIAL.sub(r"\\\1", run.text)
        if not text.strip():
            parts.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        if run.bold:
            core = f"**{core}**"
        if run.italic:
            core = f"*{core}*"
        parts.append(lead + core + trail)
    line = "".join(parts)
    return _LINE_START.sub(r"\\\1", line)


def _list(block: ListBlock) -> list[str]:
    """A bullet list as "- " items; a lettered list as "a)" items, one paragraph each.

    CommonMark has no lettered list, and a bullet in front of "a)" printed both markers.
    Items that start with their own letter and stand as paragraphs read as the same list in
    any Markdown viewer, and pandoc's ``fancy_lists`` reads them as a lettered list.
    """
    out: list[str] = []
    for label, runs in block.items:
        if block.ordered:
            out += [f"{label} {_inline(runs)}", ""]
        else:
            out.append(f"- {_inline(runs)}")
    if not block.ordered:
        out.append("")
    return out


def _section(section: Section, level: str) -> list[str]:
    out = [f"{level} {escape(section.heading, line_start=False)}", ""]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            text = _inline(block.runs)
            out += [f"**{block.number}** {text}" if block.number else text, ""]
        elif isinstance(block, Subheading):
            out += [f"#### {_inline(block.runs)}", ""]
        elif isinstance(block, ListBlock):
            out += _list(block)
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_inline(c) for c in block.header) + " |")
            out.append("|" + "|".join("---" for _ in block.header) + "|")
            for row in block.rows:
                out.append("| " + " | ".join(_inline(c) for c in row) + " |")
            out.append("")
    return out


def render_markdown(doc: Document) -> bytes:
    """Render a Document as UTF-8 Markdown with LF line endings."""
    out = [f"# {escape(doc.title, line_start=False)}", ""]
    if doc.subtitle:
        out += [escape(doc.subtitle), ""]
    out += [escape(doc.meta_line), ""]
    for section in doc.sections:
        out += _section(section, "##")
    if doc.signatures:
        for sig in doc.signatures:
            out += [
                f"**{escape(sig.party)}**",
                "",
                escape(f"{sig.place} den"),
                "",
                "\\_" * 30,
                "",
                escape(sig.name),
                "",
                escape(sig.title),
                "",
            ]
    for annex in doc.annexes:
        out += [f"## {escape(annex.heading, line_start=False)}", ""]
        for section in annex.sections:
            out += _section(section, "###")
    while out and out[-1] == "":
        out.pop()
    return ("\n".join(out) + "\n").encode("utf-8")
