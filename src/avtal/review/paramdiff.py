"""Changed parameter values between two versions, as dotted paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParamChange:
    """One changed parameter value."""

    path: str
    old: Any
    new: Any


def _flatten(value: Any, other: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to values; a list item the other side lacks stays one value."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, item in value.items():
            there = other.get(k) if isinstance(other, dict) else None
            out.update(_flatten(item, there, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            there = other[index] if isinstance(other, list) and index < len(other) else None
            path = f"{prefix}[{index}]"
            if there is None and isinstance(item, dict | list):
                out[path] = item
            else:
                out.update(_flatten(item, there, path))
    else:
        out[prefix] = value
    return out


def diff_params(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[ParamChange, ...]:
    """Changed, added and removed parameter values, as dotted paths.

    An added or removed list item (a party, a delegation matter) is one change.
    """
    if old is None or new is None:
        return ()
    a, b = _flatten(old, new), _flatten(new, old)
    return tuple(
        ParamChange(path, a.get(path), b.get(path))
        for path in sorted(set(a) | set(b))
        if a.get(path) != b.get(path)
    )
