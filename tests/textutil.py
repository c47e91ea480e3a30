"""Extract the words of each output format, for comparing them with each other."""

from __future__ import annotations

import io
import re

import docx
import pikepdf
from pypdf import PdfReader

from avtal.render.markdown import unescape


def _text(element: object) -> str:
    parts = []
    for node in element.iter():  # type: ignore[attr-defined]
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(node.text or "")
        elif tag in ("tab", "br"):
            parts.append(" ")
    return "".join(parts)


def docx_paragraphs(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(_text(child))
        elif tag == "tbl":
            for t in child.iter():
                if t.tag.endswith("}p"):
                    out.append(_text(t))
    return out


_SHOW = {"Tj", "TJ", "'", '"'}


def without_artifacts(data: bytes) -> bytes:
    """The PDF without the text it marks as artifacts (running header and footer, repeated
    table header rows): what a screen reader reads, once."""
    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        kept = []
        depth = 0  # nesting inside an /Artifact marked-content sequence
        stack: list[bool] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in {"BDC", "BMC"}:
                artifact = str(operands[0]) == "/Artifact"
                stack.append(artifact)
                depth += artifact
            elif name == "EMC" and stack:
                depth -= stack.pop()
            elif depth and name in _SHOW:
                continue
            kept.append((operands, operator))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def words(text: str) -> list[str]:
    text = text.replace("\u00a0", " ").replace("\u2013", " ")
    text = text.replace("*", "")
    text = re.sub(r"[_#|]+", " ", text)
    return text.split()


def md_words(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    lines = []
    for line in text.split("\n"):
        if re.fullmatch(r"\|(-+\|)+", line.strip()):
            continue
        line = re.sub(r"^- ", "", line)
        lines.append(line)
    return words(unescape("\n".join(lines)))


def pdf_body_words(data: bytes, title: str, doc_id: str, status: str) -> list[str]:
    """Words of a PDF without its running header and footer."""
    out: list[str] = []
    for page in pdf_pages(without_artifacts(data)):
        kept = []
        for line in page.split("\n"):
            stripped = line.strip()
            if re.fullmatch(r"(Fingeravtryck [0-9a-f]{12}\s*)?Sida \d+ av \d+", stripped):
                continue
            if stripped.startswith(title) and stripped.endswith(f"{doc_id} · {status}"):
                continue
            kept.append(line)
        out += words("\n".join(kept))
    return out


def rejoin(pdf: list[str], reference: list[str]) -> list[str]:
    """Undo line breaks the PDF made after a hyphen inside a word the reference has whole."""
    known = set(reference)
    out: list[str] = []
    index = 0
    while index < len(pdf):
        word = pdf[index]
        if word.endswith("-") and index + 1 < len(pdf) and word + pdf[index + 1] in known:
            out.append(word + pdf[index + 1])
            index += 2
            continue
        out.append(word)
        index += 1
    return out
