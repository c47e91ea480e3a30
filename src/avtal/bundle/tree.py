"""Writing a bundle folder so that it appears complete or not at all.

The new tree is written into a hidden staging folder beside the target and swapped into
place. On Linux the swap is one atomic ``renameat2(RENAME_EXCHANGE)``: whenever the
process dies, the folder holds either the whole old bundle or the whole new one, and a
hidden folder holds the other until the next run removes it. Where that call is missing,
the old tree is first renamed to a visible ``<name>.previous`` folder (never only into a
hidden one) and the next run puts it back if the new tree never arrived. A lock file
beside the folder keeps two bundles from writing into one folder at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from avtal.bundle.matter import MANIFEST, SEALS, PartyBundle, Progress
from avtal.bundle.pack import make_bundle
from avtal.errors import OutputError
from avtal.output import signals_held

#: Staging folders beside the bundle folder are named ``.<name>`` + this + a random suffix.
_STAGING = ".avtal-staging-"
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (then nothing changed)."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code))


@contextlib.contextmanager
def _locked(parent: Path, name: str) -> Iterator[None]:
    """Hold an exclusive lock on ``parent/.name.lock`` (POSIX); refuse if it is taken."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path = parent / f".{name}.lock"
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise OutputError(f"{path}: cannot lock the output folder: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(
                f"{parent / name}: another bundle is being written into this folder"
            ) from None
        yield
    finally:
        os.close(handle)


def _recover(parent: Path, out_dir: Path) -> None:
    """Put back an old tree that a killed run left aside, and remove stale staging folders."""
    previous = parent / f"{out_dir.name}.previous"
    if previous.is_dir() and not previous.is_symlink() and _is_bundle(previous):
        if not out_dir.exists():
            os.replace(previous, out_dir)
        else:
            shutil.rmtree(previous, ignore_errors=True)
    for stale in parent.glob(f".{out_dir.name}{_STAGING}*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def write_tree(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write a whole folder tree so that it appears complete or not at all.

    An existing ``out_dir`` is replaced only when it is an earlier bundle.
    """
    if not out_dir.name or out_dir.name in (".", ".."):
        raise OutputError(f"{out_dir!s}: name a bundle folder, e.g. -o out/arende")
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write here: {exc.strerror}") from None
    out_dir = parent / out_dir.name
    with _locked(parent, out_dir.name):
        _recover(parent, out_dir)
        check_target(out_dir)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{_STAGING}", dir=parent))
        except OSError as exc:
            raise OutputError(f"{out_dir}: cannot write here: {exc.strerror}") from None
        try:
            for name, data in files.items():
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            with signals_held():
                _swap(staging, out_dir)
        except OSError as exc:
            raise OutputError(f"{out_dir}: cannot write the bundle: {exc.strerror}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def check_target(out_dir: Path) -> None:
    """Refuse a target that is not a folder, or a folder that is not an earlier bundle."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise OutputError(f"{out_dir}: exists and is not a folder; not replaced")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not _is_bundle(out_dir):
        raise OutputError(
            f"{out_dir}: exists and is not an avtal bundle; choose a new or empty folder "
            "(a bundle folder is replaced whole)"
        )


def _swap(staging: Path, out_dir: Path) -> None:
    """Move the staged tree into place; the old one ends up in ``staging`` (removed later)."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        return
    previous = out_dir.parent / f"{out_dir.name}.previous"
    shutil.rmtree(previous, ignore_errors=True)
    os.replace(out_dir, previous)
    os.replace(staging, out_dir)
    os.replace(previous, staging)


def _is_bundle(folder: Path) -> bool:
    for name in (SEALS, MANIFEST):
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "files" in data:
            return True
    return False


def bundle(
    params_path: Path,
    out_dir: Path,
    clause_dirs: Sequence[Path] = (),
    matter_path: Path | None = None,
    progress: Progress | None = None,
    attachments_dir: Path | None = None,
) -> list[PartyBundle]:
    """Make every party's council matter and write them into ``out_dir``."""
    check_target(out_dir)  # before the work; checked again under the lock
    files, summary = make_bundle(params_path, clause_dirs, matter_path, progress, attachments_dir)
    write_tree(out_dir, files)
    return summary
