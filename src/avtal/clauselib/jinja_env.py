"""The one Jinja environment of avtal: sandboxed, strict, with Swedish filters.

Clause bodies are the only templates. Parameter values reach the output only through
``{{ … }}`` and are then wrapped in private-use sentinel characters by ``finalize``: the
markup parser treats a wrapped span as literal text, so a value is never parsed as markup
and never rendered as a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import BuiltinMethodType, CodeType, MethodType
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    nodes,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from avtal.clauselib import codecache, textfmt

VALUE_OPEN = "\ue000"
VALUE_CLOSE = "\ue001"
REF_OPEN = "\ue002"
REF_CLOSE = "\ue003"
SENTINELS = VALUE_OPEN + VALUE_CLOSE + REF_OPEN + REF_CLOSE


@dataclass(frozen=True)
class Ref:
    """A cross-reference by clause id (``id`` or ``id#anchor``), resolved after numbering."""

    target: str


class MissingValueError(ValueError):
    """A template printed a value that is ``None``."""


def _finalize(value: Any) -> str:
    if isinstance(value, Ref):
        return f"{REF_OPEN}{value.target}{REF_CLOSE}"
    if value is None:
        raise MissingValueError("printed a value that is not set (none)")
    if isinstance(value, bool):
        raise MissingValueError(f"printed a yes/no value ({value}) as text")
    if isinstance(value, dt.date):
        text = textfmt.datum(value)
    elif isinstance(value, Decimal | int | float):
        try:
            text = textfmt.tal(value)
        except (ArithmeticError, ValueError):
            raise MissingValueError(
                f"cannot print the number {value:.6g}: it is too large or not a number"
            ) from None
    elif callable(value) and not isinstance(value, Undefined):
        raise MissingValueError(f"printed a {type(value).__name__}, not a value")
    else:
        text = str(value)
    # Drop sentinel characters from data: they are reserved for this mechanism.
    text = text.translate({ord(c): None for c in SENTINELS})
    return f"{VALUE_OPEN}{text}{VALUE_CLOSE}"


def _names(parties: Iterable[dict[str, Any]]) -> list[str]:
    return [str(p["name"]) for p in parties]


#: Joins the two ends of a range reference in a Ref's target; clause ids never hold "..".
REF_RANGE = ".."


def _ref(target: str, last: str | None = None) -> Ref:
    """A reference to ``target``, or with ``last`` to the points from ``target`` to ``last``."""
    return Ref(str(target) if last is None else f"{target}{REF_RANGE}{last}")


#: Limits of the sandbox, so that no clause can hang a build or exhaust memory.
MAX_OUTPUT = 500_000  # characters one clause (or title, or condition) may produce
MAX_STEPS = 100_000  # loop iterations and calls in one rendering
MAX_RANGE = 10_000  # items of one range()
MAX_SIZE = 100_000  # characters or items one operation (repetition, replace, join) may make
MAX_INT_BITS = 1_024  # about 300 decimal digits
MAX_ARGUMENT = 100_000  # largest number passed to a method
#: Jinja's built-in filters that cannot amplify their input (center, indent, format,
#: batch, slice, wordwrap and others can, and random is not reproducible).
_SAFE_FILTERS = {
    "abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "groupby",
    "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
    "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr", "sort",
    "string", "sum", "title", "tojson", "trim", "unique", "upper", "wordcount",
}  # fmt: skip
#: Methods a clause may call on data (anything else, e.g. str.ljust or str.format, is
#: refused: each can make a huge string from a small expression).
_SAFE_METHODS = {
    "capitalize", "casefold", "count", "endswith", "find", "get", "index", "isalnum",
    "isalpha", "isdigit", "islower", "isspace", "isupper", "items", "join", "keys",
    "lower", "lstrip", "removeprefix", "removesuffix", "replace", "rfind", "rsplit",
    "rstrip", "split", "startswith", "strip", "title", "upper", "values", "isoformat",
    "weekday", "isoweekday",
}  # fmt: skip
_STEPS_NAME = "_avtal_steps"


class LimitError(ValueError):
    """A clause went past one of the sandbox's limits."""


_budget: ContextVar[list[int] | None] = ContextVar("avtal_budget", default=None)


def _step() -> None:
    budget = _budget.get()
    if budget is not None:
        budget[0] += 1
        if budget[0] > MAX_STEPS:
            raise LimitError(f"takes more than {MAX_STEPS} loop steps and calls")


def _counted(items: Any) -> Iterator[Any]:
    """Wrap the iterable of every ``for`` loop: each iteration is one step."""
    for item in items:
        _step()
        yield item


def _range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise LimitError(f"range() of {len(result)} items; the limit is {MAX_RANGE}")
    return result


def _size(obj: Any) -> int:
    return len(obj) if isinstance(obj, str | list | tuple) else 0


def _replace(text: str, old: str, new: str, count: int | None = None) -> str:
    """``replace`` whose result size is checked before it is made."""
    hits = len(text) + 1 if old == "" else text.count(old)
    if count is not None and count >= 0:
        hits = min(hits, count)
    if len(text) + hits * (len(new) - len(old)) > MAX_SIZE:
        raise LimitError(f"replace() would make more than {MAX_SIZE} characters")
    return text.replace(old, new, -1 if count is None else count)


class _ClauseSandbox(ImmutableSandboxedEnvironment):
    """The sandbox: data is read-only, and size, time and recursion are bounded.

    ``ImmutableSandboxedEnvironment`` refuses methods that change a list, dict or set, so
    a clause cannot change what other clauses see. The operators that can make huge
    values (``*``, ``**``, ``%``) are checked before they run (and are therefore never
    folded at compile time), only a few methods and filters are allowed, and every loop
    iteration and call counts against :data:`MAX_STEPS`.
    """

    intercepted_binops = frozenset({"*", "**", "%"})

    def wrap_str_format(self, value: Any) -> None:
        """``str.format`` is not special here: like other methods, it is refused."""
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        return not isinstance(value, BuiltinMethodType | MethodType) or attr in _SAFE_METHODS

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise LimitError("'%' text formatting is not allowed; use the filters")
        ints = isinstance(left, int) and isinstance(right, int)
        big = ints and right > 0 and right * abs(left).bit_length() > MAX_INT_BITS
        if operator == "**" and big and abs(left) > 1:
            raise LimitError(f"{left} ** {right} is too large a number")
        if operator == "*":
            if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise LimitError("a product is too large a number")
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int) and _size(seq) * times > MAX_SIZE:
                    raise LimitError(f"repetition would make more than {MAX_SIZE} items")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _step()
        values = [*args, *kwargs.values()]
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
                raise LimitError(f"{value} is too large an argument (limit {MAX_ARGUMENT})")
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name == "replace":
            return _replace(owner, *args, **kwargs)
        if isinstance(owner, str) and name == "join" and args:
            items = list(args[0])
            if sum(map(_size, items)) + len(owner) * len(items) > MAX_SIZE:
                raise LimitError(f"join() would make more than {MAX_SIZE} characters")
            return owner.join(items)
        return super().call(__context, __obj, *args, **kwargs)


