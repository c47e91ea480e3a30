"""Shared types of the parameter model: text, names, organisation numbers, parties."""

import bisect
import datetime as dt
import re
import typing
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

Form = Literal["avtalssamverkan", "gemensam_namnd", "kommunalforbund", "bolag"]
FORMS: tuple[str, ...] = ("avtalssamverkan", "gemensam_namnd", "kommunalforbund", "bolag")

_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}

#: Code points (beyond ASCII) that the PDF's fonts can show: Latin, Greek, Cyrillic,
#: punctuation, currency, letter-like symbols, number forms, arrows, mathematical and
#: technical signs, and the Latin ligatures. Found by rendering every code point with
#: typst's bundled fonts; a test renders a sample of each range. Anything else (emoji, CJK,
#: other scripts) would fail only when the PDF is made, so it is refused at input.
_SHOWN = (
    (0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x377), (0x37A, 0x37F),
    (0x384, 0x38A), (0x38C, 0x38C), (0x38E, 0x3A1), (0x3A3, 0x482), (0x48A, 0x4FF),
    (0x1E00, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45), (0x1F48, 0x1F4D),
    (0x1F50, 0x1F57), (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D),
    (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FC4), (0x1FC6, 0x1FD3),
    (0x1FD6, 0x1FDB), (0x1FDD, 0x1FEF), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFE),
    (0x2000, 0x200A), (0x2010, 0x2027), (0x202F, 0x2040), (0x2042, 0x2042),
    (0x2044, 0x2052), (0x2054, 0x205F), (0x2070, 0x2071), (0x2074, 0x208E),
    (0x2090, 0x209C), (0x20A0, 0x20C0), (0x2100, 0x211E), (0x2120, 0x2120),
    (0x2122, 0x2122), (0x2124, 0x2124), (0x2126, 0x2151), (0x2153, 0x2184),
    (0x2189, 0x2189), (0x2190, 0x23FF), (0xFB00, 0xFB06),
)  # fmt: skip
_SHOWN_STARTS = [start for start, _ in _SHOWN]

#: Cyrillic and Greek letters that look like Latin ones, for comparing names.
_LOOK_ALIKE = str.maketrans(
    "аАвВеЕѕЅіІјЈкКмМнНоОрРсСтТуУхХԁԛԜԝϲΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορτυχ",
    "aAbBeEsSiIjJkKmMhHoOpPcCtTyYxXdqWwcABEZHIKMNOPTYXaikvoptux",
)


def _shown(char: str) -> bool:
    code = ord(char)
    index = bisect.bisect_right(_SHOWN_STARTS, code) - 1
    return index >= 0 and _SHOWN[index][0] <= code <= _SHOWN[index][1]


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return None


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    return f"{unicodedata.name(char, code)} ({code})"


#: Latin-1 without its control characters and the soft hyphen, the dashes, quotes and dots
#: of U+2010–U+2027, and the euro sign: no character of these is refused below, none is a
#: letter of another script than Latin, and NFC leaves text made of them as it is (a test
#: holds this). Most Swedish text is made of them and skips the character-by-character
#: checks, which were most of the time a parameter file takes to validate.
_PLAIN = re.compile(r"[\t\n\r\x20-\x7e\xa0-\xac\xae-\xff\u2010-\u2027\u20ac]*")


def _clean_text(value: str) -> str:
    """Refuse what could make text read differently than it is; normalise the rest.

    Contract text must show exactly what it says: a control character, a bidirectional
    override or a private-use character could hide or reorder words in one output format
    and not another. Soft hyphen and zero-width characters are refused for the same reason,
    and so are combining marks left over after NFC normalisation (a name made only of
    them looks blank), characters the PDF cannot show (emoji, CJK), and words that mix
    Latin with Cyrillic or Greek letters (a look-alike of another name). The text is
    returned in Unicode NFC with runs of white space collapsed.
    """
    if not _PLAIN.fullmatch(value):
        value = _checked_characters(value)
    cleaned = " ".join(value.split())
    if not cleaned:
        raise ValueError("must not be empty")
    return cleaned


def _checked_characters(value: str) -> str:
    """``value`` in NFC, or the ValueError that says which character is refused and why."""
    value = unicodedata.normalize("NFC", value)
    for index, char in enumerate(value):
        if char in "\n\t\r":
            continue
        category = unicodedata.category(char)
        if category in _FORBIDDEN_CATEGORIES:
            raise ValueError(
                f"contains the invisible or control character {_describe(char)} "
                f"at position {index + 1}"
            )
        if category.startswith("M"):
            raise ValueError(
                f"contains the combining character {_describe(char)} at position {index + 1}, "
                "which does not join the letter before it; write the letter precomposed"
            )
        if not _shown(char):
            raise ValueError(
                f"contains the character {_describe(char)} at position {index + 1}, which the "
                "documents' fonts cannot show; use Latin, Greek or Cyrillic letters"
            )
    for word in value.split():
        scripts = {s for s in map(_script, word) if s is not None}
        if "LATIN" in scripts and len(scripts) > 1:
            other = sorted(scripts - {"LATIN"})[0].capitalize()
            odd = next(c for c in word if _script(c) == other.upper())
            raise ValueError(
                f"the word {word!r} mixes Latin and {other} letters ({_describe(odd)}); "
                "a look-alike letter makes a different name"
            )
    return value


