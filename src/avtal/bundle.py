"""Council-matter bundles, and their verification.

One folder per party with its memo, numbered attachments, a merged PDF/A and a zip, and
one manifest over everything.

The attachments are the very files ``avtal build`` writes for the same input (same bytes),
renamed ``bilaga-N-…``. The merged PDF stamps every page of an attachment with its number.
Extra attachments supplied by the user (e.g. the investigation) are PDFs of unknown
conformance: they are numbered and kept as separate files, and the merged PDF/A lists them
with their SHA-256 instead of embedding them, so that the merged file stays PDF/A.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from avtal import __version__
from avtal.assemble import assemble
from avtal.build import Project, check_project, load_project, render_documents
from avtal.context import build_context
from avtal.definitions import definitions_for
from avtal.document import Document
from avtal.errors import InputError, OutputError, Problem
from avtal.jinja_env import make_environment
from avtal.lint import Report
from avtal.model import Matter, Party, PartyMatter
from avtal.output import signals_held
from avtal.params import problems_from_validation
from avtal.paths import clauses_dir, templates_dir
from avtal.provenance import fingerprint
from avtal.yamlio import load_yaml

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
    arende["replaces"] = matter.replaces.model_dump() if matter.replaces else None
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


def _merged_pdf(
    party: Party,
    entry: PartyMatter,
    memo: Document,
    attachments: list[Attachment],
    separate: list[dict[str, str]],
    when: dt.date,
) -> bytes:
    from avtal.render.pdf import compile_pdf, document_data

    docs = [{"doc": document_data(memo), "stamp": None, "heading": memo.title}]
    for att in attachments:
        if att.document is not None:
            docs.append(
                {
                    "doc": document_data(att.document),
                    "stamp": f"Bilaga {att.number}",
                    "heading": f"Bilaga {att.number} – {att.document.title}",
                }
            )
    data = {
        "title": f"Ärende {entry.diarienummer}",
        "subtitle": f"{party.name} · {entry.deciding_body} {when.day} {_month(when.month)} "
        f"{when.year}",
        "date": [when.year, when.month, when.day],
        "keywords": [str(entry.diarienummer), memo.fingerprint],
        "docs": docs,
        "separate": separate,
    }
    inputs = {"bundle": json.dumps(data, ensure_ascii=False, sort_keys=True)}
    return compile_pdf(templates_dir() / "bundle.typ", inputs, when)


def _month(month: int) -> str:
    from avtal.textfmt import manad

    return manad(month)


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_bundle(
    params_path: Path,
    clause_dirs: Sequence[Path] = (),
    matter_path: Path | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, bytes], list[PartyBundle]]:
    """Every file of the bundle in memory (path -> bytes), and a summary per party."""
    project = load_project(params_path, clause_dirs)
    report = check_project(project)
    matter = load_matter(project, matter_path)
    where = str(matter_path or params_path)
    lines = {} if matter_path else project.lines
    by_party = _check_matter(project, matter, where, lines)
    base = (matter_path or params_path).resolve().parent
    attachments = _attachments(project, matter, base)
    built = render_documents(project.documents)
    files: dict[str, bytes] = {}
    summary: list[PartyBundle] = []
    parties = project.params.parties
    for index, party in enumerate(parties, start=1):
        if progress is not None:
            progress(index, len(parties), party.name)
        entry = by_party[party.id]
        folder = party.id
        memo = _memo(project, matter, party, entry, attachments, report, clause_dirs)
        from avtal.render.docx import render_docx
        from avtal.render.pdf import render_pdf

        own: dict[str, bytes] = {
            "tjansteskrivelse.docx": render_docx(memo),
            "tjansteskrivelse.pdf": render_pdf(memo),
        }
        separate = []
        for att in attachments:
            prefix = f"bilaga-{att.number}-{att.stem}"
            if att.document is not None:
                for ext in ("pdf", "docx", "md"):
                    own[f"{prefix}.{ext}"] = built[f"{att.stem}.{ext}"]
            elif att.source is not None:
                data = att.source.read_bytes()
                own[f"{prefix}.pdf"] = data
                separate.append(
                    {
                        "label": f"Bilaga {att.number}",
                        "title": att.title,
                        "file": f"{prefix}.pdf",
                        "sha256": _sha(data),
                    }
                )
        when = entry.meeting_date or project.params.document.date
        merged = f"arende-{party.id}.pdf"
        own[merged] = _merged_pdf(party, entry, memo, attachments, separate, when)
        for name, data in own.items():
            files[f"{folder}/{name}"] = data
        files[f"{folder}.zip"] = _zip({f"{folder}/{n}": d for n, d in own.items()})
        summary.append(PartyBundle(party.name, folder, sorted(own), merged))
    files[MANIFEST] = _manifest(project, files, summary, attachments)
    return files, summary


def _manifest(
    project: Project,
    files: dict[str, bytes],
    summary: list[PartyBundle],
    attachments: list[Attachment],
) -> bytes:
    data = {
        "tool": {"name": "avtal", "version": __version__},
        "params": project.params_path.name,
        "documents": [
            {"file": d.file, "title": d.title, "fingerprint": d.fingerprint}
            for d in project.documents
        ],
        "attachments": [
            {"number": a.number, "title": a.title, "file": a.stem} for a in attachments
        ],
        "parties": [asdict(p) for p in summary],
        "files": {name: _sha(data) for name, data in sorted(files.items())},
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def write_tree(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write a whole folder tree so that it appears complete or not at all.

    The tree is written beside ``out_dir`` and renamed into place; an existing ``out_dir``
    is moved aside first and removed only after the new one is in place.
    """
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=parent))
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write here: {exc.strerror}") from None
    old: Path | None = None
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
            raise OutputError(f"{out_dir}: exists and is not a folder; not replaced")
        if out_dir.is_dir() and any(out_dir.iterdir()) and not _is_bundle(out_dir):
            raise OutputError(
                f"{out_dir}: exists and is not an avtal bundle; choose a new or empty folder "
                "(a bundle folder is replaced whole)"
            )
        with signals_held():
            if out_dir.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=parent))
                os.replace(out_dir, old / "tree")
            os.replace(staging, out_dir)
    except OSError as exc:
        if old is not None and not out_dir.exists():
            os.replace(old / "tree", out_dir)
        raise OutputError(f"{out_dir}: cannot write the bundle: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _is_bundle(folder: Path) -> bool:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "parties" in data and "files" in data


def bundle(
    params_path: Path,
    out_dir: Path,
    clause_dirs: Sequence[Path] = (),
    matter_path: Path | None = None,
    progress: Progress | None = None,
) -> list[PartyBundle]:
    """Make every party's council matter and write them into ``out_dir``."""
    files, summary = make_bundle(params_path, clause_dirs, matter_path, progress)
    write_tree(out_dir, files)
    return summary


def verify(folder: Path) -> list[str]:
    """Check a bundle against its manifest; return the problems (empty when it is intact)."""
    manifest_path = folder / MANIFEST
    try:
        listed: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        raise InputError(f"{manifest_path}: no manifest; is this a bundle folder?") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InputError(f"{manifest_path}: not a valid bundle manifest") from None
    present = {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()
    } - {MANIFEST}
    problems = []
    for name in sorted(set(listed) - present):
        problems.append(f"missing: {name}")
    for name in sorted(present - set(listed)):
        problems.append(f"extra: {name}")
    for name in sorted(set(listed) & present):
        path = folder / name
        if path.is_symlink():
            problems.append(f"changed: {name} (a symbolic link)")
        elif _sha(path.read_bytes()) != listed[name]:
            problems.append(f"changed: {name}")
    return problems
