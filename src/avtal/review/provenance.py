"""Provenance: a fingerprint per document, the build manifest and the clause lock.

The fingerprint is SHA-256 over the canonical parameters (JSON, sorted keys), the
document definition and the id, version and content hash of every clause the document
used. Two builds of unchanged input share it; any change of a parameter or a clause
changes it.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from avtal import __version__
from avtal.document import Document
from avtal.errors import InputError
from avtal.load.model import Params
from avtal.load.yamlio import read_text

#: 2: document definitions are locked too.
LOCK_VERSION = 2


def canonical_params(params: Params) -> str:
    """The parameters as canonical JSON: sorted keys, no insignificant white space.

    Council-matter data is left out: it does not change the documents' text.
    """
    return json.dumps(
        params.model_dump(mode="json", exclude={"matter"}),
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def fingerprint(params: Params, doc: Document) -> str:
    """The document's fingerprint, ``sha256:`` and 64 hex digits."""
    digest = hashlib.sha256()
    digest.update(canonical_params(params).encode("utf-8"))
    digest.update(b"\0" + doc.kind.encode() + b"\0" + doc.definition_sha256.encode())
    for use in doc.clauses:
        digest.update(f"\0{use.id}\0{use.version}\0{use.sha256}".encode())
    return "sha256:" + digest.hexdigest()


def short(print_: str) -> str:
    """The visible short form: the first 12 hex digits."""
    return print_.removeprefix("sha256:")[:12]


def manifest(
    params_path: Path, params: Params, documents: list[Document], files: dict[str, bytes]
) -> dict[str, Any]:
    """The build manifest: inputs, clauses, fingerprints and output hashes (no clock)."""
    return {
        "tool": {"name": "avtal", "version": __version__},
        "input": {
            "params": params_path.name,
            "params_sha256": hashlib.sha256(params_path.read_bytes()).hexdigest(),
            "canonical_params_sha256": hashlib.sha256(
                canonical_params(params).encode("utf-8")
            ).hexdigest(),
        },
        "documents": [
            {
                "kind": doc.kind,
                "file": doc.file,
                "document_id": doc.doc_id,
                "fingerprint": doc.fingerprint,
                "clauses": [
                    {"id": c.id, "version": c.version, "sha256": c.sha256} for c in doc.clauses
                ],
            }
            for doc in documents
        ],
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }


def manifest_bytes(data: dict[str, Any]) -> bytes:
    """Serialise a manifest deterministically."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def lock_path(params_path: Path) -> Path:
    """Where the clause lock of a parameter file lives: beside it, ``<name>.lock``."""
    return params_path.with_name(params_path.name + ".lock")


def lock_data(documents: list[Document]) -> dict[str, Any]:
    """Clause id -> version and content hash, and document kind -> definition hash."""
    clauses: dict[str, dict[str, str]] = {}
    definitions: dict[str, dict[str, str]] = {}
    for doc in documents:
        for use in doc.clauses:
            clauses[use.id] = {"version": use.version, "sha256": use.sha256}
        definitions[doc.kind] = {"sha256": doc.definition_sha256}
    return {
        "lock_version": LOCK_VERSION,
        "clauses": dict(sorted(clauses.items())),
        "definitions": dict(sorted(definitions.items())),
    }


_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def _entries(path: Path, data: dict[str, Any], name: str, keys: tuple[str, ...]) -> None:
    table = data.get(name)
    if not isinstance(table, dict):
        raise InputError(
            f"{path}: {name}: must be a mapping of ids to entries, not "
            f"{type(table).__name__ if table is not None else 'null'}; run `avtal lock` again"
        )
    for entry_id, entry in table.items():
        ok = isinstance(entry, dict) and set(entry) == set(keys)
        ok = ok and _HEX64.match(str(entry.get("sha256", ""))) is not None
        if ok and "version" in keys:
            ok = _VERSION.match(str(entry.get("version", ""))) is not None
        if not ok:
            raise InputError(
                f"{path}: {name}.{entry_id}: must be {{{', '.join(keys)}}} with a version "
                "x.y.z and a 64-digit sha256; run `avtal lock` again"
            )


def read_lock(path: Path) -> dict[str, Any]:
    """Read and validate a lock file: its schema, and a lock_version this avtal writes."""
    try:
        data = json.loads(read_text(path, "lock file"))
    except (ValueError, RecursionError):
        raise InputError(f"{path}: not a valid clause lock (not JSON); run `avtal lock`") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: not a valid clause lock (a {type(data).__name__}, not a mapping); "
            "run `avtal lock` again"
        )
    version = data.get("lock_version")
    if version != LOCK_VERSION or isinstance(version, bool):
        raise InputError(
            f"{path}: lock_version {version!r} is not {LOCK_VERSION}, the version this avtal "
            "writes (earlier locks do not cover document definitions); run `avtal lock` again"
        )
    unknown = sorted(set(data) - {"lock_version", "clauses", "definitions"})
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(unknown)} in the clause lock")
    _entries(path, data, "clauses", ("version", "sha256"))
    _entries(path, data, "definitions", ("sha256",))
    return data


def check_lock(params_path: Path, documents: list[Document]) -> None:
    """Raise :class:`InputError` naming every clause and definition that differs from the lock."""
    path = lock_path(params_path)
    if not path.is_file():
        raise InputError(f"{path}: no clause lock; run `avtal lock {params_path}` first")
    data = read_lock(path)
    locked, locked_defs = data["clauses"], data["definitions"]
    now = lock_data(documents)
    current, current_defs = now["clauses"], now["definitions"]
    problems = []
    for cid in sorted(set(locked) | set(current)):
        old, new = locked.get(cid), current.get(cid)
        if old == new:
            continue
        if old is None:
            problems.append(f"  {cid}: not in the lock (newly used)")
        elif new is None:
            problems.append(f"  {cid}: locked but no longer used")
        elif old.get("version") != new["version"]:
            problems.append(f"  {cid}: version {old.get('version')} locked, {new['version']} now")
        else:
            problems.append(f"  {cid}: text changed since the lock (version {new['version']})")
    for kind in sorted(set(locked_defs) | set(current_defs)):
        old, new = locked_defs.get(kind), current_defs.get(kind)
        if old == new:
            continue
        if old is None:
            problems.append(f"  document {kind}: not in the lock (newly built)")
        elif new is None:
            problems.append(f"  document {kind}: locked but no longer built")
        else:
            problems.append(
                f"  document {kind}: its definition (clauses, order, titles, conditions) "
                "changed since the lock"
            )
    if problems:
        raise InputError(
            f"{path}: the clause library changed since the lock:\n" + "\n".join(problems)
        )
