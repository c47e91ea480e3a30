"""Document definitions: which clauses a document has, in what order, under which conditions.

A definition is a YAML file in ``templates/``. Its ``when`` conditions and title templates
are library text (never user input) evaluated in the same sandboxed environment as clauses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from avtal.clauselib.clauses import LibraryText, control_problem
from avtal.errors import ClauseError
from avtal.load.model import FORMS
from avtal.load.params import problems_from_validation
from avtal.load.yamlio import LineMap, load_yaml, read_text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Slot(_Strict):
    """One clause in a definition, optionally conditional."""

    clause: str
    when: str | None = None
    alias: str | None = Field(
        None, description="Another id to reference the clause by, shared by its variants"
    )


class AnnexDef(_Strict):
    """An annex: its reference id, title and clauses."""

    id: str = Field(pattern=r"^bilaga\.[a-z0-9_]+$")
    title: LibraryText
    sections: list[Slot] = Field(min_length=1)
    when: str | None = None


class Definition(_Strict):
    """A whole document definition."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    forms: list[str] = Field(min_length=1)
    file: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: LibraryText
    subtitle: LibraryText = ""
    id_suffix: str = Field("", pattern=r"^(-[A-Z0-9]{1,6})?$", description="e.g. -AO")
    order: int = Field(100, description="Position among the documents of a build")
    numbering: Literal["sections", "paragraphs", "none"] = "sections"
    role: Literal["document", "matter"] = Field(
        "document", description="document: built by avtal build; matter: a council-matter memo"
    )
    sections: list[Slot] = Field(min_length=1)
    signatures: bool = False
    annexes: list[AnnexDef] = Field(default_factory=list)


_LOADED: dict[tuple[str, int, int], tuple[Definition, LineMap]] = {}


def load_definition(path: Path) -> tuple[Definition, LineMap]:
    """Load and check one definition file (kept per process while the file is unchanged)."""
    try:
        stat = path.stat()
    except OSError:
        return _load_definition(path)  # load_yaml reports the file that cannot be read
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(key)
    if cached is None:
        cached = _load_definition(path)
        _LOADED[key] = cached
    return cached


def _load_definition(path: Path) -> tuple[Definition, LineMap]:
    text = read_text(path, "document definition")
    problem = control_problem(text.replace("\r\n", "\n"), path)
    if problem:
        raise ClauseError(problem)
    data, lines = load_yaml(path, text, what="document definition")
    try:
        definition = Definition.model_validate(data)
    except ValidationError as exc:
        raise ClauseError(
            f"{path}: invalid document definition",
            problems_from_validation(exc, str(path), lines),
        ) from None
    unknown = [f for f in definition.forms if f not in FORMS]
    if unknown:
        raise ClauseError(f"{path}:{lines.get('forms')}: unknown form(s) {', '.join(unknown)}")
    return definition, lines


def definitions_for(
    form: str, roots: list[Path], role: str = "document"
) -> list[tuple[Path, Definition, LineMap]]:
    """Every definition for ``form``; a later root replaces an earlier file of the same id."""
    found: dict[str, tuple[Path, Definition, LineMap]] = {}
    for root in roots:
        for path in sorted(root.glob("*.yaml")):
            # A file that is no symbolic link lies in the folder it was found in; only
            # links are resolved (resolving stats every component of the path).
            if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
                raise ClauseError(f"{path}: links outside the folder {root}; not read")
            definition, lines = load_definition(path)
            if form in definition.forms and definition.role == role:
                found[definition.id] = (path, definition, lines)
    chosen = sorted(found.values(), key=lambda item: (item[1].order, item[1].id))
    writers: dict[str, Path] = {}
    for path, definition, lines in chosen:
        if definition.file in writers:
            raise ClauseError(
                f"{path}:{lines.get('file')}: file: {definition.file!r} is also written by "
                f"{writers[definition.file]}; two documents cannot write the same file"
            )
        writers[definition.file] = path
    return chosen
