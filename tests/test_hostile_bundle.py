"""Hostile inputs to council-matter bundles: attachments, manifests, interrupted writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from avtal.bundle.tree import write_tree
from avtal.cli import main

PDF = b"%PDF-1.7\n%hostile\n"


def _bundle(params: Path, out: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["bundle", "-q", str(params), "-o", str(out), *extra])


def _with_attachment(file: str) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        d["matter"]["attachments"] = [{"title": "Utredning", "file": file}]

    return change


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("../outside.pdf", "must not contain '..'"),
        ("sub/../../outside.pdf", "must not contain '..'"),
        ("/etc/passwd.pdf", "must be a path relative to the folder"),
        ("utred\x1bning.pdf", "control or invisible character U+001B"),
        ("utred\u202ening.pdf", "control or invisible character U+202E"),
        ("notes.txt", "must name a PDF file"),
    ],
)
def test_attachment_names_are_refused(
    write_params: Callable[..., Path], tmp_path: Path, file: str, message: str
) -> None:
    params = write_params(_with_attachment(file))
    result = _bundle(params, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "matter.attachments[0].file" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_attachment_symlink_out_of_the_folder_is_refused(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-secret.pdf"
    outside.write_bytes(PDF)
    (tmp_path / "link.pdf").symlink_to(outside)
    params = write_params(_with_attachment("link.pdf"))
    result = _bundle(params, tmp_path / "out")
    assert result.exit_code == 1
    assert "leads outside the folder" in result.output
    assert not (tmp_path / "out").exists()


def test_attachment_fifo_is_refused_without_hanging(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    params = write_params(_with_attachment("pipe.pdf"))
    result = _bundle(params, tmp_path / "out")
    assert result.exit_code == 1
    assert "is not a regular file" in result.output


def test_attachment_from_an_explicit_folder_only(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "handlingar"
    elsewhere.mkdir()
    (elsewhere / "utredning.pdf").write_bytes(b"not a pdf")
    params = write_params(_with_attachment("utredning.pdf"))
    missing = _bundle(params, tmp_path / "out")
    assert missing.exit_code == 1 and "not found" in missing.output
    chosen = _bundle(params, tmp_path / "out", "--attachments", str(elsewhere))
    assert chosen.exit_code == 1 and "is not a PDF" in chosen.output  # read from there


def _bundle_dir(tmp_path: Path, manifest: Any, seals: Any = None) -> Path:
    folder = tmp_path / "arende"
    (folder / "sormland").mkdir(parents=True)
    (folder / "sormland" / "a.pdf").write_bytes(PDF)
    if manifest is not None:
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    seal = {"manifest_sha256": "0" * 64, "files": {}} if seals is None else seals
    (folder / "arenden.json").write_text(json.dumps(seal), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({"documents": [], "attachments": [], "files": 5}, "files: Input should be a valid"),
        ({"documents": [], "attachments": []}, "files: Field required"),
        ([1, 2, 3], "(top level)"),
        (
            {"documents": [], "attachments": [], "files": {"../../etc/passwd": "0" * 64}},
            "is not a plain relative path",
        ),
        ({"documents": [], "attachments": [], "files": {"a": "xyz"}}, "String should match"),
    ],
)
def test_broken_bundle_manifests_give_clear_errors(
    tmp_path: Path, manifest: Any, message: str
) -> None:
    folder = _bundle_dir(tmp_path, manifest)
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 1
    assert "not a valid bundle manifest" in result.output and message in result.output
    assert "Traceback" not in result.output


def test_broken_seal_list(tmp_path: Path) -> None:
    manifest = {"documents": [], "attachments": [], "files": {}}
    folder = _bundle_dir(tmp_path, manifest, seals={"files": 5})
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 1 and "not a valid bundle seal list" in result.output


def test_manifest_that_is_a_folder_or_a_fifo(tmp_path: Path) -> None:
    folder = _bundle_dir(tmp_path, None)
    (folder / "manifest.json").mkdir()
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 1 and "manifest.json: the bundle manifest is not a regular file" in (
        result.output
    )
    (folder / "manifest.json").rmdir()
    os.mkfifo(folder / "manifest.json")
    result = CliRunner().invoke(main, ["verify", str(folder)])  # returns: never opens the FIFO
    assert result.exit_code == 1 and "is not a regular file" in result.output


def test_listed_file_that_is_a_fifo_or_a_link(tmp_path: Path) -> None:
    import hashlib

    sha = hashlib.sha256(PDF).hexdigest()
    manifest = {
        "documents": [],
        "attachments": [],
        "files": {"sormland/a.pdf": sha, "sormland/b.pdf": sha},
    }
    folder = _bundle_dir(tmp_path, manifest)
    raw = (folder / "manifest.json").read_bytes()
    seals = {"manifest_sha256": hashlib.sha256(raw).hexdigest(), "files": {}}
    (folder / "arenden.json").write_text(json.dumps(seals), encoding="utf-8")
    os.mkfifo(folder / "sormland" / "b.pdf")
    (folder / "sormland" / "a.pdf").unlink()
    (folder / "sormland" / "a.pdf").symlink_to("/etc/hostname")
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 1
    assert "changed: sormland/a.pdf (a symbolic link)" in result.output
    assert "changed: sormland/b.pdf (not a regular file)" in result.output


def _old_tree(out: Path) -> None:
    write_tree(out, {"manifest.json": b'{"files": {}}', "old.txt": b"old"})


_KILL = """
import os, sys
from pathlib import Path
from avtal.bundle import tree
{patch}
tree.write_tree(Path(sys.argv[1]), {{"manifest.json": b'{{"files": {{}}}}', "new.txt": b"new"}})
"""


def _run_killed(out: Path, patch: str) -> None:
    code = _KILL.format(patch=patch)
    result = subprocess.run([sys.executable, "-c", code, str(out)], check=False)
    assert result.returncode == 9


def test_bundle_killed_after_the_swap_leaves_the_new_tree(tmp_path: Path) -> None:
    out = tmp_path / "arende"
    _old_tree(out)
    # dies right after the one atomic exchange, before any clean-up
    _run_killed(
        out,
        "real = tree._exchange\n"
        "def swap(a, b):\n"
        "    assert real(a, b)\n"
        "    os._exit(9)\n"
        "tree._exchange = swap",
    )
    assert (out / "new.txt").read_bytes() == b"new"
    write_tree(out, {"manifest.json": b'{"files": {}}', "third.txt": b"3"})
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["arende"]


def test_bundle_killed_between_two_renames_keeps_the_old_tree_visible(tmp_path: Path) -> None:
    out = tmp_path / "arende"
    _old_tree(out)
    # no atomic exchange here: the old tree is renamed first, then the process dies
    _run_killed(
        out,
        "tree._exchange = lambda a, b: False\n"
        "real = os.replace\n"
        "def replace(a, b):\n"
        "    real(a, b)\n"
        "    os._exit(9)\n"
        "os.replace = replace",
    )
    visible = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert [p.name for p in visible] == ["arende.previous"]
    assert (tmp_path / "arende.previous" / "old.txt").read_bytes() == b"old"
    # the next run puts the old tree back first, then replaces it whole
    write_tree(out, {"manifest.json": b'{"files": {}}', "new.txt": b"new"})
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "new.txt"]
    assert not (tmp_path / "arende.previous").exists()
    assert not [p for p in tmp_path.iterdir() if ".avtal-staging-" in p.name]


def test_stale_staging_folders_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "arende"
    stale = tmp_path / ".arende.avtal-staging-abc"
    stale.mkdir()
    (stale / "half.pdf").write_bytes(b"half")
    mine = tmp_path / ".arende-notes"
    mine.mkdir()
    write_tree(out, {"manifest.json": b'{"files": {}}'})
    assert not stale.exists() and mine.is_dir()


@pytest.mark.parametrize("name", ["", ".", ".."])
def test_bundle_folder_must_be_named(tmp_path: Path, name: str) -> None:
    from avtal.errors import OutputError

    with pytest.raises(OutputError):
        write_tree(Path(name) if name else Path(""), {"manifest.json": b"{}"})
