"""Swedish formatting of dates, numbers, amounts and lists for running text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
_WORDS = (
    "noll",
    "en",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
    "tretton",
    "fjorton",
    "femton",
    "sexton",
    "sjutton",
    "arton",
    "nitton",
    "tjugo",
)
#: Thousands separator: a no-break space keeps "40 000 000" on one line.
NBSP = "\u00a0"


def datum(value: dt.date | str) -> str:
    """``2027-01-01`` -> "1 januari 2027"; ``"02-15"`` (month-day) -> "15 februari"."""
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    month, day = (int(part) for part in str(value).split("-"))
    return f"{day} {MONTHS[month - 1]}"


def manad(month: int) -> str:
    """Month number -> Swedish month name."""
    return MONTHS[int(month) - 1]


def tal(value: Decimal | int | float, decimals: int | None = None) -> str:
    """Swedish number: no-break space between thousands, decimal comma."""
    number = Decimal(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    out = NBSP.join(groups) or "0"
    return sign + out + ("," + frac if frac else "")


def kronor(value: Decimal | int | float) -> str:
    """Amount in kronor, e.g. "40 000 000 kronor" (öre shown only when present)."""
    return f"{tal(value)} kronor"


def procent(value: Decimal | int | float) -> str:
    """A share in percent, always with two decimals: "52,00 procent", "12,40 procent".

    Shares are rounded to hundredths, each on its own; writing every share (and the total,
    "100,00 procent") with the same two decimals reads alike in every table and sentence.
    """
    return f"{tal(value, 2)} procent"


def ord_(value: int) -> str:
    """The one rule for counts in running text: 0-20 in words (common gender), larger in digits.

    Counts of days, months, years, meetings and copies all go through this filter, so "tolv
    månader" and "45 dagar" follow the same rule. Amounts, percentages, dates and statute
    numbers are always digits.
    """
    number = int(value)
    return _WORDS[number] if 0 <= number < len(_WORDS) else tal(number)


def lista(items: Iterable[object]) -> str:
    """Join with commas and a final "och": "A, B och C"."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


def genitiv(name: str) -> str:
    """Swedish genitive: "Region Sörmland" -> "Region Sörmlands"; "Västerås" unchanged."""
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def dagen_fore(value: dt.date) -> dt.date:
    """The day before a date (e.g. when a replaced nämnd is dissolved)."""
    return value - dt.timedelta(days=1)


def dagar_efter(value: dt.date, days: int) -> dt.date:
    """A deadline ``days`` days after a date, on a working day (the last one not after it).

    Every clause that counts days from a start date states a last day (a due date, a last day
    for a meeting); it is moved back to a working day, so that it never falls on a day nobody
    is at work and still lies within the agreed time.
    """
    return working_day_on_or_before(value + dt.timedelta(days=int(days)))


def working_day_on_or_before(day: dt.date) -> dt.date:
    """``day``, or the nearest earlier day that is not a day off.

    Days off are Saturdays, Sundays, the Swedish public holidays and midsommarafton, julafton
    and nyårsafton: the ``holidays`` library's public and de facto holidays of Sweden, rather
    than a hand-kept calendar of Easter and midsommar.
    """
    from holidays.countries.sweden import Sweden  # imported only when a deadline is counted

    off = Sweden(years=(day.year - 1, day.year), categories=("public", "de_facto"))
    while day.weekday() >= 5 or day in off:
        day -= dt.timedelta(days=1)
    return day


def gemen(text: str) -> str:
    """Lower-case the first letter: a title used inside a sentence."""
    return text[:1].lower() + text[1:]
