"""Rules on what a co-owned company's documents say: purpose, review, audit, LOU, personal data."""

from __future__ import annotations

import re
from collections.abc import Iterator

from avtal.check.base import Ctx, _covered, rule
from avtal.check.text import EVERY, NEGATION, locate, located, quote, wrong_sentences

_DOCS = ("bolagsordning", "agardirektiv", "aktieagaravtal")

_WIDER = re.compile(
    r"\b(?:samt|och)\s+(?:att\s+)?(?:bedriva\s+)?(?:annan\s+)?(?:därmed|härmed|därtill)\s+"
    r"(?:förenlig|sammanhängande|besläktad|likartad|hörande)\w*\s+verksamhet",
    re.IGNORECASE,
)


def _wider(_ctx: Ctx, text: str) -> str | None:
    match = _WIDER.search(text)
    return match.group(0) if match else None


@rule(
    "BOLAG-FORENLIG",
    "error",
    "10 kap. 3 § kommunallagen (2017:725)",
    "The company's object stays within the municipal purpose fullmäktige set: no 'samt därmed "
    "förenlig verksamhet' that widens it.",
    forms=("bolag",),
)
def _object(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for file, line, text in wrong_sentences(ctx, _wider):
        yield file, line, f"widens the object beyond the municipal purpose: {quote(text)}"


@rule(
    "BOLAG-INHOUSE",
    "error",
    "3 kap. 11–16 §§ lagen (2016:1145) om offentlig upphandling",
    "Where the owners buy from the company without procurement, the documents state the in-house "
    "basis: joint control (every owner on the board) and more than 80 % of the activity for the "
    "owners.",
    forms=("bolag",),
)
def _in_house(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    company = ctx.params.company
    if company is None or not company.in_house:
        return
    for index, owner in enumerate(company.owners):
        if owner.board_seats < 1:
            path = f"company.owners[{index}].board_seats"
            yield (
                ctx.file,
                ctx.line(path),
                f"{path}: {owner.party} has no seat on the board, so the owners do not control "
                "the company jointly",
            )
    if company.outside_share_max is not None and company.outside_share_max >= 20:
        yield (
            ctx.file,
            ctx.line("company.outside_share_max"),
            f"company.outside_share_max: {company.outside_share_max} percent for others leaves "
            "no more than 80 percent for the owners",
        )
    for sentence, match in located(ctx, re.compile(r"(\S+\s+)?80 procent(\s+\S+\s+\S+)?"), _DOCS):
        before = (match.group(1) or "").strip().lower()
        after = (match.group(2) or "").strip().lower()
        if before != "än" or after.startswith("eller mer"):
            file, line = locate(ctx, sentence, match.group(0))
            message = f"the owners' share must be more than 80 percent: {quote(sentence.text)}"
            yield file, line, message
    if "lou-3-11" not in _covered(ctx, _DOCS):
        doc = next(d for d in ctx.project.documents if d.kind == "agardirektiv")
        yield (
            ctx.definition_file(doc),
            1,
            "no clause states the in-house basis of the owners' purchases from the company",
        )


@rule(
    "BOLAG-PROVNING",
    "error",
    "6 kap. 9 § kommunallagen (2017:725)",
    "Every owner's styrelse reviews each year whether the company kept within its municipal "
    "purpose and powers; the documents must say so, for every owner and every year.",
    forms=("bolag",),
)
def _yearly_review(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    said = False
    for sentence, _match in located(ctx, re.compile(r"6 kap\. 9 §"), _DOCS):
        text = sentence.text
        if not re.search(r"pröv", text):
            continue
        wrong = re.search(r"vartannat|vart \w+ år|mandatperiod|mandattid|vid behov", text)
        if wrong:
            file, line = locate(ctx, sentence, wrong.group(0))
            yield file, line, f"the review is yearly, not {wrong.group(0)!r}: {quote(text)}"
        elif re.search(r"varje år|årlig", text) and EVERY.search(text):
            said = True
    if not said:
        doc = ctx.main_document()
        yield (
            ctx.definition_file(doc),
            1,
            "no clause says that every owner's styrelse reviews the company each year",
        )


@rule(
    "BOLAG-LEKMANNAREVISOR",
    "error",
    "10 kap. 3 § kommunallagen (2017:725) och 10 kap. aktiebolagslagen (2005:551)",
    "A municipal company has at least one lekmannarevisor, appointed by fullmäktige; a "
    "bolagsordning without one, or saying there is none, is wrong.",
    forms=("bolag",),
)
def _lay_auditor(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    said = False
    for sentence, match in located(ctx, re.compile(r"lekmannarevisor", re.I), ("bolagsordning",)):
        text = sentence.text
        if re.search(r"\b(ingen|inte ha någon|inga)\s+lekmannarevisor", text, re.IGNORECASE):
            file, line = locate(ctx, sentence, match.group(0))
            yield file, line, f"says the company has no lekmannarevisor: {quote(text)}"
        elif "fullmäktige" in text and re.search(r"\butse[rs]?\b", text):
            said = True
    if not said:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "the bolagsordning appoints no lekmannarevisor by fullmäktige",
        )


@rule(
    "BOLAG-PUB",
    "error",
    "artikel 28 i dataskyddsförordningen (EU) 2016/679",
    "Where the company processes personal data for its owners, the documents make it their "
    "personuppgiftsbiträde and require a personuppgiftsbiträdesavtal before processing.",
    forms=("bolag",),
)
def _processor(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    data = ctx.params.personal_data
    if not (data.processed and data.processor_agreement):
        return
    said = False
    for sentence, match in located(ctx, re.compile(r"personuppgiftsbiträdesavtal"), _DOCS):
        if NEGATION.search(sentence.text):
            file, line = locate(ctx, sentence, match.group(0))
            yield file, line, f"says no processor agreement is needed: {quote(sentence.text)}"
        elif "artikel 28" in sentence.text:
            said = True
    if not said:
        yield (
            ctx.file,
            ctx.line("personal_data.processor_agreement"),
            "the company processes the owners' personal data but no clause requires a "
            "personuppgiftsbiträdesavtal (artikel 28)",
        )
