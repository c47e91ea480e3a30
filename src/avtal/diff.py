"""Compare two versions clause by clause, matched by clause id and not by number.

A clause is *added*, *removed*, *moved* (its place among the clauses both versions share
changed), *reworded* (its words changed; shown word by word) or only *renumbered*.
Cross-reference labels are compared by the clause id they point to, so adding a clause
does not make every "punkt 9" that became "punkt 10" look like a change.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

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

ChangeKind = Literal["added", "removed", "moved", "reworded", "renumbered"]
WordOp = tuple[Literal["equal", "insert", "delete"], str]


@dataclass(frozen=True)
class ClauseChange:
    """What happened to one clause between the versions."""

    kind: ChangeKind
    clause_id: str
    title: str
    old_label: str | None
    new_label: str | None
    words: tuple[tuple[WordOp, ...], ...] = ()
    cause: Literal["clause", "parameters", ""] = ""

    @property
    def label(self) -> str:
        """Where the clause is, in the new version if it is there."""
        return self.new_label or self.old_label or ""


@dataclass(frozen=True)
class ParamChange:
    """One changed parameter value."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class DocumentDiff:
    """The differences of one document."""

    file: str
    title: str
    changes: tuple[ClauseChange, ...]
    old: Document
    new: Document

    @property
    def renumbered(self) -> tuple[ClauseChange, ...]:
        """Clauses that only got a new number."""
        return tuple(c for c in self.changes if c.kind == "renumbered")

    @property
    def substantive(self) -> tuple[ClauseChange, ...]:
        """Every change except renumbering."""
        return tuple(c for c in self.changes if c.kind != "renumbered")


@dataclass(frozen=True)
class Diff:
    """All differences between two versions."""

    old_label: str
    new_label: str
    params: tuple[ParamChange, ...]
    documents: tuple[DocumentDiff, ...]
    notes: tuple[str, ...] = field(default=())


# --- Normalised text --------------------------------------------------------------------------


def _runs_text(runs: Inline, labels: dict[str, str] | None = None) -> str:
    parts = []
    for run in runs:
        if run.change == "del":
            continue
        parts.append(f"⟨{run.ref}⟩" if run.ref else run.text)
    text = " ".join("".join(parts).split())
    if labels:
        for label, target in labels.items():
            text = re.sub(rf"(?<![\w.]){re.escape(label)}(?!\w|\.\d)", f"⟨{target}⟩", text)
    return text


def block_texts(block: Block, labels: dict[str, str] | None = None) -> list[str]:
    """The comparable text lines of a block: numbers left out, references as ids."""
    if isinstance(block, Paragraph | Subheading):
        return [_runs_text(block.runs, labels)]
    if isinstance(block, ListBlock):
        return [f"{label} {_runs_text(runs, labels)}" for label, runs in block.items]
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        return [" | ".join(_runs_text(c, labels) for c in row) for row in rows]
    return []


def section_lines(section: Section, labels: dict[str, str] | None = None) -> list[str]:
    """All comparable lines of a section."""
    out = [section.title]
    for block in section.blocks:
        out += block_texts(block, labels)
    return out


def reference_labels(doc: Document) -> dict[str, str]:
    """Label -> target of every resolved reference in a document (for text read from DOCX)."""
    found: dict[str, str] = {}
    for section in _all_sections(doc):
        for block in section.blocks:
            for runs in _block_inlines(block):
                for run in runs:
                    if run.ref:
                        found.setdefault(run.text, run.ref)
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def _block_inlines(block: Block) -> list[Inline]:
    if isinstance(block, Paragraph | Subheading):
        return [block.runs]
    if isinstance(block, ListBlock):
        return [runs for _, runs in block.items]
    if isinstance(block, Table):
        return [*block.header, *(c for row in block.rows for c in row)]
    return []


def _all_sections(doc: Document) -> list[Section]:
    return [*doc.sections, *(s for a in doc.annexes for s in a.sections)]


def _positions(doc: Document) -> dict[str, str]:
    """Clause id -> printed place ("punkt 6", "bilaga 2")."""
    out: dict[str, str] = {}
    for section in doc.sections:
        out[section.clause_id] = f"punkt {section.number}" if section.number else section.title
    for annex in doc.annexes:
        for section in annex.sections:
            out[section.clause_id] = annex.label.lower()
    return out


# --- Comparing --------------------------------------------------------------------------------


