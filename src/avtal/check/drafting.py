"""Drafting rules: defined terms, references, unused parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from avtal.check.base import Ctx, rule

if TYPE_CHECKING:
    pass


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
def _undefined_terms(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
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


def _defined_terms(ctx: Ctx) -> dict[str, str]:
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
def _unused_terms(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
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
def _references(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
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
    "company.in_house",
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
    "federation.first_period": "costs.settlement",
    "company.total_shares": "company.owners.shares",
    "company.board_seats": "company.owners.board_seats",
    "company.owners.percent": "company.owners.shares",
}


def _declared(ctx: Ctx) -> set[str]:
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
def _unused_params(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
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
