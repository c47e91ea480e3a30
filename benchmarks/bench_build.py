"""Benchmark the example build: per format in process, as a CLI process, and --help start-up.

Run: .venv/bin/python benchmarks/bench_build.py [--rounds N]
Prints median times; the README quotes them with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
AVTAL = Path(sys.executable).parent / "avtal"


def median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds

    from avtal.build import render_documents
    from avtal.project import load_project

    project = load_project(EXAMPLE)
    render_documents(project.documents)  # warm imports and typst fonts

    rows = [("load + assemble (both documents)", median_ms(lambda: load_project(EXAMPLE), rounds))]
    for fmt in ("md", "docx", "pdf"):
        rows.append(
            (
                f"render {fmt} (both documents)",
                median_ms(lambda f=fmt: render_documents(project.documents, [f]), rounds),
            )
        )
    rows.append(
        (
            "full build in process, all formats",
            median_ms(lambda: render_documents(load_project(EXAMPLE).documents), rounds),
        )
    )
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "NO_COLOR": "1"}
        rows.append(
            (
                "CLI process: avtal build (all formats)",
                median_ms(
                    lambda: subprocess.run(
                        [str(AVTAL), "build", str(EXAMPLE), "-o", out],
                        check=True,
                        capture_output=True,
                        env=env,
                    ),
                    max(5, rounds // 3),
                ),
            )
        )
        rows.append(
            (
                "CLI process: avtal --help",
                median_ms(
                    lambda: subprocess.run(
                        [str(AVTAL), "--help"], check=True, capture_output=True, env=env
                    ),
                    max(5, rounds // 3),
                ),
            )
        )

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    width = max(len(name) for name, _ in rows)
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:8.1f} ms")


if __name__ == "__main__":
    main()
