"""Start-up: what each command imports, and what a cold start builds.

The import budgets run the command in a fresh process under ``python -X importtime`` and
fail when a command starts importing a library it does not use. Timings themselves live
in ``benchmarks/``, not here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from avtal.clauselib.clauses import Library
from avtal.clauselib.definitions import definitions_for
from avtal.errors import ClauseError
from avtal.load.model import base
from conftest import EXAMPLE, ROOT

#: Libraries that only building, reviewing or bundling needs.
RENDERING = ("docx", "docxtpl", "docxcompose", "typst", "lxml", "pypdf", "pypandoc", "watchfiles")
#: What `avtal --help` must not import: it only lists the commands.
NOT_FOR_HELP = (*RENDERING, "pydantic", "pydantic_core", "jinja2", "yaml", "avtal.load")
#: The parts of avtal that `avtal check` has no use for.
NOT_FOR_CHECK = (
    *RENDERING,
    "avtal.render",
    "avtal.bundle",
    "avtal.build",
    "avtal.watch",
    "avtal.output",
    "avtal.review.diff",
    "avtal.review.redline",
    "avtal.review.docx_read",
)


def imported(*args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules a fresh ``python -m avtal ARGS`` imports, and its result."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "avtal", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return names, result


def offending(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))


def test_help_imports_neither_model_nor_templates_nor_renderers() -> None:
    names, result = imported("--help")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "check" in result.stdout and "build" in result.stdout
    assert "click" in names and "avtal.cli" in names  # the parse of -X importtime works
    assert offending(names, NOT_FOR_HELP) == []


#: Every command, so that each one's help has a budget (a test keeps the list complete).
COMMANDS = ["build", "watch", "lock", "schema", "new", "check", "rules", "clauses", "diff"]
COMMANDS += ["bundle", "verify"]


def test_every_command_has_a_help_budget() -> None:
    from avtal.cli import main

    assert sorted(main.commands) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_imports_no_library(command: str) -> None:
    names, result = imported(command, "--help")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Usage: " in result.stdout
    assert offending(names, NOT_FOR_HELP) == []


def test_check_imports_no_renderer() -> None:
    names, result = imported("check", str(EXAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert ": ok (" in result.stdout
    assert "pydantic" in names and "jinja2" in names
    assert offending(names, NOT_FOR_CHECK) == []


CHECK_THEN_COUNT = """
import sys
from pathlib import Path
from pydantic import BaseModel
import avtal.load.model as model
from avtal.clauselib.clauses import ClauseMeta
from avtal.project import load_project
load_project(Path(sys.argv[1]))
built = sorted(
    name for name, value in vars(model).items()
    if isinstance(value, type) and issubclass(value, BaseModel) and value.__pydantic_complete__
)
print(" ".join(built))
print(ClauseMeta.__pydantic_complete__)
"""


def test_cold_start_builds_one_parameter_validator() -> None:
    """Nested mappings are validated by Params' validator and build none of their own.

    Building each class's validator at import made a cold start build the same nested
    schemas (and compile the same patterns) once per enclosing class. Only Params, and the
    small mappings whose defaults are instances, are built; with the clause library
    checked by an earlier run, the clause front-matter model is not built at all.
    """
    command = [sys.executable, "-c", CHECK_THEN_COUNT, str(EXAMPLE)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)  # fill the cache
    out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)
    built_line, clause_meta_built = out.stdout.splitlines()
    built = set(built_line.split())
    assert "Params" in built
    assert not built & {"Party", "Signatory", "Activity", "Costs", "PartyMatter", "Matter"}
    assert built <= {"Params", "Audit", "PersonalData", "Disputes", "Economy"}
    assert clause_meta_built == "False"


# --- Links in clause and definition folders ----------------------------------------------


def write_clause(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "egen.md"
    path.write_text(
        "---\nid: egen.klausul\ntitle: T\nversion: 1.0.0\narea: tvister\n"
        "forms: [avtalssamverkan]\n---\nText.\n",
        encoding="utf-8",
    )
    return path


def test_area_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "utanfor" / "tvister"
    write_clause(outside)
    root = tmp_path / "egna"
    root.mkdir()
    os.symlink(outside, root / "tvister")
    with pytest.raises(ClauseError) as caught:
        Library([root])
    message = caught.value.format_message()
    assert f"{root / 'tvister' / 'egen.md'}: links outside the clause folder {root}" in message


def test_area_folder_linked_inside_is_read(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    write_clause(root / "arkiv" / "tvister")  # two levels down: not a clause by itself
    os.symlink(root / "arkiv" / "tvister", root / "tvister")
    clause = Library([root]).get("egen.klausul")
    assert clause is not None and clause.path == root / "tvister" / "egen.md"


def test_root_reached_through_a_link_is_inside(tmp_path: Path) -> None:
    write_clause(tmp_path / "egna" / "tvister")
    os.symlink(tmp_path / "egna", tmp_path / "genvag")
    library = Library([tmp_path / "genvag"])
    assert library.get("egen.klausul") is not None


def test_definition_linked_outside_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    root.mkdir()
    os.symlink(ROOT / "templates" / "samverkansavtal.yaml", root / "samverkansavtal.yaml")
    with pytest.raises(ClauseError, match="links outside the folder"):
        definitions_for("avtalssamverkan", [root])


# --- The plain-text shortcut of the parameter model ---------------------------------------

PLAIN = "\t\n\r\u20ac" + "".join(
    map(chr, [*range(0x20, 0x7F), *range(0xA0, 0xAD), *range(0xAE, 0x100), *range(0x2010, 0x2028)])
)


def test_plain_pattern_is_exactly_the_plain_characters() -> None:
    for code in range(0x2100):
        assert bool(base._PLAIN.fullmatch(chr(code))) == (chr(code) in PLAIN), hex(code)
    assert base._PLAIN.fullmatch("Region Sörmland, 30 § första stycket – «ände»")
    assert not base._PLAIN.fullmatch("Sörmland\u00ad")
    assert not base._PLAIN.fullmatch("A\u0308")
    assert not base._PLAIN.fullmatch("\u2028") and not base._PLAIN.fullmatch("\u200b")


def test_plain_text_passes_every_character_check_unchanged() -> None:
    """What the shortcut skips could never refuse or change plain text.

    The checks look at one character at a time (and at the scripts of a word's letters), and
    NFC composition only joins a character with a combining one after it, so every single
    character and every pair covers every text.
    """
    for char in PLAIN:
        assert base._checked_characters(char) == char
        assert base._script(char) in (None, "LATIN")
    for first in PLAIN:
        for second in PLAIN:
            pair = first + second
            assert base._checked_characters(pair) == pair


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [("  Region   Sörmland\n", "Region Sörmland"), ("A\u0308ngen", "Ängen"), ("a\u00a0b", "a b")],
)
def test_clean_text_either_way(text: str, cleaned: str) -> None:
    assert base._clean_text(text) == cleaned


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Sörm\u00adland", "SOFT HYPHEN (U+00AD) at position 5"),
        ("Regi\u043en", "mixes Latin and Cyrillic"),
        ("\u0308", "combining character"),
        ("   ", "must not be empty"),
    ],
)
def test_clean_text_still_refuses(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        base._clean_text(text)
