"""``avtal new``: write a commented starting parameter file for a form."""

from __future__ import annotations

from pathlib import Path

from avtal.errors import InputError, OutputError
from avtal.output import write_files
from avtal.paths import templates_dir


def write_starter(form: str, target: Path, force: bool = False) -> Path:
    """Copy the commented starter of ``form`` to ``target``; never overwrite unless forced."""
    source = templates_dir() / "starters" / f"{form}.yaml"
    if not source.is_file():
        raise InputError(f"no starter parameter file for form {form!r}")
    if target.exists() and not force:
        raise OutputError(f"{target}: exists; use --force to overwrite it")
    write_files(
        target.parent if str(target.parent) else Path("."), {target.name: source.read_bytes()}
    )
    return target
