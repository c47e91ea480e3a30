"""The Document: the one assembled form every renderer, lint and diff works from.

Numbers, cross-references and all wording are settled when the Document is made; a
renderer only lays it out. That is why DOCX, PDF and Markdown carry the same text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting.

    ``ref`` is set on the label of a cross-reference ("punkt 6.2") to the id it points
    to, so that a comparison can ignore renumbering. ``change`` marks tracked insertions
    and deletions in a redline.
    """

    text: str
    bold: bool = False
    italic: bool = False
    ref: str | None = None
    change: Literal["ins", "del"] | None = None


Inline = tuple[Run, ...]


def plain(runs: Inline) -> str:
    """The text of some runs without formatting."""
    return "".join(run.text for run in runs)


@dataclass(frozen=True)
class Paragraph:
    """A point of a section: ``number`` is e.g. "6.2", "3 §" or None."""

    runs: Inline
    number: str | None = None
    anchor: str | None = None
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class ListBlock:
    """A bullet or lettered list; each item has its label ("–", "a)") and text."""

    items: tuple[tuple[str, Inline], ...]
    ordered: bool = False
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class Table:
    """A table with one header row."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class Subheading:
    """An unnumbered heading inside a section."""

    runs: Inline
    kind: Literal["subheading"] = "subheading"


Block = Paragraph | ListBlock | Table | Subheading


@dataclass(frozen=True)
class Section:
    """One clause placed in a document."""

    title: str
    clause_id: str
    number: str | None
    blocks: tuple[Block, ...]
    change: Literal["ins", "del"] | None = None

    @property
    def heading(self) -> str:
        """The heading as printed: "6. Ekonomi" or just the title."""
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Annex:
    """An annex of a document, e.g. "Bilaga 1 – Kostnadsfördelning"."""

    id: str
    label: str
    title: str
    sections: tuple[Section, ...]

    @property
    def heading(self) -> str:
        """The annex heading as printed."""
        return f"{self.label} – {self.title}"


@dataclass(frozen=True)
class Signature:
    """One party's signature block."""

    party: str
    place: str
    name: str
    title: str

    @property
    def lines(self) -> tuple[str, ...]:
        """The printed lines of the block, in order."""
        return (self.party, f"{self.place} den", self.name, self.title)


@dataclass(frozen=True)
class ClauseUse:
    """Which clause version a document used (for provenance)."""

    id: str
    version: str
    sha256: str
    path: str


@dataclass(frozen=True)
class UnresolvedRef:
    """A cross-reference whose target is not in the document (reported by the lint)."""

    clause_id: str
    path: str
    line: int
    target: str


@dataclass(frozen=True)
class Document:
    """An assembled document, ready for every renderer."""

    kind: str
    file: str
    title: str
    subtitle: str
    doc_id: str
    version: str
    date: dt.date
    status: str
    sections: tuple[Section, ...]
    annexes: tuple[Annex, ...] = ()
    signatures: tuple[Signature, ...] = ()
    clauses: tuple[ClauseUse, ...] = field(default=())
    definition_path: str = ""
    definition_sha256: str = ""
    unresolved: tuple[UnresolvedRef, ...] = ()
    fingerprint: str = ""
    show_fingerprint: bool = False

    @property
    def status_label(self) -> str:
        """Return "Utkast" or "Slutlig"."""
        return self.status.capitalize()

    @property
    def meta_line(self) -> str:
        """The identification line under the title."""
        from avtal.clauselib.textfmt import datum

        line = (
            f"Dokument-id {self.doc_id} · Version {self.version} · "
            f"{datum(self.date)} · {self.status_label}"
        )
        printed = self.printed_fingerprint
        return f"{line} · Fingeravtryck {printed}" if printed else line

    @property
    def printed_fingerprint(self) -> str:
        """The short fingerprint where it is printed: on drafts, or when asked for.

        A final version carries it in its metadata only, unless ``show_fingerprint``.
        """
        if self.fingerprint and (self.status == "utkast" or self.show_fingerprint):
            return self.short_fingerprint
        return ""

    @property
    def short_fingerprint(self) -> str:
        """The first 12 hex digits of the fingerprint, as printed in the document."""
        return self.fingerprint.removeprefix("sha256:")[:12]
