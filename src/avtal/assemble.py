"""Assemble a Document from parameters, the clause library and a document definition.

Numbers and cross-references are settled here, once: clause bodies are rendered with
``ref()`` leaving a token, the blocks are numbered, then every token is replaced by its
label ("punkt 6.2", "3 §", "bilaga 1").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from avtal.clauselib.clauses import Clause, Library
from avtal.clauselib.definitions import Definition, Slot
from avtal.clauselib.jinja_env import (
    REF_CLOSE,
    REF_OPEN,
    REF_RANGE,
    SENTINELS,
    TemplateProblem,
    compile_template,
    render,
)
from avtal.clauselib.markup import MarkupError, parse_blocks
from avtal.document import (
    Annex,
    Block,
    ClauseUse,
    Document,
    Inline,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Signature,
    Subheading,
    Table,
    UnresolvedRef,
)
from avtal.errors import ClauseError
from avtal.load.model import Params
from avtal.load.yamlio import LineMap, read_bytes

_REF = re.compile(re.escape(REF_OPEN) + r"(.*?)" + re.escape(REF_CLOSE))


def _strip(text: str) -> str:
    return text.translate({ord(c): None for c in SENTINELS})


def _render(env: SandboxedEnvironment, clause: Clause, context: dict[str, Any]) -> str:
    filename = str(clause.path)
    try:
        return render(compile_template(env, clause.source, filename), context, filename)
    except TemplateProblem as exc:
        where = f"{filename}:{exc.line}" if exc.line else filename
        raise ClauseError(f"{where}: clause {clause.id}: {exc.message}") from None


class _Assembler:
    def __init__(
        self,
        params: Params,
        context: dict[str, Any],
        library: Library,
        env: SandboxedEnvironment,
        definition: Definition,
        def_path: Path,
        def_lines: LineMap,
        external: dict[str, str] | None = None,
    ) -> None:
        self.external = external or {}
        self.params = params
        self.context = context
        self.clause_library = library
        self.env = env
        self.definition = definition
        self.def_path = def_path
        self.def_lines = def_lines
        self.aliases: dict[str, str] = {}

    def _where(self, path: str) -> str:
        line = self.def_lines.get(path)
        return f"{self.def_path}:{line}" if line else str(self.def_path)

    def _applies(self, when: str | None, path: str) -> bool:
        if when is None:
            return True
        try:
            # An expression is a template that prints one value; going through
            # compile_template shares its cache of compiled code.
            source = "{{ (" + when + ") | _avtal_condition }}"
            filename = f"{self.def_path}#when"
            template = compile_template(self.env, source, filename)
            return bool(_strip(render(template, self.context, filename)))
        except TemplateProblem as exc:
            raise ClauseError(f"{self._where(path)}: condition {when!r}: {exc.message}") from None

    def _clause(self, slot: Slot, path: str) -> Clause:
        clause = self.clause_library.get(slot.clause)
        if clause is None:
            raise ClauseError(
                f"{self._where(path)}: no clause with id {slot.clause!r} in the library"
            )
        if self.params.form not in clause.meta.forms:
            raise ClauseError(
                f"{self._where(path)}: clause {clause.id} ({clause.path}) is not for form "
                f"{self.params.form!r}"
            )
        return clause

    def _select(self, slots: list[Slot], base: str) -> list[Clause]:
        chosen = []
        for index, slot in enumerate(slots):
            path = f"{base}[{index}]"
            if self._applies(slot.when, f"{path}.when"):
                chosen.append(self._clause(slot, f"{path}.clause"))
                if slot.alias:
                    self.aliases[chosen[-1].id] = slot.alias
        return chosen

    def _blocks(self, clause: Clause) -> list[Block]:
        text = _render(self.env, clause, self.context)
        try:
            return parse_blocks(text)
        except MarkupError as exc:
            raise ClauseError(f"{clause.path}: clause {clause.id}: {exc}") from None

    def run(self) -> Document:
        d = self.definition
        main = self._select(d.sections, "sections")
        annex_clauses: list[tuple[int, list[Clause]]] = []
        for index, annex in enumerate(d.annexes):
            if self._applies(annex.when, f"annexes[{index}].when"):
                annex_clauses.append(
                    (index, self._select(annex.sections, f"annexes[{index}].sections"))
                )

        labels: dict[str, str] = {}
        origin: dict[str, Clause] = {}
        sections: list[Section] = []
        counter = 0
        for number, clause in enumerate(main, start=1):
            blocks = self._blocks(clause)
            section_no = str(number) if d.numbering == "sections" else None
            numbered: list[Block] = []
            sub = 0
            for block in blocks:
                if isinstance(block, Paragraph) and clause.meta.numbered:
                    if d.numbering == "none":
                        numbered.append(block)
                        continue
                    if d.numbering == "sections":
                        sub += 1
                        label = f"{number}.{sub}"
                        ref_label = f"punkt {label}"
                    else:
                        counter += 1
                        label = f"{counter} §"
                        ref_label = label
                    if block.anchor:
                        labels[f"{clause.id}#{block.anchor}"] = ref_label
                    if clause.id not in labels and d.numbering == "paragraphs":
                        labels[clause.id] = ref_label
                    block = replace(block, number=label)
                elif isinstance(block, Paragraph) and block.anchor:
                    labels[f"{clause.id}#{block.anchor}"] = (
                        f"punkt {number}" if section_no else clause.meta.title
                    )
                numbered.append(block)
            if section_no:
                labels[clause.id] = f"punkt {section_no}"
            origin[clause.id] = clause
            sections.append(Section(clause.meta.title, clause.id, section_no, tuple(numbered)))

        annexes: list[Annex] = []
        for position, (index, clauses) in enumerate(annex_clauses, start=1):
            annex_def = d.annexes[index]
            label = f"Bilaga {position}"
            labels[annex_def.id] = f"bilaga {position}"
            annex_sections = []
            for clause in clauses:
                blocks = self._blocks(clause)
                origin[clause.id] = clause
                labels.setdefault(clause.id, f"bilaga {position}")
                annex_sections.append(Section(clause.meta.title, clause.id, None, tuple(blocks)))
            annexes.append(Annex(annex_def.id, label, annex_def.title, tuple(annex_sections)))

        for clause_id, alias in self.aliases.items():
            for target, label in list(labels.items()):
                if target == clause_id or target.startswith(clause_id + "#"):
                    labels.setdefault(alias + target[len(clause_id) :], label)
        for target, label in self.external.items():
            labels.setdefault(target, label)
        resolver = _Resolver(labels, origin)
        sections = [resolver.section(s) for s in sections]
        annexes = [
            replace(a, sections=tuple(resolver.section(s) for s in a.sections)) for a in annexes
        ]
        signatures: tuple[Signature, ...] = ()
        if d.signatures:
            signatures = tuple(
                Signature(p.name, p.seat, p.signatory.name, p.signatory.title)
                for p in self.params.parties
            )
        used = [*main, *(c for _, cs in annex_clauses for c in cs)]
        meta = self.params.document
        return Document(
            kind=d.id,
            file=d.file,
            title=self._text(d.title, "title"),
            subtitle=self._text(d.subtitle, "subtitle") if d.subtitle else "",
            doc_id=f"{meta.id}{d.id_suffix}",
            version=meta.version,
            date=meta.date,
            status=meta.status,
            sections=tuple(sections),
            annexes=tuple(annexes),
            signatures=signatures,
            clauses=tuple(
                ClauseUse(c.id, c.meta.version, c.sha256, c.path.as_posix()) for c in used
            ),
            definition_path=str(self.def_path),
            definition_sha256=hashlib.sha256(
                read_bytes(self.def_path, "document definition")
            ).hexdigest(),
            unresolved=tuple(resolver.unresolved),
        )

    def _text(self, source: str, path: str) -> str:
        filename = f"{self.def_path}#{path}"
        try:
            return _strip(
                render(compile_template(self.env, source, filename), self.context, filename)
            )
        except TemplateProblem as exc:
            raise ClauseError(f"{self._where(path)}: {exc.message}") from None


class _Resolver:
    """Replace reference tokens by labels; an unknown target names the clause and line."""

    def __init__(self, labels: dict[str, str], origin: dict[str, Clause]) -> None:
        self.labels = labels
        self.origin = origin
        self.unresolved: list[UnresolvedRef] = []

    def section(self, section: Section) -> Section:
        clause = self.origin[section.clause_id]
        return replace(section, blocks=tuple(self._block(b, clause) for b in section.blocks))

    def _label(self, target: str, clause: Clause) -> str:
        if REF_RANGE in target:
            first, last = (self._label(end, clause) for end in target.split(REF_RANGE, 1))
            return _range_label(first, last)
        if target in self.labels:
            return self.labels[target]
        line = next(
            (n for n, text in enumerate(clause.source.split("\n"), start=1) if target in text),
            clause.body_line,
        )
        self.unresolved.append(UnresolvedRef(clause.id, str(clause.path), line, target))
        return f"[hänvisning saknas: {target}]"

    def _runs(self, runs: Inline, clause: Clause) -> Inline:
        out: list[Run] = []
        for run in runs:
            pieces = _REF.split(run.text)  # text, target, text, target, …, text
            for index, piece in enumerate(pieces):
                if index % 2:
                    out.append(Run(self._label(piece, clause), run.bold, run.italic, ref=piece))
                elif piece:
                    out.append(Run(piece, run.bold, run.italic))
        return tuple(out)

    def _block(self, block: Block, clause: Clause) -> Block:
        if isinstance(block, Paragraph | Subheading):
            return replace(block, runs=self._runs(block.runs, clause))
        if isinstance(block, ListBlock):
            return replace(
                block, items=tuple((lab, self._runs(r, clause)) for lab, r in block.items)
            )
        if isinstance(block, Table):
            return replace(
                block,
                header=tuple(self._runs(c, clause) for c in block.header),
                rows=tuple(tuple(self._runs(c, clause) for c in row) for row in block.rows),
            )
        return block


def _range_label(first: str, last: str) -> str:
    """Two labels as one range: "punkterna 9.1–9.2" for points, "49–50 §§" for paragraphs."""
    if first.startswith("punkt ") and last.startswith("punkt "):
        return f"punkterna {first[6:]}–{last[6:]}"
    if first.endswith(" §") and last.endswith(" §"):
        return f"{first[:-2]}–{last[:-2]} §§"
    return f"{first}–{last}"


def assemble(
    params: Params,
    context: dict[str, Any],
    library: Library,
    env: SandboxedEnvironment,
    definition: Definition,
    def_path: Path,
    def_lines: LineMap,
    external: dict[str, str] | None = None,
) -> Document:
    """Assemble one document; raises :class:`ClauseError` naming the file at fault.

    ``external`` holds the labels of documents assembled before this one (see
    :func:`document_labels`), so that a clause may cite a point of another document of the
    same cooperation, e.g. ``ref("samverkansavtal:avtalssamverkan.tvister")``.
    """
    return _Assembler(
        params, context, library, env, definition, def_path, def_lines, external
    ).run()


def document_labels(doc: Document) -> dict[str, str]:
    """The labels by which another document cites ``doc``'s points: "FILE:clause[#anchor]"."""
    labels: dict[str, str] = {}
    for section in doc.sections:
        key = f"{doc.file}:{section.clause_id}"
        if section.number:
            labels[key] = f"punkt {section.number}"
        for block in section.blocks:
            number = getattr(block, "number", None)
            if number is None:
                continue
            label = number if number.endswith(" §") else f"punkt {number}"
            labels.setdefault(key, label)
            anchor = getattr(block, "anchor", None)
            if anchor:
                labels[f"{key}#{anchor}"] = label
    return labels
