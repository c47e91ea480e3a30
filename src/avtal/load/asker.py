"""Asking one question at a time on the terminal, each answer checked as it is typed.

Answers are checked with the model's own types (an organisation number with its check digit,
a party id, a text without control characters), so a wrong answer is asked again at once
rather than reported by ``avtal check`` later. ``?`` prints a question's help.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

import click
from pydantic import BaseModel, TypeAdapter, ValidationError

from avtal.load.model import Name, Text
from avtal.load.params import _in_words

T = TypeVar("T")

#: Organisation number prefixes and the kind of body they belong to.
PREFIXES = (
    ("212000", "kommun"),
    ("232100", "region"),
    ("222000", "kommunalforbund"),
    ("5", "bolag"),
)
KIND_WORDS = {
    "kommun": "a kommun (212000-…)",
    "region": "a region (232100-…)",
    "kommunalforbund": "a kommunalförbund (222000-…)",
    "bolag": "an aktiebolag (5…)",
}
FORM_WORDS = {
    "avtalssamverkan": "an avtalssamverkan",
    "gemensam_namnd": "a gemensam nämnd",
    "kommunalforbund": "a kommunalförbund",
    "bolag": "a co-owned company",
}

HELP_KEYS = "Press Enter to take the default in [brackets]; answer ? for help on a question."


def kind_of(org_number: str) -> str | None:
    """The kind of body an organisation number belongs to, from its prefix."""
    return next((kind for prefix, kind in PREFIXES if org_number.startswith(prefix)), None)


def field_type(model: type[BaseModel], name: str) -> Any:
    """The type of a model field with its constraints (a pattern, say), to validate one answer."""
    field = model.model_fields[name]
    return Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation


def _typed(kind: Any, raw: str) -> Any:
    """Validate ``raw`` with a model type; raise ValueError with a plain message."""
    try:
        return TypeAdapter(kind).validate_python(raw)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        worded = _in_words(error["type"], error.get("ctx") or {})
        raise ValueError(worded or str(error["msg"]).removeprefix("Value error, ")) from None


class Asker:
    """Asks one question at a time on the terminal, re-asking until the answer is valid."""

    def __init__(self, echo: Callable[[str], None] = click.echo) -> None:
        self.echo = echo

    def ask(self, question: str, help: str, parse: Callable[[str], T], default: str | None) -> T:
        """Ask until ``parse`` accepts the answer; ``?`` prints ``help``."""
        while True:
            raw = click.prompt(
                question,
                default=default,
                show_default=bool(default),
                type=str,
            )
            if raw.strip() == "?":
                self.echo(f"  {help}")
                continue
            try:
                return parse(raw.strip())
            except ValueError as exc:
                self.echo(f"  {exc}")

    def text(self, question: str, help: str, default: str | None = None, long: bool = False) -> str:
        """A name or, with ``long``, free text, checked like the model checks it."""
        kind = Text if long else Name
        return str(self.ask(question, help, lambda raw: _typed(kind, raw), default))

    def number(self, question: str, help: str, default: int, low: int, high: int) -> int:
        """A whole number between ``low`` and ``high``."""

        def parse(raw: str) -> int:
            digits = raw.replace(" ", "")
            if not re.fullmatch(r"\d+", digits) or not low <= int(digits) <= high:
                raise ValueError(f"answer a whole number from {low} to {high}")
            return int(digits)

        return self.ask(question, help, parse, str(default))

    def amount(self, question: str, help: str, default: str, least: int = 0) -> int | Decimal:
        """A positive amount or percentage (decimal comma or point, at most two decimals).

        Whole numbers are returned as ``int`` so that the file shows ``50``, not ``50.00``.
        """

        def parse(raw: str) -> int | Decimal:
            try:
                value = Decimal(raw.replace(" ", "").replace(",", "."))
            except InvalidOperation:
                raise ValueError("answer a number, e.g. 1 000 000 or 33,5") from None
            if not value.is_finite() or value <= 0 or value < least:
                raise ValueError(f"answer a number of at least {max(least, 0.01)}")
            if value != round(value, 2):
                raise ValueError("answer a number with at most two decimals")
            return int(value) if value == value.to_integral_value() else value

        return self.ask(question, help, parse, default)

    def choice(self, question: str, help: str, choices: dict[str, str], default: str) -> str:
        """One of ``choices`` (value -> explanation)."""
        listing = "; ".join(f"{value}: {words}" for value, words in choices.items())

        def parse(raw: str) -> str:
            if raw not in choices:
                raise ValueError(f"answer one of {', '.join(choices)}")
            return raw

        return self.ask(f"{question} ({' | '.join(choices)})", f"{help} {listing}", parse, default)

    def yes(self, question: str, help: str, default: bool) -> bool:
        """Yes or no."""

        def parse(raw: str) -> bool:
            if raw.lower() in ("y", "yes", "j", "ja"):
                return True
            if raw.lower() in ("n", "no", "nej"):
                return False
            raise ValueError("answer yes or no")

        return self.ask(f"{question} (yes/no)", help, parse, "yes" if default else "no")

    def date(
        self, question: str, help: str, default: dt.date | None, optional: bool = False
    ) -> Any:
        """A date written YYYY-MM-DD; when ``optional``, ``none`` (or nothing) leaves it out."""

        def parse(raw: str) -> dt.date | None:
            if optional and raw.lower() in ("", "none", "-"):
                return None
            try:
                if not re.fullmatch(r"\d{4}-\d\d-\d\d", raw):
                    raise ValueError(raw)
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise ValueError(
                    "write the date as year-month-day, YYYY-MM-DD, e.g. 2027-01-01"
                ) from None

        shown = default.isoformat() if default else ("" if optional else None)
        suffix = " (YYYY-MM-DD, or none)" if optional else " (YYYY-MM-DD)"
        return self.ask(question + suffix, help, parse, shown)

    def lines(
        self, question: str, help: str, first: str | None = None, least: int = 1
    ) -> list[str]:
        """A list of texts, one per answer; an empty answer ends it once ``least`` are given."""
        items: list[str] = []
        while True:
            number = len(items) + 1
            done = len(items) >= least
            default = first if number == 1 and first else ("" if done else None)
            ending = " (Enter to end the list)" if done else ""
            answer = self.ask(
                f"{question}, item {number}{ending}",
                help,
                lambda raw: _typed(Text, raw) if raw else "",
                default,
            )
            if not answer:
                if done:
                    return items
                self.echo(f"  give at least {least}")
                continue
            items.append(str(answer))


def slug(name: str) -> str:
    """A party id from a name: Region Sörmland -> sormland, Åkerby kommun -> akerby."""
    words = [w for w in name.split() if w.lower() not in ("region", "kommun", "regionen", "stad")]
    plain = unicodedata.normalize("NFKD", " ".join(words) or name).encode("ascii", "ignore")
    text = re.sub(r"[^a-z0-9]+", "-", plain.decode().lower()).strip("-")
    return (text if text[:1].isalpha() else "p-" + text)[:40].strip("-") or "part"
