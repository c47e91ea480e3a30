"""Where the fingerprint is printed: on drafts always, on a final version only when asked."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
from click.testing import CliRunner
from pypdf import PdfReader

from avtal.cli import main


def _final(data: dict[str, object]) -> None:
    data["document"]["status"] = "slutlig"  # type: ignore[index]


def _build(params: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["build", str(params), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _printed(out: Path) -> dict[str, bool]:
    """Whether the word "Fingeravtryck" is printed in each format of the agreement."""
    archive = zipfile.ZipFile(out / "samverkansavtal.docx")
    docx_text = (
        archive.read("word/document.xml").decode() + archive.read("word/footer1.xml").decode()
    )
    pages = PdfReader(out / "samverkansavtal.pdf").pages
    return {
        "md": "Fingeravtryck" in (out / "samverkansavtal.md").read_text(encoding="utf-8"),
        "docx": "Fingeravtryck" in docx_text,
        "pdf": any("Fingeravtryck" in (p.extract_text() or "") for p in pages),
    }


def _metadata_has_fingerprint(out: Path) -> None:
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    fingerprint = next(
        d["fingerprint"] for d in manifest["documents"] if d["file"] == "samverkansavtal"
    )
    custom = zipfile.ZipFile(out / "samverkansavtal.docx").read("docProps/custom.xml").decode()
    assert fingerprint in custom
    with pikepdf.open(out / "samverkansavtal.pdf") as pdf:
        assert fingerprint in str(pdf.open_metadata())


def test_a_draft_prints_the_fingerprint_in_every_format(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    out = tmp_path / "out"
    _build(write_params(), out)
    printed = _printed(out)
    assert printed["md"] and printed["docx"] and printed["pdf"]
    _metadata_has_fingerprint(out)


def test_a_final_version_keeps_it_in_the_metadata_only(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    out = tmp_path / "out"
    _build(write_params(_final), out)
    printed = _printed(out)
    assert not printed["md"] and not printed["docx"] and not printed["pdf"]
    _metadata_has_fingerprint(out)


def test_show_fingerprint_prints_it_on_a_final_version(
    tmp_path: Path, write_params: Callable[..., Path]
) -> None:
    out = tmp_path / "out"
    _build(write_params(_final), out, "--show-fingerprint")
    printed = _printed(out)
    assert printed["md"] and printed["docx"] and printed["pdf"]
    _metadata_has_fingerprint(out)
