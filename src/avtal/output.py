"""Write a build's files all at once, or not at all.

Every file is rendered in memory first. The files are then written and synced into a
staging folder inside the target folder and moved into place with ``os.replace``, which is
atomic per file on one file system. SIGINT and SIGTERM are held back while the files are
moved, so an interrupted build leaves either all previous outputs or all new ones, never a
mix and never a half-written file; a failure before the move leaves the previous outputs
untouched.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from avtal.errors import OutputError


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


def write_files(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (name -> bytes) into ``out_dir``; return the written paths."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create output folder: {exc.strerror}") from None
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: is not a folder")
    try:
        staging = Path(tempfile.mkdtemp(prefix=".avtal-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write here: {exc.strerror}") from None
    written: list[Path] = []
    try:
        for name, data in files.items():
            target = staging / name
            with open(target, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for name in files:
            final = out_dir / name
            if final.is_symlink() or (final.exists() and not final.is_file()):
                raise OutputError(f"{final}: exists and is not a regular file; not replaced")
        with signals_held():
            for name in files:
                os.replace(staging / name, out_dir / name)
                written.append(out_dir / name)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write outputs: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
