"""Legal and drafting checks on the parameters and the assembled documents.

Each rule has an id, a severity, the provision it rests on and a short explanation.
Findings print as ``RULE-ID severity file:line message (citation)``. Rules only read the
:class:`~avtal.build.Project`; they never change it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

from avtal.document import Document, ListBlock, Paragraph, Section, Subheading, Table, plain
from avtal.model import CommitteeSeats, FederationSeats

if TYPE_CHECKING:
    from avtal.build import Project

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem found by a rule."""

    rule: str
    severity: Severity
    file: str
    line: int
    message: str
    citation: str

    def __str__(self) -> str:
        return (
            f"{self.rule} {self.severity} {self.file}:{self.line} {self.message} ({self.citation})"
        )

    def as_dict(self) -> dict[str, object]:
        """The finding as JSON-able data."""
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    """A registered check."""

    id: str
    severity: Severity
    citation: str
    explanation: str
    forms: tuple[str, ...]
    check: Callable[[_Ctx], Iterator[tuple[str, int, str]]]


RULES: list[Rule] = []


def rule(
    rule_id: str, severity: Severity, citation: str, explanation: str, forms: tuple[str, ...] = ()
) -> Callable[[Callable[[_Ctx], Iterator[tuple[str, int, str]]]], None]:
    """Register a check that yields ``(file, line, message)`` for each problem."""

    def register(check: Callable[[_Ctx], Iterator[tuple[str, int, str]]]) -> None:
        RULES.append(Rule(rule_id, severity, citation, explanation, forms, check))

    return register


def section_text(section: Section) -> str:
    """All words of a section, heading included."""
    parts = [section.heading]
    for block in section.blocks:
        if isinstance(block, Paragraph | Subheading):
            parts.append(plain(block.runs))
        elif isinstance(block, ListBlock):
            parts += [plain(runs) for _, runs in block.items]
        elif isinstance(block, Table):
            parts += [plain(c) for c in block.header]
            parts += [plain(c) for row in block.rows for c in row]
    return "\n".join(parts)


