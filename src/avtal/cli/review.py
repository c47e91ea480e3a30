"""The review command: diff."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from avtal.cli.options import DATE, Existing, clauses_option, out_dir_type

if TYPE_CHECKING:
    from pathlib import Path


@click.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=out_dir_type,
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
    type=DATE,
    default=None,
    help="Date of the tracked changes (default: the later of the two document dates).",
)
@click.option("--no-color", is_flag=True, help="No colours (also when NO_COLOR is set).")
@clauses_option
@click.option(
    "--old-clauses",
    type=Existing("clause folder", folder=True),
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


COMMANDS = (diff,)
