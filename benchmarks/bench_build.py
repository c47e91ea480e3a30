"""Benchmark the flagship example side by side: CLI, in process, renderers, watch, LibreOffice.

Run: .venv/bin/python benchmarks/bench_build.py [--rounds N] [--no-soffice]

Every figure is the median of several runs, printed with its goal. "Cold" means a new
process, with the cache folder as any earlier run leaves it (like ``__pycache__``): the
compiled clauses, the checked clause files and the compiled Word template, each kept under
the exact content it was made from. The machine's load average is printed before and
after: on a shared machine the figures are only as good as the machine was idle.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
AVTAL = Path(sys.executable).parent / "avtal"
ENV = {**os.environ, "NO_COLOR": "1"}


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(*args: str) -> Callable[[], object]:
    return lambda: subprocess.run(args, check=True, capture_output=True, env=ENV)


def process_ms(commands: dict[str, list[str]], rounds: int) -> dict[str, tuple[float, float]]:
    """Median wall time and median CPU time (user + system, all threads) of each command.

    The commands take turns, round by round, so that a change in the machine's load falls
    on all of them alike and the differences between them stay meaningful.
    """
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, args in commands.items():
            start = time.perf_counter()
            child = subprocess.Popen(
                args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
            )
            _, status, usage = os.wait4(child.pid, 0)
            walls[name].append((time.perf_counter() - start) * 1000)
            cpus[name].append((usage.ru_utime + usage.ru_stime) * 1000)
            if status != 0:
                raise SystemExit(f"{' '.join(args)} failed")
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in commands
    }


#: What every command needs before any of avtal's own code runs: the interpreter, and the
#: libraries the design asks for (a pydantic model, a sandboxed Jinja environment, a YAML
#: reader, click). Timed beside avtal so that its goals can be read against this floor.
FLOOR_CHECK = (
    "import click, yaml, jinja2.sandbox; from pydantic import BaseModel, ConfigDict, Field"
)


def cli_figures(rounds: int, out: Path) -> dict[str, tuple[float, float]]:
    # Bytecode as an installed package has it (pip compiles it on install): with
    # PYTHONDONTWRITEBYTECODE set, a source checkout would compile every module anew in
    # every process, and the figures would time the compiler.
    import avtal

    compileall.compile_dir(Path(avtal.__file__).parent, quiet=1)
    run(str(AVTAL), "build", str(EXAMPLE), "-o", str(out))()  # the on-disk cache
    python = sys.executable
    return process_ms(
        {
            "build": [str(AVTAL), "build", str(EXAMPLE), "-o", str(out)],
            "check": [str(AVTAL), "check", str(EXAMPLE)],
            "help": [str(AVTAL), "--help"],
            "python": [python, "-c", "pass"],
            "python+click": [python, "-c", "import click"],
            "python+stack": [python, "-c", FLOOR_CHECK],
        },
        rounds,
    )


def in_process_figures(rounds: int, out: Path) -> dict[str, float]:
    from avtal.build import build, render_documents
    from avtal.project import load_project
    from avtal.render.docx import render_docx
    from avtal.render.markdown import render_markdown
    from avtal.render.pdf import render_pdf

    build(EXAMPLE, out)  # warm: imports, typst fonts, caches
    project = load_project(EXAMPLE)
    figures = {
        "build": median_ms(lambda: build(EXAMPLE, out), rounds),
        "load": median_ms(lambda: load_project(EXAMPLE), rounds),
        "render": median_ms(lambda: render_documents(project.documents), rounds),
    }
    for doc in project.documents:
        figures[f"docx {doc.file}"] = median_ms(lambda d=doc: render_docx(d), rounds)
        figures[f"pdf {doc.file}"] = median_ms(lambda d=doc: render_pdf(d), rounds)
        figures[f"md {doc.file}"] = median_ms(lambda d=doc: render_markdown(d), rounds)
    return figures


def watch_figures(rounds: int, folder: Path) -> dict[str, float]:
    """Rebuild after an edit of the parameter file: the rebuild, and save to written."""
    from avtal.watch import Round, Session, watch

    params = folder / "params.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    params.write_text(text, encoding="utf-8")
    session = Session(params, folder / "out")
    results: queue.Queue[Round] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(session, lambda _line: None, stop, results.put), daemon=True
    )
    thread.start()
    results.get(timeout=120)
    rebuilds, latencies = [], []
    try:
        for index in range(rounds):
            version = f'version: "0.9.{index}"'
            saved = time.perf_counter()
            params.write_text(text.replace('version: "0.9"', version), encoding="utf-8")
            while True:
                result = results.get(timeout=120)
                if result.written and result.error is None:
                    break
            latencies.append((time.perf_counter() - saved) * 1000)
            rebuilds.append(result.seconds * 1000)
    finally:
        stop.set()
        thread.join(timeout=60)
    return {"rebuild": statistics.median(rebuilds), "latency": statistics.median(latencies)}


def soffice_ms(rounds: int, out: Path) -> float | None:
    """LibreOffice converting the example's two DOCX files to PDF, one process, both files."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    docx = sorted(out.glob("*.docx"))
    profile = Path(tempfile.mkdtemp(prefix="avtal-bench-lo-"))
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",  # own profile: no running instance
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out / "lo"),
        *map(str, docx),
    ]
    try:
        run(*command)()  # the first start creates the profile
        return median_ms(run(*command), rounds)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--no-soffice", action="store_true")
    args = parser.parse_args()
    rounds = args.rounds
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cli = cli_figures(rounds, work / "cli")
        office = None if args.no_soffice else soffice_ms(max(3, rounds // 3), work / "cli")
        inproc = in_process_figures(rounds, work / "inproc")
        watched = watch_figures(rounds, work)
    load_after = os.getloadavg()

    docs = [k.removeprefix("docx ") for k in inproc if k.startswith("docx ")]
    rows: list[tuple[str, float | None, float | None]] = [
        ("CLI: avtal build, cold process (2 documents, 3 formats)", cli["build"][0], 450),
        ("  of it beyond avtal check: render and write", cli["build"][0] - cli["check"][0], None),
        ("CLI: avtal check, cold process", cli["check"][0], 250),
        ("CLI: avtal --help", cli["help"][0], 60),
        ("floor: Python starting, nothing imported", cli["python"][0], None),
        ("floor: Python starting and importing click", cli["python+click"][0], None),
        ("floor: Python starting and importing the stack", cli["python+stack"][0], None),
        ("  avtal check beyond that floor", cli["check"][0] - cli["python+stack"][0], None),
        ("in process: build() (load, check, render, write)", inproc["build"], 120),
        ("  load and assemble both documents", inproc["load"], None),
        ("  render both documents, all formats", inproc["render"], None),
    ]
    for doc in docs:
        rows.append((f"  render DOCX {doc}", inproc[f"docx {doc}"], 40))
        rows.append((f"  render PDF {doc}", inproc[f"pdf {doc}"], None))
        rows.append((f"  render Markdown {doc}", inproc[f"md {doc}"], None))
    rows += [
        ("watch: rebuild after a parameter edit", watched["rebuild"], 150),
        ("watch: from the save to the files written", watched["latency"], None),
        ("LibreOffice: both DOCX to PDF (soffice --headless)", office, None),
    ]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f}; median of {rounds} runs"
    )
    width = max(len(name) for name, _, _ in rows)
    for name, ms, goal in rows:
        if ms is None:
            print(f"{name:<{width}}       n/a")
            continue
        verdict = (
            "" if goal is None else f"  goal ≤ {goal} ms: {'met' if ms <= goal else 'NOT met'}"
        )
        print(f"{name:<{width}}  {ms:8.1f} ms{verdict}")
    print(
        "CPU time (user + system) of the CLI processes, less sensitive to a busy machine: "
        + ", ".join(f"{name} {cpu:.0f} ms" for name, (_, cpu) in cli.items())
    )
    print(f"the stack: {FLOOR_CHECK}")
    if office is not None:
        ratio = office / cli["build"][0]
        verdict = "met" if ratio >= 3 else "NOT met"
        print(f"LibreOffice PDF only / whole avtal CLI build: {ratio:.1f}x  goal ≥ 3x: {verdict}")


if __name__ == "__main__":
    main()
