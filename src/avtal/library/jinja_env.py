"""The one Jinja environment of avtal: sandboxed, strict, with Swedish filters.

Clause bodies are the only templates. Parameter values reach the output only through
``{{ … }}`` and are then wrapped in private-use sentinel characters by ``finalize``: the
markup parser treats a wrapped span as literal text, so a value is never parsed as markup
and never rendered as a template.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from avtal.library import textfmt

VALUE_OPEN = "\ue000"
VALUE_CLOSE = "\ue001"
REF_OPEN = "\ue002"
REF_CLOSE = "\ue003"
SENTINELS = VALUE_OPEN + VALUE_CLOSE + REF_OPEN + REF_CLOSE


@dataclass(frozen=True)
class Ref:
    """A cross-reference by clause id (``id`` or ``id#anchor``), resolved after numbering."""

    target: str


class MissingValueError(ValueError):
    """A template printed a value that is ``None``."""


def _finalize(value: Any) -> str:
    if isinstance(value, Ref):
        return f"{REF_OPEN}{value.target}{REF_CLOSE}"
    if value is None:
        raise MissingValueError("printed a value that is not set (none)")
    if isinstance(value, bool):
        raise MissingValueError(f"printed a yes/no value ({value}) as text")
    if isinstance(value, dt.date):
        text = textfmt.datum(value)
    elif isinstance(value, Decimal | int | float):
        text = textfmt.tal(value)
    else:
        text = str(value)
    # Drop sentinel characters from data: they are reserved for this mechanism.
    text = text.translate({ord(c): None for c in SENTINELS})
    return f"{VALUE_OPEN}{text}{VALUE_CLOSE}"


def _names(parties: Iterable[dict[str, Any]]) -> list[str]:
    return [str(p["name"]) for p in parties]


def _ref(target: str) -> Ref:
    return Ref(str(target))


def make_environment(
    search_path: Sequence[Path] = (), *, mark_values: bool = True
) -> SandboxedEnvironment:
    """Create the sandboxed, StrictUndefined environment with every filter registered.

    ``mark_values`` wraps printed values in sentinels for the clause markup parser; the
    Word template (rendered by docxtpl with autoescape on) uses ``mark_values=False``.
    """
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # "{#name}" marks an anchor in the clause dialect, so Jinja comments are "{## ##}".
        comment_start_string="{##",
        comment_end_string="##}",
        finalize=_finalize if mark_values else None,
        loader=FileSystemLoader([str(p) for p in search_path]),
    )
    env.filters.update(
        datum=textfmt.datum,
        manad=textfmt.manad,
        tal=textfmt.tal,
        kronor=textfmt.kronor,
        procent=textfmt.procent,
        ord=textfmt.ord_,
        lista=textfmt.lista,
        genitiv=textfmt.genitiv,
        dagen_fore=textfmt.dagen_fore,
        gemen=textfmt.gemen,
        names=_names,
    )
    env.globals.update(ref=_ref)
    return env


_COMPILED: dict[tuple[str, str], CodeType] = {}


def compile_template(env: SandboxedEnvironment, source: str, filename: str) -> Template:
    """Compile ``source`` so that tracebacks and errors carry ``filename`` and its lines.

    Compiling is most of the cost of assembling a document, and every environment made by
    :func:`make_environment` compiles the same source to the same code, so the code is
    kept for the life of the process (a build of many variants compiles each clause once).
    """
    key = (filename, source)
    code = _COMPILED.get(key)
    if code is None:
        code = _from_disk(filename, source)
        if code is None:
            code = env.compile(source, filename=filename)
            _to_disk(filename, source, code)
        _COMPILED[key] = code
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _cache_file(filename: str, source: str) -> Path | None:
    """Where compiled code for this clause is kept between runs, like ``__pycache__``.

    ``AVTAL_CACHE_DIR`` chooses the folder (default ``~/.cache/avtal``); an empty value
    turns the cache off. The key covers the Jinja and Python versions, so a stale entry
    is never used.
    """
    folder = os.environ.get("AVTAL_CACHE_DIR")
    if folder == "":
        return None
    base = Path(folder) if folder else Path.home() / ".cache" / "avtal"
    key = hashlib.sha256(
        f"{jinja2.__version__}\0{sys.version}\0{filename}\0{source}".encode()
    ).hexdigest()
    return base / "jinja" / f"{key}.bin"


def _from_disk(filename: str, source: str) -> CodeType | None:
    path = _cache_file(filename, source)
    if path is None:
        return None
    try:
        code = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def _to_disk(filename: str, source: str, code: CodeType) -> None:
    path = _cache_file(filename, source)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(code))
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def template_line(exc: BaseException, filename: str) -> int | None:
    """The template line at which a render error was raised, if Jinja recorded it."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if isinstance(line, int) else None
