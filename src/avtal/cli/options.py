"""Option and argument types shared by the commands."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

# pathlib is imported where a value is converted, not here: `avtal --help` imports only
# click and these modules (a test holds it to that), so that it starts fast.
if TYPE_CHECKING:
    from pathlib import Path

    _PathType = click.ParamType[Path]
else:  # click before 8.2 has no generic ParamType
    _PathType = click.ParamType


class Existing(_PathType):
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
        """The path, or invalid input (exit 1) naming what is missing."""
        from pathlib import Path

        from avtal.errors import InputError

        path = Path(str(value))
        if not path.exists():
            raise InputError(f"{path}: {self.what} not found")
        if self.folder and not path.is_dir():
            raise InputError(f"{path}: is a file, expected a {self.what}")
        if not self.folder and path.is_dir():
            raise InputError(f"{path}: is a folder, expected a {self.what}")
        return path


class DateType(click.DateTime):
    """An option date written YYYY-MM-DD, with an error that says so in words."""

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        """Convert and check the value given on the command line."""
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(
                f"{value!r} is not a date written year-month-day, YYYY-MM-DD, e.g. 2027-01-01",
                param,
                ctx,
            )


DATE = DateType()
params_file = Existing("parameter file")


class OutDir(_PathType):
    """An output folder: any path, but not an empty one (``-o ""`` is a mistake)."""

    name = "directory"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Path:
        """Convert and check the value given on the command line."""
        from pathlib import Path

        if isinstance(value, Path):
            return value
        if not str(value).strip():
            self.fail("is empty; give a folder (use . for the current one)", param, ctx)
        return Path(str(value))


out_dir_type = OutDir()
clauses_option = click.option(
    "--clauses",
    "clause_dirs",
    type=Existing("clause folder", folder=True),
    multiple=True,
    help="Extra clause folder; its clauses extend or override the built-in ones by id.",
)


def parse_formats(text: str) -> list[str]:
    """The formats of a comma-separated ``--format`` value; unknown ones are a usage error."""
    chosen = [f.strip() for f in text.split(",") if f.strip()]
    if not chosen or not set(chosen) <= {"docx", "pdf", "md"}:
        bad = ", ".join(f for f in chosen if f not in ("docx", "pdf", "md")) or "none"
        raise click.BadParameter(f"{bad}; choose from docx, pdf, md", param_hint="--format")
    return chosen


out_option = click.option(
    "-o",
    "--out",
    "out_dir",
    type=out_dir_type,
    default="out",  # converted by OutDir, like a value given on the command line
    show_default=True,
    help="Output folder.",
)
format_option = click.option(
    "--format",
    "formats",
    default="docx,pdf,md",
    show_default=True,
    help="Comma-separated output formats: docx, pdf, md.",
    callback=lambda _context, _param, text: parse_formats(text),
)
docx_template_option = click.option(
    "--docx-template",
    type=Existing("Word template"),
    help="Word template to use instead of the built-in one.",
)
