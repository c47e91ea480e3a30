"""Rules on parties, delegation and supervision (avtalssamverkan and every form)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from avtal.check.base import Ctx, rule
from avtal.check.text import EVERY, Sentence, locate, quote, sentences

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


# --- What the agreement says: reporting, entry into force, decision level, transition, audit ---

_REPORTED = re.compile(r"\banmäl(?:as|s)\b.*?\btill\s+(?P<to>[^,.;()]+)", re.IGNORECASE)
_DELEGATING = re.compile(
    r"delegerande nämnd|nämnd\w*\s+(?:hos \w+\s+)?som\s+(?:har\s+)?"
    r"(?:beslutat om delegation|fattat beslutet om delegation|uppdragit|delegerat)",
    re.IGNORECASE,
)


def _reports(ctx: Ctx) -> list[tuple[Sentence, str]]:
    """Sentences of the delegation clauses that say to whom decisions are reported."""
    out = []
    for sentence in sentences(ctx):
        clause = ctx.project.clause_library.get(sentence.clause_id)
        in_scope = sentence.clause_id.endswith("bilaga.delegation") or (
            clause is not None and clause.meta.area == "delegation"
        )
        match = _REPORTED.search(sentence.text) if in_scope else None
        if match:
            out.append((sentence, " ".join(match.group("to").split()).rstrip()))
    return out


def _is_delegating_nämnd(ctx: Ctx, receiver: str) -> bool:
    if _DELEGATING.search(receiver):
        return True
    delegation = ctx.params.delegation
    bodies = delegation.delegating_body if delegation is not None else {}
    for party in ctx.params.parties:
        if party.host:
            continue
        body = bodies.get(party.id) or party.styrelse_name
        if receiver.lower() in (
            f"{body} i {party.name}".lower(),
            f"{body} hos {party.name}".lower(),
        ):
            return True
    return False


@rule(
    "KL-ANMALAN-NAMND",
    "error",
    "7 kap. 8 § kommunallagen (2017:725)",
    "Decisions taken on delegation are reported to the nämnd that delegated them, which decides "
    "how; not to every party's styrelse, nor to the performing party.",
    forms=("avtalssamverkan",),
)
def _report_to_delegating(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for sentence, receiver in _reports(ctx):
        if not _is_delegating_nämnd(ctx, receiver):
            file, line = locate(ctx, sentence, "anmäl")
            yield (
                file,
                line,
                f"delegated decisions are reported to {receiver!r}, not to the nämnd that "
                f"delegated them: {quote(sentence.text)}",
            )


@rule(
    "KL-ANMALAN-ENHETLIG",
    "error",
    "7 kap. 8 § kommunallagen (2017:725)",
    "The agreement and its annexes state one rule for reporting delegated decisions, with one "
    "receiver; two receivers leave it open where the anmälan is made.",
    forms=("avtalssamverkan",),
)
def _report_once(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    seen: dict[str, Sentence] = {}
    for sentence, receiver in _reports(ctx):
        key = receiver.lower()
        if seen and key not in seen:
            first = next(iter(seen))
            file, line = locate(ctx, sentence, "anmäl")
            yield (
                file,
                line,
                f"delegated decisions are reported to {receiver!r} here but to {first!r} "
                f"elsewhere: state the rule once",
            )
        seen.setdefault(key, sentence)


_IN_FORCE = re.compile(r"träder i kraft|villkora|börjar gälla", re.IGNORECASE)


def _agreement(ctx: Ctx) -> list[Sentence]:
    return sentences(ctx, (ctx.main_document().kind,))


@rule(
    "KL-IKRAFT",
    "error",
    "5 kap. 1 § och 9 kap. 37 § kommunallagen (2017:725)",
    "An agreement that every party's fullmäktige approves enters into force only when each of "
    "them has approved it; the text makes it conditional on every party's decision.",
    forms=("avtalssamverkan",),
)
def _entry_into_force(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    said = [s for s in _agreement(ctx) if _IN_FORCE.search(s.text)]
    if any("fullmäktige" in s.text and EVERY.search(s.text) for s in said):
        return
    if said:
        file, line = locate(ctx, said[0], _IN_FORCE.search(said[0].text).group(0))  # type: ignore[union-attr]
        text = quote(said[0].text)
    else:
        file, line, text = ctx.definition_file(ctx.main_document()), 1, "no such sentence"
    yield (
        file,
        line,
        f"entry into force is not conditional on the approval of every party's fullmäktige: {text}",
    )


_TERMINATION = re.compile(r"uppsägning|säger upp", re.IGNORECASE)
_AMENDMENT = re.compile(
    r"\bändring(?:ar)? (?:i|av) (?:och tillägg till )?Avtalet\b|\bändringar och tillägg\b",
    re.IGNORECASE,
)


@rule(
    "KL-FULLMAKTIGE",
    "error",
    "5 kap. 1 § kommunallagen (2017:725)",
    "Where the cooperation replaces a nämnd or fullmäktige approves it, terminating it and "
    "amending it in matters of principle are for fullmäktige, not 'behörigt organ'.",
    forms=("avtalssamverkan",),
)
def _decision_level(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    agreement = _agreement(ctx)
    approved = any(_IN_FORCE.search(s.text) and "fullmäktige" in s.text for s in agreement)
    if ctx.params.replaces is None and not approved:
        return
    for what, pattern in (("termination", _TERMINATION), ("amendment", _AMENDMENT)):
        about = [s for s in agreement if pattern.search(s.text)]
        if about and not any("fullmäktige" in s.text for s in about):
            vague = next((s for s in about if "behörigt organ" in s.text), about[0])
            file, line = locate(ctx, vague, pattern.search(vague.text).group(0))  # type: ignore[union-attr]
            yield (file, line, f"{what} is not decided by fullmäktige: {quote(vague.text)}")


_TRANSITION_ITEMS = (
    ("ongoing procurements", r"påbörja|pågående upphandling", True),
    ("award decisions", r"tilldelningsbeslut", True),
    ("review proceedings (överprövning)", r"överprövning", True),
    ("contracts and framework agreements that name it", r"ramavtal", True),
    ("its delegation ordinance and the new delegation decisions", r"delegationsordning", False),
    ("closing accounts and settlement of its last year", r"bokslut|avräkning", False),
    ("audit of its last year by every party's auditors", r"revisor", False),
    ("discharge by every fullmäktige", r"ansvarsfrihet", False),
    ("its archive", r"arkiv|handlingar", False),
)


@rule(
    "KL-OVERGANG",
    "error",
    "9 kap. 34 och 35 §§ kommunallagen (2017:725)",
    "When the cooperation replaces a body, the agreement has a transition clause: ongoing "
    "procurements, award decisions, review proceedings, framework agreements, delegation, "
    "closing accounts, audit and discharge of the last year, archive.",
    forms=("avtalssamverkan",),
)
def _transition(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    replaces = ctx.params.replaces
    if replaces is None:
        return
    sections = [(d, s) for d, s in ctx.area_sections("overgang") if d is ctx.main_document()]
    if not sections:
        yield (
            ctx.file,
            ctx.line("replaces"),
            f"the cooperation replaces {replaces.name} but the agreement has no transition clause",
        )
        return
    text = "\n".join(ctx.texts[(d.kind, s.clause_id)] for d, s in sections)
    procurement = ctx.params.procurement is not None
    missing = [
        what
        for what, pattern, only_procurement in _TRANSITION_ITEMS
        if (procurement or not only_procurement) and not re.search(pattern, text, re.IGNORECASE)
    ]
    if missing:
        clause_id = sections[0][1].clause_id
        clause = ctx.project.clause_library.get(clause_id)
        yield (
            ctx.clause_file(clause_id),
            clause.body_line if clause else 1,
            f"the transition from {replaces.name} does not deal with {', '.join(missing)}",
        )


_AUDITORS = re.compile(
    r"revisor\w*[^.]*\b(insyn|tillgång)\b|\b(insyn|tillgång)\b[^.]*revisor", re.I
)


@rule(
    "KL-REVISION-INSYN",
    "warning",
    "9 kap. 37 § och 12 kap. kommunallagen (2017:725)",
    "Kommunallagen gives a party's auditors no right to review another party's activity; the "
    "agreement should give the commissioning parties' auditors insight.",
    forms=("avtalssamverkan",),
)
def _auditors_insight(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for sentence in _agreement(ctx):
        if _AUDITORS.search(sentence.text) and re.search(
            r"Uppdragsgivande part|övriga Parter|varje Part|"
            + "|".join(re.escape(p.name) for p in ctx.params.parties if not p.host),
            sentence.text,
        ):
            return
    path = "audit.other_party_access"
    yield (
        ctx.file if path in ctx.project.lines else ctx.definition_file(ctx.main_document()),
        ctx.line(path) if path in ctx.project.lines else 1,
        "no clause gives the other parties' auditors insight into the activity",
    )
