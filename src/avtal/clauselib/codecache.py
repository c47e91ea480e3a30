"""Compiled clause code kept between runs, like ``__pycache__``, but never trusted blindly.

Compiling a clause is most of the cost of a cold build, so the compiled code of each
clause is kept in ``AVTAL_CACHE_DIR`` (default ``~/.cache/avtal``; an empty value turns
the cache off). Compiled code runs outside the sandbox's checks, so an entry is used only
when it carries a valid HMAC-SHA256 over the digest of the exact source it was compiled
from and its own bytes, keyed with a random secret that only the current user can read.
A flipped byte, an entry copied under another clause's name or an entry written by
anyone without the secret is a miss: the clause is compiled again and the entry replaced.
The cache is not used at all when its folder or secret could have been written by
another user. Each entry is read only if it is a regular file of bounded size.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import stat
import sys
from pathlib import Path
from types import CodeType

import jinja2

from avtal.errors import AvtalError
from avtal.load.yamlio import read_bytes

#: Changes whenever the code a template compiles to changes (sandbox rewrites included).
FORMAT = b"avtal-jinja-3\n"
MAX_ENTRY = 4_000_000
_SECRET_BYTES = 32
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_secrets: dict[str, bytes | None] = {}
#: At most this many compiled clauses are kept (some 10 kB each).
MAX_ENTRIES = 2000
_pruned: set[str] = set()


def cache_folder() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    folder = os.environ.get("AVTAL_CACHE_DIR")
    if folder == "":
        return None
    base = Path(folder) if folder else Path.home() / ".cache" / "avtal"
    return base / "jinja"


def _private(info: os.stat_result, directory: bool) -> bool:
    """Owned by this user and not writable (for a secret: not readable) by others."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return False
    mask = 0o022 if directory else 0o077
    return not info.st_mode & mask


def user_secret(folder: Path) -> bytes | None:
    """The cache's HMAC key, created on first use; None when it cannot be trusted."""
    key = str(folder)
    if key in _secrets:
        return _secrets[key]
    secret: bytes | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if _private(os.stat(folder), directory=True):
            path = folder / "secret"
            try:
                fd = os.open(
                    path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _NONBLOCK, 0o600
                )
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(os.urandom(_SECRET_BYTES))
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and _private(info, directory=False):
                data = read_bytes(path, "cache secret", _SECRET_BYTES)
                secret = data if len(data) == _SECRET_BYTES else None
    except (OSError, AvtalError):
        secret = None
    _secrets[key] = secret
    return secret


def prune(folder: Path, suffix: str, limit: int) -> None:
    """Keep the ``limit`` newest entries of ``folder`` ending in ``suffix``; drop the rest.

    An entry is only ever used for exactly the input it was made from, so every edit of a
    clause or a template leaves an entry nobody will use again. The oldest written go first,
    down to three quarters of ``limit``: an entry still in use that goes costs one compile
    and is written anew. Done once per process and folder, when the first entry is stored,
    so that a run that stores many entries lists the folder once.
    """
    key = f"{folder}\0{suffix}"
    if key in _pruned:
        return
    _pruned.add(key)
    try:
        with os.scandir(folder) as listing:
            entries = [
                (entry.stat(follow_symlinks=False).st_mtime_ns, entry.name)
                for entry in listing
                if entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False)
            ]
    except OSError:
        return
    if len(entries) <= limit:
        return
    entries.sort()
    for _, name in entries[: len(entries) - limit * 3 // 4]:
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


def _source_digest(filename: str, source: str) -> bytes:
    return hashlib.sha256(
        b"\0".join((FORMAT, jinja2.__version__.encode(), sys.version.encode(), filename.encode()))
        + b"\0"
        + source.encode("utf-8", "surrogatepass")
    ).digest()


def _entry(folder: Path, digest: bytes) -> Path:
    return folder / f"{digest.hex()}.bin"


def _mac(secret: bytes, digest: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, FORMAT + digest + payload, hashlib.sha256).digest()


def load(filename: str, source: str) -> CodeType | None:
    """The cached code for ``source``, or None (a miss) unless the entry checks out."""
    folder = cache_folder()
    secret = user_secret(folder) if folder is not None else None
    if folder is None or secret is None:
        return None
    digest = _source_digest(filename, source)
    try:
        data = read_bytes(_entry(folder, digest), "cache entry", MAX_ENTRY)
    except AvtalError:
        return None
    mac, payload = data[:32], data[32:]
    if len(mac) != 32 or not hmac.compare_digest(mac, _mac(secret, digest, payload)):
        return None
    try:
        code = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(code, CodeType) or code.co_filename != filename:
        return None
    return code


def store(filename: str, source: str, code: CodeType) -> None:
    """Keep ``code`` for ``source``; a cache that cannot be written only costs time."""
    folder = cache_folder()
    secret = user_secret(folder) if folder is not None else None
    if folder is None or secret is None:
        return
    digest = _source_digest(filename, source)
    payload = marshal.dumps(code)
    path = _entry(folder, digest)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | _NONBLOCK, 0o600
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(_mac(secret, digest, payload) + payload)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    prune(folder, ".bin", MAX_ENTRIES)
