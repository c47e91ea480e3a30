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
import zipfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from avtal import __version__
from avtal.build import check_project, render_documents
from avtal.bundle.matter import (
    MANIFEST,
    Attachment,
    PartyBundle,
    Progress,
    _attachments,
    _check_matter,
    _memo,
    _month,
    load_matter,
)
from avtal.document import Document
from avtal.load.model import Party, PartyMatter
from avtal.paths import templates_dir
from avtal.project import Project, load_project


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
