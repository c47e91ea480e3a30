"""Write parameter data as a commented YAML file, each key explained.

The explanations are those of the form's starter file (``templates/starters/FORM.yaml``), so
that a file written from answers reads like the starter a user would otherwise edit; a key
the starter does not have is explained by the model's field description. PyYAML cannot
write comments, and ruamel.yaml would be a second YAML library beside the loader, so this
small writer emits block YAML itself and quotes every scalar with PyYAML; the caller loads
the result again and compares it with the data, so a quoting mistake cannot go unnoticed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import textwrap
from decimal import Decimal
from typing import Any

import yaml
from pydantic import BaseModel

from avtal.load.model import Params
from avtal.load.params import _inner_model

#: Width of a folded text line, indentation included.
WIDTH = 92


class Comments:
    """What a starter says about its keys, by key path without list indices (``parties[].name``).

    ``inline``: the comment on a key's line; ``above``: the comment lines right above a key;
    ``flow``: mappings (and list items, as ``path[]``) the starter writes on one line.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.inline: dict[str, str] = {}
        self.above: dict[str, list[str]] = {}
        self.flow: set[str] = set()
        self.keys: set[str] = set()
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None:
            self._walk(root, "")

    def add(self, other: Comments) -> None:
        """Take ``other``'s explanations of the keys this one does not explain."""
        for key, note in other.inline.items():
            if key not in self.inline and key not in self.above:
                self.inline[key] = note
        for key, lines in other.above.items():
            if key not in self.inline and key not in self.above:
                self.above[key] = lines
        self.flow |= {key for key in other.flow if key.removesuffix("[]") not in self.keys}

    def _note(self, line: int) -> str | None:
        _, hash_, comment = self.lines[line].partition(" # ")
        return comment.strip() if hash_ else None

    def _walk(self, node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = f"{path}.{key.value}" if path else str(key.value)
                self.keys.add(here)
                line = key.start_mark.line
                note = self._note(line)
                if note and here not in self.inline:
                    self.inline[here] = note
                block: list[str] = []
                index = line - 1
                while index >= 0 and self.lines[index].strip().startswith("#"):
                    block.insert(0, self.lines[index].strip().lstrip("#").strip())
                    index -= 1
                if block and index >= 0 and here not in self.above:
                    self.above[here] = block
                if isinstance(value, yaml.MappingNode | yaml.SequenceNode) and value.flow_style:
                    self.flow.add(here)
                self._walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.MappingNode) and item.flow_style:
                    self.flow.add(path + "[]")
                    note = self._note(item.start_mark.line)
                    if note and path + "[]" not in self.inline:
                        self.inline[path + "[]"] = note
                self._walk(item, path + "[]")


def model_description(path: str) -> str | None:
    """The description of the model field at a dotted key path, if it has one."""
    model: type[BaseModel] | None = Params
    field = None
    for part in path.replace("[]", "").split("."):
        if model is None:
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return field.description if field is not None else None


def _is_model_mapping(path: str) -> bool:
    """Whether ``path`` is a mapping of the model (keys fixed), not a free dict such as shares."""
    model: type[BaseModel] | None = Params
    for part in path.replace("[]", "").split("."):
        if model is None:
            return False
        field = model.model_fields.get(part)
        if field is None:
            return False
        model = _inner_model(field.annotation)
    return model is not None


def scalar(value: Any, flow: bool = False) -> str:
    """One YAML scalar on one line, quoted where plain text would read as another type.

    ``flow``: inside ``{...}`` or ``[...]``, where a comma or a bracket also needs quotes.
    """
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    dumped = yaml.safe_dump(
        [value] if flow else {"k": value},
        allow_unicode=True,
        default_flow_style=flow,
        width=1_000_000,
    ).rstrip("\n")
    written = dumped[1:-1] if flow else dumped.removeprefix("k: ")
    if "\n" in written:
        # A line break in the value: a JSON string is a valid double-quoted YAML scalar.
        return json.dumps(value, ensure_ascii=False)
    return written


def _scalars(values: list[Any]) -> bool:
    """Whether a list holds only short scalars, to be written on one line."""
    return all(isinstance(v, str | int) and len(str(v)) < 40 for v in values)


