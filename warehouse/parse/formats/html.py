"""HTML tables, as portals save them under an `.xls` name: lxml, spans expanded."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from warehouse.config import Limits
from warehouse.parse.formats.raw import Row, UnreadableFile, within_cells
from warehouse.parse.text import clean_text

_DECLARED_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


# libxml2 stops building the tree at 256 levels of nesting (2,048 with huge_tree) and drops
# whatever follows, so the rows read are checked against the `<tr>` tags the file holds.
_TR_TAG = re.compile(rb"<tr[\s>/]", re.IGNORECASE)
_HTML_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)


def read_html_rows(path: Path, limits: Limits | None = None) -> list[Row]:
    """The first table with rows, rowspan/colspan expanded so every cell under a span has text.

    Every row is read or the file is refused: a tree libxml2 could not build whole (nested too
    deep, broken markup that swallows rows) shows as fewer `<tr>` rows than the file holds.
    """
    from lxml import html

    limits = limits or Limits()
    data = path.read_bytes()
    elements = data.count(b"<") - data.count(b"</")
    if elements > limits.max_cells:
        raise UnreadableFile(
            f"the HTML file holds about {elements:,} elements, more than [limits] max_cells = "
            f"{limits.max_cells:,}",
            reason="too_large",
        )
    declared = _DECLARED_CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    # without a declaration lxml would guess Latin-1; portals write UTF-8
    parser = html.HTMLParser(encoding=encoding, huge_tree=True)
    document = html.document_fromstring(data, parser=parser)
    stated = _count_tr_tags(data, encoding)
    parsed = sum(1 for _ in document.iter("tr"))
    if parsed < stated:
        problem = next(
            (f"{e.message.strip()} (line {e.line})" for e in parser.error_log if e.level >= 3),
            "broken markup",
        )
        raise UnreadableFile(
            f"the HTML table has {stated:,} <tr> rows but only {parsed:,} could be read: {problem}",
            reason="damaged_file",
        )
    tables = [t for t in document.iter("table") if t.xpath(".//tr")]
    if not tables:
        raise UnreadableFile("an HTML file without a table")
    table = max(tables, key=lambda t: len(t.xpath(".//tr")))  # banners often sit in small tables
    grid: list[Row] = []
    carried: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text)
    for number, tr in enumerate(table.xpath(".//tr[not(ancestor::tr)]"), start=1):
        cells: list[str] = []
        column = 0
        for td in tr.xpath("./td|./th"):
            while column in carried:
                cells.append(_take_carried(carried, column))
                column += 1
            text = clean_text(td.text_content())
            rowspan = _span(td.get("rowspan"))
            for _ in range(_span(td.get("colspan"))):
                if rowspan > 1:
                    carried[column] = (rowspan - 1, text)
                cells.append(text)
                column += 1
        while column in carried:
            cells.append(_take_carried(carried, column))
            column += 1
        grid.append((number, cells))
    within_cells("the HTML table", len(grid), max((len(c) for _, c in grid), default=0), limits)
    return grid


def _count_tr_tags(data: bytes, encoding: str) -> int:
    """`<tr>` start tags outside comments, as the file states them."""
    if encoding.lower().replace("-", "") in ("utf16", "utf16le", "utf16be"):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    return len(_TR_TAG.findall(_HTML_COMMENT.sub(b"", data)))


def _take_carried(carried: dict[int, tuple[int, str]], column: int) -> str:
    remaining, text = carried[column]
    if remaining <= 1:
        del carried[column]
    else:
        carried[column] = (remaining - 1, text)
    return text


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
