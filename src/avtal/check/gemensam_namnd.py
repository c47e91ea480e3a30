"""Rules for a gemensam nämnd (9 kap. 19–35 §§ kommunallagen)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from avtal.check.base import Ctx, _missing_text, rule
from avtal.check.text import EVERY, ONLY, quote, specific, wrong_sentences
from avtal.load.model import CommitteeSeats, FederationSeats

if TYPE_CHECKING:
    pass


# --- Gemensam nämnd ---------------------------------------------------------------------------


@rule(
    "GN-VARD",
    "error",
    "9 kap. 20 § kommunallagen (2017:725)",
    "A gemensam nämnd belongs to one host party's organisation, which the documents must name.",
    forms=("gemensam_namnd",),
)
def _host(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    host = ctx.params.host.name
    found = any(
        host in text and re.search(r"värd", text, re.IGNORECASE) for text in ctx.texts.values()
    )
    if not found:
        doc = ctx.main_document()
        yield (ctx.definition_file(doc), 1, f"no clause names {host} as host (värd) of the nämnd")


@rule(
    "GN-UPPGIFTER",
    "error",
    "9 kap. 22 § kommunallagen (2017:725)",
    "The agreement must spell out the tasks the gemensam nämnd takes over.",
    forms=("gemensam_namnd",),
)
def _tasks(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    scope = ctx.params.activity.scope
    sections = ctx.area_sections("uppgifter")
    text = "\n".join(ctx.texts[(d.kind, s.clause_id)] for d, s in sections)
    missing = [item for item in scope if item not in text]
    if not sections:
        yield (ctx.definition_file(ctx.main_document()), 1, "no clause spells out the tasks")
    elif missing:
        yield (ctx.file, ctx.line("activity.scope"), f"task not spelled out: {missing[0]!r}")


@rule(
    "GN-VAL",
    "error",
    "9 kap. 24 § kommunallagen (2017:725)",
    "Each party's fullmäktige elects its own ledamöter and ersättare of the gemensam nämnd.",
    forms=("gemensam_namnd",),
)
def _election(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    ok = any(
        "9 kap. 24 §" in text and "fullmäktige" in text and re.search(r"välj|väljer|vald", text)
        for text in ctx.texts.values()
    )
    if not ok:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no clause says that each party's fullmäktige elects its ledamöter and ersättare",
        )


@rule(
    "GN-PLATSER",
    "error",
    "9 kap. 24 § kommunallagen (2017:725)",
    "Each party has at least one ledamot and one ersättare, and as many ersättare as ledamöter.",
    forms=("gemensam_namnd",),
)
def _seats(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    if ctx.params.committee is not None:
        yield from _seat_rule(ctx, "committee.seats", ctx.params.committee.seats)


def _seat_rule(
    ctx: Ctx, base: str, seats: Sequence[CommitteeSeats | FederationSeats]
) -> Iterator[tuple[str, int, str]]:
    """At least one ledamot and one ersättare per party, in equal numbers (9:3, 9:24)."""
    for index, seat in enumerate(seats):
        path = f"{base}[{index}]"
        if seat.members < 1 or seat.substitutes < 1:
            yield (
                ctx.file,
                ctx.line(path),
                f"{path}: {seat.party} needs at least one ledamot and one ersättare",
            )
        elif seat.members != seat.substitutes:
            yield (
                ctx.file,
                ctx.line(f"{path}.substitutes"),
                f"{path}: {seat.party} has {seat.members} ledamöter but "
                f"{seat.substitutes} ersättare; the numbers must be equal",
            )


@rule(
    "GN-ARVODEN",
    "error",
    "9 kap. 25 § kommunallagen (2017:725)",
    "Each party pays the arvoden of the members it elected.",
    forms=("gemensam_namnd",),
)
def _fees(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    yield from _missing_text(ctx, ("9 kap. 25 §",), "on each party paying its members' arvoden")


_AUDIT_VERB = re.compile(r"gransk|revider|revision|pröv", re.IGNORECASE)


def _one_party_audit(ctx: Ctx, text: str) -> str | None:
    """The words of ``text`` saying that only one party's auditors review the nämnd."""
    lower = text.lower()
    if "revis" not in lower or not _AUDIT_VERB.search(text):
        return None
    committee = ctx.params.committee
    if "nämnd" not in lower and committee is not None and committee.name.lower() not in lower:
        return None
    only = ONLY.search(text)
    if only:
        return only.group(0)
    named = specific(ctx, "revis").search(text)
    if named and not EVERY.search(text):
        return named.group(0)
    return None


@rule(
    "GN-REVISION",
    "error",
    "9 kap. 34 § kommunallagen (2017:725)",
    "A gemensam nämnd is audited by the auditors of every party; a text saying only one party's "
    "auditors review it, however worded, is wrong.",
    forms=("gemensam_namnd",),
)
def _audit(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for file, line, text in wrong_sentences(ctx, _one_party_audit):
        yield file, line, f"says that only some auditors review the nämnd: {quote(text)}"
    yield from _missing_text(ctx, ("9 kap. 34 §",), "on audit by every party's auditors")


@rule(
    "GN-ANSLAG",
    "error",
    "9 kap. 32 § kommunallagen (2017:725)",
    "The approval of the gemensam nämnd's minutes is announced on every party's notice board.",
    forms=("gemensam_namnd",),
)
def _minutes(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    ok = any("9 kap. 32 §" in t and "anslagstavla" in t for t in ctx.texts.values())
    if not ok:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no clause announces the minutes on every party's anslagstavla",
        )
