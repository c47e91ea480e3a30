"""Reading the documents sentence by sentence, and finding where a sentence was written.

Rules that test what a text *says* (who audits, who adopts, how many are needed) look at one
sentence at a time. A finding points at the file and line the words came from: a parameter
value when the sentence carries one, else the clause (built-in or the user's own) that wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from avtal.check.base import Ctx

_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÅÄÖ])|\n+")
_SPACE = re.compile(r"\s+")

#: Words that make a statement apply to every party.
EVERY = re.compile(
    r"\b(varje|samtliga|var och en|alla|respektive|vardera|båda|bägge)\b", re.IGNORECASE
)
#: A restriction to some: "endast", "enbart" … but not "inte bara".
ONLY = re.compile(
    r"(?<!inte )\b(endast|enbart|bara|uteslutande|ensam|ensamt|ensamma)\b", re.IGNORECASE
)
NEGATION = re.compile(r"\b(inte|ej|ingen|inget|inga|aldrig|utan)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an assembled document and the clause it came from."""

    text: str
    clause_id: str
    doc_kind: str


def norm(text: str) -> str:
    """Collapse white space."""
    return _SPACE.sub(" ", text).strip()


def split(text: str) -> list[str]:
    """The sentences of a text (list items and table cells count as sentences)."""
    return [norm(s) for s in _SPLIT.split(text) if norm(s)]


def sentences(ctx: Ctx, kinds: tuple[str, ...] = ()) -> list[Sentence]:
    """Every sentence of the documents (of ``kinds`` only, when given)."""
    if "sentences" not in ctx.cache:
        ctx.cache["sentences"] = [
            Sentence(s, clause_id, kind)
            for (kind, clause_id), text in ctx.texts.items()
            for s in split(text)
        ]
    every: list[Sentence] = ctx.cache["sentences"]
    return [s for s in every if s.doc_kind in kinds] if kinds else every


def param_texts(ctx: Ctx) -> list[tuple[str, str]]:
    """``(path, text)`` of every text value of the parameter file."""
    if "params" in ctx.cache:
        cached: list[tuple[str, str]] = ctx.cache["params"]
        return cached
    out: list[tuple[str, str]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        elif isinstance(value, str) and path in ctx.project.lines:
            out.append((path, norm(value)))

    walk(ctx.params.model_dump(mode="json"), "")
    ctx.cache["params"] = out
    return out


def locate(ctx: Ctx, sentence: Sentence, words: str) -> tuple[str, int]:
    """The file and line where ``words`` (a part of ``sentence``) were written."""
    words = norm(words)
    for path, value in param_texts(ctx):
        for part in split(value):
            overlaps = part.rstrip(".") in sentence.text or sentence.text in part
            if overlaps and words.lower() in part.lower():
                return ctx.file, ctx.line(path)
    clause = ctx.project.clause_library.get(sentence.clause_id)
    if clause is None:
        return ctx.file, 1
    lines = clause.source.split("\n")
    context = set(re.findall(r"[\wåäöÅÄÖ]{4,}", sentence.text.lower()))
    candidates = [words, *sorted(re.findall(r"[\wåäöÅÄÖ]{5,}", words), key=len, reverse=True)]
    for needle in candidates:
        hits = [n for n, line in enumerate(lines, start=1) if needle.lower() in line.lower()]
        if hits:
            # Of the lines holding the words, the one sharing most words with the sentence.
            best = max(
                hits,
                key=lambda n: (
                    len(context & set(re.findall(r"[\wåäöÅÄÖ]{4,}", lines[n - 1].lower()))),
                    -n,
                ),
            )
            return str(clause.path), best
    return str(clause.path), clause.body_line


def located(
    ctx: Ctx, pattern: re.Pattern[str], kinds: tuple[str, ...] = ()
) -> Iterator[tuple[Sentence, re.Match[str]]]:
    """Every sentence matching ``pattern``, with the match."""
    for sentence in sentences(ctx, kinds):
        match = pattern.search(sentence.text)
        if match:
            yield sentence, match


def param_sentences(ctx: Ctx) -> Iterator[tuple[str, str]]:
    """``(path, sentence)`` for each sentence of each text parameter."""
    for path, value in param_texts(ctx):
        for sentence in split(value):
            yield path, sentence


def party_phrases(ctx: Ctx) -> list[str]:
    """Words that name one particular party (its name, genitive, or the host by role)."""
    names = []
    for party in ctx.params.parties:
        names += [party.name, party.name + "s"]
    names += ["Värdparten", "Värdpartens", "värdparten", "värdpartens"]
    names += [f"värd{kind}{end}" for kind in ("regionen", "kommunen") for end in ("", "s")]
    return sorted(names, key=len, reverse=True)


def quote(text: str) -> str:
    """A sentence shortened for a message."""
    return repr(text if len(text) <= 120 else text[:117] + "...")


#: Numbers in words as the documents write them (6 kap. 27 § quorum, exemplar…).
NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        (
            *("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"),
            *("elva", "tolv", "tretton", "fjorton", "femton", "sexton", "sjutton", "arton"),
            *("nitton", "tjugo"),
        )
    )
}
NUMBER_WORDS["ett"] = 1


def number(word: str) -> int | None:
    """A number written in digits or words."""
    word = word.lower().replace("\u00a0", "").replace(" ", "")
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def specific(ctx: Ctx, organ: str) -> re.Pattern[str]:
    """``organ`` of one particular party: "revisorerna i Region Sörmland", "Värdpartens …"."""
    names = "|".join(re.escape(p) for p in party_phrases(ctx))
    genitives = "|".join(re.escape(p) for p in party_phrases(ctx) if p.endswith("s"))
    return re.compile(
        rf"\b{organ}\w*\s+(?:hos|i|för)\s+(?:{names})\b|(?:{genitives})\s+(?:\w+)?{organ}"
        rf"|\b\w*{organ}\w*\s+i\s+(?:{names})\b",
        re.IGNORECASE,
    )


def wrong_sentences(
    ctx: Ctx, detect: Callable[[Ctx, str], str | None]
) -> Iterator[tuple[str, int, str]]:
    """Each sentence, of the documents or of a parameter, that ``detect`` finds wrong."""
    seen: set[tuple[str, int]] = set()
    for sentence in sentences(ctx):
        words = detect(ctx, sentence.text)
        if words is not None:
            file, line = locate(ctx, sentence, words)
            if (file, line) not in seen:
                seen.add((file, line))
                yield file, line, sentence.text
    for path, text in param_sentences(ctx):
        if detect(ctx, text) is not None and (ctx.file, ctx.line(path)) not in seen:
            seen.add((ctx.file, ctx.line(path)))
            yield ctx.file, ctx.line(path), text
