"""Commands that write documents: build, watch, lock, new, schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from avtal.cli.options import (
    clauses_option,
    docx_template_option,
    format_option,
    out_option,
    params_file,
)

if TYPE_CHECKING:
    from pathlib import Path


@click.command()
@click.argument("params", type=params_file, nargs=-1, required=True)
@out_option
@format_option
@clauses_option
@docx_template_option
@click.option("--strict", is_flag=True, help="Lint warnings stop the build too.")
@click.option(
    "--frozen", is_flag=True, help="Fail if the clauses differ from the lock beside PARAMS."
)
@click.option(
    "--show-fingerprint",
    is_flag=True,
    help="Print the fingerprint on a final version too (drafts always show it).",
)
@click.option(
    "--annotate",
    is_flag=True,
    help="Also write NAME-granskning.docx: a Word comment on each clause with its legal "
    "basis, id, version and uncertain points.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace files in the output folder that no earlier build wrote.",
)
def build(
    params: tuple[Path, ...],
    out_dir: Path,
    formats: list[str],
    clause_dirs: tuple[Path, ...],
    docx_template: Path | None,
    strict: bool,
    frozen: bool,
    show_fingerprint: bool,
    annotate: bool,
    force: bool,
) -> None:
    """Build the documents of PARAMS into the output folder.

    The checks of `avtal check` run first: errors (and warnings, with --strict) stop the
    build and nothing is written. Several parameter files are built in parallel, each into
    its own sub-folder named after the file.
    """
    from avtal.build import build as run_build
    from avtal.build import build_many
    from avtal.errors import AvtalError

    if len(params) == 1:
        result = run_build(
            params[0],
            out_dir,
            formats,
            clause_dirs,
            docx_template,
            strict,
            frozen,
            show_fingerprint=show_fingerprint,
            annotate=annotate,
            force=force,
        )
        for finding in result.report.findings:
            click.echo(str(finding), err=True)
        for path in result.paths:
            click.echo(str(path))
        return
    if annotate:
        raise click.UsageError("--annotate takes one parameter file")
    if frozen:
        raise click.UsageError("--frozen takes one parameter file")
    failed = 0
    outcomes = build_many(
        params,
        out_dir,
        formats,
        clause_dirs,
        docx_template,
        strict,
        show_fingerprint=show_fingerprint,
        force=force,
    )
    for path, outcome in outcomes:
        if isinstance(outcome, AvtalError):
            failed += 1
            click.echo(f"error: {outcome.format_message()}", err=True)
            continue
        for finding in outcome.report.findings:
            click.echo(str(finding), err=True)
        click.echo(f"{path}: {len(outcome.paths)} files in {out_dir / path.stem}")
    if failed:
        raise AvtalError(f"{failed} of {len(params)} builds failed")


@click.command()
@click.argument("params", type=params_file)
@out_option
@format_option
@clauses_option
@docx_template_option
@click.option("--strict", is_flag=True, help="Lint warnings stop a rebuild too.")
def watch(params: Path, out_dir: Path, formats: list[str], **options: Any) -> None:
    """Build PARAMS and rebuild what changes with it, its clauses or templates, until Ctrl-C."""
    from avtal import watch as watching

    watching.watch(watching.Session(params, out_dir, formats, **options), click.echo)


@click.command()
@click.argument("params", type=params_file)
@clauses_option
def lock(params: Path, clause_dirs: tuple[Path, ...]) -> None:
    """Write PARAMS.lock: the id, version and hash of every clause the build uses."""
    from avtal.build import write_lock

    click.echo(str(write_lock(params, clause_dirs)))


@click.command()
def schema() -> None:
    """Print the JSON Schema of the parameter file."""
    from avtal.load.schema import schema_json

    click.echo(schema_json())


@click.command()
@click.argument(
    "form", type=click.Choice(["avtalssamverkan", "gemensam_namnd", "kommunalforbund", "bolag"])
)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option(
    "--interactive",
    "-i",
    is_flag=True,
    help="Ask the questions of FORM (parties, task, term, seats, costs) and write the answers.",
)
def new(form: str, file: str, force: bool, interactive: bool) -> None:
    """Write a commented starting parameter file for FORM to FILE.

    With --interactive, ask the questions a lawyer can answer, each with a default and help
    (answer ?), and write a commented parameter file from the answers.
    """
    from pathlib import Path

    path = Path(file)
    if interactive:
        import datetime as dt

        from avtal.load.asker import Asker
        from avtal.load.interactive import write_answers

        write_answers(form, path, Asker(), dt.date.today(), force=force)
        click.echo(f"Wrote {path}; check it with: avtal check {path}")
        return
    from avtal.load.starter import write_starter

    write_starter(form, path, force=force)
    click.echo(str(path))


COMMANDS = (
    build,
    watch,
    lock,
    schema,
    new,
)
