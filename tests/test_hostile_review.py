"""Hostile inputs to the review commands: diff, lock, DOCX read back."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from avtal.cli import main
from conftest import EXAMPLE


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """A git repository holding the example as p.yaml, the current folder for the test."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(EXAMPLE, root / "p.yaml")
    git(root, "init", "-q")
    git(root, "add", "p.yaml")
    git(root, "commit", "-qm", "v1")
    here = os.getcwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(here)


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize(
    "spec",
    ["--output=stolen.txt:p.yaml", "--output=stolen.txt", "-p:p.yaml", "--help:p.yaml"],
)
def test_diff_never_passes_options_to_git(repo: Path, spec: str) -> None:
    result = CliRunner().invoke(main, ["diff", "--", spec, "p.yaml"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "error:" in result.output.lower() or "Error:" in result.output
    assert not (repo / "stolen.txt").exists()


def test_rev_path_has_a_size_limit(repo: Path) -> None:
    big = repo / "big.yaml"
    big.write_text("# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    git(repo, "add", "big.yaml")
    git(repo, "commit", "-qm", "big")
    result = CliRunner().invoke(main, ["diff", "HEAD:big.yaml", "p.yaml"])
    assert result.exit_code == 1
    assert "HEAD:big.yaml: parameter file is 1100003 bytes; the limit is 1000000" in result.output


def test_a_docx_that_unpacks_to_200_mb_is_refused_before_pandoc(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    assert bomb.stat().st_size < 400_000
    result = CliRunner().invoke(main, ["diff", str(EXAMPLE), str(bomb)])
    assert result.exit_code == 1, result.output
    assert "word/document.xml unpacks to more than 50 MB" in result.output
    assert "Traceback" not in result.output


def test_a_zip_that_lies_about_its_sizes_is_refused(tmp_path: Path) -> None:
    # The header says 10 bytes; the member unpacks to 60 MB.
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" * 60_000_000)
    raw = bytearray(data.getvalue())
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    raw[local + 22 : local + 26] = (10).to_bytes(4, "little")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bytes(raw))
    result = CliRunner().invoke(main, ["diff", str(EXAMPLE), str(liar)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert str(liar) in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"lock_version": 2, "clauses": 5, "definitions": {}}', "clauses: must be a mapping"),
        ('{"lock_version": 2, "clauses": null, "definitions": {}}', "not null"),
        ("null", "a NoneType, not a mapping"),
        ("[1, 2]", "a list, not a mapping"),
        ("[" * 100_000 + "]" * 100_000, "not JSON"),
        ('{"lock_version": 99, "clauses": {}, "definitions": {}}', "lock_version 99 is not 2"),
        ('{"lock_version": true, "clauses": {}, "definitions": {}}', "lock_version True"),
        ('{"lock_version": 1, "clauses": {}}', "earlier locks do not cover document def"),
        (
            '{"lock_version": 2, "clauses": {"a": {"version": 5, "sha256": "x"}},'
            ' "definitions": {}}',
            "clauses.a: must be {version, sha256}",
        ),
        ('{"lock_version": 2, "clauses": {}, "definitions": []}', "definitions: must be"),
        ('{"lock_version": 2, "clauses": {}, "definitions": {}, "x": 1}', "unknown key(s) x"),
    ],
)
def test_broken_lock_files_are_clear_errors(
    write_params: Callable[..., Path], tmp_path: Path, content: str, message: str
) -> None:
    params = write_params()
    params.with_name(params.name + ".lock").write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--frozen", str(params), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("author", ["Jurist\x1b[31m", "Jurist\x00", "\x07", "  "])
def test_control_characters_in_author_are_a_clear_error(
    write_params: Callable[..., Path], tmp_path: Path, author: str
) -> None:
    old = write_params(name="old.yaml")
    new = write_params(lambda d: d["term"].update(notice_months=6), name="new.yaml")
    out = tmp_path / "diff"
    result = CliRunner().invoke(
        main, ["diff", str(old), str(new), "-o", str(out), "--author", author]
    )
    assert result.exit_code == 1
    assert "--author:" in result.output and "control characters or is blank" in result.output
    assert not out.exists()


def test_redline_and_blackline_name_files_not_folders(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    old = write_params(name="gammal.yaml")
    new = write_params(lambda d: d["term"].update(notice_months=6), name="ny.yaml")
    out = tmp_path / "diff"
    result = CliRunner().invoke(
        main, ["diff", str(old.resolve()), str(new.resolve()), "-o", str(out)]
    )
    assert result.exit_code == 1, result.output
    text = " ".join(
        p.extract_text() or "" for p in PdfReader(str(out / "samverkansavtal-blackline.pdf")).pages
    )
    assert "gammal.yaml" in text and str(tmp_path) not in text
    xml = zipfile.ZipFile(out / "samverkansavtal-redline.docx").read("word/comments.xml")
    assert b"gammal.yaml" in xml and str(tmp_path).encode() not in xml
    assert str(tmp_path) not in (out / "diff.md").read_text(encoding="utf-8")
    assert str(tmp_path) not in result.output
