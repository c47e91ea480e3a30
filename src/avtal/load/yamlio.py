"""Safe YAML loading that remembers where every value came from.

``yaml.safe_load`` alone loses line numbers, silently keeps the last of two duplicate keys
and expands aliases without limit. This loader composes the node tree first, so that every
value has a line, refuses duplicate keys, anchors/aliases (no "billion laughs") and every
tag outside the YAML core schema, then constructs plain Python data with the safe
constructor.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, cast

import yaml

from avtal.errors import InputError, Problem

#: Dotted parameter path -> 1-based line number in the source file.
LineMap = dict[str, int]

MAX_BYTES = 1_000_000
MAX_DEPTH = 30


def _dotted(parts: tuple[str | int, ...]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def read_bytes(path: Path, what: str = "file", limit: int = MAX_BYTES) -> bytes:
    """Read a regular file of at most ``limit`` bytes, checking both before reading.

    The file is opened without blocking and checked with ``fstat`` on the open handle: a
    FIFO, a device (a link to /dev/zero) or a socket is refused before a byte is read, and
    so is a file whose size (also a sparse one) is over the limit.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a {what}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is a folder, expected a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{path}: is not a regular file (a pipe, device or socket); expected a {what}"
            )
        if info.st_size > limit:
            raise InputError(f"{path}: {what} is {info.st_size} bytes; the limit is {limit}")
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from None
    if len(raw) > limit:
        raise InputError(f"{path}: {what} is over {limit} bytes; the limit is {limit}")
    return raw


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 text file (a BOM is accepted), with clear errors."""
    raw = read_bytes(path, what)
    binary = _binary_kind(raw)
    if binary:
        raise InputError(f"{path}: is {binary}, not a {what}; a {what} is YAML text")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: {what} is UTF-16; save it as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: {what} is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8"
        ) from None


def _binary_kind(raw: bytes) -> str | None:
    """Name the kind of a binary file given where a text file belongs, or None for text."""
    if raw.startswith(b"%PDF-"):
        return "a PDF document"
    if raw.startswith(b"PK\x03\x04"):
        head = raw[:4096]
        if b"word/" in head:
            return "a Word document (DOCX)"
        if b"xl/" in head:
            return "an Excel workbook (XLSX)"
        return "a ZIP archive"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office document (DOC/XLS)"
    if raw.startswith(b"{\\rtf"):
        return "an RTF document"
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "a binary file"
    return None


def _tab_indented(text: str, line: int) -> bool:
    """Whether 0-based ``line`` of ``text`` is indented with a tab."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return False
    source = lines[line]
    return "\t" in source[: len(source) - len(source.lstrip())]


def load_yaml(
    path: Path, text: str | None = None, what: str = "parameter file"
) -> tuple[Any, LineMap]:
    """Load one YAML document safely; return its data and a path-to-line map."""
    if text is None:
        text = read_text(path, what)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        if mark and _tab_indented(text, mark.line):
            raise InputError(
                f"{where}: YAML syntax error: the line is indented with a tab; YAML indents "
                "with spaces only"
            ) from None
        raise InputError(f"{where}: YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: YAML error: {exc}") from None
    if node is None:
        raise InputError(f"{path}: {what} is empty")
    lines: LineMap = {}
    problems: list[Problem] = []
    _check(node, (), lines, problems, str(path), 0)
    if problems:
        raise InputError(f"{path}: {what} is not valid", problems)
    if not isinstance(node, yaml.MappingNode):
        raise InputError(
            f"{path}:{node.start_mark.line + 1}: the top level must be a mapping of keys"
        )
    try:
        data = (_CLoader or yaml.SafeLoader)(text).construct_document(node)
    except yaml.constructor.ConstructorError as exc:  # pragma: no cover - caught by _check
        raise InputError(f"{path}: {exc}") from None
    return data, lines


