"""Compare two versions clause by clause, matched by clause id and not by number.

A clause is *added*, *removed*, *moved* (its place among the clauses both versions share
changed), *reworded* (its words changed; shown word by word) or only *renumbered*.
Cross-reference labels are compared by the clause id they point to, so adding a clause
does not make every "punkt 9" that became "punkt 10" look like a change.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from avtal.document import (
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
from avtal.review.paramdiff import ParamChange as ParamChange
from avtal.review.paramdiff import diff_params as diff_params
from avtal.review.tokens import WordOp as WordOp
from avtal.review.tokens import key, token_ops, tokens

ChangeKind = Literal["added", "removed", "moved", "reworded", "renumbered"]

#: The words a reviewer reads for each kind of change.
KIND_SV: dict[str, str] = {
    "added": "tillagd",
    "removed": "borttagen",
    "moved": "flyttad",
    "reworded": "ändrad",
    "renumbered": "omnumrerad",
}
#: Pseudo clause ids for what a document holds outside its clauses.
FRONT, SIGNATURES = "(titel)", "(underskrifter)"
Token = tuple[str, str]  # (what it compares as, what it prints as)
Line = tuple[Token, ...]


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


def describe_kind(change: ClauseChange) -> str:
    """The kind of change in Swedish, with its cause when the parameters made it."""
    why = " (genom parametrarna)" if change.cause == "parameters" else ""
    return KIND_SV[change.kind] + why


@dataclass(frozen=True)
class ClauseVersion:
    """A clause whose library version or text differs between the versions."""

    clause_id: str
    old_version: str
    new_version: str
    text_changed: bool


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
    clauses: tuple[ClauseVersion, ...] = field(default=())

    @property
    def differs(self) -> bool:
        """Whether anything differs between the versions."""
        return bool(
            self.params or self.notes or self.clauses or any(d.changes for d in self.documents)
        )


# --- Normalised text --------------------------------------------------------------------------


def inline_tokens(runs: Inline, translate: dict[str, str] | None = None) -> Line:
    """Tokens of some runs: a reference compares by its target, or by ``translate``d label.

    Without ``translate`` both sides carry their references' targets, so "punkt 9" that
    became "punkt 10" because a clause was added compares equal. With it (one side read
    from a DOCX, which knows no targets), the other side's labels are first renamed to
    the labels the DOCX uses for the same clauses.
    """
    out: list[Token] = []
    for run in runs:
        if run.change == "del":
            continue
        if run.ref and translate is None:
            out.append((f"\0{run.ref}", run.text))
            continue
        text = translate.get(run.text, run.text) if run.ref and translate else run.text
        out += [(key(t), t) for t in tokens(text)]
    return _trim(out)


def _trim(line: list[Token]) -> Line:
    """Leading and trailing white space dropped, inner white space compared as one space."""
    while line and line[0][1].isspace():
        line.pop(0)
    while line and line[-1][1].isspace():
        line.pop()
    return tuple(line)


def _text_line(text: str) -> Line:
    return _trim([(key(t), t) for t in tokens(text)])


def line_text(line: Line) -> str:
    """What a line prints as."""
    return "".join(display for _, display in line)


def block_lines(block: Block, translate: dict[str, str] | None = None) -> list[Line]:
    """The comparable lines of a block: point numbers left out."""
    if isinstance(block, Paragraph | Subheading):
        return [inline_tokens(block.runs, translate)]
    if isinstance(block, ListBlock):
        return [
            ((label, label), (" ", " "), *inline_tokens(runs, translate))
            for label, runs in block.items
        ]
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        out = []
        for row in rows:
            line: list[Token] = []
            for index, cell in enumerate(row):
                if index:
                    line.append((" | ", " | "))
                line += inline_tokens(cell, translate)
            out.append(tuple(line))
        return out
    return []


def section_lines(section: Section, translate: dict[str, str] | None = None) -> list[Line]:
    """All comparable lines of a section, its title first."""
    out = [_text_line(section.title)]
    for block in section.blocks:
        out += block_lines(block, translate)
    return out


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


def _frame_sections(doc: Document) -> tuple[list[Section], list[Section]]:
    """Pseudo sections for the title block and the signatures, so that they compare too.

    The title block is the title, the subtitle and the identification line (document id,
    version, date, status); the fingerprint printed in it is left to the provenance notes,
    since it changes with every change and a reviewer reads what changed instead.
    """
    ident = doc.meta_line.split(" · Fingeravtryck ")[0] if doc.doc_id else ""
    front = [
        Section(
            "Titel",
            FRONT,
            None,
            tuple(Paragraph((Run(t),)) for t in (doc.title, doc.subtitle, ident) if t),
        )
    ]
    lines = [Paragraph((Run(" · ".join(s.lines)),)) for s in doc.signatures]
    back = [Section("Underskrifter", SIGNATURES, None, tuple(lines))] if lines else []
    return front, back


def comparable_sections(doc: Document) -> list[Section]:
    """Title block, clauses, signatures and annex clauses, in reading order."""
    front, back = _frame_sections(doc)
    annexed = [s for a in doc.annexes for s in a.sections]
    return [*front, *doc.sections, *back, *annexed]


def _positions(doc: Document) -> dict[str, str]:
    """Clause id -> printed place ("punkt 6", "bilaga 2")."""
    out: dict[str, str] = {FRONT: "titel", SIGNATURES: "underskrifter"}
    for section in doc.sections:
        first = next(
            (b.number for b in section.blocks if isinstance(b, Paragraph) and b.number), None
        )
        if section.number:
            out[section.clause_id] = f"punkt {section.number}"
        elif first and first.endswith("§"):
            out[section.clause_id] = first
        else:
            out[section.clause_id] = section.title
    for annex in doc.annexes:
        for section in annex.sections:
            out[section.clause_id] = annex.label.lower()
    return out


# --- Comparing --------------------------------------------------------------------------------


def line_ops(old: Line, new: Line) -> tuple[WordOp, ...]:
    """Token-level difference of two lines, printed with each side's own labels."""
    a, b = [d for _, d in old], [d for _, d in new]
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in token_ops(a, b, [k for k, _ in old], [k for k, _ in new]):
        ops.append((tag, "".join(a[i1:i2]) if tag == "delete" else "".join(b[j1:j2])))
    return tuple(ops)


