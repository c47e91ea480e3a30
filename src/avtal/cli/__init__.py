"""The ``avtal`` command line: a thin adapter over the library.

Each command parses options, calls one library function and prints its result. Heavy
imports (docxtpl, typst, pydantic models) happen inside the commands so that
``avtal --help`` starts fast.
"""

from __future__ import annotations

import signal

import click

from avtal import __version__
from avtal.cli import checks, documents, matters, review


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="avtal")
def main() -> None:
    """Assemble Swedish public-sector cooperation agreements from a clause library."""
    # SIGTERM ends the process like Ctrl-C does, so that clean-up runs and no staging
    # files are left behind.
    signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


for _module in (documents, checks, review, matters):
    for _command in _module.COMMANDS:
        main.add_command(_command)
