"""Rules on parties, delegation and supervision (avtalssamverkan and every form)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from avtal.check.base import Ctx, rule

if TYPE_CHECKING:
    pass


# --- Parties and delegation -------------------------------------------------------------------


@rule(
    "KL-PARTER",
    "error",
    "9 kap. 37 § och 3 kap. 9 § kommunallagen (2017:725)",
    "Only kommuner and regioner can cooperate by avtalssamverkan or in a gemensam nämnd.",
)
def _parties(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for index, party in enumerate(ctx.params.parties):
        if party.kind not in ("kommun", "region"):
            yield (
                ctx.file,
                ctx.line(f"parties[{index}].kind"),
                f"{party.name} is a {party.kind}; only kommuner and regioner can be parties",
            )


_ELECTED = re.compile(
    r"nämnd|styrelse|utskott|ordförande|ledamot|ledamöter|förtroendevald|regionråd|kommunalråd|"
    r"fullmäktige|rådet\b|direktion",
    re.IGNORECASE,
)


@rule(
    "KL-DELEGAT",
    "error",
    "9 kap. 37 § andra stycket kommunallagen (2017:725)",
    "Under avtalssamverkan, decisions may be delegated only to an employee (anställd) of the "
    "other party, never to its nämnd, a council or an elected member.",
    forms=("avtalssamverkan",),
)
def _delegate(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    if ctx.params.delegation is None:
        return
    for index, matter in enumerate(ctx.params.delegation.matters):
        path = f"delegation.matters[{index}]"
        if matter.delegate_type != "employee":
            yield (
                ctx.file,
                ctx.line(f"{path}.delegate_type"),
                f"{path}: delegation to a {matter.delegate_type}; only an employee may decide",
            )
        elif _ELECTED.search(matter.position):
            yield (
                ctx.file,
                ctx.line(f"{path}.position"),
                f"{path}: {matter.position!r} is not an employee's position",
            )


_NON_DELEGABLE = (
    (
        r"\bmål\b|\bmålen\b|inriktning|\bomfattning|\bkvalitet",
        "the activity's goals, direction, scope or quality",
    ),
    (r"framställning|yttrande\w* till fullmäktige", "proposals or statements to fullmäktige"),
    (r"överklag", "statements on appeals against the nämnd's or fullmäktige's decisions"),
    (r"principiell|större vikt", "matters of principle or greater importance"),
    (r"medborgarförslag", "citizen proposals"),
    (r"myndighetsutövning", "exercise of public authority of principle or greater importance"),
)


@rule(
    "KL-EJ-DELEGERBART",
    "error",
    "6 kap. 38 § kommunallagen (2017:725)",
    "Matters that 6 kap. 38 § reserves to the nämnd itself cannot be delegated.",
)
def _non_delegable(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    if ctx.params.delegation is None:
        return
    for index, matter in enumerate(ctx.params.delegation.matters):
        for pattern, what in _NON_DELEGABLE:
            if re.search(pattern, matter.matter, re.IGNORECASE):
                yield (
                    ctx.file,
                    ctx.line(f"delegation.matters[{index}].matter"),
                    f"delegation.matters[{index}]: {matter.matter!r} concerns {what}, "
                    "which may not be delegated",
                )
                break


@rule(
    "KL-ANMALAN",
    "error",
    "7 kap. 8 § kommunallagen (2017:725)",
    "Decisions taken on delegation must be reported; the agreement needs a clause on how and "
    "to whom.",
    forms=("avtalssamverkan",),
)
def _reporting(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    sections = ctx.area_sections("delegation")
    if not any("7 kap. 8 §" in ctx.texts[(d.kind, s.clause_id)] for d, s in sections):
        doc = ctx.main_document()
        yield (ctx.definition_file(doc), 1, "no clause on reporting delegated decisions (anmälan)")


@rule(
    "KL-UPPSIKT",
    "error",
    "6 kap. 1 § och 9 kap. 38 § kommunallagen (2017:725)",
    "Each party's styrelse supervises its avtalssamverkan and reports on it to fullmäktige every "
    "year; the agreement should feed both.",
    forms=("avtalssamverkan",),
)
def _supervision(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    text = "\n".join(ctx.texts[(d.kind, s.clause_id)] for d, s in ctx.area_sections("insyn"))
    missing = [n for n in ("6 kap. 1 §", "9 kap. 38 §") if n not in text]
    if missing:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no insight clause feeds each styrelse's supervision and yearly report "
            f"(missing {', '.join(missing)})",
        )
