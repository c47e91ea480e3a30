"""Council-matter data, attachments and the memo of each party."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from avtal.assemble import assemble
from avtal.check import Report
from avtal.document import Document
from avtal.errors import InputError, Problem
from avtal.library.context import build_context
from avtal.library.definitions import definitions_for
from avtal.library.jinja_env import make_environment
from avtal.load.model import Matter, Party, PartyMatter
from avtal.load.params import problems_from_validation
from avtal.load.yamlio import load_yaml
from avtal.paths import clauses_dir, templates_dir
from avtal.project import Project
from avtal.review.provenance import fingerprint

MANIFEST = "manifest.json"
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Attachment:
    """One numbered attachment of a matter."""

    number: int
    title: str
    kind: str
    stem: str
    document: Document | None = None
    source: Path | None = None


@dataclass
class PartyBundle:
    """What was made for one party."""

    party: str
    folder: str
    files: list[str]
    merged: str


def load_matter(project: Project, matter_path: Path | None) -> Matter:
    """The matter data, from ``--matter FILE`` or the parameter file's ``matter:``."""
    if matter_path is not None:
        data, lines = load_yaml(matter_path, what="matter file")
        try:
            return Matter.model_validate(data)
        except ValidationError as exc:
            raise InputError(
                f"{matter_path}: invalid matter file",
                problems_from_validation(exc, str(matter_path), lines),
            ) from None
    if project.params.matter is None:
        raise InputError(
            f"{project.params_path}: no matter data; add `matter:` to the parameter file or "
            "pass --matter FILE"
        )
    return project.params.matter


def _check_matter(
    project: Project, matter: Matter, where: str, lines: dict[str, int]
) -> dict[str, PartyMatter]:
    """Every party has complete matter data; each problem names the party."""
    by_party = {entry.party: entry for entry in matter.parties}
    problems: list[Problem] = []
    for party in project.params.parties:
        entry = by_party.get(party.id)
        if entry is None:
            problems.append(
                Problem(
                    where,
                    lines.get("matter.parties"),
                    "matter.parties",
                    f"no matter data for {party.name} ({party.id})",
                )
            )
            continue
        index = matter.parties.index(entry)
        for key in ("diarienummer", "deciding_body", "meeting_date", "handlaggare"):
            if getattr(entry, key) is None:
                path = f"matter.parties[{index}]"
                problems.append(
                    Problem(
                        where,
                        lines.get(path),
                        f"{path}.{key}",
                        f"missing for {party.name} ({party.id})",
                    )
                )
    if problems:
        raise InputError(f"{where}: matter data is incomplete", problems)
    return by_party


def _attachments(project: Project, matter: Matter, base: Path) -> list[Attachment]:
    out: list[Attachment] = []
    for doc in project.documents:
        # "Samverkansavtal" + "om inköpsverksamheten …" reads as one title; other subtitles
        # ("Bilaga till …", "gemensam nämnd för …") describe rather than name.
        title = f"{doc.title} {doc.subtitle}" if doc.subtitle.startswith("om ") else doc.title
        out.append(Attachment(len(out) + 1, title, doc.kind, doc.file, document=doc))
    for extra in matter.attachments:
        source = (base / extra.file).resolve()
        if not source.is_file():
            raise InputError(f"{base / extra.file}: attachment {extra.title!r} not found")
        if not source.read_bytes()[:5] == b"%PDF-":
            raise InputError(f"{source}: attachment {extra.title!r} is not a PDF")
        stem = Path(extra.file).stem
        out.append(Attachment(len(out) + 1, extra.title, "extra", stem, source=source))
    return out


def _memo(
    project: Project,
    matter: Matter,
    party: Party,
    entry: PartyMatter,
    attachments: list[Attachment],
    report: Report,
    clause_dirs: Sequence[Path],
) -> Document:
    context = build_context(project.params)
    arende = entry.model_dump()
    arende["party"] = next(p for p in context["parties"] if p["id"] == party.id)
    arende["replaces"] = context["replaces"]
    context["arende"] = arende
    context["bilagor"] = [
        {"number": a.number, "title": a.title, "kind": a.kind, "file": a.stem} for a in attachments
    ]
    context["granskning"] = {"errors": len(report.errors), "warnings": len(report.warnings)}
    env = make_environment([clauses_dir(), *clause_dirs])
    found = definitions_for(project.params.form, [templates_dir(), *clause_dirs], role="matter")
    if not found:
        raise InputError(f"no council-matter memo definition for form {project.params.form!r}")
    def_path, definition, def_lines = found[0]
    doc = assemble(
        project.params, context, project.clause_library, env, definition, def_path, def_lines
    )
    doc = replace(doc, doc_id=f"{entry.diarienummer}", date=entry.meeting_date or doc.date)
    return replace(doc, fingerprint=fingerprint(project.params, doc))


def _month(month: int) -> str:
    from avtal.library.textfmt import manad

    return manad(month)
