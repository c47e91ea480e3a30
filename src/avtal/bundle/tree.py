"""Writing a bundle folder atomically, and verifying one."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from avtal.bundle.matter import MANIFEST, PartyBundle, Progress
from avtal.bundle.pack import _sha, make_bundle
from avtal.errors import InputError, OutputError
from avtal.output import signals_held


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
