"""Compare two versions clause by clause, matched by clause id and not by number.

A clause is *added*, *removed*, *moved* (its place among the clauses both versions share
changed), *reworded* (its words changed; shown word by word) or only *renumbered*.
Cross-reference labels are compared by the clause id they point to, so adding a clause
does not make every "punkt 9" that became "punkt 10" look like a change.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from avtal.document import (
    Block,
    Document,
    Inline,
    ListBlock,
    Paragraph,
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
