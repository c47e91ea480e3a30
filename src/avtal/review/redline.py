"""A redline Document (for the blackline PDF): the new version with changes marked.

Also the cover line and the summary of changes that the redline DOCX and the blackline
share.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import replace
from typing import Literal

from avtal.clauselib.textfmt import datum
from avtal.document import (
    Annex,
    Block,
    Document,
    Inline,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Subheading,
    Table,
)
from avtal.review.diff import (
    ClauseChange,
    Diff,
    DocumentDiff,
    _all_sections,
    block_lines,
    describe_kind,
    line_text,
)
from avtal.review.tokens import WordOp, word_ops


def _runs_text(runs: Inline) -> str:
    return "".join(r.text for r in runs if r.change != "del")


def block_texts(block: Block) -> list[str]:
    """The printed lines of a block, labels as printed."""
    return [line_text(line) for line in block_lines(block, {})]


# --- Redline Document -------------------------------------------------------------------------


def _marked(text: str, change: Literal["ins", "del"] | None) -> Run:
    return Run(text, change=change)


def _ops_runs(ops: tuple[WordOp, ...]) -> Inline:
    runs: list[Run] = []
    for op, text in ops:
        change: Literal["ins", "del"] | None = (
            "ins" if op == "insert" else "del" if op == "delete" else None
        )
        runs.append(_marked(text, change))
    return tuple(runs)


def _redline_blocks(old: Section, new: Section) -> tuple[Block, ...]:
    """The new section's blocks with word-level insertions and deletions against the old."""
    old_blocks, new_blocks = list(old.blocks), list(new.blocks)
    old_keys = ["\n".join(block_texts(b)) for b in old_blocks]
    new_keys = ["\n".join(block_texts(b)) for b in new_blocks]
    out: list[Block] = []
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += new_blocks[j1:j2]
            continue
        pairs = list(zip(old_blocks[i1:i2], new_blocks[j1:j2], strict=False))
        for old_block, new_block in pairs:
            if isinstance(old_block, Paragraph) and isinstance(new_block, Paragraph):
                out.append(replace(new_block, runs=_inline_diff(old_block.runs, new_block.runs)))
            elif (
                isinstance(old_block, Table)
                and isinstance(new_block, Table)
                and len(old_block.header) == len(new_block.header)
            ):
                out += _table_diff(old_block, new_block)
            elif isinstance(old_block, ListBlock) and isinstance(new_block, ListBlock):
                out.append(_list_diff(old_block, new_block))
            else:
                out.append(_whole(old_block, "del"))
                out.append(_whole(new_block, "ins"))
        out += [_whole(b, "del") for b in old_blocks[i1 + len(pairs) : i2]]
        out += [_whole(b, "ins") for b in new_blocks[j1 + len(pairs) : j2]]
    return tuple(out)


def _inline_diff(old: Inline, new: Inline) -> Inline:
    if _runs_text(old) == _runs_text(new):
        return new
    return _ops_runs(word_ops(_runs_text(old), _runs_text(new)))


def _row_key(row: tuple[Inline, ...]) -> str:
    return " | ".join(_runs_text(c) for c in row)


