"""Council-matter data and attachments: where they come from and that they are complete."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from avtal.clauselib.textfmt import lista
from avtal.document import Document
from avtal.errors import InputError, Problem
from avtal.load.model import Matter, PartyMatter
from avtal.load.model.base import Strict
from avtal.load.params import problems_from_validation
from avtal.load.yamlio import load_yaml
from avtal.project import Project

MANIFEST = "manifest.json"
#: The second manifest: the files that print the first one's SHA-256 (memos, merged PDFs, zips).
SEALS = "arenden.json"
#: An extra attachment larger than this is refused before it is read.
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Attachment:
    """One attachment of a matter: numbered, or the main agreement whose annexes are numbered.

    ``internal`` names the main agreement's annexes that are inside its own file
    ("bilagorna 1 och 2"); ``number`` is None for the main agreement.
    """

    number: int | None
    title: str
    kind: str
    stem: str
    document: Document | None = None
    source: Path | None = None
    data: bytes = b""
    internal: str = ""

    @property
    def label(self) -> str:
        """The label: "Bilaga 3", or the main agreement's title ("Samverkansavtal")."""
        if self.number is None and self.document is not None:
            return self.document.title
        return f"Bilaga {self.number}"

    @property
    def prefix(self) -> str:
        """The file name without extension: ``bilaga-3-arbetsordning`` or ``samverkansavtal``."""
        return self.stem if self.number is None else f"bilaga-{self.number}-{self.stem}"


@dataclass
class PartyBundle:
    """What was made for one party."""

    party: str
    folder: str
    files: list[str]
    merged: str
    reading_copy: str | None = None


@dataclass(frozen=True)
class MatterSource:
    """Matter data and where it was written: file, line map and path prefix."""

    matter: Matter
    file: Path
    lines: dict[str, int]
    prefix: str

    def line(self, path: str) -> int | None:
        """The line of a matter path (``parties[1]``), or of its nearest ancestor."""
        full = f"{self.prefix}{path}"
        while full:
            if full in self.lines:
                return self.lines[full]
            cut = max(full.rfind("."), full.rfind("["))
            full = full[:cut] if cut > 0 else ""
        return None

    def problem(self, path: str, message: str) -> Problem:
        """A located problem in the matter data."""
        return Problem(str(self.file), self.line(path), f"{self.prefix}{path}", message)


class _MatterFile(Strict):
    matter: Matter


def load_matter(project: Project, matter_path: Path | None) -> MatterSource:
    """The matter data, from ``--matter FILE`` or the parameter file's ``matter:``.

    A matter file holds what ``matter:`` holds, at its top level; its errors name the
    file, the line and the path inside it, like the parameter file's.
    """
    if matter_path is not None:
        data, lines = load_yaml(matter_path, what="matter file")
        try:
            parsed = _MatterFile.model_validate({"matter": data})
        except ValidationError as exc:
            prefixed = {("matter." + k if k else "matter"): v for k, v in lines.items()}
            problems = [
                Problem(p.file, p.line, p.path.removeprefix("matter").lstrip("."), p.message)
                for p in problems_from_validation(exc, str(matter_path), prefixed)
            ]
            raise InputError(f"{matter_path}: invalid matter file", problems) from None
        return MatterSource(parsed.matter, matter_path, lines, "")
    if project.params.matter is None:
        raise InputError(
            f"{project.params_path}: no matter data; add `matter:` to the parameter file or "
            "pass --matter FILE"
        )
    return MatterSource(project.params.matter, project.params_path, project.lines, "matter.")


def check_matter(project: Project, source: MatterSource) -> dict[str, PartyMatter]:
    """Every party has complete matter data; each problem names the party, file and line."""
    matter = source.matter
    by_party = {entry.party: entry for entry in matter.parties}
    known = {p.id for p in project.params.parties}
    problems: list[Problem] = []
    for index, entry in enumerate(matter.parties):
        if entry.party not in known:
            problems.append(
                source.problem(f"parties[{index}].party", f"no party with id {entry.party!r}")
            )
    for party in project.params.parties:
        found = by_party.get(party.id)
        if found is None:
            problems.append(
                source.problem("parties", f"no matter data for {party.name} ({party.id})")
            )
            continue
        entry = found
        index = matter.parties.index(entry)
        for key in ("diarienummer", "deciding_body", "meeting_date", "handlaggare"):
            if getattr(entry, key) is None:
                problems.append(
                    source.problem(
                        f"parties[{index}].{key}", f"missing for {party.name} ({party.id})"
                    )
                )
        if project.params.form != "bolag" and (entry.board_members or entry.lay_auditors):
            problems.append(
                source.problem(f"parties[{index}]", "board_members and lay_auditors: bolag only")
            )
    if matter.background is None:
        # activity.description tells the cooperation as the agreement does, as agreed; a memo
        # has to present it as a proposal, so the clerk writes the Bakgrund.
        problems.append(
            source.problem(
                "background",
                "missing: the memo's Bakgrund, worded as a proposal (activity.description "
                "tells the cooperation as agreed, not as proposed)",
            )
        )
    if matter.economy.first_budget is not None and project.params.costs is None:
        problems.append(source.problem("economy.first_budget", "needs `costs:` for the shares"))
    if problems:
        raise InputError(f"{source.file}: matter data is incomplete", problems)
    return by_party


