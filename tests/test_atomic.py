"""Interrupted builds leave the previous outputs intact: all old files or all new ones."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE

AVTAL = [sys.executable, "-m", "avtal"]


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("delay", [0.15, 0.35, 0.55, 0.75, 0.95])
def test_sigterm_mid_build_leaves_previous_outputs(tmp_path: Path, delay: float) -> None:
    out = tmp_path / "out"
    old_params = tmp_path / "old.yaml"
    old_params.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('version: "0.9"', 'version: "0.8"'),
        encoding="utf-8",
    )
    subprocess.run(
        [*AVTAL, "build", str(old_params), "-o", str(out)], check=True, capture_output=True
    )
    before = digests(out)
    process = subprocess.Popen(
        [*AVTAL, "build", str(EXAMPLE), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    after = digests(out)
    # Never a staging folder left behind, never a mix of old and new files.
    assert sorted(after) == sorted(before)
    if after != before:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert {k: v for k, v in after.items() if k != "manifest.json"} == manifest["outputs"]
        assert all(after[name] != before[name] for name in manifest["outputs"])
    assert not [p for p in out.iterdir() if p.name.startswith(".avtal-")]