def _keys(line: Line) -> str:
    return "".join(k for k, _ in line)


def _line_ops(old: list[Line], new: list[Line]) -> tuple[tuple[WordOp, ...], ...]:
    """Per changed line, its token operations (unchanged lines are left out)."""
    out: list[tuple[WordOp, ...]] = []
    matcher = difflib.SequenceMatcher(
        a=[_keys(x) for x in old], b=[_keys(x) for x in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            out += [line_ops(o, n) for o, n in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            out += [(("delete", line_text(line)),) for line in old[i1:i2]]
            out += [(("insert", line_text(line)),) for line in new[j1:j2]]
    return tuple(out)


def _stable_order(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids that keep their relative order (the longest common subsequence)."""
    matcher = difflib.SequenceMatcher(a=old_ids, b=new_ids, autojunk=False)
    keep: set[str] = set()
    for block in matcher.get_matching_blocks():
        keep.update(old_ids[block.a : block.a + block.size])
    return keep


def moved_ids(old: Document, new: Document) -> set[str]:
    """Clauses in both versions whose place among the shared clauses changed."""
    old_ids = [s.clause_id for s in comparable_sections(old)]
    new_ids = [s.clause_id for s in comparable_sections(new)]
    common_old = [i for i in old_ids if i in new_ids]
    common_new = [i for i in new_ids if i in old_ids]
    return set(common_old) - _stable_order(common_old, common_new)


def diff_documents(
    old: Document, new: Document, translate: dict[str, str] | None = None
) -> DocumentDiff:
    """Compare two versions of one document clause by clause.

    ``translate`` renames reference labels of the side that carries references (see
    :func:`inline_tokens`); it is for comparisons where the other side is a DOCX.
    """
    old_all, new_all = comparable_sections(old), comparable_sections(new)
    old_sections = {s.clause_id: s for s in old_all}
    new_sections = {s.clause_id: s for s in new_all}
    old_pos, new_pos = _positions(old), _positions(new)
    moved = moved_ids(old, new)
    old_sha = {c.id: c.sha256 for c in old.clauses}
    new_sha = {c.id: c.sha256 for c in new.clauses}

    def cause(cid: str) -> Literal["clause", "parameters", ""]:
        if cid not in old_sha or cid not in new_sha:
            return ""
        return "parameters" if old_sha[cid] == new_sha[cid] else "clause"

    changes: list[ClauseChange] = []
    ops: tuple[tuple[WordOp, ...], ...]
    for section in new_all:
        cid = section.clause_id
        after = section_lines(section, translate)
        if cid not in old_sections:
            ops = tuple((("insert", line_text(line)),) for line in after)
            changes.append(ClauseChange("added", cid, section.title, None, new_pos[cid], ops))
            continue
        before = section_lines(old_sections[cid], translate)
        ops = _line_ops(before, after)
        if cid in moved:
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
    for section in old_all:
        cid = section.clause_id
        if cid not in new_sections:
            lines = section_lines(section, translate)
            gone: tuple[tuple[WordOp, ...], ...] = tuple(
                (("delete", line_text(line)),) for line in lines
            )
            changes.append(ClauseChange("removed", cid, section.title, old_pos[cid], None, gone))
    return DocumentDiff(new.file, new.title, tuple(changes), old, new)


def clause_versions(old: Document, new: Document) -> tuple[ClauseVersion, ...]:
    """Clauses used by both versions whose library version or text changed."""
    before = {c.id: c for c in old.clauses}
    out = []
    for use in new.clauses:
        was = before.get(use.id)
        if was is not None and (was.version, was.sha256) != (use.version, use.sha256):
            out.append(ClauseVersion(use.id, was.version, use.version, was.sha256 != use.sha256))
    return tuple(out)
