"""Read a DOCX made by avtal, possibly edited in Word, back into a Document.

pandoc (through pypandoc) reads the file, with Word's tracked changes accepted
(``--track-changes=accept``: inserted text counts, deleted and moved-away text does not)
and the paragraph styles kept (``docx+styles``), so the styles avtal writes say what each
paragraph is: a heading, a numbered point, a list item. Sections get the clause ids of the
same-titled sections of the other version in a diff (:func:`align_ids`).

pandoc comes with the dependency pypandoc_binary, so every installation reads Word files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from avtal.document import (
    Annex,
    Block,
    Document,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Signature,
    Subheading,
    Table,
)
from avtal.errors import InputError
from avtal.review.docx_zip import check_docx, properties

#: The caption avtal gives the table of signatures (a layout table, not content).
SIGNATURE_CAPTION = "Underskrifter"
_NUMBER = re.compile(r"^(\d+[ \u00a0]§|\d+(?:\.\d+)*) ")
_ANNEX = re.compile(r"^(Bilaga \d+) – (.+)$")
_SECTION = re.compile(r"^(\d+)\. (.+)$")


def _inline_text(items: list[Any]) -> str:
    out: list[str] = []
    for item in items:
        kind, content = item.get("t"), item.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in (
            "Strong",
            "Emph",
            "Underline",
            "SmallCaps",
            "Strikeout",
            "Superscript",
            "Subscript",
        ):
            out.append(_inline_text(content))
        elif kind == "Span" or kind == "Link":
            out.append(_inline_text(content[1]))
        elif kind == "Quoted":
            quote = "”" if content[0]["t"] == "DoubleQuote" else "’"
            out.append(quote + _inline_text(content[1]) + quote)
        elif kind == "Code":
            out.append(content[1])
    return "".join(out)


def _inline_runs(items: list[Any], bold: bool = False, italic: bool = False) -> list[Run]:
    """Runs with the bold and italic that Word's formatting gives them."""
    out: list[Run] = []
    for item in items:
        kind, content = item.get("t"), item.get("c")
        if kind == "Strong":
            out += _inline_runs(content, True, italic)
        elif kind == "Emph":
            out += _inline_runs(content, bold, True)
        elif kind in ("Underline", "SmallCaps", "Strikeout", "Superscript", "Subscript"):
            out += _inline_runs(content, bold, italic)
        elif kind in ("Span", "Link"):
            out += _inline_runs(content[1], bold, italic)
        else:
            out.append(Run(_inline_text([item]), bold, italic))
    return out


def _normalise(runs: list[Run]) -> tuple[Run, ...]:
    """Adjacent runs of one formatting joined, white space squashed, ends trimmed."""
    merged: list[Run] = []
    for run in runs:
        text = re.sub(r"[ \t\r\n]+", " ", run.text)
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = replace(merged[-1], text=re.sub(" +", " ", merged[-1].text + text))
        elif text:
            merged.append(replace(run, text=text))
    if merged:
        merged[0] = replace(merged[0], text=merged[0].text.lstrip(" "))
        merged[-1] = replace(merged[-1], text=merged[-1].text.rstrip(" "))
    return tuple(r for r in merged if r.text)


def _cut(runs: tuple[Run, ...], count: int) -> tuple[Run, ...]:
    """The runs without their first ``count`` characters (a point number, a list label)."""
    out = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(replace(run, text=run.text[count:]))
        count = 0
    return tuple(out)


def _blocks_text(blocks: list[Any]) -> str:
    parts = []
    for block in blocks:
        if block.get("t") in ("Para", "Plain"):
            parts.append(_inline_text(block["c"]))
        elif block.get("t") == "Div":
            parts.append(_blocks_text(block["c"][1]))
    return " ".join(_squash(p) for p in parts if p.strip())


