"""A chair that rotates by calendar year must reach every party within the term."""

from __future__ import annotations

from collections.abc import Iterator

from avtal.check.base import Ctx, rule


@rule(
    "UTK-ORDFORANDE",
    "warning",
    "avtalsteknik, ingen lagregel",
    "A chair that passes to the next party every calendar year reaches every party within a "
    "fixed term that is not renewed automatically; with more parties than calendar years, the "
    "last ones in the order never chair.",
    forms=("avtalssamverkan",),
)
def _rotation_reaches_every_party(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    governance = ctx.params.governance
    term = ctx.params.term
    if governance is None or term.end is None or term.renewal_years:
        return
    council = governance.steering_council
    if not council.chair_rotates:
        return
    ids = [p.id for p in ctx.params.parties]
    start = ids.index(council.chair)
    order = ctx.params.parties[start:] + ctx.params.parties[:start]
    years = term.end.year - term.start.year + 1
    left_out = order[years:]
    if left_out:
        names = ", ".join(p.name for p in left_out)
        yield (
            ctx.file,
            ctx.line("governance.steering_council.chair_rotates"),
            f"governance.steering_council.chair_rotates: {len(order)} parties chair one calendar "
            f"year each, but the term {term.start.year}–{term.end.year} has {years}: {names} "
            "never chairs unless the agreement is extended (rotate among fewer, or give "
            "term.renewal_years)",
        )
