"""Rules on what the documents of a gemensam nämnd say about its organs (9 kap. 21–35 §§)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from avtal.check.base import Ctx, rule
from avtal.check.text import (
    EVERY,
    NEGATION,
    locate,
    located,
    number,
    quote,
    sentences,
    specific,
    wrong_sentences,
)

# --- What the documents say about the nämnd's organs -----------------------------------------


_ADOPT = re.compile(r"\bant(?:a|ar|as|agit|agits|ogs|agna)\b|fastställ", re.IGNORECASE)


def _party_organ(ctx: Ctx, text: str, organ: str) -> str | None:
    """The words naming one party's ``organ`` in ``text``, unless it speaks of every party."""
    if EVERY.search(text):
        return None
    match = specific(ctx, organ).search(text)
    return match.group(0) if match else None


def _nämnd_itself(ctx: Ctx) -> str:
    names = ["[Nn]ämnden"]
    if ctx.params.committee is not None:
        names.append(re.escape(ctx.params.committee.name))
    return "|".join(names)


def _reglemente_adopted_by_one(ctx: Ctx, text: str) -> str | None:
    if "reglement" not in text.lower() or not _ADOPT.search(text):
        return None
    itself = re.search(
        rf"(?:{_nämnd_itself(ctx)})\s+(?:antar|fastställer|beslutar om)\s+(?:sitt\s+|detta\s+)?"
        r"reglemente|[Rr]eglemente\w*\s+(?:\w+\s+){0,3}(?:antas|fastställs)\s+av\s+"
        rf"(?:{_nämnd_itself(ctx)})",
        text,
    )
    if itself:
        return itself.group(0)
    return _party_organ(ctx, text, "fullmäktige")


def _unless_stated(
    ctx: Ctx, holds: Callable[[str], bool], what: str
) -> Iterator[tuple[str, int, str]]:
    """A finding on the main document's definition when no sentence says ``what``."""
    if not any(holds(s.text) for s in sentences(ctx)):
        yield ctx.definition_file(ctx.main_document()), 1, f"no clause says that {what}"


@rule(
    "GN-REGLEMENTE",
    "error",
    "9 kap. 33 § kommunallagen (2017:725)",
    "The reglemente of a gemensam nämnd is adopted by the fullmäktige of every party, in the same "
    "wording; a text giving the adoption to one party or to the nämnd itself is wrong.",
    forms=("gemensam_namnd",),
)
def _reglemente(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for file, line, text in wrong_sentences(ctx, _reglemente_adopted_by_one):
        yield file, line, f"gives the adoption of the reglemente to one body: {quote(text)}"
    yield from _unless_stated(
        ctx,
        lambda text: bool(
            "reglement" in text.lower()
            and _ADOPT.search(text)
            and "fullmäktige" in text.lower()
            and EVERY.search(text)
        ),
        "every party's fullmäktige adopts the reglemente",
    )


def _discharge_by_one(ctx: Ctx, text: str) -> str | None:
    if "ansvarsfrihet" not in text.lower():
        return None
    itself = re.search(rf"(?:{_nämnd_itself(ctx)})\s+(?:beviljar|prövar)\b", text)
    if itself:
        return itself.group(0)
    return _party_organ(ctx, text, "fullmäktige")


@rule(
    "GN-ANSVARSFRIHET",
    "error",
    "9 kap. 35 § kommunallagen (2017:725)",
    "The fullmäktige of every party decides on discharge (ansvarsfrihet) for a gemensam nämnd; a "
    "text giving it to one party is wrong.",
    forms=("gemensam_namnd",),
)
def _discharge(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for file, line, text in wrong_sentences(ctx, _discharge_by_one):
        yield file, line, f"gives the discharge to one body: {quote(text)}"
    yield from _unless_stated(
        ctx,
        lambda text: bool(
            "ansvarsfrihet" in text and "fullmäktige" in text.lower() and EVERY.search(text)
        ),
        "every party's fullmäktige decides on discharge",
    )


_DEFENCE = re.compile(r"höjd beredskap", re.IGNORECASE)


@rule(
    "GN-HOJD-BEREDSKAP",
    "error",
    "9 kap. 21 § kommunallagen (2017:725)",
    "A gemensam nämnd may not take over the styrelse's tasks during höjd beredskap; the documents "
    "must say so and nothing may give those tasks to the nämnd.",
    forms=("gemensam_namnd",),
)
def _defence(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    said = False
    for sentence, match in located(ctx, _DEFENCE):
        if NEGATION.search(sentence.text):
            said = True
        elif re.search(r"nämnd|" + _nämnd_itself(ctx), sentence.text, re.IGNORECASE):
            file, line = locate(ctx, sentence, match.group(0))
            yield file, line, f"gives the nämnd tasks in höjd beredskap: {quote(sentence.text)}"
    if not said:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no clause says that the nämnd does not take over the styrelse's tasks in höjd "
            "beredskap",
        )


_QUORUM = re.compile(r"minst (\w+) ledam\w+ (?:ska )?(?:vara )?närvarande", re.IGNORECASE)


@rule(
    "GN-BESLUTSFORHET",
    "error",
    "6 kap. 27 § kommunallagen (2017:725)",
    "A nämnd may deal with matters only when more than half of its ledamöter are present; a "
    "number stated for the quorum must be that of the nämnd's composition.",
    forms=("gemensam_namnd",),
)
def _quorum(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    if ctx.params.committee is None:
        return
    total = sum(seat.members for seat in ctx.params.committee.seats)
    needed = total // 2 + 1
    stated = False
    for sentence in sentences(ctx):
        text = sentence.text
        half = re.search(r"(\w+ )?hälften av (?:nämndens )?ledamöterna", text)
        if half and "närvarande" in text:
            if (half.group(1) or "").strip() != "än":
                file, line = locate(ctx, sentence, half.group(0))
                yield file, line, f"the quorum is more than half, not {quote(half.group(0))}"
            else:
                stated = True
        count = _QUORUM.search(text)
        if count and number(count.group(1)) != needed:
            file, line = locate(ctx, sentence, count.group(0))
            yield (
                file,
                line,
                f"{quote(count.group(0))}: with {total} ledamöter, more than half is {needed}",
            )
    if not stated:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no clause says that more than half of the ledamöter must be present",
        )


@rule(
    "GN-PRESIDIUM",
    "error",
    "6 kap. 21–22 §§ och 9 kap. 24 § kommunallagen (2017:725)",
    "The chair and vice chair are chosen among the ledamöter of the named parties: the party "
    "must elect ledamöter, and one party cannot give both if it elects only one.",
    forms=("gemensam_namnd",),
)
def _presidium(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    committee = ctx.params.committee
    if committee is None:
        return
    seats = {seat.party: seat.members for seat in committee.seats}
    for role in ("chair", "vice_chair"):
        party = getattr(committee, role)
        if party is not None and seats.get(party, 0) < 1:
            yield (
                ctx.file,
                ctx.line(f"committee.{role}"),
                f"committee.{role}: {party} elects no ledamot in the nämnd",
            )
    if committee.vice_chair == committee.chair and seats.get(committee.chair, 0) == 1:
        yield (
            ctx.file,
            ctx.line("committee.vice_chair"),
            f"committee.vice_chair: {committee.chair} elects one ledamot, who cannot be both "
            "chair and vice chair",
        )