def _table_diff(old: Table, new: Table) -> list[Block]:
    """Cell-level word changes for rows that changed, whole rows for added or removed ones."""
    header = tuple(_inline_diff(a, b) for a, b in zip(old.header, new.header, strict=True))
    rows: list[tuple[Inline, ...]] = []
    matcher = difflib.SequenceMatcher(
        a=[_row_key(r) for r in old.rows], b=[_row_key(r) for r in new.rows], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += new.rows[j1:j2]
            continue
        pairs = list(zip(old.rows[i1:i2], new.rows[j1:j2], strict=False))
        for a, b in pairs:
            rows.append(tuple(_inline_diff(x, y) for x, y in zip(a, b, strict=True)))
        rows += [tuple(_mark_runs(c, "del") for c in r) for r in old.rows[i1 + len(pairs) : i2]]
        rows += [tuple(_mark_runs(c, "ins") for c in r) for r in new.rows[j1 + len(pairs) : j2]]
    return [Table(header, tuple(rows))]


def _list_diff(old: ListBlock, new: ListBlock) -> ListBlock:
    items: list[tuple[str, Inline]] = []
    matcher = difflib.SequenceMatcher(
        a=[_runs_text(r) for _, r in old.items],
        b=[_runs_text(r) for _, r in new.items],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            items += new.items[j1:j2]
            continue
        pairs = list(zip(old.items[i1:i2], new.items[j1:j2], strict=False))
        items += [(b[0], _inline_diff(a[1], b[1])) for a, b in pairs]
        items += [(lab, _mark_runs(r, "del")) for lab, r in old.items[i1 + len(pairs) : i2]]
        items += [(lab, _mark_runs(r, "ins")) for lab, r in new.items[j1 + len(pairs) : j2]]
    return replace(new, items=tuple(items))


def _mark_runs(runs: Inline, change: Literal["ins", "del"]) -> Inline:
    return tuple(replace(r, change=change) for r in runs)


def _whole(block: Block, change: Literal["ins", "del"]) -> Block:
    if isinstance(block, Paragraph | Subheading):
        return replace(block, runs=_mark_runs(block.runs, change))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple((lab, _mark_runs(r, change)) for lab, r in block.items))
    if isinstance(block, Table):
        return replace(
            block,
            header=tuple(_mark_runs(c, change) for c in block.header),
            rows=tuple(tuple(_mark_runs(c, change) for c in row) for row in block.rows),
        )
    return block  # pragma: no cover


def version_name(doc: Document, label: str) -> str:
    """One version as a reviewer names it: file, version and fingerprint."""
    parts = [label]
    if doc.version:
        parts.append(f"version {doc.version}")
    if doc.fingerprint:
        parts.append(f"fingeravtryck {doc.short_fingerprint}")
    return ", ".join(parts)


def cover_line(diff: Diff, result: DocumentDiff) -> str:
    """The line naming both versions."""
    return (
        f"Jämförelse av {version_name(result.old, diff.old_label)} (före) med "
        f"{version_name(result.new, diff.new_label)} (efter)."
    )


def summary_items(result: DocumentDiff) -> list[tuple[ClauseChange, str]]:
    """Each change with the line that names it in the summary."""
    out = []
    for change in result.substantive:
        if change.clause_id.startswith("("):  # the title block or the signatures
            out.append((change, f"{describe_kind(change)}: {change.title}"))
        else:
            where = f" {change.label}" if change.label != change.title else ""
            out.append(
                (change, f"{describe_kind(change)}{where}: {change.title} ({change.clause_id})")
            )
    return out


def redline_document(result: DocumentDiff, diff: Diff, date: dt.date) -> Document:
    """The new document with its changes against the old marked, removed clauses included.

    A summary section comes first: both versions and each change.
    """
    old_sections = {s.clause_id: s for s in _all_sections(result.old)}
    new_ids = {s.clause_id for s in _all_sections(result.new)}

    def section(new_section: Section) -> Section:
        old_section = old_sections.get(new_section.clause_id)
        if old_section is None:
            return replace(
                new_section,
                blocks=tuple(_whole(b, "ins") for b in new_section.blocks),
                change="ins",
            )
        return replace(new_section, blocks=_redline_blocks(old_section, new_section))

    # Removed clauses stay visible, struck through, after the clause they followed.
    extra: dict[str, list[Section]] = {}
    previous = ""
    for old_section in _all_sections(result.old):
        if old_section.clause_id in new_ids:
            previous = old_section.clause_id
            continue
        deleted = replace(
            old_section,
            blocks=tuple(_whole(b, "del") for b in old_section.blocks),
            change="del",
        )
        extra.setdefault(previous, []).append(deleted)
    summary = Section(
        "Ändringar",
        "(sammanfattning)",
        None,
        (
            Paragraph((Run(cover_line(diff, result)),)),
            Paragraph((Run(f"Ändringarnas datum: {datum(date)}."),)),
            ListBlock(tuple(("–", (Run(text),)) for _, text in summary_items(result))),
        ),
    )
    sections: list[Section] = [summary, *extra.get("", [])]
    for new_section in result.new.sections:
        sections.append(section(new_section))
        sections += extra.get(new_section.clause_id, [])
    annexes: list[Annex] = []
    for annex in result.new.annexes:
        annex_sections: list[Section] = []
        for new_section in annex.sections:
            annex_sections.append(section(new_section))
            annex_sections += extra.get(new_section.clause_id, [])
        annexes.append(replace(annex, sections=tuple(annex_sections)))
    return replace(
        result.new,
        subtitle=f"Ändringar jämfört med {diff.old_label}",
        sections=tuple(sections),
        annexes=tuple(annexes),
    )
