"""Hostile input to the renderers: many parties, control characters."""

from __future__ import annotations

import copy
import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from avtal.build import build
from avtal.errors import RenderError
from avtal.project import load_project
from avtal.render.docx import render_docx
from conftest import EXAMPLE

GN_EXAMPLE = EXAMPLE.with_name("gemensam-namnd.yaml")
DC = "{http://purl.org/dc/elements/1.1/}"


def _many_parties(data: dict[str, Any], count: int) -> None:
    """Turn the gemensam nämnd example into one of ``count`` parties."""

    def org_number(serial: int) -> str:
        digits = f"212000{serial:03d}"
        total = 0
        for index, char in enumerate(digits):
            value = int(char) * (2 if index % 2 == 0 else 1)
            total += value - 9 if value > 9 else value
        return f"{digits[:6]}-{digits[6:]}{(10 - total % 10) % 10}"

    first = data["parties"][0]
    for number in range(len(data["parties"]) + 1, count + 1):
        party = copy.deepcopy(data["parties"][1])
        party.update(
            id=f"k{number}",
            name=f"Kommun nummer {number}",
            org_number=org_number(100 + number),
            kind="kommun",
            seat=f"Ort {number}",
        )
        party["signatory"]["title"] = "kommunstyrelsens ordförande"
        data["parties"].append(party)
        data["committee"]["seats"].append({"party": party["id"], "members": 1, "substitutes": 1})
    assert first["host"]
    data.pop("matter", None)


def test_fifty_parties_build_and_the_subject_is_shortened_for_word(tmp_path: Path) -> None:
    text = GN_EXAMPLE.read_text(encoding="utf-8")
    # Wording for two parties ("båda") is a lint error with fifty.
    text = text.replace("båda regionernas", "parternas").replace("båda regionerna", "parterna")
    data = yaml.safe_load(text)
    _many_parties(data, 50)
    params = tmp_path / "femtio.yaml"
    params.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert max(len(d.subtitle) for d in load_project(params).documents) > 255
    out = tmp_path / "out"
    build(params, out, formats=["docx"])
    docx_files = sorted(out.glob("*.docx"))
    assert docx_files
    for path in docx_files:
        core = etree.fromstring(zipfile.ZipFile(path).read("docProps/core.xml"))
        subject = core.find(f"{DC}subject").text or ""
        assert len(subject) <= 255


def test_a_long_subtitle_is_cut_at_a_word_with_an_ellipsis() -> None:
    doc = load_project(EXAMPLE).documents[0]
    long = dataclasses.replace(doc, subtitle="mellan " + ", ".join(["Kommun"] * 100))
    core = etree.fromstring(
        zipfile.ZipFile(io.BytesIO(render_docx(long))).read("docProps/core.xml")
    )
    subject = core.find(f"{DC}subject").text
    assert len(subject) <= 255 and subject.endswith("Kommun…")
    assert long.subtitle.startswith(subject[:-1])


@pytest.mark.parametrize("char", ["\x1b", "\x00"], ids=["ESC", "NUL"])
def test_control_character_is_a_clear_render_error(char: str) -> None:
    doc = load_project(EXAMPLE).documents[0]
    section = doc.sections[2]
    broken = dataclasses.replace(
        doc,
        sections=(
            *doc.sections[:2],
            dataclasses.replace(section, title=f"Ond{char}rubrik"),
            *doc.sections[3:],
        ),
    )
    with pytest.raises(RenderError) as caught:
        render_docx(broken)
    assert str(caught.value) == (
        f"{doc.file}.docx: clause {section.clause_id} holds the control character "
        f"U+{ord(char):04X}, which a Word document cannot carry"
    )
