"""Load and validate a parameter file, reporting every problem at once with file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from avtal.errors import InputError, Problem
from avtal.load.model import Params
from avtal.load.yamlio import LineMap, load_yaml


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _line_for(lines: LineMap, path: str) -> int | None:
    """The line of ``path`` or of its nearest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return lines.get("")


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc``, for spelling suggestions."""
    model: Any = Params
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        model = _inner_model(field.annotation)
        if model is None:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


#: Patterns of the model, said in words (pydantic would print the regular expression).
_PATTERNS_IN_WORDS = {
    r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$": (
        "must be a day of the year written month-day, MM-DD, e.g. 02-15"
    ),
    r"^[a-z][a-z0-9_-]{0,39}$": (
        "must be a short id: a lowercase letter, then lowercase letters, digits, - or _ "
        "(at most 40 characters), e.g. sormland"
    ),
    r"^https://[^\s]+$": "must be a web address starting with https://",
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$": (
        "must be letters, digits, '.', '_' or '-' (at most 40 characters), e.g. DNR-2027-001"
    ),
    r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,15}$": (
        "must be letters, digits, '.' or '-' (at most 16 characters), e.g. \"1.0\""
    ),
    r"^[\w][\w .:/-]*$": (
        "must be letters, digits, spaces, '.', ':', '/' or '-' (at most 40 characters), "
        "e.g. RS-2026-1234"
    ),
    r"^[^/\\][^\\]*\.pdf$": "must be a relative path of a PDF file, e.g. bilagor/utredning.pdf",
    r"^[^@\s]+@[^@\s]+$": "must be an e-mail address, e.g. namn@region.se",
}


def _in_words(kind: str, ctx: dict[str, Any]) -> str | None:
    """A plain-words message for errors whose pydantic wording is technical, or None."""
    if kind.startswith(("date_", "datetime_")):
        return "must be a date written year-month-day, YYYY-MM-DD, e.g. 2027-01-01"
    if kind == "string_pattern_mismatch":
        return _PATTERNS_IN_WORDS.get(str(ctx.get("pattern", "")))
    return None


def problems_from_validation(exc: ValidationError, file: str, lines: LineMap) -> list[Problem]:
    """Turn pydantic errors into located, readable problems."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(
            p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        path = _dotted(loc)
        kind = error["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            message = f"unknown key {key!r}"
            owner = _model_at(loc)
            if owner is not None:
                import difflib  # only for a misspelt key: a valid file's start skips it

                close = difflib.get_close_matches(key, list(owner.model_fields), n=1)
                if close:
                    message += f"; did you mean {close[0]!r}?"
                else:
                    message += f"; allowed keys are {', '.join(owner.model_fields)}"
            problems.append(Problem(file, _line_for(lines, path), path, message))
            continue
        if kind == "missing":
            problems.append(Problem(file, _line_for(lines, path), path, "required key is missing"))
            continue
        worded = _in_words(kind, error.get("ctx") or {})
        if worded is not None:
            problems.append(
                Problem(file, _line_for(lines, path), path, f"{worded} (got {error['input']!r})")
            )
            continue
        message = str(error["msg"]).removeprefix("Value error, ")
        if (kind == "value_error" and "\n" in message) or (
            kind == "value_error" and ": " in message
        ):
            # Cross-field checks report "dotted.path: message" per line.
            for item in message.split("\n"):
                sub, _, text = item.partition(": ")
                if text and all(c.isalnum() or c in "._[]" for c in sub):
                    full = f"{path}.{sub}" if path else sub
                    problems.append(Problem(file, _line_for(lines, full), full, text))
                else:
                    problems.append(Problem(file, _line_for(lines, path), path, item))
            continue
        if (
            "input" in error
            and kind not in ("model_type",)
            and not isinstance(error["input"], dict | list)
        ):
            message += f" (got {error['input']!r})"
        problems.append(Problem(file, _line_for(lines, path), path, message))
    return problems


def validate(data: Any, file: str, lines: LineMap) -> Params:
    """Validate loaded YAML data against the parameter model."""
    try:
        return Params.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, file, lines)
        count = len(problems)
        raise InputError(
            f"{file}: {count} problem{'s' if count != 1 else ''} in the parameter file", problems
        ) from None


def load_params(
    path: Path, text: str | None = None, label: str | None = None
) -> tuple[Params, LineMap]:
    """Load, validate and return a parameter file with its line map.

    ``text`` replaces reading ``path`` (e.g. a file from a git revision); ``label`` is the
    name errors use for it.
    """
    source = Path(label) if label else path
    data, lines = load_yaml(source, text)
    return validate(data, str(source), lines), lines
