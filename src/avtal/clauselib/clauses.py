"""The clause library: files under ``clauses/<area>/``, loaded, checked and hashed.

A user's own clause folders come after the built-in library; a clause with the same id
replaces the built-in one (an override), a new id extends the library.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from avtal.clauselib import diskcache
from avtal.errors import ClauseError, InputError, Problem
from avtal.load.model import FORMS, Params, Party, PartyMatter, ReplacedCommittee
from avtal.load.params import problems_from_validation
from avtal.load.yamlio import load_yaml, read_text

ClauseId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]


def _printable(value: str) -> str:
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            name = unicodedata.name(char, "")
            code = f"U+{ord(char):04X}"
            raise ValueError(f"contains the control or invisible character {name or code}")
    return value


#: A one-line text of the library (a title): no control or invisible characters.
LibraryText = Annotated[str, AfterValidator(_printable)]


class ClauseMeta(BaseModel):
    """Front matter of a clause file."""

    # Built on first use: a start whose clauses come checked from the disk cache
    # validates none and needs no validator.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: ClauseId
    title: LibraryText = Field(min_length=1, max_length=200)
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    area: str
    forms: list[str] = Field(min_length=1)
    legal_basis: list[str] = Field(default_factory=list)
    parameters: list[str] = Field(default_factory=list)
    defines: list[str] = Field(default_factory=list)
    uncertain: list[str] = Field(default_factory=list)
    covers: list[str] = Field(
        default_factory=list, description="Statutory items the clause fulfils, e.g. kl-9-6-11"
    )
    numbered: bool = True


@dataclass(frozen=True)
class Clause:
    """One clause file: metadata, body and where it came from."""

    meta: ClauseMeta
    path: Path
    body: str
    body_line: int
    sha256: str

    @property
    def id(self) -> str:
        """The clause id."""
        return self.meta.id

    @property
    def source(self) -> str:
        """The body padded with blank lines so that template lines equal file lines."""
        return "\n" * (self.body_line - 1) + self.body


_EXTRA_FIELDS: dict[str, dict[str, Any]] = {
    "party": {"styrelse": None, "fullmaktige": None},
    "share": {"party": "party", "percent": None, "basis_value": None, "example_amount": None},
    "federation": {"total_members": None, "total_substitutes": None, "first_period": None},
    "owner": {"percent": None},
    "partymatter": {"replaces": ReplacedCommittee},
    "replacedcommittee": {},
    "bilaga": {"number": None, "title": None, "kind": None, "file": None},
    "granskning": {"errors": None, "warnings": None},
    "company": {"total_shares": None, "board_seats": None},
    "committee": {
        "total_members": None,
        "total_substitutes": None,
        "fees_per_year": None,
        "fees_per_term": None,
    },
}
#: Fields that hold party ids in the file and whole parties in the context.
_PARTY_REFS = {"chair", "vice_chair", "employer", "approved_by", "party", "convener"}


@functools.cache
def _fields(model: type[BaseModel]) -> dict[str, Any]:
    # Cached: the models are fixed, and every clause asks about the same few. Callers copy.
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        out[name] = "party" if name in _PARTY_REFS else _inner(field.annotation)
    return out


def _inner(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner(arg)
        if found is not None:
            return found
    return None


def _children(kind: Any) -> dict[str, Any] | None:
    if kind == "party":
        return {**_fields(Party), **_EXTRA_FIELDS["party"]}
    if kind in ("share", "bilaga", "granskning"):
        return dict(_EXTRA_FIELDS[kind])
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        extra = _EXTRA_FIELDS.get(kind.__name__.lower(), {})
        return {**_fields(kind), **extra}
    return None


@functools.cache
def context_path_exists(path: str) -> bool:
    """Whether a dotted context path (e.g. ``host.name``, ``costs.model``) exists."""
    top: dict[str, Any] = {
        **_fields(Params),
        "parties": "party",
        "host": "party",
        "partners": "party",
        "shares": "share",
        # Council-matter memos only: this party's matter, the attachments, the lint result.
        "arende": PartyMatter,
        "bilagor": "bilaga",
        "granskning": "granskning",
    }
    kind: Any = None
    children: dict[str, Any] | None = top
    for part in path.split("."):
        if children is None or part not in children:
            return False
        kind = children[part]
        children = _children(kind)
    return True


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


_LOADED: dict[tuple[str, int, int], Clause] = {}


def load_clause(path: Path) -> Clause:
    """Load and check one clause file (kept per process while the file is unchanged)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise ClauseError(f"{path}: cannot read clause file: {exc.strerror}") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(key)
    if cached is None:
        cached = _load_clause(path)
        _LOADED[key] = cached
    return cached


