"""The caches between runs are bounded: the oldest entries go, the ones in use are kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from avtal.clauselib import codecache, diskcache, jinja_env


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AVTAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(jinja_env, "_COMPILED", {})
    monkeypatch.setattr(codecache, "_secrets", {})
    monkeypatch.setattr(codecache, "_pruned", set())
    return tmp_path / "cache"


def _old_entries(folder: Path, suffix: str, count: int) -> list[Path]:
    """``count`` entries written one second apart, a day ago."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"{index:064x}{suffix}"
        path.write_bytes(b"old")
        stamp = 1_700_000_000 + index
        os.utime(path, (stamp, stamp))
        paths.append(path)
    return paths


def test_the_compiled_clause_cache_keeps_its_newest_entries(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(codecache, "MAX_ENTRIES", 8)
    codecache.user_secret(cache / "jinja")  # the folder and its secret, as a first run makes
    old = _old_entries(cache / "jinja", ".bin", 12)
    env = jinja_env.make_environment()
    template = jinja_env.compile_template(env, "Hej {{ namn }}!", "a.md")
    assert "Ada" in jinja_env.render(template, {"namn": "Ada"}, "a.md")
    left = sorted(p.name for p in (cache / "jinja").glob("*.bin"))
    assert len(left) == 6  # three quarters of the limit, the new entry among them
    assert [p.name for p in old if p.exists()] == [p.name for p in old[-5:]]
    assert (cache / "jinja" / "secret").exists()
    digest = codecache._source_digest("a.md", "Hej {{ namn }}!")
    assert codecache.load("a.md", "Hej {{ namn }}!") is not None, digest.hex()
    # Once per process: a second entry does not make the folder shrink again.
    jinja_env._COMPILED.clear()
    jinja_env.compile_template(env, "Hej då {{ namn }}!", "b.md")
    assert len(list((cache / "jinja").glob("*.bin"))) == 7


def test_the_checked_clause_cache_keeps_its_newest_entries(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diskcache, "MAX_ENTRIES", 4)
    old = _old_entries(cache / "checked", ".pickle", 6)
    (cache / "checked" / "unrelated.txt").write_text("kept", encoding="utf-8")
    diskcache.store("probe", ["fine"])
    assert diskcache.load("probe") == ["fine"]
    assert [p.name for p in old if p.exists()] == [old[-2].name, old[-1].name]
    assert (cache / "checked" / "unrelated.txt").exists()
    assert len(list((cache / "checked").glob("*.pickle"))) == 3


def test_an_unbounded_folder_below_the_limit_is_left_alone(cache: Path) -> None:
    old = _old_entries(cache / "checked", ".pickle", 5)
    diskcache.store("probe", ["fine"])
    assert all(p.exists() for p in old)
