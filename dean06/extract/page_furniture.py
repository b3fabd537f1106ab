"""Page numbers and running headers that converters leave inside the text of a page."""

from __future__ import annotations

import re
from collections import Counter

_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?\s*$", re.I
)
_DIGITS = re.compile(r"\d+")
_FOOTNOTE_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")  # glued to a word by a converter
# a running title: one phrase of words (no cells set apart by runs of spaces, no count),
# two short numbers at most ("Đề án 06 – phường Hà Giang 1")
_RUNNING_TITLE = re.compile(r"^(?=(?:\S+ ){4})(?!.*\S {2,}\S)(?!.*\d[.,]\d)(?:\D+\d{1,4}){0,2}\D*$")
_EDGE_LINES = 3  # furniture lines looked for at each end of a page
# a table's line: a row's counts ("… 152.130   77.193"), a numbered row ("10 Đăng ký
# khai tử", "25   x") or a group's numeral alone ("I")
_TABLE_LINE = re.compile(
    r"\d[\d.,]*%?\s+\d[\d.,]*%?\s*$|^\s*(?:\d{1,2}[.)]?\s+\S|[IVX]{1,4}\.?\s*$)"
)
_TABLE_REACH = 3  # last lines of a page looked at for a table going on
_PIECE_WORDS = 3  # words of a wrapped cell's piece at most ("chưa quen", "trên môi")
# a capital: a name's tail ("báo cáo đánh giá tác động …") is no running header
_REPORT_CITED = re.compile(r"^Báo cáo\b")


def strip_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Each page's lines without its page number and without a running header or footer
    (the same line, numbers aside, first or last on most pages; a running title of one
    phrase on two pages in five, or word for word on two pages). Blank lines take their
    place, so positions on the page do not move."""
    if len(pages) < 2:
        return pages
    edges: Counter[str] = Counter()
    titles: Counter[str] = Counter()  # running titles word for word, numbers and all
    for lines in pages:
        for index in _edge_indexes(lines):
            edges[_masked(lines[index])] += 1
            if _RUNNING_TITLE.match(lines[index].strip()):
                titles[_masked(lines[index], numbers=True)] += 1
    masked_titles = {_DIGITS.sub("#", title) for title in titles}
    repeated = {
        key
        for key, count in edges.items()
        if count >= max(3, 0.6 * len(pages))
        or (key in masked_titles and count >= max(3, 0.4 * len(pages)))
    }
    repeated |= {title for title, count in titles.items() if count >= 2}  # a short report
    cleaned: list[list[str]] = []
    for lines in pages:
        lines = list(lines)
        for index in _furniture_indexes(lines, repeated):
            lines[index] = ""
        top = _report_title_on_top(lines) if cleaned and _ends_in_table(cleaned[-1]) else None
        if top is not None:
            lines[top] = ""  # printed once, over the rest of a table: not a row
        cleaned.append(lines)
    return cleaned


def _ends_in_table(lines: list[str]) -> bool:
    """A table's line is among the page's last lines, or only a wrapped cell's pieces
    follow it (a note's words stacked one or two a line): the table may go on overleaf."""
    filled = [line for line in lines if line.strip()]
    last = max((i for i, line in enumerate(filled) if _TABLE_LINE.search(line)), default=None)
    if last is None:
        return False
    after = filled[last + 1 :]
    return len(after) < _TABLE_REACH or all(len(line.split()) <= _PIECE_WORDS for line in after)


def _report_title_on_top(lines: list[str]) -> int | None:
    """The page's first line when it cites the report ("Báo cáo kết quả thực hiện Đề án
    06 – phường …"), set as one phrase: a running header that only some pages print."""
    top = next((i for i, line in enumerate(lines) if line.strip()), None)
    if top is None:
        return None
    text = lines[top].strip()
    return top if _REPORT_CITED.match(text) and _RUNNING_TITLE.match(text) else None


def _furniture_indexes(lines: list[str], repeated: set[str]) -> list[int]:
    """The page's furniture lines, from either end inwards (a running header, then the
    page number under it). One page number at an end: a second number alone inwards
    ("11" over "Trang 2") is the page's own text, a row's item number cut off by the
    page break."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    found: list[int] = []
    for run in (filled[:_EDGE_LINES], filled[::-1][:_EDGE_LINES]):
        numbered = False
        for index in run:
            line = lines[index]
            if _PAGE_NUMBER.match(line):
                if numbered:
                    break
                numbered = True
            elif not (_masked(line) in repeated or _masked(line, numbers=True) in repeated):
                break
            found.append(index)
    return found


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted({filled[0], filled[-1]}) if filled else []


def _masked(line: str, numbers: bool = False) -> str:
    """A line's words, footnote markers left out and numbers masked (kept: ``numbers``)."""
    words = _FOOTNOTE_MARK.sub("", " ".join(line.split())).casefold()
    return words if numbers else _DIGITS.sub("#", words)