def _squash(text: str) -> str:
    """Runs of ordinary white space as one space; no-break spaces kept as written."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def _style(div: dict[str, Any]) -> str:
    attributes = dict(div["c"][0][2])
    return str(attributes.get("custom-style", ""))


def _pandoc_json(path: Path) -> dict[str, Any]:
    try:
        import pypandoc
    except ImportError:
        raise InputError(
            f"{path}: reading a Word file needs pandoc; reinstall avtal (pypandoc_binary)"
        ) from None
    try:
        raw = pypandoc.convert_file(
            str(path), "json", format="docx+styles", extra_args=["--track-changes=accept"]
        )
    except (RuntimeError, OSError) as exc:
        raise InputError(f"{path}: pandoc cannot read it as DOCX: {exc}") from None
    data: dict[str, Any] = json.loads(raw)
    return data


_META = re.compile(
    r"^Dokument-id (?P<id>.*?) · Version (?P<version>.*?) · (?P<date>\d{1,2} \w+ \d{4})"
    r" · (?P<status>\w+)(?: · Fingeravtryck (?P<print>[0-9a-f]+))?$"
)
_RESTYLED_NUMBER = re.compile(r"^(\d+[ \u00a0]§|\d+\.\d+(?:\.\d+)*) ")
_AVTAL_STYLES = ("Punkt", "Stycke", "Lista", "Dokumentuppgifter")
_LIST_ITEM = re.compile(r"^(–|[a-z]\)|\d+\)) ")
#: The kind of a Document read from a DOCX without heading styles.
UNSTYLED = "docx-unstyled"


def _date(text: str) -> dt.date | None:
    from avtal.clauselib.textfmt import MONTHS

    day, month, year = text.split()
    if month not in MONTHS:
        return None
    return dt.date(int(year), MONTHS.index(month) + 1, int(day))


class _Reader:
    def __init__(self, styled: bool, headed: bool) -> None:
        self.styled = styled
        self.headed = headed
        self.sections: list[Section] = []
        self.annexes: list[Annex] = []
        self.current: list[Block] | None = None
        self.heading: tuple[str | None, str] | None = None
        self.in_annex = False
        self.items: list[tuple[str, tuple[Run, ...]]] = []
        self.front: list[tuple[str, str]] = []  # (style, text) before the first heading
        self.signatures: list[Signature] = []
        self.front_done = False
        self.numbered = False

    def close_list(self) -> None:
        if self.items and self.current is not None:
            ordered = self.items[0][0] != "–"
            self.current.append(ListBlock(tuple(self.items), ordered=ordered))
        self.items = []

    def close_section(self) -> None:
        self.close_list()
        if self.heading is not None and self.current is not None:
            number, name = self.heading
            section = Section(name, f"title:{name}", number, tuple(self.current))
            if self.in_annex and self.annexes:
                last = self.annexes[-1]
                self.annexes[-1] = replace(last, sections=(*last.sections, section))
            else:
                self.sections.append(section)
        self.current, self.heading = None, None

    def header(self, level: int, text: str) -> None:
        annex = _ANNEX.match(text)
        if level == 1 or annex:
            self.close_section()
            if annex:
                self.in_annex = True
                self.annexes.append(
                    Annex(f"title:{annex.group(2)}", annex.group(1), annex.group(2), ())
                )
                return
            numbered = _SECTION.match(text)
            self.heading = (numbered.group(1), numbered.group(2)) if numbered else (None, text)
            self.current = []
        elif level == 2 and self.in_annex:
            self.close_section()
            self.heading, self.current = (None, text), []
        elif self.current is not None:
            self.close_list()
            self.current.append(Subheading((Run(text),)))

    def _heading_level(self, text: str) -> int:
        """For a paragraph without avtal's styles: the heading level its text suggests."""
        if _ANNEX.match(text) or _SECTION.match(text):
            self.numbered = self.numbered or bool(_SECTION.match(text))
            return 1
        short = (
            len(text) <= 80
            and text[:1].isupper()
            and not text.endswith((".", ":", ";", ","))
            and not _RESTYLED_NUMBER.match(text)
            and not _LIST_ITEM.match(text)
        )
        if not short or not self.front_done or (self.numbered and not self.in_annex):
            return 0
        return 2 if self.in_annex else 1

    def paragraph(self, style: str, text: str, runs: tuple[Run, ...] = ()) -> None:
        runs = runs or (Run(text),)
        if not text:
            return
        if not self.headed and style not in _AVTAL_STYLES:
            level = self._heading_level(text)
            if level:
                self.front_done = True
                self.header(level, text)
                return
        if self.current is None:
            if not self.sections and not self.annexes:
                self.front.append((style, text))
                self.front_done = self.front_done or bool(_META.match(text))
            return
        if style == "Lista" or (not self.styled and _LIST_ITEM.match(text)):
            label = text.partition(" ")[0]
            self.items.append((label, _cut(runs, len(label) + 1)))
            return
        self.close_list()
        pattern = _NUMBER if style == "Punkt" else _RESTYLED_NUMBER if not self.styled else None
        found = pattern.match(text) if pattern else None
        number = found.group(1).replace("\u00a0", " ") if found else None
        content = _cut(runs, found.end()) if found else runs
        self.current.append(Paragraph(content, number=number))

    def signature_table(self, rows: list[list[list[str]]]) -> None:
        for row in rows:
            for cell in row:
                lines = [line for line in cell if line]
                if len(lines) >= 2 and lines[1].endswith(" den"):
                    rest = [*lines[2:], "", ""]
                    self.signatures.append(
                        Signature(lines[0], lines[1].removesuffix(" den"), rest[0], rest[1])
                    )

    def block(self, block: dict[str, Any], style: str = "") -> None:
        kind = block.get("t")
        if kind == "Header":
            self.header(block["c"][0], _squash(_inline_text(block["c"][2])))
        elif kind == "Div":
            for inner in block["c"][1]:
                self.block(inner, _style(block))
        elif kind in ("Para", "Plain"):
            runs = _normalise(_inline_runs(block["c"]))
            self.paragraph(style, "".join(r.text for r in runs), runs)
        elif kind == "Table":
            cells = _table_cells(block)
            if any(line.endswith(" den") for row in cells for cell in row for line in cell):
                self.close_section()
                self.signature_table(cells)
                return
            if self.current is None:
                return
            self.close_list()
            rows = [tuple(" ".join(cell) for cell in row) for row in cells]
            if rows:
                cell_runs = [tuple((Run(c),) for c in row) for row in rows]
                self.current.append(Table(cell_runs[0], tuple(cell_runs[1:])))