def control_problem(text: str, path: Path) -> str | None:
    """The first character of ``text`` that no document may contain, as ``file:line: …``.

    Control characters (ESC, NUL…), invisible format characters and the private-use
    characters avtal reserves for its own marks would reach the DOCX (where XML cannot
    hold them) or hide text; tabs and line ends are fine.
    """
    for index, char in enumerate(text):
        if char in "\n\t":
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            line = text.count("\n", 0, index) + 1
            code = f"U+{ord(char):04X}"
            name = unicodedata.name(char, "")
            what = f"{name} ({code})" if name else code
            return f"{path}:{line}: contains the control or invisible character {what}"
    return None


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symbolic link resolved, lies inside ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _links_outside(paths: list[Path], root: Path) -> list[Path]:
    """Those of ``paths`` (``root/area/file``, as globbed) that resolve outside ``root``.

    Resolving a path stats each of its components; with a hundred clauses that was a
    tenth of a cold start. A path whose area folder and file are no symbolic links
    resolves to the resolved root followed by the same two names, so it is inside; only
    links are resolved in full.
    """
    linked_areas: dict[Path, bool] = {}
    outside = []
    for path in paths:
        try:
            area = path.parent
            if area not in linked_areas:
                linked_areas[area] = area.is_symlink()
            linked = linked_areas[area] or path.is_symlink()
        except OSError:
            linked = True
        if linked and not _inside(path, root):
            outside.append(path)
    return outside


def _load_clause(path: Path) -> Clause:
    # Line ends are normalised, so a clause saved with Windows line ends (CRLF) reads and
    # hashes the same as with Unix ones.
    text = read_text(path, "clause file").replace("\r\n", "\n")
    problem = control_problem(text, path)
    if problem:
        raise ClauseError(problem)
    match = _FRONT.match(text)
    if not match:
        raise ClauseError(f"{path}:1: a clause file starts with front matter between --- lines")
    front = match.group(1)
    data, lines = load_yaml(path, "\n" + front, what="clause front matter")
    try:
        meta = ClauseMeta.model_validate(data)
    except ValidationError as exc:
        raise ClauseError(
            f"{path}: invalid clause front matter",
            problems_from_validation(exc, str(path), lines),
        ) from None
    problems: list[Problem] = []
    if meta.area != path.parent.name:
        problems.append(
            Problem(
                str(path),
                lines.get("area"),
                "area",
                f"is {meta.area!r} but the clause lies in folder {path.parent.name!r}",
            )
        )
    for index, form in enumerate(meta.forms):
        if form not in FORMS:
            problems.append(
                Problem(
                    str(path),
                    lines.get(f"forms[{index}]", lines.get("forms")),
                    f"forms[{index}]",
                    f"unknown form {form!r}",
                )
            )
    for index, param in enumerate(meta.parameters):
        if not context_path_exists(param):
            problems.append(
                Problem(
                    str(path),
                    lines.get(f"parameters[{index}]", lines.get("parameters")),
                    f"parameters[{index}]",
                    f"unknown parameter {param!r}",
                )
            )
    if problems:
        raise ClauseError(f"{path}: invalid clause", problems)
    body_line = text[: match.end()].count("\n") + 1
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Clause(meta, path, text[match.end() :], body_line, digest)


def _checked_before(paths: list[Path]) -> str | None:
    """Take clauses checked in an earlier run from the disk cache; else the entry to fill."""
    if all(_stat_key(p) in _LOADED for p in paths):
        return None  # a warm process: nothing to read
    found = diskcache.key("clauses", paths)
    if found is None:
        return None
    entry, stats = found
    cached = diskcache.load(entry)
    if not isinstance(cached, list) or len(cached) != len(paths):
        return entry
    for path, stat, clause in zip(paths, stats, cached, strict=True):
        _LOADED.setdefault((str(path), stat.st_mtime_ns, stat.st_size), clause)
    return None


def _keep_checked(entry: str, paths: list[Path]) -> None:
    found = diskcache.key("clauses", paths)
    if found is None or found[0] != entry:
        return  # changed while they were checked: the next run stores them
    clauses = [_LOADED.get(_stat_key(p)) for p in paths]
    if all(clause is not None for clause in clauses):
        diskcache.store(entry, clauses)


def _stat_key(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


class Library:
    """All clauses by id, built-in first, user folders overriding by id."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.clauses: dict[str, Clause] = {}
        self.overridden: dict[str, Path] = {}
        problems: list[str] = []
        for root in roots:
            if not root.is_dir():
                raise InputError(f"{root}: clause folder not found")
            seen_here: dict[str, Path] = {}
            paths = sorted(root.glob("*/*.md"))
            for path in _links_outside(paths, root):
                paths.remove(path)
                problems.append(f"{path}: links outside the clause folder {root}; not read")
            entry = _checked_before(paths)
            for path in paths:
                try:
                    clause = load_clause(path)
                except ClauseError as exc:
                    problems.append(exc.format_message())
                    continue
                if clause.id in seen_here:
                    problems.append(
                        f"{path}: clause id {clause.id!r} is also used by {seen_here[clause.id]}"
                    )
                    continue
                seen_here[clause.id] = path
                if clause.id in self.clauses:
                    self.overridden[clause.id] = self.clauses[clause.id].path
                self.clauses[clause.id] = clause
            if entry is not None and not problems:
                _keep_checked(entry, paths)
        if problems:
            raise ClauseError("the clause library has errors:\n" + "\n".join(problems))

    def get(self, clause_id: str) -> Clause | None:
        """The clause with this id, if any."""
        return self.clauses.get(clause_id)