class _RefuseLoader(BaseLoader):
    """Clauses cannot load other files: every file a document uses is hashed."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        raise TemplateNotFound(f"{template} (clauses cannot include or import files)")


def make_environment(
    search_path: Sequence[Path] = (), *, mark_values: bool = True
) -> SandboxedEnvironment:
    """Create the sandboxed, StrictUndefined environment with every filter registered.

    ``mark_values`` wraps printed values in sentinels for the clause markup parser; the
    Word template (rendered by docxtpl with autoescape on) uses ``mark_values=False``.
    ``search_path`` is accepted for compatibility; nothing is ever loaded from it.
    """
    env = _ClauseSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # "{#name}" marks an anchor in the clause dialect, so Jinja comments are "{## ##}".
        comment_start_string="{##",
        comment_end_string="##}",
        finalize=_finalize if mark_values else None,
        loader=_RefuseLoader(),
    )
    for name in set(env.filters) - _SAFE_FILTERS:
        del env.filters[name]
    env.filters.update(
        replace=_replace,
        datum=textfmt.datum,
        manad=textfmt.manad,
        tal=textfmt.tal,
        kronor=textfmt.kronor,
        procent=textfmt.procent,
        ord=textfmt.ord_,
        lista=textfmt.lista,
        genitiv=textfmt.genitiv,
        dagen_fore=textfmt.dagen_fore,
        dagar_efter=textfmt.dagar_efter,
        gemen=textfmt.gemen,
        names=_names,
        _avtal_condition=_condition,
    )
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals.update(ref=_ref, range=_range)
    env.globals[_STEPS_NAME] = _counted
    return env


def _condition(value: Any) -> str:
    """A ``when:`` condition's value as "1" or "": only data has a yes/no reading."""
    if isinstance(value, Undefined):
        str(value)  # raises: an undefined name in a condition is an error
    if value is None or isinstance(value, bool | int | float | Decimal | str | dt.date):
        return "1" if value else ""
    if isinstance(value, list | tuple | dict):
        return "1" if value else ""
    raise LimitError(f"is not a yes/no value (it is a {type(value).__name__})")


