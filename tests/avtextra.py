"""Build the avtalssamverkan example, with extra parties if asked, as plain Markdown text."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from avtal.project import load_project
from avtal.render.markdown import render_markdown, unescape

#: Regions that can be added to the example: (id, name, org_number, seat).
EXTRA_REGIONS = (
    ("uppsala", "Region Uppsala", "232100-0024", "Uppsala"),
    ("orebro", "Region Örebro län", "232100-0164", "Örebro"),
    ("ostergotland", "Region Östergötland", "232100-0040", "Linköping"),
    ("gavleborg", "Region Gävleborg", "232100-0057", "Gävle"),
)


def region(pid: str, name: str, org: str, seat: str) -> dict[str, Any]:
    """A region as a party of the parameter file, signed by its regionstyrelse's chair."""
    return {
        "id": pid,
        "name": name,
        "org_number": org,
        "kind": "region",
        "seat": seat,
        "signatory": {"name": "Namn Efternamn", "title": "regionstyrelsens ordförande"},
    }


def variant(
    source: Path, folder: Path, change: Callable[[dict[str, Any]], None], name: str = "{source}"
) -> Path:
    """A copy of the parameter file ``source`` changed by ``change``, written to ``folder``.

    ``name`` may use ``{source}`` (the source's file name) and ``{parties}`` (their number
    after the change).
    """
    data = copy.deepcopy(yaml.safe_load(source.read_text(encoding="utf-8")))
    change(data)
    path = folder / name.format(source=source.name, parties=len(data["parties"]))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def add_parties(data: dict[str, Any], count: int, contributions: bool = True) -> None:
    """Add ``count`` commissioning regions, each with a member of the steering council.

    Each new region contributes what Region Västmanland contributes, unless ``contributions``
    is false (the example lists every party's own contribution to the cooperation).

    The example's own free texts speak of "båda regionerna"; they are rewritten for more parties
    so that what remains is the clause library's wording.
    """
    activity = data["activity"]
    activity["description"] = activity["description"].replace(
        "med hälften på vardera regionen", "lika mellan Region Sörmland och Region Västmanland"
    )
    activity["scope"] = [t.replace("båda regionernas", "regionernas") for t in activity["scope"]]
    activity["scope"] = [t.replace("båda regionerna", "regionerna") for t in activity["scope"]]
    council = data["governance"]["steering_council"]
    council["mandate"] = [
        t.replace("båda regionerna", "flera regioner") for t in council["mandate"]
    ]
    for pid, name, org, seat in EXTRA_REGIONS[:count]:
        data["parties"].append(region(pid, name, org, seat))
        council["members"].append({"party": pid, "position": "regiondirektör"})
        data["insight"]["quarterly_reports"]["approved_by"].append(pid)
        given = data.get("procurement", {}).get("contributions")
        if contributions and given:
            given[pid] = given["vastmanland"]
        if data["costs"].get("shares"):
            data["costs"]["shares"][pid] = 0


def texts(path: Path, clause_dirs: tuple[Path, ...] = ()) -> dict[str, str]:
    """Each document's Markdown as plain text (escapes undone, no-break spaces as spaces)."""
    project = load_project(path, list(clause_dirs))
    out = {}
    for doc in project.documents:
        text = unescape(render_markdown(doc).decode("utf-8")).replace("\u00a0", " ")
        out[doc.file] = re.sub(r"\*\*", "", text)
    return out


def sentences(text: str) -> list[str]:
    """The text split into sentences (good enough for assertions on wording)."""
    return [s.strip() for s in re.split(r"(?<=[.:;])\s+|\n+", text) if s.strip()]
