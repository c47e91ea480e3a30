"""The README's command reference names every option of every command, and no other."""

from __future__ import annotations

import re

import click
import pytest

from avtal.cli import main
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = README[README.index("## Commands\n") : README.index("\nExit codes:")]


def options(command: click.Command) -> set[str]:
    """Every spelling of every option, --help left out (every command has it)."""
    return {
        name
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
    }


def synopsis(name: str) -> str:
    rows = [line for line in COMMANDS.splitlines() if line.startswith(f"| `avtal {name}")]
    assert len(rows) == 1, f"avtal {name}: {len(rows)} rows in the README's command table"
    return rows[0].split("` |")[0]


def option_rows() -> dict[str, str]:
    """Option table: each spelling in the first cell -> the second cell (the commands)."""
    rows: dict[str, str] = {}
    for line in COMMANDS.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`-"):
            for spelling in re.findall(r"`(-[-\w]+)", cells[0]):
                rows[spelling] = cells[1]
    return rows


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_option_is_in_the_command_s_synopsis(name: str) -> None:
    command = main.commands[name]
    written = set(re.findall(r"(?<![\w-])(--?[a-z][-a-z0-9]*)", synopsis(name)))
    assert written <= options(command), f"not options of {name}: {written - options(command)}"
    for param in command.params:
        if isinstance(param, click.Option):
            assert written & {*param.opts, *param.secondary_opts}, f"{name}: {param.opts}"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_option_is_explained_for_its_command(name: str) -> None:
    rows = option_rows()
    for spelling in options(main.commands[name]):
        assert spelling in rows, f"{spelling} has no row in the README's option table"
        assert f"`{name}`" in rows[spelling], f"{spelling}: the row does not name `{name}`"


def test_the_option_table_names_only_real_options() -> None:
    for spelling, commands in option_rows().items():
        for name in re.findall(r"`([a-z]+)`", commands):
            if name in main.commands:
                assert spelling in options(main.commands[name]), f"{name} has no {spelling}"


def test_every_command_that_takes_clauses_says_so() -> None:
    takers = {name for name, command in main.commands.items() if "--clauses" in options(command)}
    assert takers == {"build", "watch", "check", "diff", "lock", "bundle", "clauses"}
    assert set(re.findall(r"`([a-z]+)`", option_rows()["--clauses"])) == takers