def read_attachment(source: MatterSource, index: int, folder: Path) -> tuple[Path, bytes]:
    """Read one extra attachment, confined to ``folder``; only a regular PDF file passes."""
    extra = source.matter.attachments[index]
    path = f"attachments[{index}].file"
    root = folder.resolve()
    target = (root / extra.file).resolve()
    if not target.is_relative_to(root):
        raise InputError(
            f"{source.file}: an attachment must stay inside {root}",
            [source.problem(path, f"{extra.file!r} leads outside the folder")],
        )
    try:
        info = os.stat(target)
    except OSError:
        raise InputError(
            f"{source.file}: attachment not found",
            [source.problem(path, f"{extra.title!r}: {target} not found")],
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{source.file}: attachment is not a regular file",
            [source.problem(path, f"{target} is not a regular file")],
        )
    if info.st_size > MAX_ATTACHMENT_BYTES:
        raise InputError(
            f"{source.file}: attachment too large",
            [
                source.problem(
                    path, f"{target} is {info.st_size} bytes; the limit is {MAX_ATTACHMENT_BYTES}"
                )
            ],
        )
    data = target.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise InputError(
            f"{source.file}: attachment is not a PDF",
            [source.problem(path, f"{extra.title!r}: {target} is not a PDF")],
        )
    return target, data


def attachments(
    project: Project, source: MatterSource, folder: Path | None = None
) -> list[Attachment]:
    """The documents of the build, then the extra attachments, numbered in that order.

    Extra attachments are read from ``folder``, by default the folder of the file that
    holds the matter data; a path that leads outside it (``..``, a symbolic link) is refused.
    """
    out: list[Attachment] = []
    # A document that is an annex of another (annex id "bilaga.<kind>" in the other's
    # definition) keeps that annex's number, so agreement, memo and bundle say the same.
    kinds = {doc.kind for doc in project.documents}
    annex_of: dict[str, int] = {}
    hosts: dict[str, list[str]] = {}
    for doc in project.documents:
        for annex in doc.annexes:
            digits = annex.label.rsplit(" ", 1)[-1]
            if not digits.isdigit():
                continue
            annex_no = int(digits)
            kind = annex.id.removeprefix("bilaga.")
            if annex.id.startswith("bilaga.") and kind in kinds and kind != doc.kind:
                annex_of[kind] = annex_no
                hosts.setdefault(doc.kind, [])
            else:
                hosts.setdefault(doc.kind, []).append(str(annex_no))
    # A document whose own file holds numbered annexes is listed by its title, and the
    # numbers of those annexes are not used again: one label, one thing, in the whole matter.
    used = set(annex_of.values()) | {int(n) for inner in hosts.values() for n in inner}
    next_number = 1
    for doc in project.documents:
        # "Samverkansavtal" + "om inköpsverksamheten …" reads as one title; other subtitles
        # ("Bilaga till …", "gemensam nämnd för …") describe rather than name.
        title = f"{doc.title} {doc.subtitle}" if doc.subtitle.startswith("om ") else doc.title
        if doc.kind in annex_of:
            number: int | None = annex_of[doc.kind]
        elif doc.kind in hosts:
            number = None
        else:
            while next_number in used:
                next_number += 1
            number = next_number
            used.add(number)
        inner: list[str] = hosts.get(doc.kind, []) if number is None else []
        internal = ""
        if inner:
            internal = ("bilaga " if len(inner) == 1 else "bilagorna ") + lista(inner)
        out.append(Attachment(number, title, doc.kind, doc.file, document=doc, internal=internal))
    next_number = max(used | {len(doc.annexes) for doc in project.documents}, default=0) + 1
    base = folder if folder is not None else source.file.resolve().parent
    for index, extra in enumerate(source.matter.attachments):
        path, data = read_attachment(source, index, base)
        stem = Path(extra.file).stem
        out.append(Attachment(next_number, extra.title, "extra", stem, source=path, data=data))
        next_number += 1
    return out
