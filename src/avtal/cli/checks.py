"""Commands that check and list: check, rules, clauses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from avtal.cli.options import clauses_option, params_file

if TYPE_CHECKING:
    from pathlib import Path


@click.command()
@click.argument("params", type=params_file)
@clauses_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Findings as text lines or as JSON.",
)
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
def check(params: Path, clause_dirs: tuple[Path, ...], output: str, strict: bool) -> None:
    """Validate PARAMS, assemble its documents and run the legal and drafting checks.

    Writes nothing. Findings print as `RULE-ID severity file:line message (citation)`.
    Exits 1 when there are errors, or warnings with --strict.
    """
    import json

    from avtal.check import lint
    from avtal.errors import AvtalError, LintError
    from avtal.project import load_project

    try:
        project = load_project(params, clause_dirs)
    except AvtalError as exc:
        if output == "json":
            click.echo(json.dumps(_error_json(params, exc), ensure_ascii=False, indent=2))
        raise
    report = lint(project)
    failed = report.failed(strict)
    if output == "json":
        summary = {
            "file": str(params),
            "ok": not failed,
            "documents": [d.file for d in project.documents],
            "findings": [f.as_dict() for f in report.findings],
        }
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            click.echo(str(finding))
    if failed:
        count = len(report.errors) + (len(report.warnings) if strict else 0)
        counted = "1 finding fails" if count == 1 else f"{count} findings fail"
        raise LintError(f"{params}: {counted} the check")
    if output == "text":
        names = ", ".join(d.file for d in project.documents)
        click.echo(f"{params}: ok ({names})")


def _error_json(params: Path, exc: click.ClickException) -> dict[str, object]:
    """An input error as the JSON of `avtal check --format json`."""
    problems = getattr(exc, "problems", [])
    return {
        "file": str(params),
        "ok": False,
        "error": exc.format_message().split("\n", 1)[0],
        "problems": [
            {"file": p.file, "line": p.line, "path": p.path, "message": p.message} for p in problems
        ],
        "documents": [],
        "findings": [],
    }


@click.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: a list of {id, severity, citation, explanation, forms} for tools.",
)
def rules(output: str) -> None:
    """List every check: id, severity, citation and explanation."""
    import json

    from avtal.check import RULES

    if output == "json":
        data = [
            {
                "id": r.id,
                "severity": r.severity,
                "citation": r.citation,
                "explanation": r.explanation,
                "forms": list(r.forms),
            }
            for r in RULES
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for item in RULES:
        forms = ", ".join(item.forms) if item.forms else "all forms"
        click.echo(f"{item.id}\t{item.severity}\t{item.citation}\t[{forms}] {item.explanation}")


@click.command("clauses")
@clauses_option
def list_clauses(clause_dirs: tuple[Path, ...]) -> None:
    """List the clause library: id, version, area and legal basis."""
    from avtal.clauselib.clauses import Library
    from avtal.paths import clauses_dir

    library = Library([clauses_dir(), *clause_dirs])
    for clause in sorted(library.clauses.values(), key=lambda c: c.id):
        meta = clause.meta
        basis = "; ".join(meta.legal_basis) or "-"
        click.echo(f"{meta.id}\t{meta.version}\t{meta.area}\t{basis}")


COMMANDS = (
    check,
    rules,
    list_clauses,
)
