from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"


def foreground() -> None:
    """Give a child process Ctrl-C as a terminal's foreground job has it (``preexec_fn``).

    A signal a process ignores stays ignored across ``exec``, and a shell ignores SIGINT
    in the jobs it starts in the background: a test run started that way would hand its
    children an ignored Ctrl-C, and Python then installs no KeyboardInterrupt handler. A
    blocked signal is inherited the same way, so it is unblocked too.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the compiled-clause cache of the tests out of the user's home."""
    import os

    os.environ["AVTAL_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def example_data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


@pytest.fixture
def write_params(tmp_path: Path, example_data: dict[str, Any]) -> Callable[..., Path]:
    """Write the example, changed by ``change(data)``, to a file in tmp_path."""

    def write(change: Callable[[dict[str, Any]], Any] | None = None, name: str = "p.yaml") -> Path:
        data = copy.deepcopy(example_data)
        if change is not None:
            change(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write