def _table_cells(table: dict[str, Any]) -> list[list[list[str]]]:
    """Rows of cells of paragraph texts."""
    _attr, _caption, _specs, head, bodies, foot = table["c"]
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    out = []
    for row in rows:
        cells = []
        for cell in row[1]:
            lines = []
            for inner in cell[4]:
                if inner.get("t") in ("Para", "Plain"):
                    lines.append(_squash(_inline_text(inner["c"])))
                elif inner.get("t") == "Div":
                    lines.append(_blocks_text(inner["c"][1]))
            cells.append(lines)
        out.append(cells)
    return out


def _walk_styles(blocks: list[Any]) -> tuple[bool, bool]:
    """Whether the document uses avtal's paragraph styles, and whether it has headings."""
    styled = headed = False
    for block in blocks:
        if block.get("t") == "Header":
            headed = True
        elif block.get("t") == "Div":
            if _style(block) in _AVTAL_STYLES:
                styled = True
            inner_styled, inner_headed = _walk_styles(block["c"][1])
            styled, headed = styled or inner_styled, headed or inner_headed
    return styled, headed


def read_docx(path: Path) -> Document:
    """Parse a DOCX into a Document whose clause ids are ``title:<heading title>``.

    Title, subtitle, identification line, clauses, annexes and signatures are read. A
    document whose styles were replaced (pasted into another template, or saved through
    ODT) is read from its numbering and text; one where no clause can be found is an
    error saying so.
    """
    archive = check_docx(path)
    printed, core_date = properties(archive)
    data = _pandoc_json(path)
    blocks = data.get("blocks", [])
    styled, headed = _walk_styles(blocks)
    reader = _Reader(styled, headed)
    for block in blocks:
        reader.block(block)
    reader.close_section()
    if not reader.sections and not reader.annexes:
        raise InputError(
            f"{path}: no clause headings found (neither avtal's heading styles nor numbered "
            'headings such as "6. Ekonomi"); the document cannot be mapped to clauses'
        )
    meta = data.get("meta", {})

    def meta_text(key: str) -> str:
        value = meta.get(key)
        return _squash(_inline_text(value["c"])) if value else ""

    title, subtitle = meta_text("title"), meta_text("subtitle")
    ident = None
    rest = []
    for _style_name, text in reader.front:
        match = _META.match(text)
        if match and ident is None:
            ident = match
        else:
            rest.append(text)
    if not title and rest:
        title = rest.pop(0)
    if not subtitle and rest:
        subtitle = rest.pop(0)
    date = _date(ident.group("date")) if ident else None
    return Document(
        kind="docx" if headed else UNSTYLED,
        file=path.stem,
        title=title,
        subtitle=subtitle,
        doc_id=ident.group("id") if ident else "",
        version=ident.group("version") if ident else "",
        date=date or core_date,
        status=(ident.group("status").lower() if ident else "utkast"),
        sections=tuple(reader.sections),
        annexes=tuple(reader.annexes),
        signatures=tuple(reader.signatures),
        fingerprint=printed,
    )
