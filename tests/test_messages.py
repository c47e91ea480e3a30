"""The wording of the messages a newcomer meets first: dates, tabs, binary files, plurals."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from avtal.check.base import Finding
from avtal.check.report import Report
from avtal.cli import main
from avtal.load import params as params_module
from avtal.load.schema import schema_json
from conftest import EXAMPLE


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_a_bad_date_asks_for_yyyy_mm_dd_in_words(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("start: 2027-01-01", "start: 2027-02-30", 1), encoding="utf-8")
    line = text[: text.index("start: 2027-01-01")].count("\n") + 1
    result = run("check", str(path))
    assert result.exit_code == 1
    assert (
        f"  {path}:{line}: term.start: 2027-02-30 is not a valid date (day is out of range for "
        "month); write a date as year-month-day, YYYY-MM-DD, e.g. 2027-01-01"
    ) in result.output


def test_a_date_in_another_order_asks_for_yyyy_mm_dd(
    write_params: Callable[..., Path],
) -> None:
    path = write_params(lambda d: d["document"].update(date="15.01.2027"))
    result = run("check", str(path))
    assert result.exit_code == 1
    assert (
        "document.date: must be a date written year-month-day, YYYY-MM-DD, e.g. 2027-01-01 "
        "(got '15.01.2027')"
    ) in result.output


def test_a_day_of_the_year_asks_for_mm_dd(write_params: Callable[..., Path]) -> None:
    path = write_params(lambda d: d["insight"].update(annual_report_by="2-15"))
    result = run("check", str(path))
    assert result.exit_code == 1
    assert (
        "insight.annual_report_by: must be a day of the year written month-day, MM-DD, "
        "e.g. 02-15 (got '2-15')"
    ) in result.output


def test_every_pattern_of_the_model_is_said_in_words() -> None:
    import json

    patterns: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(schema_json()))
    assert patterns
    assert patterns <= set(params_module._PATTERNS_IN_WORDS), patterns - set(
        params_module._PATTERNS_IN_WORDS
    )


@pytest.mark.parametrize(
    "text",
    [
        "form: avtalssamverkan\ndocument:\n\tid: X\n",
        "form: avtalssamverkan\n\ndocument: 1\n\tid: X\n",
    ],
)
def test_a_tab_indented_line_says_tab(tmp_path: Path, text: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 1
    line = text.count("\n")
    assert result.output == (
        f"error: {path}:{line}:1: YAML syntax error: the line is indented with a tab; "
        "YAML indents with spaces only\n"
    )


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("avtal.docx", _docx_bytes(), "a Word document (DOCX)"),
        ("avtal.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document"),
        ("p.yaml", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document"),
        ("bild.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a binary file"),
    ],
)
@pytest.mark.parametrize("command", ["check", "build", "lock"])
def test_a_binary_file_given_as_parameters_says_what_it_is(
    tmp_path: Path, name: str, content: bytes, kind: str, command: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run(command, str(path), *(["-o", str(tmp_path / "out")] if command == "build" else []))
    assert result.exit_code == 1
    assert result.output == (
        f"error: {path}: is {kind}, not a parameter file; a parameter file is YAML text\n"
    )
    assert not (tmp_path / "out").exists()


def _finding(number: int) -> Finding:
    return Finding("KL-PARTER", "error", "p.yaml", number, f"problem {number}", "9 kap. 37 §")


@pytest.mark.parametrize(
    ("count", "wording"), [(1, "1 finding fails the check"), (2, "2 findings fail the check")]
)
def test_check_counts_findings_in_good_english(
    monkeypatch: pytest.MonkeyPatch, count: int, wording: str
) -> None:
    import avtal.check

    report = Report(tuple(_finding(n) for n in range(1, count + 1)))
    monkeypatch.setattr(avtal.check, "lint", lambda project: report)
    result = run("check", str(EXAMPLE))
    assert result.exit_code == 1
    assert result.output.endswith(f"error: {EXAMPLE}: {wording}\n")


@pytest.mark.parametrize(
    ("count", "wording"),
    [(1, "1 lint finding stops the build"), (2, "2 lint findings stop the build")],
)
def test_build_counts_findings_in_good_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, count: int, wording: str
) -> None:
    import avtal.build

    report = Report(tuple(_finding(n) for n in range(1, count + 1)))
    monkeypatch.setattr(avtal.build, "lint", lambda project: report)
    result = run("build", str(EXAMPLE), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"error: {EXAMPLE}: {wording}:\n" in result.output


def test_one_problem_is_counted_in_the_singular(write_params: Callable[..., Path]) -> None:
    path = write_params(lambda d: d["document"].update(date="15.01.2027"))
    assert f"error: {path}: 1 problem in the parameter file\n" in run("check", str(path)).output


MISSING = "nowhere/missing.yaml"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", MISSING], f"{MISSING}: parameter file not found"),
        (["check", MISSING], f"{MISSING}: parameter file not found"),
        (["lock", MISSING], f"{MISSING}: parameter file not found"),
        (["bundle", MISSING], f"{MISSING}: parameter file not found"),
        (["diff", MISSING, str(EXAMPLE)], f"{MISSING}: no such parameter file, DOCX or REV:path"),
        (["diff", str(EXAMPLE), MISSING], f"{MISSING}: no such parameter file, DOCX or REV:path"),
        (["verify", "nowhere/arende"], "nowhere/arende: bundle folder not found"),
        (["clauses", "--clauses", "nowhere"], "nowhere: clause folder not found"),
        (["check", str(EXAMPLE), "--clauses", "nowhere"], "nowhere: clause folder not found"),
        (["build", str(EXAMPLE), "--docx-template", "x.docx"], "x.docx: Word template not found"),
        (["bundle", str(EXAMPLE), "--matter", "m.yaml"], "m.yaml: matter file not found"),
    ],
)
def test_a_missing_file_exits_1_in_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.output == f"error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_an_input_that_is_a_folder_is_named(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == f"error: {tmp_path}: is a folder, expected a parameter file\n"
    result = run("verify", str(EXAMPLE))
    assert result.output == f"error: {EXAMPLE}: is a file, expected a bundle folder\n"


def test_a_bad_option_date_asks_for_yyyy_mm_dd(tmp_path: Path) -> None:
    result = run("diff", str(EXAMPLE), str(EXAMPLE), "--date", "15/1/2027")
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for '--date': '15/1/2027' is not a date written year-month-day, "
        "YYYY-MM-DD, e.g. 2027-01-01\n"
    ) in result.output