_CLoader = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    """Compose the node tree, refusing anchors and aliases.

    With libyaml (PyYAML's C extension) the events are scanned for anchors first and the
    tree is composed in C, about ten times faster than the pure-Python loader.
    """
    loader: Any = _CLoader
    if loader is None:  # pragma: no cover - PyYAML wheels ship libyaml
        return yaml.compose(text, Loader=_NoAliasLoader)
    for event in yaml.parse(text, Loader=loader):
        anchored: Any = event
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&, *) are not allowed", anchored.start_mark
            )
    return yaml.compose(text, Loader=loader)


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader whose composer refuses anchors and aliases."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = cast(Any, self).peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&, *) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


_CORE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(
    r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
_PLAIN_BOOL = {"true", "True", "TRUE", "false", "False", "FALSE"}


def _yaml11_leftover(node: yaml.ScalarNode) -> str | None:
    """Refuse the YAML 1.1 readings that silently change a value.

    YAML 1.1 (what PyYAML implements) reads ``030`` as octal 24, ``1:00`` as 60 (base 60),
    ``0x1F`` as 31, ``1_000`` as 1000 and ``yes``/``on`` as true. Numbers here are plain
    decimal numbers and yes/no values are ``true``/``false``; anything else must be quoted.
    """
    value = node.value
    if node.tag == "tag:yaml.org,2002:int" and not _PLAIN_INT.fullmatch(value):
        return (
            f"{value!r} is not a plain decimal integer (YAML 1.1 would read it as "
            f"{_yaml11_value(node)!r}); write the number in decimal digits without a "
            "leading 0, or quote it if it is text"
        )
    if node.tag == "tag:yaml.org,2002:float" and not _PLAIN_FLOAT.fullmatch(value):
        return (
            f"{value!r} is not a plain decimal number (YAML 1.1 would read it as "
            f"{_yaml11_value(node)!r}); write it like 12.5, or quote it if it is text"
        )
    if node.tag == "tag:yaml.org,2002:bool" and value not in _PLAIN_BOOL:
        return (
            f"{value!r} is read as a yes/no value by YAML 1.1; write true or false, "
            "or quote it if it is text"
        )
    return None


def _yaml11_value(node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader("").construct_object(node)
    except (ValueError, yaml.YAMLError):
        return node.value


def _check(
    node: yaml.Node,
    parts: tuple[str | int, ...],
    lines: LineMap,
    problems: list[Problem],
    file: str,
    depth: int,
) -> None:
    line = node.start_mark.line + 1
    here = _dotted(parts)
    if depth > MAX_DEPTH:
        problems.append(Problem(file, line, here, f"nested deeper than {MAX_DEPTH} levels"))
        return
    if node.tag not in _CORE_TAGS:
        problems.append(Problem(file, line, here, f"tag {node.tag!r} is not allowed"))
        return
    lines.setdefault(here, line)
    if isinstance(node, yaml.ScalarNode):
        leftover = _yaml11_leftover(node)
        if leftover:
            problems.append(Problem(file, line, here, leftover))
            return
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
        try:
            yaml.SafeLoader("").construct_yaml_timestamp(node)
        except ValueError as exc:
            problems.append(
                Problem(
                    file,
                    line,
                    here,
                    f"{node.value} is not a valid date ({exc}); write a date as "
                    "year-month-day, YYYY-MM-DD, e.g. 2027-01-01",
                )
            )
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<":
                problems.append(Problem(file, key_line, here, "merge keys (<<) are not allowed"))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                problems.append(
                    Problem(
                        file, key_line, here, f"key {key_node.value!r} must be a plain text key"
                    )
                )
                continue
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        key_line,
                        _dotted((*parts, key)),
                        f"duplicate key (first given on line {seen[key]})",
                    )
                )
                continue
            seen[key] = key_line
            lines[_dotted((*parts, key))] = key_line
            _check(value_node, (*parts, key), lines, problems, file, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check(item, (*parts, index), lines, problems, file, depth + 1)
