"""Verifying a bundle folder, or a build folder, against its manifests.

A bundle has two manifests: ``manifest.json`` (the attachments, with the documents'
fingerprints), whose SHA-256 each memo prints, and ``arenden.json`` (the memos, merged
PDFs and zips, which print that hash). A build folder has ``manifest.json`` with its
``outputs``. Every manifest is checked against a schema before it is trusted, and only
regular files are read, so a hostile folder gives a clear error, never a hang.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from avtal.bundle.matter import MANIFEST, SEALS
from avtal.errors import InputError

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_CHUNK = 1 << 20
#: Compression methods of the zips avtal writes; any other member is reported, never read.
_ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_ZIP_ENCRYPTED = 0x1
M = TypeVar("M", bound=BaseModel)
Sha = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


def _relative(value: str) -> str:
    path = PurePosixPath(value)
    if (
        not value
        or path.is_absolute()
        or "\\" in value
        or any(part in ("", ".", "..") for part in value.split("/"))
        or any(unicodedata.category(c).startswith("C") for c in value)
    ):
        raise ValueError(f"{value!r} is not a plain relative path inside the folder")
    return value


RelPath = Annotated[str, AfterValidator(_relative)]


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class _DocumentEntry(_Loose):
    file: RelPath
    fingerprint: Annotated[str, Field(pattern=r"^(sha256:[0-9a-f]{64})?$")]


class _Attachment(_Loose):
    number: int | None
    file: str
    prefix: str | None = None


class BundleManifest(_Loose):
    """``manifest.json`` of a bundle."""

    documents: list[_DocumentEntry]
    attachments: list[_Attachment]
    files: dict[RelPath, Sha]


class Seals(_Loose):
    """``arenden.json`` of a bundle."""

    manifest_sha256: Sha
    files: dict[RelPath, Sha]


class BuildManifest(_Loose):
    """``manifest.json`` of a build folder."""

    documents: list[_DocumentEntry]
    outputs: dict[RelPath, Sha]


def _regular(path: Path, what: str) -> os.stat_result:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no {what}; is this a bundle or build folder?") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: the {what} is not a regular file")
    return info


def _read_manifest(path: Path, model: type[M], what: str) -> tuple[M, bytes]:
    info = _regular(path, what)
    if info.st_size > MAX_MANIFEST_BYTES:
        raise InputError(
            f"{path}: the {what} is {info.st_size} bytes; the limit is {MAX_MANIFEST_BYTES}"
        )
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: the {what} is not valid JSON: {exc}") from None
    try:
        return model.model_validate(data), raw
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            where = ".".join(str(p) for p in error["loc"]) or "(top level)"
            lines.append(f"  {where}: {error['msg']}")
        raise InputError(f"{path}: not a valid {what}:\n" + "\n".join(lines[:20])) from None


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _present(folder: Path) -> dict[str, int]:
    """Every entry below ``folder`` that is not a folder: relative path -> st_mode."""
    out: dict[str, int] = {}
    for top, dirs, names in os.walk(folder, followlinks=False):
        base = Path(top)
        for name in names + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            out[path.relative_to(folder).as_posix()] = os.lstat(path).st_mode
    return out


def _check_files(folder: Path, listed: dict[str, str], present: dict[str, int]) -> list[str]:
    problems = []
    for name in sorted(listed):
        mode = present.get(name)
        if mode is None:
            problems.append(f"missing: {name}")
        elif stat.S_ISLNK(mode):
            problems.append(f"changed: {name} (a symbolic link)")
        elif not stat.S_ISREG(mode):
            problems.append(f"changed: {name} (not a regular file)")
        elif _hash_file(folder / name) != listed[name]:
            problems.append(f"changed: {name}")
    return problems


def _zip_problems(folder: Path, name: str, present: dict[str, int]) -> list[str]:
    """A zip holds exactly the files of its party folder, byte for byte."""
    prefix = name.removesuffix(".zip") + "/"
    expected = {n for n in present if n.startswith(prefix) and stat.S_ISREG(present[n])}
    try:
        with zipfile.ZipFile(folder / name) as archive:
            members = {info.filename: info for info in archive.infolist()}
            problems = [f"zip {name}: lacks {m}" for m in sorted(expected - set(members))]
            problems += [
                f"zip {name}: has {m}, not in the folder" for m in sorted(set(members) - expected)
            ]
            for member in sorted(expected & set(members)):
                info = members[member]
                if info.flag_bits & _ZIP_ENCRYPTED or info.compress_type not in _ZIP_METHODS:
                    problems.append(f"zip {name}: {member} is stored in a way avtal never writes")
                    continue
                if info.file_size != os.lstat(folder / member).st_size:
                    problems.append(f"zip {name}: {member} differs from the folder")
                    continue
                digest = hashlib.sha256()
                with archive.open(info) as handle:
                    for chunk in iter(lambda: handle.read(_CHUNK), b""):
                        digest.update(chunk)
                if digest.hexdigest() != _hash_file(folder / member):
                    problems.append(f"zip {name}: {member} differs from the folder")
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError):
        return [f"changed: {name} (not a readable zip)"]
    return problems


def _carries(path: Path, fingerprint: str) -> bool:
    """Whether a DOCX or PDF output carries the fingerprint in its metadata."""
    if path.suffix == ".docx":
        try:
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo("docProps/custom.xml")
                if info.file_size > MAX_MANIFEST_BYTES:
                    return False
                return f">{fingerprint}<".encode() in archive.read(info)
        except (KeyError, zipfile.BadZipFile, OSError):
            return False
    return f"avtal-fingerprint {fingerprint}".encode() in path.read_bytes()


def _fingerprints(folder: Path, files: dict[str, str], docs: dict[str, str]) -> list[str]:
    """``docs``: path without extension -> fingerprint; checks its DOCX and PDF."""
    problems = []
    for stem, fingerprint in sorted(docs.items()):
        for ext in ("docx", "pdf"):
            name = f"{stem}.{ext}"
            path = folder / name
            if (
                fingerprint
                and name in files
                and path.is_file()
                and not path.is_symlink()
                and not _carries(path, fingerprint)
            ):
                problems.append(f"fingerprint: {name} does not carry {fingerprint}")
    return problems


def _normal(sha: str) -> str:
    return sha.strip().lower().removeprefix("sha256:")


def verify(folder: Path, expected_sha256: str | None = None) -> list[str]:
    """Check a bundle or build folder; return the problems (empty when it is intact).

    With ``expected_sha256`` (the hash a memo prints) the manifest itself must have it.
    """
    if folder.is_symlink() or not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    manifest_path = folder / MANIFEST
    if (folder / SEALS).exists() or (folder / SEALS).is_symlink():
        manifest, raw = _read_manifest(manifest_path, BundleManifest, "bundle manifest")
        seals, _ = _read_manifest(folder / SEALS, Seals, "bundle seal list")
        listed = {**manifest.files, **seals.files}
        if seals.manifest_sha256 != hashlib.sha256(raw).hexdigest():
            problems = [f"changed: {MANIFEST} ({SEALS} records another SHA-256)"]
        else:
            problems = []
        problems += _bundle_problems(folder, manifest, listed)
    else:
        built, raw = _read_manifest(manifest_path, BuildManifest, "build manifest")
        present = _present(folder)
        problems = _check_files(folder, built.outputs, present)
        problems += _fingerprints(
            folder, built.outputs, {d.file: d.fingerprint for d in built.documents}
        )
    if expected_sha256 is not None:
        actual = hashlib.sha256(raw).hexdigest()
        if _normal(expected_sha256) != actual:
            problems.insert(
                0,
                f"manifest: SHA-256 is {actual}, not {_normal(expected_sha256)}: "
                "the manifest is not the one the memo names",
            )
    return problems


def _bundle_problems(folder: Path, manifest: BundleManifest, listed: dict[str, str]) -> list[str]:
    present = _present(folder)
    present.pop(MANIFEST, None)
    present.pop(SEALS, None)
    problems = [f"extra: {name}" for name in sorted(set(present) - set(listed))]
    problems += _check_files(folder, listed, present)
    for name in sorted(listed):
        if name.endswith(".zip") and "/" not in name and stat.S_ISREG(present.get(name, 0)):
            problems += _zip_problems(folder, name, present)
    by_stem = {d.file: d.fingerprint for d in manifest.documents}
    docs: dict[str, str] = {}
    for att in manifest.attachments:
        prefix = att.prefix or f"bilaga-{att.number}-{att.file}"
        if att.file in by_stem:
            for name in listed:
                party, _, base = name.partition("/")
                if base.startswith(f"{prefix}."):
                    docs[f"{party}/{prefix}"] = by_stem[att.file]
    problems += _fingerprints(folder, listed, docs)
    return sorted(set(problems), key=problems.index)
