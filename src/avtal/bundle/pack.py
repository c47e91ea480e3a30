"""Council-matter bundles: every file in memory, and the two manifests.

One folder per party with its memo, numbered attachments, a merged PDF/A (and a reading
copy when there are extra attachments) and a zip.

The attachments are the very files ``avtal build`` writes for the same input (same bytes),
renamed ``bilaga-N-…``. ``manifest.json`` lists them with their SHA-256 and the documents'
fingerprints; its own SHA-256 is printed in every memo, so the diarium that registers a
memo holds what ``avtal verify --sha256`` checks the bundle against. The files that print
that hash (memos, merged PDFs, zips) cannot be in the manifest they print the hash of:
``arenden.json`` lists them, and the manifest's hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from avtal import __version__
from avtal.build import check_project, render_documents
from avtal.bundle.matter import (
    MANIFEST,
    SEALS,
    Attachment,
    PartyBundle,
    Progress,
    attachments,
    check_matter,
    load_matter,
)
from avtal.bundle.memo import make_memo
from avtal.clauselib.textfmt import datum
from avtal.document import Document
from avtal.load.model import Party, PartyMatter
from avtal.project import Project, load_project

#: Memo and merged files of a party folder: they print the manifest's hash.
MEMO_FILES = ("tjansteskrivelse.docx", "tjansteskrivelse.pdf")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def _json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def _merged(
    party: Party,
    entry: PartyMatter,
    memo: Document,
    parts: list[Attachment],
    manifest_sha: str,
    reading_copy: str | None,
) -> bytes:
    """The merged PDF/A (``reading_copy`` None) or the reading copy with the extra PDFs."""
    from avtal.bundle.pdf import compile_bundle, page_count
    from avtal.render.pdf import document_data

    reading = reading_copy is not None
    mark = " · Läsexemplar" if reading else ""
    data_parts: list[dict[str, Any]] = [
        {
            "kind": "doc",
            "doc": document_data(memo),
            "stamp": "Läsexemplar" if reading else None,
            "heading": memo.title,
            "label": memo.title,
        }
    ]
    separate: list[dict[str, str]] = []
    extras: dict[str, bytes] = {}
    for att in parts:
        label = att.label
        if att.number is None:
            heading = label
        else:
            heading = f"{label} – {att.document.title if att.document else att.title}"
        if att.document is not None:
            data_parts.append(
                {
                    "kind": "doc",
                    "doc": document_data(att.document),
                    "stamp": label + mark,
                    "heading": heading,
                    "label": label,
                }
            )
        elif reading:
            name = f"extra-{att.number}.pdf"
            extras[name] = att.data
            data_parts.append(
                {
                    "kind": "extra",
                    "file": name,
                    "pages": page_count(att.data, str(att.source)),
                    "stamp": label + mark,
                    "heading": heading,
                    "label": label,
                }
            )
        else:
            separate.append(
                {
                    "label": label,
                    "title": att.title,
                    "file": f"{att.prefix}.pdf",
                    "sha256": sha256(att.data),
                }
            )
    when = memo.date
    meeting = entry.meeting_date or when
    title = f"Ärende {entry.diarienummer}" + (" – läsexemplar" if reading else "")
    note = None
    if reading:
        note = (
            f"Läsexemplar med samtliga bilagor. Filen är inte PDF/A och är inte ärendets "
            f"arkivexemplar; arkivexemplaret är arende-{party.id}.pdf (PDF/A-2b) med "
            "bilagorna som separata filer."
        )
    data = {
        "title": title,
        "subtitle": f"{party.name} · {entry.deciding_body} {datum(meeting)}",
        "date": [when.year, when.month, when.day],
        "keywords": [str(entry.diarienummer), memo.fingerprint, f"manifest-sha256 {manifest_sha}"],
        "note": note,
        "reading": reading,
        "parts": data_parts,
        "separate": separate,
    }
    return compile_bundle(data, when, extras)


def make_bundle(
    params_path: Path,
    clause_dirs: Sequence[Path] = (),
    matter_path: Path | None = None,
    progress: Progress | None = None,
    attachments_dir: Path | None = None,
) -> tuple[dict[str, bytes], list[PartyBundle]]:
    """Every file of the bundle in memory (path -> bytes), and a summary per party."""
    project = load_project(params_path, clause_dirs)
    report = check_project(project)
    source = load_matter(project, matter_path)
    by_party = check_matter(project, source)
    parts = attachments(project, source, attachments_dir)
    built = render_documents(project.documents)
    parties = project.params.parties
    sealed: dict[str, bytes] = {}
    for party in parties:
        for att in parts:
            prefix = f"{party.id}/{att.prefix}"
            if att.document is not None:
                for ext in ("pdf", "docx", "md"):
                    sealed[f"{prefix}.{ext}"] = built[f"{att.stem}.{ext}"]
            else:
                sealed[f"{prefix}.pdf"] = att.data
    manifest = _manifest(project, sealed, parts)
    manifest_sha = sha256(manifest)
    files: dict[str, bytes] = dict(sealed)
    files[MANIFEST] = manifest
    outer: dict[str, bytes] = {}
    summary: list[PartyBundle] = []
    extra = any(att.document is None for att in parts)
    from avtal.render.docx import render_docx
    from avtal.render.pdf import render_pdf

    for index, party in enumerate(parties, start=1):
        if progress is not None:
            progress(index, len(parties), party.name)
        entry = by_party[party.id]
        memo = make_memo(project, source, party, entry, parts, report, manifest_sha, clause_dirs)
        own: dict[str, bytes] = {
            "tjansteskrivelse.docx": render_docx(memo),
            "tjansteskrivelse.pdf": render_pdf(memo),
        }
        merged = f"arende-{party.id}.pdf"
        own[merged] = _merged(party, entry, memo, parts, manifest_sha, None)
        reading = f"arende-{party.id}-lasexemplar.pdf" if extra else None
        if reading is not None:
            own[reading] = _merged(party, entry, memo, parts, manifest_sha, reading)
        for name, data in own.items():
            outer[f"{party.id}/{name}"] = data
        whole = {n: d for n, d in files.items() if n.startswith(f"{party.id}/")}
        whole.update({f"{party.id}/{n}": d for n, d in own.items()})
        outer[f"{party.id}.zip"] = _zip(whole)
        names = sorted(n.split("/", 1)[1] for n in whole)
        summary.append(PartyBundle(party.name, party.id, names, merged, reading))
    files.update(outer)
    files[SEALS] = _json(
        {
            "manifest_sha256": manifest_sha,
            "parties": [asdict(p) for p in summary],
            "files": {name: sha256(data) for name, data in sorted(outer.items())},
        }
    )
    return files, summary


def _manifest(project: Project, sealed: dict[str, bytes], parts: list[Attachment]) -> bytes:
    return _json(
        {
            "tool": {"name": "avtal", "version": __version__},
            "params": project.params_path.name,
            "documents": [
                {"file": d.file, "title": d.title, "fingerprint": d.fingerprint}
                for d in project.documents
            ],
            "attachments": [
                {"number": a.number, "title": a.title, "file": a.stem, "prefix": a.prefix}
                for a in parts
            ],
            "parties": [p.id for p in project.params.parties],
            "files": {name: sha256(data) for name, data in sorted(sealed.items())},
        }
    )
