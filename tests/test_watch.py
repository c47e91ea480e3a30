from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from avtal.build import build
from avtal.paths import clauses_dir, templates_dir
from avtal.watch import Round, Session, relevant, watch, watched_folders
from conftest import foreground

ALL = [
    "arbetsordning.docx",
    "arbetsordning.md",
    "arbetsordning.pdf",
    "manifest.json",
    "samverkansavtal.docx",
    "samverkansavtal.md",
    "samverkansavtal.pdf",
]
BYLAWS = ["arbetsordning.docx", "arbetsordning.md", "arbetsordning.pdf", "manifest.json"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def new_version(version: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["document"]["version"] = version

    return change


def own_protocol_clause(root: Path, extra: str = "", front: str = "") -> Path:
    """The built-in clause on minutes (used by the bylaws only), as an own clause."""
    text = (clauses_dir() / "arbetsordning" / "protokoll.md").read_text(encoding="utf-8")
    text = text.replace("area: arbetsordning\n", f"area: arbetsordning\n{front}", 1)
    path = root / "arbetsordning" / "protokoll.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_a_rebuild_gives_the_same_files_as_a_fresh_build(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    session = Session(params, tmp_path / "out")
    first = session.build()
    assert first.error is None
    assert sorted(p.name for p in first.written) == ALL
    write_params(new_version("0.95"))
    again = session.build([params])
    assert again.error is None
    # The version and the fingerprint are in both documents: everything is new.
    assert sorted(p.name for p in again.written) == ALL
    assert "Version 0.95" in (tmp_path / "out" / "samverkansavtal.md").read_text(encoding="utf-8")
    build(params, tmp_path / "fresh")
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")


def test_a_clause_edit_renders_only_the_documents_that_use_it(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    own = tmp_path / "egna"
    clause = own_protocol_clause(own)
    out = tmp_path / "out"
    session = Session(params, out, clause_dirs=[own])
    assert session.build().error is None
    before = {p.name: p.stat().st_ino for p in out.iterdir()}
    agreement = snapshot(out)
    clause.write_text(
        clause.read_text(encoding="utf-8").replace("två veckor", "tre veckor"), encoding="utf-8"
    )
    result = session.build([clause])
    assert result.error is None
    assert sorted(p.name for p in result.written) == BYLAWS
    assert "tre veckor" in (out / "arbetsordning.md").read_text(encoding="utf-8")
    for name in ("samverkansavtal.docx", "samverkansavtal.pdf", "samverkansavtal.md"):
        assert (out / name).stat().st_ino == before[name]  # not replaced
        assert (out / name).read_bytes() == agreement[name]
    build(params, tmp_path / "fresh", clause_dirs=[own])
    assert snapshot(out) == snapshot(tmp_path / "fresh")


def test_a_comment_in_the_parameter_file_rewrites_only_the_manifest(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    session = Session(params, tmp_path / "out")
    session.build()
    with params.open("a", encoding="utf-8") as handle:
        handle.write("# en kommentar\n")
    result = session.build([params])
    assert [p.name for p in result.written] == ["manifest.json"]
    assert "the documents are unchanged" not in "\n".join(result.lines())


def larger_default_font(template: Path) -> None:
    """Change the Word template: its first font size one half-point larger."""
    with zipfile.ZipFile(template) as archive:
        items = [(item, archive.read(item.filename)) for item in archive.infolist()]
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in items:
            if item.filename == "word/styles.xml":
                data = re.sub(
                    rb'<w:sz w:val="(\d+)"/>',
                    lambda m: b'<w:sz w:val="%d"/>' % (int(m.group(1)) + 1),
                    data,
                    count=1,
                )
            archive.writestr(item, data)


def test_a_template_edit_renders_that_format_only(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    template = tmp_path / "mall.docx"
    template.write_bytes((templates_dir() / "avtal.docx").read_bytes())
    session = Session(write_params(), tmp_path / "out", docx_template=template)
    session.build()
    before = snapshot(tmp_path / "out")
    larger_default_font(template)
    result = session.build([template])
    assert result.error is None
    assert sorted(p.name for p in result.written) == [
        "arbetsordning.docx",
        "manifest.json",
        "samverkansavtal.docx",
    ]
    after = snapshot(tmp_path / "out")
    assert {n for n in after if after[n] != before[n]} == {p.name for p in result.written}
    assert session.template_formats([template]) == {"docx"}
    assert session.template_formats([templates_dir() / "avtal-lib.typ"]) == {"pdf"}


def test_an_invalid_edit_keeps_the_last_good_outputs(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    out = tmp_path / "out"
    session = Session(params, out)
    session.build()
    good = snapshot(out)
    text = params.read_text(encoding="utf-8")
    params.write_text(text.replace("form: avtalssamverkan", "form: [avtalssamverkan"), "utf-8")
    broken = session.build([params])
    assert broken.error is not None and f"{params}:" in broken.error
    assert broken.written == []
    assert "nothing written" in "\n".join(broken.lines())
    assert snapshot(out) == good
    params.write_text(text.replace("id: sormland", "id: Sörmland!"), "utf-8")
    invalid = session.build([params])
    assert invalid.error is not None and "parties[0].id" in invalid.error
    assert snapshot(out) == good
    params.write_text(text, "utf-8")
    fixed = session.build([params])
    assert fixed.error is None and fixed.written == []  # back to the last good state
    assert snapshot(out) == good


def test_findings_are_printed_when_they_appear_and_counted_when_they_go(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    own = tmp_path / "egna"
    own_protocol_clause(own)
    session = Session(params, tmp_path / "out", clause_dirs=[own])
    assert session.build().new_findings == []
    clause = own_protocol_clause(
        own, "\nMed Protokollsboken avses minnesanteckningarna.\n", "defines: [Protokollsboken]\n"
    )
    result = session.build([clause])
    assert [f.rule for f in result.new_findings] == ["UTK-OANVAND"]
    assert any("Protokollsboken" in line for line in result.lines())
    same = session.build([clause])
    assert same.new_findings == [] and same.resolved == 0  # not printed twice
    own_protocol_clause(own)
    gone = session.build([clause])
    assert gone.resolved == 1 and "1 finding resolved" in gone.lines()


def test_only_the_files_a_build_reads_count_as_changes(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    own = tmp_path / "egna"
    clause = own_protocol_clause(own)
    assert relevant(params, params, [own])
    assert relevant(clause, params, [own])
    assert relevant(own / "egen-definition.yaml", params, [own])
    assert relevant(clauses_dir() / "tvist" / "ny.md", params, [own])
    assert relevant(templates_dir() / "avtal.typ", params, [own])
    assert not relevant(tmp_path / "out" / "samverkansavtal.md", params, [own])
    assert not relevant(tmp_path / "anteckningar.txt", params, [own])
    assert not relevant(clause.with_suffix(".md.swp"), params, [own])
    folders = watched_folders(params, [own])
    assert {tmp_path.resolve(), own.resolve(), clause.parent.resolve()} <= folders
    assert (tmp_path / "out").resolve() not in folders


def next_round(rounds: queue.Queue[Round], done: Callable[[Round], bool]) -> Round:
    """The first of at most five rounds that satisfies ``done`` (a save may take two)."""
    for _ in range(5):
        result = rounds.get(timeout=120)
        if done(result):
            return result
    raise AssertionError("no such round")


def test_watch_rebuilds_on_a_change_and_keeps_the_outputs_on_an_error(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    out = tmp_path / "out"
    rounds: queue.Queue[Round] = queue.Queue()
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(Session(params, out), lines.append, stop, rounds.put), daemon=True
    )
    thread.start()
    try:
        assert rounds.get(timeout=120).error is None
        write_params(new_version("0.96"))
        changed = next_round(rounds, lambda r: r.error is None and bool(r.written))
        assert params.resolve() in [p.resolve() for p in changed.changed]
        assert "Version 0.96" in (out / "arbetsordning.md").read_text(encoding="utf-8")
        good = snapshot(out)
        params.write_text("form: [avtalssamverkan\n", encoding="utf-8")
        failed = next_round(rounds, lambda r: r.error is not None)
        assert "YAML" in (failed.error or "")
        assert any(line.startswith("error: ") for line in lines)
        assert snapshot(out) == good
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()


def test_watch_command_prints_each_rebuild(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    params = write_params()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "avtal", "watch", str(params), "-o", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=foreground,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(x) for x in process.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()

    def wait_for(prefix: str) -> str:
        for _ in range(20):
            line = lines.get(timeout=120)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line starting {prefix!r}")

    try:
        assert str(params) in wait_for("watching ")
        assert "manifest.json" in wait_for("wrote ")
        write_params(new_version("0.97"))
        assert wait_for("changed: ") == "changed: p.yaml\n"
        assert "samverkansavtal.pdf" in wait_for("wrote ")
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        process.wait(timeout=60)
    reader.join(timeout=60)
    assert process.returncode == 0
    rest = "".join(lines.get_nowait() for _ in range(lines.qsize()))
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    assert "Version 0.97" in (tmp_path / "out" / "samverkansavtal.md").read_text(encoding="utf-8")
