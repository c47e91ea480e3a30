"""Council-matter commands: bundle, verify."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from avtal.cli.options import Existing, clauses_option, out_dir_type, params_file

if TYPE_CHECKING:
    from pathlib import Path


@click.command("bundle")
@click.argument("params", type=params_file)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=out_dir_type,
    default="out/arende",  # converted by the option's type
    show_default=True,
    help="Bundle folder.",
)
@click.option(
    "--matter",
    "matter_path",
    type=Existing("matter file"),
    default=None,
    help="Matter file, instead of the parameter file's `matter:`.",
)
@click.option(
    "--attachments",
    "attachments_dir",
    type=Existing("attachments folder", folder=True),
    default=None,
    help="Folder the matter's extra attachments are read from (default: the folder of "
    "the file that holds the matter data); nothing outside it is read.",
)
@clauses_option
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


@click.command()
@click.argument("folder", type=Existing("bundle folder", folder=True))
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


COMMANDS = (
    bundle_command,
    verify,
)