class _Ctx:
    """What a rule sees: the project plus indexes over the documents' text."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.params = project.params
        self.file = str(project.params_path)
        self.sections: list[tuple[Document, Section]] = [
            (doc, s)
            for doc in project.documents
            for s in (*doc.sections, *(s for a in doc.annexes for s in a.sections))
        ]
        self.texts = {(doc.kind, s.clause_id): section_text(s) for doc, s in self.sections}
        self.all_text = "\n".join(self.texts.values())

    def line(self, path: str) -> int:
        lines = self.project.lines
        while path:
            if path in lines:
                return lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return 1

    def clause_file(self, clause_id: str) -> str:
        clause = self.project.clause_library.get(clause_id)
        return str(clause.path) if clause else self.file

    def clause_line(self, clause_id: str, needle: str) -> int:
        clause = self.project.clause_library.get(clause_id)
        if clause is None:
            return 1
        for number, text in enumerate(clause.source.split("\n"), start=1):
            if needle.lower() in text.lower():
                return number
        return clause.body_line

    def definition_file(self, doc: Document) -> str:
        return doc.definition_path or self.file

    def area_sections(self, area: str) -> list[tuple[Document, Section]]:
        out = []
        for doc, section in self.sections:
            clause = self.project.clause_library.get(section.clause_id)
            if clause is not None and clause.meta.area == area:
                out.append((doc, section))
        return out

    def main_document(self) -> Document:
        return self.project.documents[0]


def _missing_text(ctx: _Ctx, needles: tuple[str, ...], what: str) -> Iterator[tuple[str, int, str]]:
    missing = [n for n in needles if n not in ctx.all_text]
    if missing:
        doc = ctx.main_document()
        yield (
            ctx.definition_file(doc),
            1,
            f"no clause {what} (the documents never mention {', '.join(repr(m) for m in missing)})",
        )


# --- Parties and delegation -------------------------------------------------------------------


@rule(
    "KL-PARTER",
    "error",
    "9 kap. 37 § och 3 kap. 9 § kommunallagen (2017:725)",
    "Only kommuner and regioner can cooperate by avtalssamverkan or in a gemensam nämnd.",
)
def _parties(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
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
def _delegate(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
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
def _non_delegable(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
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
def _reporting(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
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
def _supervision(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    text = "\n".join(ctx.texts[(d.kind, s.clause_id)] for d, s in ctx.area_sections("insyn"))
    missing = [n for n in ("6 kap. 1 §", "9 kap. 38 §") if n not in text]
    if missing:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no insight clause feeds each styrelse's supervision and yearly report "
            f"(missing {', '.join(missing)})",
        )


# --- Gemensam nämnd ---------------------------------------------------------------------------


@rule(
    "GN-VARD",
    "error",
    "9 kap. 20 § kommunallagen (2017:725)",
    "A gemensam nämnd belongs to one host party's organisation, which the documents must name.",
    forms=("gemensam_namnd",),
)
def _host(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
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
def _tasks(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
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
def _election(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
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
def _seats(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    if ctx.params.committee is not None:
        yield from _seat_rule(ctx, "committee.seats", ctx.params.committee.seats)


def _seat_rule(
    ctx: _Ctx, base: str, seats: Sequence[CommitteeSeats | FederationSeats]
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
def _fees(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    yield from _missing_text(ctx, ("9 kap. 25 §",), "on each party paying its members' arvoden")


_ONLY = re.compile(r"\b(endast|enbart|bara|uteslutande)\b", re.IGNORECASE)


@rule(
    "GN-REVISION",
    "error",
    "9 kap. 34 § kommunallagen (2017:725)",
    "A gemensam nämnd is audited by the auditors of every party; a text saying only the host's "
    "auditors review it is wrong.",
    forms=("gemensam_namnd",),
)
def _audit(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    for (_, clause_id), text in ctx.texts.items():
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if "revisor" in sentence.lower() and _ONLY.search(sentence) and "granska" in sentence:
                yield (
                    ctx.clause_file(clause_id),
                    ctx.clause_line(clause_id, _ONLY.search(sentence).group(0)),  # type: ignore[union-attr]
                    f"says that only some auditors review the nämnd: {sentence.strip()[:120]!r}",
                )
    yield from _missing_text(ctx, ("9 kap. 34 §",), "on audit by every party's auditors")


@rule(
    "GN-ANSLAG",
    "error",
    "9 kap. 32 § kommunallagen (2017:725)",
    "The approval of the gemensam nämnd's minutes is announced on every party's notice board.",
    forms=("gemensam_namnd",),
)
def _minutes(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    ok = any("9 kap. 32 §" in t and "anslagstavla" in t for t in ctx.texts.values())
    if not ok:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no clause announces the minutes on every party's anslagstavla",
        )


# --- Kommunalförbund and bolag ----------------------------------------------------------------

#: The 18 items a förbundsordning must state (9 kap. 6 § kommunallagen).
FORBUND_ITEMS: dict[str, str] = {
    "kl-9-6-1": "name, seat, members and purpose",
    "kl-9-6-2": "organs, their tasks and relations",
    "kl-9-6-3": "number of ledamöter and ersättare, representation and term",
    "kl-9-6-4": "number of auditors and their term",
    "kl-9-6-5": "how the auditors of a direktion are appointed",
    "kl-9-6-6": "the members' right to raise matters",
    "kl-9-6-7": "qualified-majority rules",
    "kl-9-6-8": "right to attend (5 kap. 40 §)",
    "kl-9-6-9": "right to be present (4 kap. 28 §)",
    "kl-9-6-10": "the website of the anslagstavla",
    "kl-9-6-11": "the members' shares of assets, liabilities and costs",
    "kl-9-6-12": "the members' steering of and insight into finances and activity",
    "kl-9-6-13": "guidelines for the budget process",
    "kl-9-6-14": "public questions on the annual report",
    "kl-9-6-15": "the withdrawal procedure",
    "kl-9-6-16": "liquidation and dissolution",
    "kl-9-6-17": "disputes between the förbund and its members",
    "kl-9-6-18": "how the arvoden are set",
}

#: What a bolagsordning must contain (aktiebolagslagen 3 kap. 1 § and 10 kap. 3 § KL).
BOLAGSORDNING_ITEMS: dict[str, str] = {
    "abl-3-1-firma": "the company name",
    "abl-3-1-sate": "the kommun where the board has its seat",
    "abl-3-1-verksamhet": "the object of the business",
    "abl-3-1-aktiekapital": "the share capital",
    "abl-3-1-aktier": "the number of shares",
    "abl-3-1-styrelse": "the number of board members",
    "abl-3-1-revisorer": "the number of auditors",
    "abl-3-1-kallelse": "how the general meeting is called",
    "abl-3-1-rakenskapsar": "the financial year",
    "kl-10-3-andamal": "the municipal purpose",
    "kl-10-3-befogenheter": "the municipal powers that frame the purpose",
    "kl-10-3-fullmaktige": "fullmäktige's right to take a position before decisions of principle",
}

#: What a co-owned company's documents must secure (10 kap. 3–4 §§ KL).
DELAGT_ITEMS: dict[str, str] = {
    "kl-10-4": "the 10 kap. 3 § conditions secured to a reasonable extent for a co-owned company",
    "kl-10-3-styrelse": "fullmäktige (of each owner) appoints board members",
    "kl-10-3-lekmannarevisor": "at least one lekmannarevisor",
    "insyn": "the public's access to the company's documents",
}


def _covered(ctx: _Ctx, kinds: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for doc, section in ctx.sections:
        if doc.kind not in kinds:
            continue
        clause = ctx.project.clause_library.get(section.clause_id)
        if clause is not None:
            found.update(clause.meta.covers)
    return found


def _missing_items(
    ctx: _Ctx, items: dict[str, str], kinds: tuple[str, ...], skip: tuple[str, ...] = ()
) -> Iterator[tuple[str, int, str]]:
    covered = _covered(ctx, kinds)
    doc = next((d for d in ctx.project.documents if d.kind in kinds), ctx.main_document())
    for item, what in items.items():
        if item not in covered and item not in skip:
            yield (ctx.definition_file(doc), 1, f"{doc.file} lacks item {item}: {what}")


@rule(
    "KF-PUNKTER",
    "error",
    "9 kap. 6 § kommunallagen (2017:725)",
    "A förbundsordning must state all 18 items of 9 kap. 6 § (item 5 only with a direktion).",
    forms=("kommunalforbund",),
)
def _forbund_items(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    federation = ctx.params.federation
    skip = ("kl-9-6-5",) if federation is not None and federation.organ != "direktion" else ()
    yield from _missing_items(ctx, FORBUND_ITEMS, ("forbundsordning",), skip)


@rule(
    "KF-PLATSER",
    "error",
    "9 kap. 3 § kommunallagen (2017:725)",
    "Each member has at least one ledamot and one ersättare, in equal numbers.",
    forms=("kommunalforbund",),
)
def _forbund_seats(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    if ctx.params.federation is not None:
        yield from _seat_rule(ctx, "federation.seats", ctx.params.federation.seats)


@rule(
    "KF-MANDATTID",
    "error",
    "9 kap. 4 § kommunallagen (2017:725)",
    "The term of office of a förbund's ledamöter and ersättare is at most four years.",
    forms=("kommunalforbund",),
)
def _forbund_term(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    federation = ctx.params.federation
    if federation is not None and federation.term_years > 4:
        yield (
            ctx.file,
            ctx.line("federation.term_years"),
            f"federation.term_years: {federation.term_years} years; at most 4",
        )


@rule(
    "KF-UTTRADE",
    "error",
    "9 kap. 18 § kommunallagen (2017:725)",
    "A member's notice of withdrawal is at most three years (shorter if the förbundsordning "
    "says so).",
    forms=("kommunalforbund",),
)
def _forbund_withdrawal(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    federation = ctx.params.federation
    if federation is not None and federation.withdrawal_notice_years > 3:
        yield (
            ctx.file,
            ctx.line("federation.withdrawal_notice_years"),
            f"federation.withdrawal_notice_years: {federation.withdrawal_notice_years} "
            "years; at most 3",
        )


@rule(
    "BOLAG-ORDNING",
    "error",
    "3 kap. 1 och 3 §§ aktiebolagslagen (2005:551) och 10 kap. 3 § kommunallagen (2017:725)",
    "The bolagsordning contains the ABL 3:1 items, the municipal purpose and powers, and, for a "
    "non-profit company, how a surplus is used (ABL 3:3).",
    forms=("bolag",),
)
def _bolagsordning(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    items = dict(BOLAGSORDNING_ITEMS)
    if ctx.params.company is not None and ctx.params.company.non_profit:
        items["abl-3-3"] = "that the company is not run for profit and how a surplus is used"
    yield from _missing_items(ctx, items, ("bolagsordning",))


@rule(
    "BOLAG-DELAGT",
    "error",
    "10 kap. 3–4 §§ kommunallagen (2017:725) och 2 kap. 3 § offentlighets- och sekretesslagen "
    "(2009:400)",
    "A co-owned company's documents secure the 10 kap. 3 § conditions to a reasonable extent and "
    "give the public access to its documents.",
    forms=("bolag",),
)
def _delagt(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    yield from _missing_items(
        ctx, DELAGT_ITEMS, ("bolagsordning", "agardirektiv", "aktieagaravtal")
    )


# --- Personal data and documents --------------------------------------------------------------


@rule(
    "DATA-ROLLER",
    "error",
    "artiklarna 4.7, 26 och 28 i dataskyddsförordningen (EU) 2016/679",
    "Where personal data is processed, the documents state who is personuppgiftsansvarig "
    "and who, if anyone, is personuppgiftsbiträde.",
    forms=("avtalssamverkan", "gemensam_namnd"),
)
def _personal_data(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    if not ctx.params.personal_data.processed:
        return
    sections = ctx.area_sections("personuppgifter")
    if not any("personuppgiftsansvarig" in ctx.texts[(d.kind, s.clause_id)] for d, s in sections):
        yield (
            ctx.file,
            ctx.line("personal_data.processed"),
            "personal data is processed but no clause states the personal-data roles",
        )


@rule(
    "DATA-ARKIV",
    "error",
    "2 kap. tryckfrihetsförordningen och arkivlagen (1990:782)",
    "The agreement needs a clause on public documents, secrecy and archives.",
    forms=("avtalssamverkan", "gemensam_namnd"),
)
def _archives(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    if not ctx.area_sections("handlingar"):
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no clause on allmänna handlingar and arkiv",
        )


# --- Drafting ---------------------------------------------------------------------------------


def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\wåäöÅÄÖ])" + re.escape(term) + r"(?![\wåäöÅÄÖ])")


@rule(
    "UTK-ODEFINIERAD",
    "warning",
    "avtalsteknik, ingen lagregel",
    "A defined term (capitalised, e.g. 'Utförande part') is used but no document of the build "
    "defines it.",
)
def _undefined_terms(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    form = ctx.params.form
    known = {
        term
        for clause in ctx.project.clause_library.clauses.values()
        if form in clause.meta.forms
        for term in clause.meta.defines
    }
    defined = _defined_terms(ctx)
    for term in sorted(known - set(defined)):
        pattern = _term_pattern(term)
        for (_, clause_id), text in ctx.texts.items():
            if pattern.search(text):
                yield (
                    ctx.clause_file(clause_id),
                    ctx.clause_line(clause_id, term),
                    f"the term {term!r} is used but not defined in this build",
                )
                break


def _defined_terms(ctx: _Ctx) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, section in ctx.sections:
        clause = ctx.project.clause_library.get(section.clause_id)
        if clause is not None:
            for term in clause.meta.defines:
                out.setdefault(term, clause.id)
    return out


@rule(
    "UTK-OANVAND",
    "warning",
    "avtalsteknik, ingen lagregel",
    "A term is defined but never used outside its definition.",
)
def _unused_terms(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    for term, clause_id in _defined_terms(ctx).items():
        pattern = _term_pattern(term)
        used = any(pattern.search(text) for (_, cid), text in ctx.texts.items() if cid != clause_id)
        if not used:
            yield (
                ctx.clause_file(clause_id),
                ctx.clause_line(clause_id, term),
                f"the term {term!r} is defined but never used",
            )


@rule(
    "UTK-HANVISNING",
    "error",
    "avtalsteknik, ingen lagregel",
    "A cross-reference names a clause or annex that is not in the document.",
)
def _references(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    for doc in ctx.project.documents:
        for ref in doc.unresolved:
            yield (
                ref.path,
                ref.line,
                f"clause {ref.clause_id}: reference to {ref.target!r}, which is not in {doc.file}",
            )


_CONSUMED = (
    "form",
    "document",
    "parties.id",
    "parties.host",
    "parties.name",
    "parties.seat",
    "parties.signatory",
    "parties.kind",
    "committee.seats.party",
    "delegation.matters.delegate_type",
    "personal_data.processed",
    "federation.seats.party",
    "company.owners.party",
    "matter",
)
_ALIASES = {
    "host": "parties",
    "partners": "parties",
    "shares.party": "parties",
    "shares.basis_value": "costs.basis.values",
    "shares.percent": "costs.shares",
    "shares.example_amount": "costs.example_budget",
    "shares": "costs",
    "committee.total_members": "committee.seats.members",
    "committee.total_substitutes": "committee.seats.substitutes",
    "committee.fees_per_year": "committee.cost_per_meeting",
    "committee.fees_per_term": "committee.term_years",
    "federation.total_members": "federation.seats.members",
    "federation.total_substitutes": "federation.seats.substitutes",
    "company.total_shares": "company.owners.shares",
    "company.board_seats": "company.owners.board_seats",
    "company.owners.percent": "company.owners.shares",
}


def _declared(ctx: _Ctx) -> set[str]:
    out: set[str] = set()
    for _, section in ctx.sections:
        clause = ctx.project.clause_library.get(section.clause_id)
        if clause is None:
            continue
        for path in clause.meta.parameters:
            for alias, target in _ALIASES.items():
                if path == alias or path.startswith(alias + "."):
                    path = target + path[len(alias) :]
                    break
            out.add(path)
    return out


@rule(
    "UTK-OANVAND-PARAMETER",
    "warning",
    "avtalsteknik, ingen lagregel",
    "A parameter is given in the file but no clause of the build uses it, so it has no effect.",
)
def _unused_params(ctx: _Ctx) -> Iterator[tuple[str, int, str]]:
    declared = _declared(ctx)
    parents: set[str] = set()
    for path in ctx.project.lines:
        for index, char in enumerate(path):
            if char in ".[":
                parents.add(path[:index])
    leaves = [p for p in ctx.project.lines if p and p not in parents]
    reported: set[str] = set()
    for path in leaves:
        norm = re.sub(r"\[\d+\]", "", path)
        if norm in reported:
            continue
        if any(norm == c or norm.startswith(c + ".") for c in _CONSUMED):
            continue
        # A party reference (chair, employer…) is used when any field behind it is.
        used = any(
            norm == d
            or d.startswith(norm + ".")
            or norm.startswith(d + ".")
            or (
                norm.endswith(("chair", "party", "employer", "approved_by", "vice_chair"))
                and d.startswith(norm.rsplit(".", 1)[0])
            )
            for d in declared
        )
        if not used:
            reported.add(norm)
            yield (ctx.file, ctx.project.lines[path], f"{path} is given but no clause uses it")


# --- Running the rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """All findings of one lint run."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings of severity error."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings of severity warning."""
        return tuple(f for f in self.findings if f.severity == "warning")

    def failed(self, strict: bool = False) -> bool:
        """Whether the findings stop a build (warnings too when strict)."""
        return bool(self.errors or (strict and self.warnings))


def lint(project: Project) -> Report:
    """Run every rule that applies to the project's form."""
    ctx = _Ctx(project)
    findings: list[Finding] = []
    for item in RULES:
        if item.forms and project.params.form not in item.forms:
            continue
        for file, line, message in item.check(ctx):
            findings.append(Finding(item.id, item.severity, file, line, message, item.citation))
    return Report(tuple(findings))
