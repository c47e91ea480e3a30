"""Rules on personal data and public documents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from avtal.check.base import Ctx, rule
from avtal.check.text import NEGATION, quote, wrong_sentences

if TYPE_CHECKING:
    pass


# --- Personal data and documents --------------------------------------------------------------


@rule(
    "DATA-ROLLER",
    "error",
    "artiklarna 4.7, 26 och 28 i dataskyddsförordningen (EU) 2016/679",
    "Where personal data is processed, the documents state who is personuppgiftsansvarig "
    "and who, if anyone, is personuppgiftsbiträde.",
    forms=("avtalssamverkan", "gemensam_namnd", "bolag"),
)
def _personal_data(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
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
    forms=("avtalssamverkan", "gemensam_namnd", "bolag"),
)
def _archives(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    if not ctx.area_sections("handlingar"):
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no clause on allmänna handlingar and arkiv",
        )


_SECRET = re.compile(
    r"\b(?:konfidentiell\w*|hemlighåll\w*|hålla\w*\s+(?:\w+\s+){0,3}hemlig\w*|avtalad\s+sekretess|"
    r"sekretess\s+enligt\s+(?:detta\s+avtal|Avtalet|avtalet|ägardirektivet))",
    re.IGNORECASE,
)


def _agreed_secrecy(_ctx: Ctx, text: str) -> str | None:
    match = _SECRET.search(text)
    return match.group(0) if match and not NEGATION.search(text) else None


@rule(
    "DATA-SEKRETESS",
    "error",
    "2 kap. tryckfrihetsförordningen och 1 kap. 1 § offentlighets- och sekretesslagen (2009:400)",
    "Secrecy for a public body's information follows from offentlighets- och sekretesslagen only; "
    "parties cannot agree to keep information confidential.",
)
def _secrecy(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for file, line, text in wrong_sentences(ctx, _agreed_secrecy):
        yield file, line, f"agrees on secrecy that only the law can give: {quote(text)}"
