"""The rule registry, findings and what a rule sees of a project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from avtal.document import Document, ListBlock, Paragraph, Section, Subheading, Table, plain

if TYPE_CHECKING:
    from avtal.project import Project


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found by a rule."""

    rule: str
    severity: Severity
    file: str
    line: int
    message: str
    citation: str

    def __str__(self) -> str:
        return (
            f"{self.rule} {self.severity} {self.file}:{self.line} {self.message} ({self.citation})"
        )

    def as_dict(self) -> dict[str, object]:
        """The finding as JSON-able data."""
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    """A registered check."""

    id: str
    severity: Severity
    citation: str
    explanation: str
    forms: tuple[str, ...]
    check: Callable[[Ctx], Iterator[tuple[str, int, str]]]


RULES: list[Rule] = []


def rule(
    rule_id: str, severity: Severity, citation: str, explanation: str, forms: tuple[str, ...] = ()
) -> Callable[[Callable[[Ctx], Iterator[tuple[str, int, str]]]], None]:
    """Register a check that yields ``(file, line, message)`` for each problem."""

    def register(check: Callable[[Ctx], Iterator[tuple[str, int, str]]]) -> None:
        RULES.append(Rule(rule_id, severity, citation, explanation, forms, check))

    return register


def section_text(section: Section) -> str:
    """All words of a section, heading included."""
    parts = [section.heading]
    for block in section.blocks:
        if isinstance(block, Paragraph | Subheading):
            parts.append(plain(block.runs))
        elif isinstance(block, ListBlock):
            parts += [plain(runs) for _, runs in block.items]
        elif isinstance(block, Table):
            parts += [plain(c) for c in block.header]
            parts += [plain(c) for row in block.rows for c in row]
    return "\n".join(parts)


class Ctx:
    """What a rule sees: the project plus indexes over the documents' text."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.params = project.params
        self.file = str(project.params_path)
        self.sections: list[tuple[Document, Section]] = [
            (doc, s)
            for doc in project.documents
            for s in (*doc.sections, *(s for a in doc.annexes for s in a.sections))
        ]
        self.texts = {(doc.kind, s.clause_id): section_text(s) for doc, s in self.sections}
        self.all_text = "\n".join(self.texts.values())
        #: Derived indexes (sentences, parameter texts) computed once per lint run.
        self.cache: dict[str, Any] = {}

    def line(self, path: str) -> int:
        """The parameter file's line of ``path``, or of its nearest ancestor that has one."""
        lines = self.project.lines
        while path:
            if path in lines:
                return lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return 1

    def clause_file(self, clause_id: str) -> str:
        """The file of a clause (the parameter file when the clause is unknown)."""
        clause = self.project.clause_library.get(clause_id)
        return str(clause.path) if clause else self.file

    def clause_line(self, clause_id: str, needle: str) -> int:
        """The line of a clause file where ``needle`` first occurs (else its body's first line)."""
        clause = self.project.clause_library.get(clause_id)
        if clause is None:
            return 1
        for number, text in enumerate(clause.source.split("\n"), start=1):
            if needle.lower() in text.lower():
                return number
        return clause.body_line

    def definition_file(self, doc: Document) -> str:
        """The document definition a document was assembled from."""
        return doc.definition_path or self.file

    def area_sections(self, area: str) -> list[tuple[Document, Section]]:
        """Every section whose clause belongs to ``area``."""
        out = []
        for doc, section in self.sections:
            clause = self.project.clause_library.get(section.clause_id)
            if clause is not None and clause.meta.area == area:
                out.append((doc, section))
        return out

    def main_document(self) -> Document:
        """The first document of the form (the agreement or the ordinance)."""
        return self.project.documents[0]


def _missing_text(ctx: Ctx, needles: tuple[str, ...], what: str) -> Iterator[tuple[str, int, str]]:
    missing = [n for n in needles if n not in ctx.all_text]
    if missing:
        doc = ctx.main_document()
        yield (
            ctx.definition_file(doc),
            1,
            f"no clause {what} (the documents never mention {', '.join(repr(m) for m in missing)})",
        )


def _covered(ctx: Ctx, kinds: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for doc, section in ctx.sections:
        if doc.kind not in kinds:
            continue
        clause = ctx.project.clause_library.get(section.clause_id)
        if clause is not None:
            found.update(clause.meta.covers)
    return found


def _missing_items(
    ctx: Ctx, items: dict[str, str], kinds: tuple[str, ...], skip: tuple[str, ...] = ()
) -> Iterator[tuple[str, int, str]]:
    covered = _covered(ctx, kinds)
    doc = next((d for d in ctx.project.documents if d.kind in kinds), ctx.main_document())
    for item, what in items.items():
        if item not in covered and item not in skip:
            yield (ctx.definition_file(doc), 1, f"{doc.file} lacks item {item}: {what}")
