"""Read a version from git: ``REV:path``, with the clause library as it was at REV.

Git is run with fixed arguments: the revision is checked to be one (``rev-parse
--verify --end-of-options``), so nothing a user types can become an option of git,
and sizes are checked before anything is read.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from avtal.errors import InputError
from avtal.load.yamlio import MAX_BYTES
from avtal.paths import clauses_dir, templates_dir

#: The most a clause library (with definitions) at a revision may hold, packed.
MAX_LIBRARY_BYTES = 50_000_000


def _git(args: Sequence[str], spec: str, cwd: Path | None = None, limit: int = MAX_BYTES) -> bytes:
    try:
        result = subprocess.run(
            ["git", *args], capture_output=True, check=False, timeout=60, cwd=cwd
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"{spec}: cannot run git: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"{spec}: git cannot show it: {message[-1] if message else 'failed'}")
    if len(result.stdout) > limit:
        raise InputError(f"{spec}: {len(result.stdout)} bytes; the limit is {limit}")
    return result.stdout


def _revision(spec: str) -> tuple[str, str]:
    rev, _, path = spec.partition(":")
    if not rev or rev.startswith("-") or not path:
        raise InputError(f"{spec}: not a revision and path (REV:path, REV not starting with -)")
    return rev, path


def git_params(spec: str) -> tuple[str, str]:
    """The path and text of a parameter file at a revision, within the size limit."""
    rev, path = _revision(spec)
    target = path if path.startswith("/") else f"./{path}"
    blob = _git(["rev-parse", "--verify", "--end-of-options", f"{rev}:{target}"], spec)
    object_id = blob.decode("ascii", "replace").strip()
    size = _git(["cat-file", "-s", object_id], spec).decode("ascii", "replace").strip()
    if not size.isdigit() or int(size) > MAX_BYTES:
        raise InputError(f"{spec}: parameter file is {size} bytes; the limit is {MAX_BYTES}")
    data = _git(["cat-file", "blob", object_id], spec)
    try:
        return path, data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{spec}: is not UTF-8 text") from None


def _toplevel(folder: Path) -> Path | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            capture_output=True,
            check=False,
            timeout=30,
            cwd=folder,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return Path(result.stdout.decode("utf-8", "replace").strip()).resolve()


def _extract(rev: str, spec: str, top: Path, folder: Path, into: Path) -> Path | None:
    """``folder`` as it was at ``rev`` (``None`` if it did not exist then)."""
    relative = folder.resolve().relative_to(top).as_posix()
    commit = _git(["rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}"], spec, top)
    object_id = commit.decode("ascii", "replace").strip()
    listing = _git(["ls-tree", "-d", object_id, "--", relative], spec, top)
    if not listing.strip():
        return None
    packed = _git(
        ["archive", "--format=tar", object_id, "--", relative], spec, top, MAX_LIBRARY_BYTES
    )
    target = into / str(len(list(into.iterdir())))
    with tarfile.open(fileobj=io.BytesIO(packed)) as archive:
        archive.extractall(target, filter="data")
    return target / relative


@contextmanager
def library_at(
    spec: str, clause_dirs: Sequence[Path], enabled: bool = True
) -> Iterator[tuple[list[Path], list[Path]]]:
    """Clause folders and definition folders as they were at the revision of ``spec``.

    Each folder in use (the built-in library and definitions, the user's clause folders)
    that lies in the repository of the current folder is read at the revision and laid
    over the current one, so the old version is assembled from the old clauses. Folders
    outside the repository are used as they are.
    """
    if not enabled:
        yield list(clause_dirs), []
        return
    rev, _ = _revision(spec)
    top = _toplevel(Path.cwd())
    with tempfile.TemporaryDirectory(prefix="avtal-rev-") as tmp:
        into = Path(tmp)
        dirs: list[Path] = []
        defs: list[Path] = []
        for folder, is_definitions in (
            (clauses_dir(), False),
            (templates_dir(), True),
            *((d, False) for d in clause_dirs),
        ):
            inside = top is not None and folder.resolve().is_relative_to(top)
            old = _extract(rev, spec, top, folder, into) if inside and top else None
            if is_definitions:
                defs += [old] if old is not None else []
            else:
                dirs.append(old if old is not None else folder)
        yield dirs, defs