class TemplateProblem(Exception):
    """A clause (or title, or condition) that cannot be compiled or rendered."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_COMPILED: dict[tuple[str, str], CodeType] = {}
_REFUSED = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def _prepare(env: SandboxedEnvironment, source: str, filename: str) -> nodes.Template:
    """Parse, refuse what loads files, and count every loop iteration."""
    tree = env.parse(source, filename=filename)
    for node in tree.find_all(_REFUSED):
        raise TemplateSyntaxError(
            "clauses cannot include, import or extend other files", node.lineno, None, filename
        )
    for name in tree.find_all(nodes.Name):
        if name.name.startswith("_avtal"):
            raise TemplateSyntaxError(f"reserved name {name.name}", name.lineno, None, filename)
    for loop in tree.find_all(nodes.For):
        counter = nodes.Name(_STEPS_NAME, "load", lineno=loop.lineno)
        loop.iter = nodes.Call(counter, [loop.iter], [], None, None, lineno=loop.lineno)
    tree.set_environment(env)
    return tree


def compile_template(env: SandboxedEnvironment, source: str, filename: str) -> Template:
    """Compile ``source`` so that tracebacks and errors carry ``filename`` and its lines.

    Compiling is most of the cost of assembling a document, and every environment made by
    :func:`make_environment` compiles the same source to the same code, so the code is
    kept for the life of the process and, checked, between runs (:mod:`codecache`).
    Raises :class:`TemplateProblem` for a clause that cannot be compiled.
    """
    key = (filename, source)
    code = _COMPILED.get(key)
    if code is None:
        code = codecache.load(filename, source)
        if code is None:
            try:
                code = env.compile(_prepare(env, source, filename), filename=filename)
            except TemplateSyntaxError as exc:
                raise TemplateProblem(exc.message or str(exc), exc.lineno) from None
            except (RecursionError, SyntaxError, MemoryError):
                raise TemplateProblem(
                    "is nested too deeply to compile (brackets, blocks or expressions)", None
                ) from None
            codecache.store(filename, source, code)
        _COMPILED[key] = code
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def render(template: Template, context: dict[str, Any], filename: str) -> str:
    """Render within the sandbox's limits; raise :class:`TemplateProblem` naming the line.

    Every failure of a template is a problem of that clause, whatever its Python type
    (an undefined name, a refused operation, a limit, a division by zero, recursion), so
    all of them end here as one clear error instead of a traceback.
    """
    token = _budget.set([0])
    pieces: list[str] = []
    size = 0
    try:
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise LimitError(f"produces more than {MAX_OUTPUT} characters")
            pieces.append(piece)
    except RecursionError as exc:
        line = template_line(exc, filename)
        raise TemplateProblem(
            "calls itself too deeply (a recursive macro or loop?)", line
        ) from None
    except MemoryError:
        raise TemplateProblem("runs out of memory", None) from None
    except Exception as exc:  # any failure inside a template is the clause's
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        if not isinstance(exc, TemplateError | LimitError | MissingValueError):
            message = f"{type(exc).__name__}: {message}"
        raise TemplateProblem(message, template_line(exc, filename)) from None
    finally:
        _budget.reset(token)
    return "".join(pieces)


def template_line(exc: BaseException, filename: str) -> int | None:
    """The template line at which a render error was raised, if Jinja recorded it."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if isinstance(line, int) else None
