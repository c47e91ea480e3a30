"""The source tree keeps its shape: no module over 400 lines, none importing another that
imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import avtal

PACKAGE = Path(avtal.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The avtal modules ``path`` imports when it is loaded (not inside functions or
    ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    known = {_name(p) for p in MODULES}
    return {name for name in found if name in known and name != _name(path)}


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in MODULES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long


def test_no_two_modules_import_each_other() -> None:
    graph = {_name(p): _imports(p) for p in MODULES}
    assert graph["avtal.build"]  # the walk sees imports
    pairs = sorted(
        (a, b) for a, targets in graph.items() for b in targets if a < b and a in graph.get(b, ())
    )
    # A package's __init__ importing its own modules is how a package is made, not a cycle.
    pairs = [(a, b) for a, b in pairs if not b.startswith(a + ".")]
    assert not pairs
