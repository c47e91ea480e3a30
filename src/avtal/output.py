"""Write a build's files all at once, or not at all.

Every file is rendered in memory first. The files are then written and synced (all at
once) into a staging folder inside the target folder and moved into place with
``os.replace``, which is atomic per file on one file system. SIGINT and SIGTERM are held
back while the files are moved, so an interrupted build leaves either all previous outputs
or all new ones, never a mix and never a half-written file; a failure before the move
leaves the previous outputs untouched.

While it writes, a build holds an exclusive lock on the output folder (``flock`` on the
folder itself, released by the system even when the process is killed), so two builds
into one folder take turns; staging folders (``.avtal-*``) that a killed build left
behind are removed under that lock. With a manifest name, only files that the previous
manifest lists are replaced, and outputs it lists that the new build does not write are
removed, so the folder holds exactly what the new manifest describes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from avtal.errors import AvtalError, OutputError
from avtal.load.yamlio import read_bytes

STAGING_PREFIX = ".avtal-"
#: How long a build waits for another build writing into the same folder.
LOCK_WAIT = 30.0


@contextmanager
def signals_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM until the block is done (main thread, POSIX only)."""
    held = {signal.SIGINT, signal.SIGTERM}
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def folder_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (POSIX ``flock``; a no-op elsewhere).

    Waits up to ``wait`` seconds (default :data:`LOCK_WAIT`) for another holder.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise OutputError(f"{folder}: cannot open the output folder: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(
                        f"{folder}: another avtal process is writing into this folder"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _remove_stale_staging(out_dir: Path) -> None:
    """Remove staging folders left by a killed build (only called under the lock)."""
    for entry in out_dir.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name


def previous_outputs(out_dir: Path, manifest: str) -> set[str] | None:
    """The file names the folder's manifest lists (itself included); None if it has none.

    Raises :class:`OutputError` when a file of that name exists but is not a manifest
    that avtal wrote: the folder then holds files avtal did not write.
    """
    path = out_dir / manifest
    if not path.exists() and not path.is_symlink():
        return None
    problem = f"{path}: exists but is not an avtal build manifest"
    try:
        data = json.loads(read_bytes(path, "build manifest"))
    except (AvtalError, ValueError):
        raise OutputError(f"{problem}; not replaced (use --force)") from None
    outputs = data.get("outputs") if isinstance(data, dict) else None
    tool = data.get("tool") if isinstance(data, dict) else None
    if (
        not isinstance(tool, dict)
        or tool.get("name") != "avtal"
        or not isinstance(outputs, dict)
        or not all(_plain_name(n) and isinstance(h, str) for n, h in outputs.items())
    ):
        raise OutputError(f"{problem}; not replaced (use --force)")
    return {*outputs, manifest}


def write_files(
    out_dir: Path, files: dict[str, bytes], manifest: str | None = None, force: bool = False
) -> list[Path]:
    """Write ``files`` (name -> bytes) into ``out_dir``; return the written paths.

    ``manifest`` names the build manifest among ``files``: an existing file is then
    replaced only if the previous manifest lists it (or with ``force``), and earlier
    outputs the previous manifest lists but ``files`` lacks are removed.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create output folder: {exc.strerror}") from None
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: is not a folder")
    with folder_lock(out_dir):
        return _write_locked(out_dir, files, manifest, force)


def _check_targets(
    out_dir: Path, files: dict[str, bytes], manifest: str | None, force: bool
) -> set[str]:
    """Refuse targets avtal must not replace; return earlier outputs to remove."""
    listed = None
    if manifest is not None and not force:
        listed = previous_outputs(out_dir, manifest)
    foreign = []
    for name in files:
        final = out_dir / name
        if final.is_symlink() or (final.exists() and not final.is_file()):
            raise OutputError(f"{final}: exists and is not a regular file; not replaced")
        if manifest is not None and not force and final.exists() and name not in (listed or ()):
            foreign.append(name)
    if foreign:
        raise OutputError(
            f"{out_dir}: {', '.join(sorted(foreign))} exist(s) but no earlier avtal build "
            f"wrote them (not listed in {manifest}); not replaced. Choose another folder, "
            "or use --force to replace them"
        )
    stale = set()
    for name in (listed or set()) - set(files):
        try:
            info = os.lstat(out_dir / name)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            stale.add(name)
    return stale


#: At most this many files are synced at once.
SYNC_THREADS = 16


def _write_synced(folder: Path, files: dict[str, bytes]) -> None:
    """Write every file into ``folder`` and sync them all to disk before returning.

    The files are written first and then synced on threads at the same time (``fsync``
    releases the GIL): a journaling file system commits concurrent syncs together, where
    syncing one file after another waited for a commit each (ext4: 5 ms for a build's
    seven files rather than 27 ms). Daemon threads, so that they never hold up an exit.
    """
    with contextlib.ExitStack() as stack:
        pending = []
        for name, data in files.items():
            handle = stack.enter_context(open(folder / name, "wb"))
            handle.write(data)
            handle.flush()
            pending.append(handle.fileno())
        errors: list[OSError] = []

        def sync() -> None:
            while pending:
                try:
                    fd = pending.pop()
                except IndexError:  # another thread took the last one
                    return
                try:
                    os.fsync(fd)
                except OSError as exc:
                    errors.append(exc)

        threads = [
            threading.Thread(target=sync, name="avtal-sync", daemon=True)
            for _ in range(min(len(pending), SYNC_THREADS))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]


def _write_locked(
    out_dir: Path, files: dict[str, bytes], manifest: str | None, force: bool
) -> list[Path]:
    try:
        _remove_stale_staging(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write here: {exc.strerror}") from None
    written: list[Path] = []
    try:
        _write_synced(staging, files)
        stale = _check_targets(out_dir, files, manifest, force)
        with signals_held():
            for name in files:
                os.replace(staging / name, out_dir / name)
                written.append(out_dir / name)
            for name in sorted(stale):
                os.unlink(out_dir / name)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write outputs: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
