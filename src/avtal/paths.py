"""Where the built-in clause library, templates and examples live.

In a wheel they are packaged under ``avtal/_data``; in a source checkout (editable
install) they are the top-level ``clauses/``, ``templates/`` and ``examples/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    """The folder holding ``clauses``, ``templates`` and ``examples``."""
    packaged = _PACKAGE / "_data"
    if (packaged / "clauses").is_dir():
        return packaged
    return _PACKAGE.parent.parent


def clauses_dir() -> Path:
    """The built-in clause library."""
    return data_root() / "clauses"


def templates_dir() -> Path:
    """Built-in document definitions and the Word and typst templates."""
    return data_root() / "templates"
