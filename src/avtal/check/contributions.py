"""Each party's own contribution to a procurement cooperation: listed for all or for none."""

from __future__ import annotations

from collections.abc import Iterator

from avtal.check.base import Ctx, rule


@rule(
    "LOU-BIDRAG",
    "error",
    "3 kap. 17 § lagen (2016:1145) om offentlig upphandling; jfr EU-domstolens dom i mål "
    "C-429/19 (Remondis)",
    "Where the agreement lists what each party contributes to the cooperation "
    "(procurement.contributions), it lists every party: a party left out reads as a party "
    "that only pays, the risk to the cooperation exception.",
    forms=("avtalssamverkan",),
)
def _every_party_contributes(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    procurement = ctx.params.procurement
    if procurement is None or procurement.lou_basis != "cooperation":
        return
    given = procurement.contributions
    if not given:
        return
    missing = [p for p in ctx.params.parties if p.id not in given]
    if missing:
        names = ", ".join(f"{p.name} ({p.id})" for p in missing)
        yield (
            ctx.file,
            ctx.line("procurement.contributions"),
            f"procurement.contributions: no contribution for {names}; the agreement lists "
            "what every party contributes, or leaves the list out",
        )
