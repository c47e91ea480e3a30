"""The one error root of avtal and its kinds.

Every failure a user can cause is an :class:`AvtalError`. The CLI prints it without a
traceback and exits with its ``exit_code``; library callers catch the root class.
"""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Problem:
    """One located problem: ``file:line: path: message``."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class AvtalError(click.ClickException):
    """Root of every error avtal reports to a user."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        if self.problems:
            message = message + "\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(message)

    def show(self, file: object = None) -> None:
        """Print as ``error: message`` on stderr, never with a traceback."""
        click.echo(f"error: {self.format_message()}", err=True)


class InputError(AvtalError):
    """A parameter file, matter file or user-supplied path is invalid."""


class ClauseError(AvtalError):
    """A clause file or document definition is invalid or cannot be rendered."""


class LintError(AvtalError):
    """Legal or drafting checks found errors."""


class RenderError(AvtalError):
    """A renderer failed on a valid document (a defect, or a broken user template)."""

    exit_code = 3


class OutputError(AvtalError):
    """Outputs could not be written."""
