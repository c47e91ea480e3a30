"""Parse a rendered clause body (the small Markdown dialect of docs/clauses.md) into blocks.

Written by hand rather than with a Markdown library: the dialect is tiny, and it must treat
sentinel-wrapped parameter values as opaque literal text, which no Markdown parser does.
"""

from __future__ import annotations

import re

from avtal.clauselib.jinja_env import REF_CLOSE, REF_OPEN, VALUE_CLOSE, VALUE_OPEN
from avtal.document import Block, Inline, ListBlock, Paragraph, Run, Subheading, Table


class MarkupError(ValueError):
    """The body breaks the clause dialect."""


_LETTER = re.compile(r"^([a-z])\) ")
_ANCHOR = re.compile(r"^\{#([a-z][a-z0-9_-]*)\}\s*")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def _kind(line: str) -> str:
    if line.startswith("### "):
        return "subheading"
    if line.startswith("|"):
        return "table"
    if line.startswith("- "):
        return "bullet"
    if _LETTER.match(line):
        return "letter"
    return "text"


def _split_cells(line: str) -> list[str]:
    """Split a table row on ``|`` outside value spans."""
    cells: list[str] = []
    current = ""
    depth = 0
    for char in line:
        if char == VALUE_OPEN:
            depth += 1
        elif char == VALUE_CLOSE:
            depth -= 1
        if char == "|" and depth == 0:
            cells.append(current)
            current = ""
        else:
            current += char
    cells.append(current)
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


_TOKEN = re.compile(
    re.escape(VALUE_OPEN)
    + "[^"
    + re.escape(VALUE_CLOSE)
    + "]*"
    + re.escape(VALUE_CLOSE)
    + r"|\*\*|\*|[^*"
    + re.escape(VALUE_OPEN)
    + "]+|"
    + re.escape(VALUE_OPEN)
)


def inline(text: str) -> Inline:
    """Parse ``**bold**`` and ``*italic*`` outside value spans; drop value sentinels."""
    runs: list[Run] = []
    bold = italic = False
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token == "**":
            bold = not bold
            continue
        if token == "*":
            italic = not italic
            continue
        if token.startswith(VALUE_OPEN):
            token = token.strip(VALUE_OPEN + VALUE_CLOSE)
        if not token:
            continue
        if runs and runs[-1].bold == bold and runs[-1].italic == italic:
            runs[-1] = Run(runs[-1].text + token, bold, italic)
        else:
            runs.append(Run(token, bold, italic))
    if bold or italic:
        raise MarkupError(f"unclosed {'**' if bold else '*'} in: {_visible(text)[:80]!r}")
    return tuple(runs)


def _visible(text: str) -> str:
    return text.translate({ord(c): None for c in VALUE_OPEN + VALUE_CLOSE})


def parse_blocks(text: str) -> list[Block]:
    """Split rendered text into paragraphs, lists, tables and sub-headings."""
    blocks: list[Block] = []
    para: list[str] = []
    items: list[tuple[str, str]] = []
    list_kind = ""
    table: list[str] = []

    def end_para() -> None:
        if para:
            joined = " ".join(para)
            anchor = None
            match = _ANCHOR.match(joined)
            if match:
                anchor = match.group(1)
                joined = joined[match.end() :]
            if REF_OPEN in joined or REF_CLOSE in joined or joined.strip():
                blocks.append(Paragraph(inline(joined), anchor=anchor))
            para.clear()

    def end_list() -> None:
        nonlocal list_kind
        if items:
            ordered = list_kind == "letter"
            labelled = tuple(
                (f"{chr(ord('a') + n)})" if ordered else "–", inline(body))
                for n, (_, body) in enumerate(items)
            )
            blocks.append(ListBlock(labelled, ordered=ordered))
            items.clear()
        list_kind = ""

    def end_table() -> None:
        if table:
            if len(table) < 2 or not _TABLE_RULE.match(table[1].strip()):
                raise MarkupError("a table needs a header row and a |---| rule under it")
            header = tuple(inline(c) for c in _split_cells(table[0]))
            rows = []
            for line in table[2:]:
                cells = tuple(inline(c) for c in _split_cells(line))
                if len(cells) != len(header):
                    raise MarkupError(
                        f"table row has {len(cells)} cells, header has {len(header)}: "
                        f"{_visible(line)[:80]!r}"
                    )
                rows.append(cells)
            blocks.append(Table(header, tuple(rows)))
            table.clear()

    def end_all() -> None:
        end_para()
        end_list()
        end_table()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            end_all()
            continue
        kind = _kind(line)
        if kind == "subheading":
            end_all()
            blocks.append(Subheading(inline(line[4:].strip())))
        elif kind == "table":
            end_para()
            end_list()
            table.append(line)
        elif kind in ("bullet", "letter"):
            end_para()
            end_table()
            if list_kind and list_kind != kind:
                end_list()
            list_kind = kind
            marker = 2 if kind == "bullet" else 3
            items.append((kind, line[marker:].strip()))
        elif items:
            label, body = items[-1]
            items[-1] = (label, f"{body} {line}")
        else:
            end_table()
            para.append(line)
    end_all()
    return blocks
