"""What keeps a cold start short: lazy imports and checked clauses kept between runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from avtal.clauselib import clauses as clause_module
from avtal.clauselib.clauses import Library
from conftest import EXAMPLE

CLAUSE = """---
id: egen.klausul
title: Egen klausul
version: 1.0.0
area: egen
forms: [avtalssamverkan]
---
Parterna samarbetar.
"""


def loaded_modules(*argv: str) -> set[str]:
    """The modules a CLI run has imported when it ends."""
    code = (
        "import sys\nfrom avtal.cli import main\n"
        f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_help_imports_neither_models_nor_templates_nor_renderers() -> None:
    modules = loaded_modules("--help")
    assert "click" in modules
    for heavy in ("pydantic", "jinja2", "yaml", "docx", "docxtpl", "typst", "avtal.build"):
        assert heavy not in modules


def test_check_imports_no_renderer() -> None:
    modules = loaded_modules("check", str(EXAMPLE))
    assert "avtal.check" in modules and "pydantic" in modules
    for heavy in ("docx", "docxtpl", "docxcompose", "lxml", "typst", "avtal.render.docx"):
        assert heavy not in modules


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AVTAL_CACHE_DIR", str(folder))
    return folder


def cold(root: Path) -> Library:
    """A Library as a new process would load it (the per-process cache emptied)."""
    clause_module._LOADED.clear()
    return Library([root])


def test_checked_clauses_are_kept_and_used_for_exactly_the_same_files(
    tmp_path: Path, cache: Path
) -> None:
    root = tmp_path / "egna"
    path = root / "egen" / "klausul.md"
    path.parent.mkdir(parents=True)
    path.write_text(CLAUSE, encoding="utf-8")
    first = cold(root).clauses["egen.klausul"]
    assert len(list((cache / "checked").glob("*.pickle"))) == 1
    again = cold(root).clauses["egen.klausul"]
    assert (again.meta, again.body, again.sha256) == (first.meta, first.body, first.sha256)
    # Same size and time, other words: the content decides, not the file's time.
    stat = path.stat()
    path.write_text(CLAUSE.replace("samarbetar", "diskuterar"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    changed = cold(root).clauses["egen.klausul"]
    assert changed.body.strip() == "Parterna diskuterar."
    assert changed.sha256 != first.sha256


def test_a_broken_cache_entry_costs_only_time(tmp_path: Path, cache: Path) -> None:
    root = tmp_path / "egna"
    (root / "egen").mkdir(parents=True)
    (root / "egen" / "klausul.md").write_text(CLAUSE, encoding="utf-8")
    cold(root)
    for entry in (cache / "checked").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert cold(root).clauses["egen.klausul"].body.strip() == "Parterna samarbetar."


def test_an_invalid_clause_is_reported_every_time_and_never_kept(
    tmp_path: Path, cache: Path
) -> None:
    root = tmp_path / "egna"
    (root / "egen").mkdir(parents=True)
    (root / "egen" / "klausul.md").write_text(CLAUSE.replace("1.0.0", "ett"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(Exception, match="version"):
            cold(root)
    assert not list((cache / "checked").glob("*.pickle"))


def test_an_empty_cache_setting_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AVTAL_CACHE_DIR", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    root = tmp_path / "egna"
    (root / "egen").mkdir(parents=True)
    (root / "egen" / "klausul.md").write_text(CLAUSE, encoding="utf-8")
    assert cold(root).clauses["egen.klausul"].meta.title == "Egen klausul"
    assert not (tmp_path / ".cache").exists()
