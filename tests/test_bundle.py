"""Council-matter bundles and their verification."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from avtal.cli import main
from conftest import EXAMPLE


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("b") / "arende"
    result = CliRunner().invoke(main, ["bundle", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "[1/2] Region Sörmland" in result.output and "[2/2] Region Västmanland" in result.output
    return out


def test_one_matter_per_party(bundled: Path) -> None:
    assert sorted(p.name for p in bundled.iterdir()) == [
        "manifest.json",
        "sormland",
        "sormland.zip",
        "vastmanland",
        "vastmanland.zip",
    ]
    for party in ("sormland", "vastmanland"):
        names = {p.name for p in (bundled / party).iterdir()}
        assert {
            "tjansteskrivelse.docx",
            "tjansteskrivelse.pdf",
            f"arende-{party}.pdf",
            "bilaga-1-samverkansavtal.pdf",
            "bilaga-2-arbetsordning.pdf",
        } <= names


def test_merged_pdf_is_pdfa_with_bookmarks_and_everything(bundled: Path) -> None:
    reader = PdfReader(str(bundled / "sormland" / "arende-sormland.pdf"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part>2<" in xmp and "pdfaid:conformance>B<" in xmp
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [
        "Tjänsteskrivelse",
        "Bilaga 1 – Samverkansavtal",
        "Bilaga 2 – Arbetsordning för Inköpsrådet",
    ]
    assert "/PageLabels" in reader.trailer["/Root"]
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "Innehåll" in text
    assert "Förslag till beslut" in text
    assert "att godkänna samverkansavtal om inköpsverksamheten" in text
    assert (
        "att upplösa den gemensamma inköpsnämnden och upphäva reglementet för inköpsnämnden"
        " med verkan från och med den 31 december 2026" in text
    )
    assert "Ekonomiska konsekvenser" in text and "Juridisk bedömning" in text
    assert "Beslutet skickas till" in text
    assert "15. Personuppgifter" in text  # the agreement
    assert "Inköpsrådets roll" in text or "Roll och ansvar" in text  # the bylaws
    assert text.count("Bilaga 1 RS-RV-INK-2027") >= 10  # every page of the attachment stamped


def test_attachments_are_the_build_outputs(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(out)]).exit_code == 0
    for party in ("sormland", "vastmanland"):
        for number, name in ((1, "samverkansavtal"), (2, "arbetsordning")):
            for ext in ("pdf", "docx", "md"):
                bundled_file = bundled / party / f"bilaga-{number}-{name}.{ext}"
                assert bundled_file.read_bytes() == (out / f"{name}.{ext}").read_bytes()
    manifest = json.loads((bundled / "manifest.json").read_text(encoding="utf-8"))
    built = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["fingerprint"] for d in manifest["documents"]] == [
        d["fingerprint"] for d in built["documents"]
    ]


def test_bundle_is_reproducible(bundled: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert CliRunner().invoke(main, ["bundle", "-q", str(EXAMPLE), "-o", str(again)]).exit_code == 0
    for path in bundled.rglob("*"):
        if path.is_file():
            assert (again / path.relative_to(bundled)).read_bytes() == path.read_bytes(), path


def test_verify_passes_then_fails_on_any_change(bundled: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(bundled, copy)
    runner = CliRunner()
    assert runner.invoke(main, ["verify", str(copy)]).output.strip() == f"{copy}: ok"
    target = copy / "vastmanland" / "tjansteskrivelse.pdf"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    changed = runner.invoke(main, ["verify", str(copy)])
    assert changed.exit_code == 1 and "changed: vastmanland/tjansteskrivelse.pdf" in changed.output
    shutil.rmtree(copy)
    shutil.copytree(bundled, copy)
    (copy / "sormland" / "extra.txt").write_text("x", encoding="utf-8")
    (copy / "vastmanland.zip").unlink()
    result = runner.invoke(main, ["verify", str(copy)])
    assert result.exit_code == 1
    assert "extra: sormland/extra.txt" in result.output
    assert "missing: vastmanland.zip" in result.output


def test_missing_matter_data_names_the_party(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    def change(d: dict[str, Any]) -> None:
        del d["matter"]["parties"][1]["diarienummer"]

    params = write_params(change)
    out = tmp_path / "arende"
    result = CliRunner().invoke(main, ["bundle", str(params), "-o", str(out)])
    assert result.exit_code == 1
    assert (
        "matter.parties[1].diarienummer: missing for Region Västmanland (vastmanland)"
        in result.output
    )
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [params.name]


def test_no_matter_at_all(write_params: Callable[..., Path], tmp_path: Path) -> None:
    params = write_params(lambda d: d.pop("matter"))
    result = CliRunner().invoke(main, ["bundle", str(params), "-o", str(tmp_path / "a")])
    assert result.exit_code == 1
    assert (
        "no matter data; add `matter:` to the parameter file or pass --matter FILE" in result.output
    )


def test_extra_attachment_and_json_summary(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    from avtal.build import render_documents
    from avtal.project import load_project

    pdf = render_documents(load_project(EXAMPLE).documents[1:], ["pdf"])["arbetsordning.pdf"]
    (tmp_path / "utredning.pdf").write_bytes(pdf)

    def change(d: dict[str, Any]) -> None:
        d["matter"]["attachments"] = [
            {"title": "Utredning om samverkansform", "file": "utredning.pdf"}
        ]

    params = write_params(change)
    out = tmp_path / "arende"
    result = CliRunner().invoke(main, ["bundle", "--format", "json", str(params), "-o", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{") :])
    assert [p["folder"] for p in summary["parties"]] == ["sormland", "vastmanland"]
    assert (out / "sormland" / "bilaga-3-utredning.pdf").read_bytes() == pdf
    text = " ".join(
        (p.extract_text() or "")
        for p in PdfReader(str(out / "sormland" / "arende-sormland.pdf")).pages
    )
    assert "Bilaga 3: Utredning om samverkansform" in " ".join(text.split())
    assert CliRunner().invoke(main, ["verify", str(out)]).exit_code == 0


def test_bundle_never_replaces_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "samverkansavtal.docx").write_bytes(b"a lawyer's edited copy")
    result = CliRunner().invoke(main, ["bundle", "-q", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 1
    assert "exists and is not an avtal bundle" in result.output
    assert (out / "samverkansavtal.docx").read_bytes() == b"a lawyer's edited copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_bundle_replaces_an_earlier_bundle(bundled: Path, tmp_path: Path) -> None:
    import shutil

    out = tmp_path / "arende"
    shutil.copytree(bundled, out)
    (out / "sormland" / "stale.txt").write_text("old", encoding="utf-8")
    assert CliRunner().invoke(main, ["bundle", "-q", str(EXAMPLE), "-o", str(out)]).exit_code == 0
    assert not (out / "sormland" / "stale.txt").exists()
    assert CliRunner().invoke(main, ["verify", str(out)]).exit_code == 0