def look_alike_key(name: str) -> str:
    """A key under which names that look the same (case, width, look-alike letters) match."""
    return unicodedata.normalize("NFKC", name).translate(_LOOK_ALIKE).casefold()


def _month_day(value: str) -> str:
    month, day = (int(part) for part in value.split("-"))
    try:
        dt.date(2000, month, day)  # a leap year: 02-29 exists
    except ValueError:
        raise ValueError(f"{value} is not a day of the year (MM-DD)") from None
    return value


#: A day of the year as MM-DD, e.g. 02-15; the day must exist (02-29 does).
MonthDay = Annotated[
    str,
    Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
    AfterValidator(_month_day),
]


#: Free text that ends up in a document: printable, trimmed, never empty.
Text = Annotated[str, Field(max_length=2000), AfterValidator(_clean_text)]
#: A short name, e.g. a party or a position.
Name = Annotated[str, Field(max_length=200), AfterValidator(_clean_text)]
#: Identifier of a party inside the parameter file.
PartyId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")]


def _org_number(value: str) -> str:
    digits = value.replace("-", "")
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError("must be ten digits written NNNNNN-NNNN, e.g. 232100-0032")
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    if total % 10:
        raise ValueError(f"{value} fails the organisation number check digit")
    return f"{digits[:6]}-{digits[6:]}"


OrgNumber = Annotated[str, AfterValidator(_org_number)]


def _numeric(annotation: Any) -> bool:
    """Whether a field takes only numbers (and perhaps nothing), not yes/no values."""
    args = typing.get_args(annotation) if typing.get_origin(annotation) else (annotation,)
    kinds = {a for a in args if a is not type(None)}
    return bool(kinds) and all(k in (int, float, Decimal) for k in kinds)


class Strict(BaseModel):
    """Base of every parameter mapping: unknown keys are errors, values are immutable."""

    # defer_build: a mapping's validator is built the first time it validates on its own.
    # Nested in Params (the only way a parameter file is read) it is part of Params'
    # validator and never needs one of its own, so a cold start builds one validator, not
    # one per class (each enclosing class would compile its fields' patterns again).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    @model_validator(mode="before")
    @classmethod
    def _no_yes_no_numbers(cls, data: Any) -> Any:
        """Refuse true/false where a number is expected (pydantic would read true as 1)."""
        if isinstance(data, dict):
            wrong = [
                f"{name}: a yes/no value ({str(data[name]).lower()}) where a number is expected"
                for name, field in cls.model_fields.items()
                if isinstance(data.get(name), bool) and _numeric(field.annotation)
            ]
            if wrong:
                raise ValueError("\n".join(wrong))
        return data


class Signatory(Strict):
    """Who signs for a party."""

    name: Name
    title: Name = Field(description="e.g. regionstyrelsens ordförande")


class Party(Strict):
    """A kommun or region that is a party to the cooperation."""

    id: PartyId = Field(description="Short id used elsewhere in the file, e.g. sormland")
    name: Name = Field(description="Legal name, e.g. Region Sörmland")
    org_number: OrgNumber = Field(description="Organisation number NNNNNN-NNNN")
    kind: Literal["region", "kommun", "kommunalforbund", "bolag"] = Field(
        description="Only kommuner and regioner can cooperate by avtalssamverkan or gemensam nämnd"
    )
    host: bool = Field(False, description="True for the party that performs the task")
    seat: Name = Field(description="Town where the party signs, e.g. Nyköping")
    signatory: Signatory
    styrelse: Name | None = Field(None, description="Defaults to regionstyrelsen/kommunstyrelsen")
    fullmaktige: Name | None = Field(
        None, description="Defaults to regionfullmäktige/kommunfullmäktige"
    )

    @property
    def styrelse_name(self) -> str:
        """The party's styrelse, as written in running text."""
        if self.styrelse:
            return self.styrelse
        return {"region": "regionstyrelsen", "kommun": "kommunstyrelsen"}.get(
            self.kind, "styrelsen"
        )

    @property
    def fullmaktige_name(self) -> str:
        """The party's fullmäktige, as written in running text."""
        if self.fullmaktige:
            return self.fullmaktige
        return {"region": "regionfullmäktige", "kommun": "kommunfullmäktige"}.get(
            self.kind, "fullmäktige"
        )
