"""Wording that fits only some numbers of parties ("den andra Parten", "båda", "övriga Parter")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from avtal.check.base import Ctx, rule
from avtal.check.text import locate, number, param_sentences, quote, sentences

_PARTY = r"(?:Part|part|medlem|ägare|region|kommun)"

#: Words that assume exactly two parties.
_TWO = re.compile(
    rf"\b(?:den andra {_PARTY}\w*|den kvarvarande {_PARTY}\w*|(?:båda|bägge) {_PARTY}\w*|"
    rf"ömse sidor|"
    rf"de två {_PARTY}\w*|vardera av de två|"
    # "hälften var", "hälften på vardera regionen": a halving between two; a bare "hälften"
    # ("mer än hälften av ledamöterna") is left alone.
    rf"hälften (?:var(?:dera)?|för var(?:dera|je|och en)|på (?:var(?:dera|je)?|var och en|"
    rf"båda|bägge) ?\w*|till (?:var(?:dera|je)|var och en|båda|bägge) ?\w*)|"
    rf"(?:var|vars) ?sin hälft)\b",
    re.IGNORECASE,
)

#: Words that assume more than two; with two parties the other one can be named or singular.
_MANY = re.compile(
    rf"\b(?:övriga|de andra|varje annan|någon av de andra|samtliga övriga) (?:berörda )?"
    rf"{_PARTY}\w*",
    re.IGNORECASE,
)

_COPIES = re.compile(r"i (\w+) likalydande exemplar")


def _findings(ctx: Ctx, pattern: re.Pattern[str], message: str) -> Iterator[tuple[str, int, str]]:
    seen: set[tuple[str, int]] = set()
    for sentence in sentences(ctx):
        for match in pattern.finditer(sentence.text):
            file, line = locate(ctx, sentence, match.group(0))
            if (file, line) not in seen:
                seen.add((file, line))
                yield file, line, f"{message} {match.group(0)!r}: {quote(sentence.text)}"
    for path, text in param_sentences(ctx):
        found = pattern.search(text)
        if found and (ctx.file, ctx.line(path)) not in seen:
            seen.add((ctx.file, ctx.line(path)))
            yield ctx.file, ctx.line(path), f"{message} {found.group(0)!r}: {quote(text)}"


@rule(
    "UTK-PARTSANTAL",
    "error",
    "avtalsteknik, ingen lagregel",
    "With three or more parties, no text may assume two ('den andra Parten', 'båda', 'de två', "
    "'hälften på vardera'); "
    "the number of signed copies is the number of parties.",
)
def _more_than_two(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    count = len(ctx.params.parties)
    if count >= 3:
        yield from _findings(ctx, _TWO, f"{count} parties, but the text says")
    for sentence in sentences(ctx):
        copies = _COPIES.search(sentence.text)
        if copies and number(copies.group(1)) != count:
            file, line = locate(ctx, sentence, copies.group(0))
            yield file, line, f"{count} parties sign, but the text says {copies.group(0)!r}"


@rule(
    "UTK-TVA-PARTER",
    "warning",
    "avtalsteknik, ingen lagregel",
    "With two parties, 'övriga Parter' and 'varje annan Part' read wrong: name the other party "
    "where it is known, else say 'den andra Parten'.",
    forms=("gemensam_namnd", "kommunalforbund", "bolag"),
)
def _two(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    if len(ctx.params.parties) == 2:
        yield from _findings(ctx, _MANY, "two parties, but the text says")