def _flow(data: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in data.items()) + "}"


class Writer:
    """Renders nested dicts and lists as block YAML, explaining each key once."""

    def __init__(self, comments: Comments) -> None:
        self.comments = comments
        self.out: list[str] = []

    def note(self, path: str) -> str | None:
        """The explanation of one key: the starter's, else the model's."""
        return self.comments.inline.get(path) or model_description(path)

    def emit(self, text: str, path: str | None) -> None:
        """One line, with the explanation of ``path`` after it."""
        note = self.note(path) if path else None
        self.out.append(f"{text}  # {note}" if note else text)

    def mapping(self, data: dict[str, Any], indent: int, path: str, first: bool = True) -> None:
        """A block mapping; ``first`` is false in the later items of a list (explained once)."""
        pad = " " * indent
        for key, value in data.items():
            here = f"{path}.{key}" if path else key
            above = self.comments.above.get(here) if first else None
            if not path and self.out:
                self.out.append("")
            if above and (not path or here not in self.comments.inline):
                self.out.extend(f"{pad}# {line}".rstrip() for line in above)
            told = here if first and (not above or not path) else None
            if isinstance(value, dict) and (
                here in self.comments.flow or not _is_model_mapping(here)
            ):
                self.emit(f"{pad}{key}: {_flow(value)}", told)
            elif isinstance(value, dict):
                self.emit(f"{pad}{key}:", told)
                self.mapping(value, indent + 2, here, first)
            elif isinstance(value, list) and here in self.comments.flow and _scalars(value):
                self.emit(f"{pad}{key}: [{', '.join(scalar(v, flow=True) for v in value)}]", told)
            elif isinstance(value, list) and value:
                self.emit(f"{pad}{key}:", told)
                for number, item in enumerate(value):
                    self.item(item, indent + 2, here + "[]", first and number == 0)
            elif isinstance(value, list):
                self.emit(f"{pad}{key}: []", told)
            else:
                self.text(f"{pad}{key}: ", value, told)

    def item(self, item: Any, indent: int, path: str, first: bool) -> None:
        """One list item: a scalar, a one-line mapping or a block mapping."""
        pad = " " * indent
        if not isinstance(item, dict):
            self.text(f"{pad}- ", item, None)
        elif path in self.comments.flow:
            self.emit(f"{pad}- {_flow(item)}", path if first else None)
        else:
            start = len(self.out)
            self.mapping(item, indent + 2, path, first)
            self.out[start] = f"{pad}- " + self.out[start][indent + 2 :]

    def text(self, lead: str, value: Any, path: str | None) -> None:
        """A scalar; long text as a folded block (``>-``) wrapped at :data:`WIDTH`."""
        written = scalar(value)
        if isinstance(value, str) and len(lead) + len(written) > WIDTH and written == value:
            self.emit(f"{lead}>-", path)
            indent = " " * (len(lead) - len(lead.lstrip(" -")) + 2)
            wrapped = textwrap.wrap(
                value, WIDTH - len(indent), break_long_words=False, break_on_hyphens=False
            )
            self.out.extend(indent + line for line in wrapped)
            return
        self.emit(lead + written, path)


@functools.cache
def form_comments(form: str) -> Comments:
    """The explanations for a file of ``form``: its own starter's first, then the others'.

    A key the form's starter lacks (disputes, say) is explained as another starter does.
    """
    from avtal.load.model import FORMS
    from avtal.paths import templates_dir

    def read(name: str) -> Comments:
        text = (templates_dir() / "starters" / f"{name}.yaml").read_text(encoding="utf-8")
        return Comments(text)

    comments = read(form)
    for other in FORMS:
        if other != form:
            comments.add(read(other))
    return comments


def commented_yaml(data: dict[str, Any], header: list[str]) -> str:
    """``data`` (of one form) as YAML under ``header``, every key explained."""
    writer = Writer(form_comments(str(data["form"])))
    writer.out.extend(f"# {line}".rstrip() for line in header)
    writer.mapping(data, 0, "")
    return "\n".join(writer.out) + "\n"
