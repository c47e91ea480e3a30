"""A party's kind must agree with its organisation number."""

from __future__ import annotations

from collections.abc import Iterator

from avtal.check.base import Ctx, rule

#: How the organisation number of each kind of legal person begins.
_PREFIXES = {
    "kommun": ("212000-", "kommuner"),
    "region": ("232100-", "regioner"),
    "kommunalforbund": ("222000-", "kommunalförbund"),
    "bolag": ("5", "aktiebolag"),
}


def kind_of(number: str) -> str | None:
    """The kind of legal person an organisation number belongs to, if it tells."""
    for kind, (prefix, _) in _PREFIXES.items():
        if number.startswith(prefix):
            return kind
    return None


@rule(
    "KL-ORGNR",
    "error",
    "lagen (1974:174) om identitetsbeteckning för juridiska personer m.fl.",
    "A party's kind agrees with its organisation number: kommuner 212000-, regioner 232100-, "
    "kommunalförbund 222000-, aktiebolag 5…; a company entered as a kommun is an error.",
)
def _org_numbers(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for index, party in enumerate(ctx.params.parties):
        prefix, plural = _PREFIXES[party.kind]
        if party.org_number.startswith(prefix):
            continue
        actual = kind_of(party.org_number)
        what = f"the number of a {actual}" if actual else "not such a number"
        yield (
            ctx.file,
            ctx.line(f"parties[{index}].kind"),
            f"parties[{index}]: {party.name} is entered as kind: {party.kind}, but "
            f"{party.org_number} is {what} ({plural} have {prefix}…)",
        )
    company = ctx.params.company
    if company is not None and company.org_number and not company.org_number.startswith("5"):
        yield (
            ctx.file,
            ctx.line("company.org_number"),
            f"company.org_number: {company.org_number} is not an aktiebolag's number (5…)",
        )
