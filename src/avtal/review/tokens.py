"""Words for comparing: amounts and dates are one token, white space is kept as written.

Splitting on white space would cut "20 800 000" (no-break spaces) into three words, so
that a changed amount showed as a change inside the number, and it would lose the
no-break spaces a redline must keep. Here an amount, a date ("1 januari 2027") and a
reference label ("punkt 6.2", "bilaga 1") are single tokens, and every stretch of
white space is a token of its own, kept literally.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Literal

from avtal.clauselib.textfmt import MONTHS

_SPACE = r"[ \u00a0\u202f]"
TOKEN = re.compile(
    rf"\d{{1,2}}{_SPACE}(?:{'|'.join(MONTHS)})(?:{_SPACE}\d{{4}})?(?![\w])"  # a date
    rf"|(?<![\d,])\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?(?![\d])"  # an amount
    rf"|(?:[Pp]unkt|[Bb]ilaga){_SPACE}\d+(?:\.\d+)*(?![\d])"  # a reference label
    r"|\s+"  # white space, kept as written
    r"|[^\s]+"  # a word with its punctuation
)

Op = Literal["equal", "insert", "delete"]
WordOp = tuple[Op, str]


def tokens(text: str) -> list[str]:
    """Split text into tokens whose concatenation is the text itself."""
    return TOKEN.findall(text)


def key(token: str) -> str:
    """What a token compares as: white space of any kind is one space."""
    return " " if token.isspace() else token


def token_ops(
    old: Sequence[str], new: Sequence[str], old_keys: Sequence[str], new_keys: Sequence[str]
) -> list[tuple[Op, int, int, int, int]]:
    """Token-level opcodes; white space alone between two changes joins the change.

    Without that, "a b c" against "x y z" would read as three changes around two
    unchanged spaces.
    """
    matcher = difflib.SequenceMatcher(a=list(old_keys), b=list(new_keys), autojunk=False)
    raw = matcher.get_opcodes()
    changes: list[list[int]] = []  # [i1, i2, j1, j2, is_change]
    for index, (tag, i1, i2, j1, j2) in enumerate(raw):
        glue = 0 < index < len(raw) - 1 and all(t.isspace() for t in old[i1:i2])
        changed = int(tag != "equal" or glue)
        if changed and changes and changes[-1][4]:
            changes[-1][1], changes[-1][3] = i2, j2
        else:
            changes.append([i1, i2, j1, j2, changed])
    out: list[tuple[Op, int, int, int, int]] = []
    for i1, i2, j1, j2, changed in changes:
        if not changed:
            out.append(("equal", i1, i2, j1, j2))
            continue
        if i2 > i1:
            out.append(("delete", i1, i2, j1, j1))
        if j2 > j1:
            out.append(("insert", i2, i2, j1, j2))
    return out


def word_ops(old: str, new: str) -> tuple[WordOp, ...]:
    """Token-level difference of two texts, as (operation, text) pairs."""
    a, b = tokens(old), tokens(new)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in token_ops(a, b, [key(t) for t in a], [key(t) for t in b]):
        text = "".join(a[i1:i2]) if tag == "delete" else "".join(b[j1:j2])
        ops.append((tag, text))
    return tuple(ops)
