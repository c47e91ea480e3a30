"""The ``avtal`` command line: a thin adapter over the library.

Each command parses options, calls one library function and prints its result. Heavy
imports (docxtpl, typst, pydantic models) happen inside the commands so that
``avtal --help`` starts fast.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from avtal import __version__

if TYPE_CHECKING:
    _PathType = click.ParamType[Path]
else:  # click before 8.2 has no generic ParamType
    _PathType = click.ParamType


class _Existing(_PathType):
    """A path that must exist: a missing one is invalid input (exit 1), as everywhere in avtal.

    click's own ``Path(exists=True)`` makes it a usage error (exit 2), while a file missing
    inside a library call (a REV:path, an attachment) is an :class:`InputError` (exit 1);
    this type gives every command the library's exit code and wording.
    """

    def __init__(self, what: str, folder: bool = False) -> None:
        self.what = what
        self.folder = folder
        self.name = "folder" if folder else "file"

    def convert(self, value: object, param: click.Parameter | None, ctx: object) -> Path:
        from avtal.errors import InputError

        path = Path(str(value))
        if not path.exists():
            raise InputError(f"{path}: {self.what} not found")
        if self.folder and not path.is_dir():
            raise InputError(f"{path}: is a file, expected a {self.what}")
        if not self.folder and path.is_dir():
            raise InputError(f"{path}: is a folder, expected a {self.what}")
        return path


class _Date(click.DateTime):
    """An option date written YYYY-MM-DD, with an error that says so in words."""

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(
                f"{value!r} is not a date written year-month-day, YYYY-MM-DD, e.g. 2027-01-01",
                param,
                ctx,
            )


_DATE = _Date()
_params_file = _Existing("parameter file")


class _OutDir(_PathType):
    """An output folder: any path, but not an empty one (``-o ""`` is a mistake)."""

    name = "directory"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Path:
        if isinstance(value, Path):
            return value
        if not str(value).strip():
            self.fail("is empty; give a folder (use . for the current one)", param, ctx)
        return Path(str(value))


_out_dir = _OutDir()
_clauses_option = click.option(
    "--clauses",
    "clause_dirs",
    type=_Existing("clause folder", folder=True),
    multiple=True,
    help="Extra clause folder; its clauses extend or override the built-in ones by id.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="avtal")
def main() -> None:
    """Assemble Swedish public-sector cooperation agreements from a clause library."""
    # SIGTERM ends the process like Ctrl-C does, so that clean-up runs and no staging
    # files are left behind.
    signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _formats(text: str) -> list[str]:
    chosen = [f.strip() for f in text.split(",") if f.strip()]
    if not chosen or not set(chosen) <= {"docx", "pdf", "md"}:
        bad = ", ".join(f for f in chosen if f not in ("docx", "pdf", "md")) or "none"
        raise click.BadParameter(f"{bad}; choose from docx, pdf, md", param_hint="--format")
    return chosen


_out_option = click.option(
    "-o",
    "--out",
    "out_dir",
    type=_out_dir,
    default=Path("out"),
    show_default=True,
    help="Output folder.",
)
_format_option = click.option(
    "--format",
    "formats",
    default="docx,pdf,md",
    show_default=True,
    help="Comma-separated output formats: docx, pdf, md.",
    callback=lambda _context, _param, text: _formats(text),
)
_docx_template_option = click.option(
    "--docx-template",
    type=_Existing("Word template"),
    help="Word template to use instead of the built-in one.",
)


@main.command()
@click.argument("params", type=_params_file, nargs=-1, required=True)
@_out_option
@_format_option
@_clauses_option
@_docx_template_option
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


@main.command()
@click.argument("params", type=_params_file)
@_out_option
@_format_option
@_clauses_option
@_docx_template_option
@click.option("--strict", is_flag=True, help="Lint warnings stop a rebuild too.")
def watch(params: Path, out_dir: Path, formats: list[str], **options: Any) -> None:
    """Build PARAMS and rebuild what changes with it, its clauses or templates, until Ctrl-C."""
    from avtal import watch as watching

    watching.watch(watching.Session(params, out_dir, formats, **options), click.echo)


@main.command()
@click.argument("params", type=_params_file)
@_clauses_option
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


@main.command()
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


@main.command("clauses")
@_clauses_option
def list_clauses(clause_dirs: tuple[Path, ...]) -> None:
    """List the clause library: id, version, area and legal basis."""
    from avtal.library.clauses import Library
    from avtal.paths import clauses_dir

    library = Library([clauses_dir(), *clause_dirs])
    for clause in sorted(library.clauses.values(), key=lambda c: c.id):
        meta = clause.meta
        basis = "; ".join(meta.legal_basis) or "-"
        click.echo(f"{meta.id}\t{meta.version}\t{meta.area}\t{basis}")


@main.command()
@click.argument("params", type=_params_file)
@_clauses_option
def lock(params: Path, clause_dirs: tuple[Path, ...]) -> None:
    """Write PARAMS.lock: the id, version and hash of every clause the build uses."""
    from avtal.build import write_lock

    click.echo(str(write_lock(params, clause_dirs)))


@main.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=_out_dir,
    default=None,
    help="Write diff.md and, per changed document, a redline DOCX and a blackline PDF here.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "md"]),
    default="text",
    show_default=True,
    help="Report format on standard output.",
)
@click.option(
    "--author",
    default="avtal",
    show_default=True,
    help="Author of the tracked changes in the redline DOCX.",
)
@click.option(
    "--date",
    "date",
    type=_DATE,
    default=None,
    help="Date of the tracked changes (default: the later of the two document dates).",
)
@click.option("--no-color", is_flag=True, help="No colours (also when NO_COLOR is set).")
@_clauses_option
@click.option(
    "--old-clauses",
    type=_Existing("clause folder", folder=True),
    default=None,
    help="Clause folder (with its definitions) as it was, for the OLD version.",
)
def diff(
    old: str,
    new: str,
    out_dir: Path | None,
    output: str,
    author: str,
    date: object,
    no_color: bool,
    clause_dirs: tuple[Path, ...],
    old_clauses: Path | None,
) -> None:
    """Compare two versions clause by clause.

    OLD and NEW are each a parameter file, REV:path (a parameter file at a git revision,
    read with the clause library and definitions at that revision), or a DOCX (as
    generated, or edited in Word with tracked changes).

    Exits 0 when the versions are equal and 1 when they differ (like diff); errors also
    exit 1 (invalid input) or 2 (usage).
    """
    from avtal.review.compare import run_diff

    differs = run_diff(old, new, out_dir, output, author, date, no_color, clause_dirs, old_clauses)
    if differs:
        sys.exit(1)


@main.command("bundle")
@click.argument("params", type=_params_file)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=_out_dir,
    default=Path("out/arende"),
    show_default=True,
    help="Bundle folder.",
)
@click.option(
    "--matter",
    "matter_path",
    type=_Existing("matter file"),
    default=None,
    help="Matter file, instead of the parameter file's `matter:`.",
)
@click.option(
    "--attachments",
    "attachments_dir",
    type=_Existing("attachments folder", folder=True),
    default=None,
    help="Folder the matter's extra attachments are read from (default: the folder of "
    "the file that holds the matter data); nothing outside it is read.",
)
@_clauses_option
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Summary as text or JSON.",
)
def bundle_command(
    params: Path,
    out_dir: Path,
    matter_path: Path | None,
    attachments_dir: Path | None,
    clause_dirs: tuple[Path, ...],
    quiet: bool,
    output: str,
) -> None:
    """Prepare each party's council matter (ärende) for PARAMS.

    Per party: a tjänsteskrivelse (DOCX, PDF), the numbered attachments, one merged PDF/A
    with bookmarks and contents (and a reading copy with extra attachments), and a zip;
    plus the manifests whose SHA-256 the memos print.
    """
    import json

    from avtal.bundle import bundle

    def progress(index: int, total: int, name: str) -> None:
        if not quiet:
            click.echo(f"[{index}/{total}] {name}", err=True)

    summary = bundle(params, out_dir, clause_dirs, matter_path, progress, attachments_dir)
    if output == "json":
        click.echo(
            json.dumps(
                {
                    "folder": str(out_dir),
                    "parties": [
                        {
                            "party": p.party,
                            "folder": p.folder,
                            "merged_pdf": p.merged,
                            "reading_copy": p.reading_copy,
                            "files": p.files,
                        }
                        for p in summary
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not quiet:
        for item in summary:
            click.echo(f"{out_dir / item.folder}: {len(item.files)} files, {item.merged}")


@main.command()
@click.argument("folder", type=_Existing("bundle folder", folder=True))
@click.option(
    "--sha256",
    "expected",
    default=None,
    metavar="HEX",
    help="The manifest's SHA-256 as the memo prints it (from the diarium).",
)
def verify(folder: Path, expected: str | None) -> None:
    """Check a bundle or build FOLDER against its manifests.

    Any changed, missing or extra file fails, as does a zip whose members differ from the
    folder or a document without its fingerprint. With --sha256 the manifest itself must
    be the one the memo names.
    """
    from avtal.bundle import verify as run_verify
    from avtal.errors import AvtalError

    problems = run_verify(folder, expected)
    if problems:
        raise AvtalError(
            f"{folder}: the bundle does not match its manifest:\n"
            + "\n".join(f"  {p}" for p in problems)
        )
    click.echo(f"{folder}: ok")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the parameter file."""
    from avtal.load.schema import schema_json

    click.echo(schema_json())


@main.command()
@click.argument(
    "form", type=click.Choice(["avtalssamverkan", "gemensam_namnd", "kommunalforbund", "bolag"])
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option(
    "--interactive",
    "-i",
    is_flag=True,
    help="Ask the questions of FORM (parties, task, term, seats, costs) and write the answers.",
)
def new(form: str, file: Path, force: bool, interactive: bool) -> None:
    """Write a commented starting parameter file for FORM to FILE.

    With --interactive, ask the questions a lawyer can answer, each with a default and help
    (answer ?), and write a commented parameter file from the answers.
    """
    if interactive:
        import datetime as dt

        from avtal.load.asker import Asker
        from avtal.load.interactive import write_answers

        write_answers(form, file, Asker(), dt.date.today(), force=force)
        click.echo(f"Wrote {file}; check it with: avtal check {file}")
        return
    from avtal.load.starter import write_starter

    write_starter(form, file, force=force)
    click.echo(str(file))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
