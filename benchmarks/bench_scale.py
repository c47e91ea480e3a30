"""Scale benchmark: clause count, party count, many variants, and the LibreOffice route.

Run: .venv/bin/python benchmarks/bench_scale.py
Prints how build time grows with the number of clauses (it should be linear), the time for
20 parties and for 100 variants in one command, and avtal's PDF against converting the
DOCX with LibreOffice (skipped, saying so, when soffice is not installed).
"""

from __future__ import annotations

import copy
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
AVTAL = Path(sys.executable).parent / "avtal"

SENTENCES = (
    "Utförande part ska utföra uppgiften med tillbörlig omsorg och i enlighet med Avtalet.",
    "Parterna ska samråda i god tid innan ett beslut fattas som berör en annan Part.",
    "Kostnaderna fördelas enligt den fördelningsnyckel som anges i bilagan till Avtalet.",
    "En Part som upptäcker en brist ska utan dröjsmål underrätta övriga Parter skriftligen.",
)


def timed(fn, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic_library(root: Path, count: int) -> tuple[Path, Path]:
    """``count`` clauses of four points each, and a definition that uses them all."""
    clauses = root / f"clauses-{count}"
    defs = root / f"defs-{count}"
    (clauses / "syntet").mkdir(parents=True)
    defs.mkdir()
    slots = []
    for index in range(count):
        body = "\n\n".join(
            " ".join(SENTENCES[(index + k + j) % 4] for j in range(3))
            + (f" Se även {{{{ ref('syntet.k{(index + 1) % count}') }}}}." if k == 3 else "")
            for k in range(4)
        )
        (clauses / "syntet" / f"k{index}.md").write_text(
            f"---\nid: syntet.k{index}\ntitle: Bestämmelse {index + 1}\nversion: 1.0.0\n"
            f"area: syntet\nforms: [avtalssamverkan]\n---\n{body}\n",
            encoding="utf-8",
        )
        slots.append({"clause": f"syntet.k{index}"})
    definition = {
        "id": "samverkansavtal",
        "forms": ["avtalssamverkan"],
        "file": "samverkansavtal",
        "title": "Samverkansavtal",
        "order": 1,
        "sections": slots,
        "signatures": True,
    }
    (defs / "samverkansavtal.yaml").write_text(yaml.safe_dump(definition), encoding="utf-8")
    (defs / "arbetsordning.yaml").write_text(
        (ROOT / "templates" / "arbetsordning.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return clauses, defs


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def org_numbers(count: int) -> list[str]:
    found, number = [], 2120009000
    while len(found) < count:
        if luhn_ok(str(number)):
            found.append(f"{str(number)[:6]}-{str(number)[6:]}")
        number += 1
    return found


def many_parties(count: int) -> dict:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.pop("matter", None)
    parties = []
    for index, org in enumerate(org_numbers(count)):
        parties.append(
            {
                "id": f"k{index}",
                "name": f"Kommun {index + 1}",
                "org_number": org,
                "kind": "kommun",
                "host": index == 0,
                "seat": f"Ort {index + 1}",
                "signatory": {"name": "Namn Efternamn", "title": "kommunstyrelsens ordförande"},
            }
        )
    data["parties"] = parties
    data["costs"] = {
        "model": "proportional",
        "example_budget": 40000000,
        "basis": {
            "name": "antal invånare",
            "values": {p["id"]: 10000 + 997 * i for i, p in enumerate(parties)},
        },
    }
    data["governance"]["steering_council"]["members"] = [
        {"party": p["id"], "position": "kommundirektör"} for p in parties
    ]
    data["governance"]["steering_council"]["chair"] = "k0"
    data["insight"]["quarterly_reports"]["approved_by"] = [p["id"] for p in parties]
    for matter in data["delegation"]["matters"]:
        matter["employer"] = "k0"
    return data


def main() -> None:
    from pypdf import PdfReader

    from avtal.build import render_documents
    from avtal.project import load_project

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    load_project(EXAMPLE)  # warm imports
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print("\nclauses  pages  build all formats   per clause")
        for count in (25, 50, 100, 200):
            clauses, defs = synthetic_library(root, count)
            project = load_project(EXAMPLE, [clauses], [defs])
            files = render_documents(project.documents)
            pages = len(PdfReader(io.BytesIO(files["samverkansavtal.pdf"])).pages)
            seconds = timed(
                lambda c=clauses, d=defs: render_documents(
                    load_project(EXAMPLE, [c], [d]).documents
                )
            )
            print(
                f"{count:7d}  {pages:5d}  {seconds * 1000:12.0f} ms  "
                f"{seconds * 1000 / count:8.2f} ms"
            )

        params = root / "parties20.yaml"
        params.write_text(yaml.safe_dump(many_parties(20), allow_unicode=True), encoding="utf-8")
        seconds = timed(lambda: render_documents(load_project(params).documents))
        print(f"\n20 parties, both documents, all formats: {seconds * 1000:.0f} ms in process")

        variants = root / "variants"
        variants.mkdir()
        base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
        paths = []
        for index in range(100):
            data = copy.deepcopy(base)
            data["costs"]["shares"] = {"sormland": 50 + index % 10, "vastmanland": 50 - index % 10}
            data["document"]["version"] = f"1.{index}"
            path = variants / f"v{index:03d}.yaml"
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            paths.append(str(path))
        start = time.perf_counter()
        subprocess.run(
            [str(AVTAL), "build", *paths, "-o", str(root / "out100")],
            check=True,
            capture_output=True,
        )
        print(
            f"100 variants in one command (CLI, all formats, {os.cpu_count()} processes): "
            f"{time.perf_counter() - start:.1f} s"
        )

        project = load_project(EXAMPLE)
        files = render_documents(project.documents, ["docx"])
        pdf_seconds = timed(lambda: render_documents(project.documents, ["pdf"]), rounds=5)
        soffice = shutil.which("soffice")
        if soffice is None:
            print("\nLibreOffice route: skipped (soffice not installed)")
            return
        docx = root / "samverkansavtal.docx"
        docx.write_bytes(files["samverkansavtal.docx"])
        (root / "arbetsordning.docx").write_bytes(files["arbetsordning.docx"])
        profile = f"-env:UserInstallation=file://{root}/lo"
        subprocess.run(
            [
                soffice,
                "--headless",
                profile,
                "--convert-to",
                "pdf",
                "--outdir",
                str(root),
                str(docx),
            ],
            check=True,
            capture_output=True,
        )  # first start creates a profile
        lo_seconds = timed(
            lambda: subprocess.run(
                [
                    soffice,
                    "--headless",
                    profile,
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(root / "lo-out"),
                    str(docx),
                    str(root / "arbetsordning.docx"),
                ],
                check=True,
                capture_output=True,
            )
        )
        print(
            f"\nPDF of both documents: avtal (typst) {pdf_seconds * 1000:.0f} ms, "
            f"LibreOffice DOCX→PDF {lo_seconds * 1000:.0f} ms, "
            f"ratio {lo_seconds / pdf_seconds:.0f}×"
        )


if __name__ == "__main__":
    main()
