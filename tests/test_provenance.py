"""Fingerprints, the build manifest and the clause lock."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from avtal.cli import main
from avtal.project import load_project
from conftest import ROOT


def prints(params: Path, *clause_dirs: Path) -> list[str]:
    return [d.fingerprint for d in load_project(params, clause_dirs).documents]


def test_fingerprint_stable_and_sensitive(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    base = prints(write_params())
    assert base == prints(write_params())
    assert all(p.startswith("sha256:") and len(p) == 71 for p in base)
    changed = prints(write_params(lambda d: d["term"].update(notice_months=6), name="q.yaml"))
    assert changed[0] != base[0] and changed[1] != base[1]
    root = tmp_path / "egna" / "tvister"
    root.mkdir(parents=True)
    text = (ROOT / "clauses" / "tvister" / "avtalssamverkan.md").read_text(encoding="utf-8")
    (root / "avtalssamverkan.md").write_text(
        text.replace("Svensk rätt", "Svensk lag"), encoding="utf-8"
    )
    with_clause = prints(write_params(), tmp_path / "egna")
    assert with_clause[0] != base[0]
    assert with_clause[1] == base[1]  # the bylaws do not use that clause


def test_fingerprint_in_docx_pdf_and_text(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(params), "-o", str(out)]).exit_code == 0
    fingerprint = load_project(params).documents[0].fingerprint
    custom = zipfile.ZipFile(out / "samverkansavtal.docx").read("docProps/custom.xml").decode()
    assert 'name="avtal-fingerprint"' in custom and fingerprint in custom
    reader = PdfReader(str(out / "samverkansavtal.pdf"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert fingerprint in xmp
    short = fingerprint[7:19]
    assert f"Fingeravtryck {short}" in (out / "samverkansavtal.md").read_text(encoding="utf-8")
    assert f"Fingeravtryck {short}" in (reader.pages[0].extract_text() or "")


def test_manifest_lists_inputs_clauses_and_output_hashes(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(params), "-o", str(out)]).exit_code == 0
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["tool"]["name"] == "avtal"
    assert data["input"]["params_sha256"] == hashlib.sha256(params.read_bytes()).hexdigest()
    for name, digest in data["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert set(data["outputs"]) == {p.name for p in out.iterdir()} - {"manifest.json"}
    first = data["documents"][0]
    assert first["file"] == "samverkansavtal"
    assert {"id": "avtalssamverkan.revision", "version": "1.1.0"}.items() <= next(
        c for c in first["clauses"] if c["id"] == "avtalssamverkan.revision"
    ).items()


def test_lock_and_frozen_build(write_params: Callable[..., Path], tmp_path: Path) -> None:
    params = write_params()
    runner = CliRunner()
    out = tmp_path / "out"
    missing = runner.invoke(main, ["build", "--frozen", str(params), "-o", str(out)])
    assert missing.exit_code == 1 and "no clause lock; run `avtal lock" in missing.output
    result = runner.invoke(main, ["lock", str(params)])
    assert result.exit_code == 0
    lock = params.with_name(params.name + ".lock")
    assert result.output.strip() == str(lock)
    locked = json.loads(lock.read_text(encoding="utf-8"))["clauses"]
    source = (ROOT / "clauses" / "tvister" / "avtalssamverkan.md").read_text(encoding="utf-8")
    version = source.split("\nversion: ", 1)[1].split("\n", 1)[0]
    assert locked["avtalssamverkan.tvister"]["version"] == version
    assert (
        runner.invoke(
            main, ["build", "--frozen", str(params), "-o", str(out), "--format", "md"]
        ).exit_code
        == 0
    )

    clauses = tmp_path / "egna"
    shutil.copytree(ROOT / "clauses" / "tvister", clauses / "tvister")
    path = clauses / "tvister" / "avtalssamverkan.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEtt nytt stycke.\n", encoding="utf-8")
    out2 = tmp_path / "out2"
    changed = runner.invoke(
        main, ["build", "--frozen", str(params), "-o", str(out2), "--clauses", str(clauses)]
    )
    assert changed.exit_code == 1
    assert "the clause library changed since the lock" in changed.output
    assert (
        f"avtalssamverkan.tvister: text changed since the lock (version {version})"
        in changed.output
    )
    assert not out2.exists()


def test_docx_custom_properties_are_deterministic(write_params: Callable[..., Path]) -> None:
    from avtal.build import render_documents

    project = load_project(write_params())
    one = render_documents(project.documents, ["docx"])
    two = render_documents(project.documents, ["docx"])
    assert one == two
    names = zipfile.ZipFile(io.BytesIO(one["samverkansavtal.docx"])).namelist()
    assert "docProps/custom.xml" in names


def test_lock_covers_document_definitions(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    runner = CliRunner()
    assert runner.invoke(main, ["lock", str(params)]).exit_code == 0
    locked = json.loads(params.with_name(params.name + ".lock").read_text(encoding="utf-8"))
    assert locked["lock_version"] == 2
    assert set(locked["definitions"]) == {"samverkansavtal", "arbetsordning"}
    # The same clauses in another order: only the definition changed.
    own = tmp_path / "egna"
    own.mkdir()
    text = (ROOT / "templates" / "arbetsordning.yaml").read_text(encoding="utf-8")
    (own / "arbetsordning.yaml").write_text(
        text.replace('title: "Arbetsordning för', 'title: "Arbetsordningen för'), encoding="utf-8"
    )
    out = tmp_path / "out"
    changed = runner.invoke(
        main, ["build", "--frozen", str(params), "-o", str(out), "--clauses", str(own)]
    )
    assert changed.exit_code == 1, changed.output
    assert "document arbetsordning: its definition" in changed.output
    assert "samverkansavtal" not in changed.output.split("changed since the lock:")[1]
    assert not out.exists()
