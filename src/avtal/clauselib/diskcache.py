"""Checked inputs kept between runs, like ``__pycache__``: a cold start skips re-checking.

Reading and checking the front matter of every clause file is a fifth of a cold
``avtal check``. The checked result of a whole folder is kept in the cache folder of
:mod:`avtal.clauselib.jinja_env` (``AVTAL_CACHE_DIR``, default ``~/.cache/avtal``; an empty
value turns it off) under a key made of the files' names and *contents*, the versions of
Python, pydantic and avtal, and the size and time of the code that checks them, so an
entry is only ever used for exactly the inputs and the checker it was made from.

Unpickling runs code, so an entry is unpickled only when it carries a valid HMAC made with
the cache's per-user secret (see :mod:`avtal.clauselib.codecache`): a changed byte or an
entry written by anyone without the secret is a miss. Every file is read only if it is a
regular file of bounded size, so a FIFO among the clauses or in the cache cannot hang.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pydantic

import avtal
from avtal.clauselib import codecache
from avtal.errors import AvtalError
from avtal.load.yamlio import read_bytes

MAX_ENTRY = 20_000_000
#: At most this many entries are kept: a checked clause folder is some 250 kB.
MAX_ENTRIES = 40

_PACKAGE = Path(avtal.__file__).resolve().parent
#: The code whose checks a cached entry stands for.
_CHECKERS = ("clauselib/clauses.py", "load/yamlio.py", "load/params.py", "load/model")


def _folder() -> Path | None:
    folder = os.environ.get("AVTAL_CACHE_DIR")
    if folder == "":
        return None
    return (Path(folder) if folder else Path.home() / ".cache" / "avtal") / "checked"


def _code_stamp() -> bytes:
    parts = [avtal.__version__, sys.version, pydantic.VERSION]
    for name in _CHECKERS:
        path = _PACKAGE / name
        for source in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            stat = source.stat()
            parts.append(f"{source.name}:{stat.st_mtime_ns}:{stat.st_size}")
    return "\0".join(parts).encode()


def key(kind: str, paths: Sequence[Path]) -> tuple[str, list[os.stat_result]] | None:
    """The key of ``paths`` as they are now, and their stats taken before reading them.

    None when a file cannot be read: the caller then reports it in its own words.
    """
    digest = hashlib.sha256(kind.encode() + b"\0" + _code_stamp())
    stats = []
    try:
        for path in paths:
            stats.append(path.stat())  # before reading: a later change gives a new stat
            data = read_bytes(path, "clause file")
            digest.update(f"\0{path}\0".encode() + hashlib.sha256(data).digest())
    except (OSError, AvtalError):
        return None
    return digest.hexdigest(), stats


def load(entry: str) -> Any | None:
    """The value stored under ``entry``, or None."""
    folder = _folder()
    secret = _secret()
    if folder is None or secret is None:
        return None
    try:
        data = read_bytes(folder / f"{entry}.pickle", "cache entry", MAX_ENTRY)
    except AvtalError:
        return None
    mac, payload = data[:32], data[32:]
    if len(mac) != 32 or not hmac.compare_digest(mac, _mac(secret, entry, payload)):
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # an outdated entry only costs time
        return None


def _secret() -> bytes | None:
    folder = codecache.cache_folder()
    return codecache.user_secret(folder) if folder is not None else None


def _mac(secret: bytes, entry: str, payload: bytes) -> bytes:
    return hmac.new(secret, b"checked\0" + entry.encode() + b"\0" + payload, "sha256").digest()


def store(entry: str, value: Any) -> None:
    """Keep ``value`` under ``entry``; a cache that cannot be written only costs time."""
    folder = _folder()
    secret = _secret()
    if folder is None or secret is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = folder / f"{entry}.{os.getpid()}.tmp"
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.write_bytes(_mac(secret, entry, payload) + payload)
        os.replace(temporary, folder / f"{entry}.pickle")
    except (OSError, pickle.PicklingError):
        return
    codecache.prune(folder, ".pickle", MAX_ENTRIES)
