"""Generate the built-in Word template ``templates/avtal.docx``.

The template holds the house style: A4 page, styles for headings, numbered points, lists
and tables, a header with the title and document id, a footer "Sida X av Y", and Swedish
(sv-SE) as the document language. It is generated from python-docx's default template so
that its content is reviewable as code; run ``python -m avtal.render.docx_template`` after
changing this file. A user may replace it with any .docx holding the same Jinja tags
(``{{ title }}``, ``{{ subtitle }}``, ``{{ meta_line }}``, ``{{p body }}``, and in the
header or footer ``{{ doc_id }}``, ``{{ status }}``, ``{{ footer_left }}``) and styles.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from avtal.render.docx_package import clean_package

# Arial is on every Word user's machine; the PDF uses Liberation Sans, its
# metric-compatible free twin shipped in templates/fonts, so both break lines alike.
FONT = "Arial"
_THEME_ATTRIBUTES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _field(paragraph: object, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to a paragraph."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _language(document: object) -> None:
    styles = document.styles.element  # type: ignore[attr-defined]
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), "sv-SE")


def _one_font(document: object) -> None:
    """Arial everywhere: in the defaults, in every style, and as the theme's fonts.

    python-docx's default template takes its fonts from the theme (Calibri headings,
    Cambria body); a theme attribute outranks a named font, so they are removed.
    """
    styles = document.styles.element  # type: ignore[attr-defined]
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if rpr_default.find(qn("w:rFonts")) is None:
        rpr_default.insert(0, OxmlElement("w:rFonts"))
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in _THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{attribute}"), FONT)
    for color in styles.iter(qn("w:color")):
        color.set(qn("w:val"), "000000")
        for attribute in ("themeColor", "themeShade", "themeTint"):
            color.attrib.pop(qn(f"w:{attribute}"), None)
    part = document.part  # type: ignore[attr-defined]
    for rel in part.rels.values():
        if rel.reltype.endswith("/theme"):
            theme = rel.target_part
            blob = re.sub(
                rb'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*"',
                rb"\1" + FONT.encode() + b'"',
                theme.blob,
            )
            theme._blob = blob


# The styles avtal writes with; the template keeps these (and what they are based on or
# linked to) and drops python-docx's other 150 styles and the latent-style table, which
# were nine tenths of styles.xml and of the time to open and save every document.
KEPT_STYLES = {
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "TableGrid",
    "Title",
    "Subtitle",
    "Heading1",
    "Heading2",
    "Heading3",
    "Header",
    "Footer",
    "Punkt",
    "Stycke",
    "Lista",
    "Dokumentuppgifter",
}


def _prune_styles(document: object) -> None:
    """Keep only the styles avtal uses and those they refer to."""
    styles = document.styles.element  # type: ignore[attr-defined]
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep: set[str] = set()
    todo = list(KEPT_STYLES)
    while todo:
        style_id = todo.pop()
        if style_id in keep or style_id not in by_id:
            continue
        keep.add(style_id)
        for ref in ("w:basedOn", "w:link", "w:next"):
            element = by_id[style_id].find(qn(ref))
            if element is not None:
                todo.append(element.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)


def make_template(path: Path) -> None:
    """Write the built-in template to ``path``."""
    document = Document()
    _language(document)
    _one_font(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before in (
        ("Title", 20, 0),
        ("Heading 1", 13, 14),
        ("Heading 2", 11, 10),
        ("Heading 3", 10.5, 10),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"]
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    subtitle = styles["Subtitle"]
    subtitle.font.name = FONT
    subtitle.font.size = Pt(12)
    subtitle.font.italic = False
    subtitle.font.color.rgb = RGBColor(0, 0, 0)
    subtitle.paragraph_format.space_before = Pt(0)
    subtitle.paragraph_format.space_after = Pt(6)

    def add_style(name: str, indent: float, hanging: float) -> None:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        fmt = style.paragraph_format
        fmt.left_indent = Cm(indent)
        fmt.first_line_indent = Cm(-hanging)
        fmt.tab_stops.add_tab_stop(Cm(indent), WD_TAB_ALIGNMENT.LEFT)

    add_style("Punkt", 1.2, 1.2)
    add_style("Stycke", 1.2, 0)
    add_style("Lista", 1.8, 0.6)
    meta = styles.add_style("Dokumentuppgifter", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = normal
    meta.font.size = Pt(9)
    meta.paragraph_format.space_after = Pt(18)
    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(8.5)
        ppr = style.element.get_or_add_pPr()
        for tabs in ppr.findall(qn("w:tabs")):
            ppr.remove(tabs)
        style.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)

    header = section.header.paragraphs[0]
    header.style = styles["Header"]
    header.add_run("{{ title }}\t{{ doc_id }} · {{ status }}")
    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.add_run("{{ footer_left }}\tSida ")
    _field(footer, "PAGE")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES")

    body = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    body.style = styles["Title"]
    body.add_run("{{ title }}")
    document.add_paragraph("{{ subtitle }}", style="Subtitle")
    document.add_paragraph("{{ meta_line }}", style="Dokumentuppgifter")
    document.add_paragraph("{{p body }}")
    props = document.core_properties
    props.author = "avtal"
    props.title = ""
    props.comments = ""
    _prune_styles(document)
    clean_package(document)
    document.save(str(path))


if __name__ == "__main__":  # pragma: no cover
    make_template(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("templates/avtal.docx"))