def word_ops(old: str, new: str) -> tuple[WordOp, ...]:
    """Word-level difference of two texts."""
    a, b = old.split(), new.split()
    ops: list[WordOp] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append(("delete", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(("insert", " ".join(b[j1:j2])))
    return tuple(ops)


def _line_ops(old: list[str], new: list[str]) -> tuple[tuple[WordOp, ...], ...]:
    """Per changed line, its word operations (unchanged lines are left out)."""
    out: list[tuple[WordOp, ...]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            out += [word_ops(o, n) for o, n in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            out += [(("delete", line),) for line in old[i1:i2]]
            out += [(("insert", line),) for line in new[j1:j2]]
    return tuple(out)


def _stable_order(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids that keep their relative order (the longest common subsequence)."""
    matcher = difflib.SequenceMatcher(a=old_ids, b=new_ids, autojunk=False)
    keep: set[str] = set()
    for block in matcher.get_matching_blocks():
        keep.update(old_ids[block.a : block.a + block.size])
    return keep


def diff_documents(
    old: Document,
    new: Document,
    old_labels: dict[str, str] | None = None,
    new_labels: dict[str, str] | None = None,
) -> DocumentDiff:
    """Compare two versions of one document clause by clause."""
    old_sections = {s.clause_id: s for s in _all_sections(old)}
    new_sections = {s.clause_id: s for s in _all_sections(new)}
    old_pos, new_pos = _positions(old), _positions(new)
    old_ids = [s.clause_id for s in _all_sections(old)]
    new_ids = [s.clause_id for s in _all_sections(new)]
    common_old = [i for i in old_ids if i in new_sections]
    common_new = [i for i in new_ids if i in old_sections]
    stable = _stable_order(common_old, common_new)
    old_sha = {c.id: c.sha256 for c in old.clauses}
    new_sha = {c.id: c.sha256 for c in new.clauses}

    def cause(cid: str) -> Literal["clause", "parameters", ""]:
        if cid not in old_sha or cid not in new_sha:
            return ""
        return "parameters" if old_sha[cid] == new_sha[cid] else "clause"

    changes: list[ClauseChange] = []
    for cid in new_ids:
        section = new_sections[cid]
        if cid not in old_sections:
            lines = section_lines(section, new_labels)
            changes.append(
                ClauseChange(
                    "added",
                    cid,
                    section.title,
                    None,
                    new_pos[cid],
                    tuple((("insert", line),) for line in lines),
                )
            )
            continue
        before = section_lines(old_sections[cid], old_labels)
        after = section_lines(section, new_labels)
        ops = _line_ops(before, after)
        if cid not in stable:
            changes.append(
                ClauseChange("moved", cid, section.title, old_pos[cid], new_pos[cid], ops)
            )
        elif ops:
            changes.append(
                ClauseChange(
                    "reworded", cid, section.title, old_pos[cid], new_pos[cid], ops, cause(cid)
                )
            )
        elif old_pos[cid] != new_pos[cid]:
            changes.append(
                ClauseChange("renumbered", cid, section.title, old_pos[cid], new_pos[cid])
            )
    for cid in old_ids:
        if cid not in new_sections:
            section = old_sections[cid]
            lines = section_lines(section, old_labels)
            changes.append(
                ClauseChange(
                    "removed",
                    cid,
                    section.title,
                    old_pos[cid],
                    None,
                    tuple((("delete", line),) for line in lines),
                )
            )
    return DocumentDiff(new.file, new.title, tuple(changes), old, new)


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
    else:
        out[prefix] = value
    return out


def diff_params(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[ParamChange, ...]:
    """Changed, added and removed parameter values, as dotted paths."""
    if old is None or new is None:
        return ()
    a, b = _flatten(old), _flatten(new)
    return tuple(
        ParamChange(path, a.get(path), b.get(path))
        for path in sorted(set(a) | set(b))
        if a.get(path) != b.get(path)
    )


# --- Redline Document -------------------------------------------------------------------------


def _marked(text: str, change: Literal["ins", "del"] | None) -> Run:
    return Run(text, change=change)


def _ops_runs(ops: tuple[WordOp, ...]) -> Inline:
    runs: list[Run] = []
    for index, (op, text) in enumerate(ops):
        space = " " if index < len(ops) - 1 else ""
        change: Literal["ins", "del"] | None = (
            "ins" if op == "insert" else "del" if op == "delete" else None
        )
        runs.append(_marked(text + space, change))
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


def redline_document(result: DocumentDiff, subtitle: str) -> Document:
    """The new document with tracked changes against the old, removed clauses included."""
    old_sections = {s.clause_id: s for s in _all_sections(result.old)}
    new_ids = {s.clause_id for s in _all_sections(result.new)}

    def section(new_section: Section) -> Section:
        old_section = old_sections.get(new_section.clause_id)
        if old_section is None:
            return replace(new_section, blocks=tuple(_whole(b, "ins") for b in new_section.blocks))
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
            number=None,
            blocks=tuple(_whole(b, "del") for b in old_section.blocks),
            change="del",
        )
        extra.setdefault(previous, []).append(deleted)
    sections: list[Section] = list(extra.get("", []))
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
    return replace(result.new, subtitle=subtitle, sections=tuple(sections), annexes=tuple(annexes))
