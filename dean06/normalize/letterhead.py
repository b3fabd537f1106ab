"""The header block of a report as printed: the issuing body, the number line, the
place-and-date line and the title, each possibly broken over several lines.

    UBND HUYỆN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    CHƯ PĂH                           Độc lập - Tự do - Hạnh phúc
    TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06
    Số: 45/BC-TCT                  Chư Păh, ngày 18 tháng 3 năm 2024
                              BÁO CÁO
        Kết quả thực hiện Đề án 06 trên địa bàn huyện tháng 3 năm 2024
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from dean06.normalize.periods import find_period

# matched on the line with its diacritics folded away: a scan reads "Tự đo", "CỘNG HOÀ"
_MOTTO = re.compile(
    r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia\s*viet\s*nam|"
    r"doc\s*lap\s*[-–—.,]?\s*tu\s*do\s*[-–—.,]?\s*hanh\s*phuc",
    re.I,
)
_RULE = re.compile(r"^[\s_\-–—=*.]+$")
# "Số: 125/BC-UBND", or "Số:   /BC-TCT" as a draft prints it before it is numbered
_NUMBER = re.compile(r"\bSố\s*:\s*(\d*[\w.\-]*/[\wĐđ./\-]+)?", re.I)
_MARKUP = re.compile(r"^#+\s*|^\*+|\*+$")  # headings and emphasis of converter markdown
_PLACE_DATE = re.compile(  # a place's name may end in a number ("Hà Giang 1")
    r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-Ỹ][^\s,.:;\d]*\s?){1,4}(?:\d{1,2}\s?)?),\s*ngày\b(.*)$", re.I | re.S
)
# the day may be left blank ("ngày    tháng 3 năm 2024"): the month still reads
_DATE = re.compile(r"(?:ngày\s+(\d{1,2})\s+)?tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_DATE_DONE = re.compile(r"năm\s+\d{4}", re.I)
# a speck OCR read before it ("l BÁO CÁO", "' BÁO CÁO") does not hide the title
# the tone mark over A is the one OCR misreads most ("BẢO CÁO", "BÀO CÁO")
_TITLE_START = re.compile(r"^(?:#+\s*)?\**\s*(?:[^\sA-ZĐ]{1,2}\s+)?B[ÁẢÀẠ]O C[ÁẢÀẠ]O\b")
_BODY_START = re.compile(
    r"^(Thực hiện|Căn cứ|Kính gửi|Theo|Triển khai|Qua|Trên cơ sở|I\.|1\.|Phần)", re.I
)
_TITLE_LINE_MAX = 400
_HEAD_LINES = 40


@dataclass
class HeaderBlock:
    issuer: list[str] = field(default_factory=list)
    number: str | None = None
    place: str | None = None
    date: dt.date | None = None
    month: dt.date | None = None  # the first day of the month dated, its day left blank or not
    title: str = ""

    @property
    def issuer_text(self) -> str:
        return " ".join(self.issuer)


def read_header_block(lines: list[str]) -> HeaderBlock:
    """The header block of the report whose cleaned lines are ``lines``."""
    head = [_without_motto(line) for line in lines[:_HEAD_LINES]]
    block = HeaderBlock()
    title_at = next((i for i, line in enumerate(head) if _TITLE_START.match(line)), None)
    top = head[: title_at if title_at is not None else 12]
    after_date = 0  # the first line after the place-and-date line
    for index, line in enumerate(top):
        if not line or _RULE.match(line):
            continue
        if block.number is None and (number := _NUMBER.search(line)):
            block.number = number.group(1) or _number_on_next_line(top, index)
            line = line[: number.start()].strip()
        if block.place is None and (place := _place_and_date(top, index)):
            block.place, block.date, block.month, after_date = place
            continue
        if line and _is_upper(line) and block.number is None and block.place is None:
            block.issuer.append(line)
    if title_at is not None:
        block.title = _title(head, title_at)
    elif after_date and find_period(after := _title(head, after_date)):
        block.title = after  # "BÁO CÁO" garbled on a scan: the title still follows the date
    else:
        block.title = " ".join(head[:8])
    return block


def _without_motto(line: str) -> str:
    """The line with the national motto, printed beside the issuer, blanked out."""
    folded = _fold(line)
    for match in reversed(list(_MOTTO.finditer(folded))):
        line = line[: match.start()] + " " + line[match.end() :]
    return line.strip()


def _fold(text: str) -> str:
    """Each character to its base letter, one for one (``Tự đo`` → ``Tu do``)."""
    return "".join("d" if ch in "đĐ" else unicodedata.normalize("NFD", ch)[0] for ch in text)


def _number_on_next_line(lines: list[str], index: int) -> str | None:
    """``Số:`` with the number printed under it."""
    if index + 1 < len(lines):
        match = re.match(r"^(\d+[\w.\-]*/[\wĐđ./\-]+)", lines[index + 1])
        if match:
            return match.group(1)
    return None


def _place_and_date(
    lines: list[str], index: int
) -> tuple[str, dt.date | None, dt.date | None, int] | None:
    """("Chư Păh", date, the first day of its month, the index of the line after the date)
    from a place-and-date line, read on into the next lines when the date is broken
    ("…, ngày 18 tháng 3" / "năm 2024"); the month even where the day is left blank."""
    match = _PLACE_DATE.search(lines[index])
    if not match or match.group(1).strip().casefold() in ("số", "so"):
        return None
    text, after = lines[index], index + 1
    for follow in lines[index + 1 : index + 3]:
        if _DATE_DONE.search(text[match.start() :]):
            break
        text, after = f"{text} {follow}", after + 1
    date = month = None
    if found := _DATE.search(text):
        day, number, year = found.groups()
        month = dt.date(int(year), int(number), 1) if 1 <= int(number) <= 12 else None
        if day is not None and month is not None:
            try:
                date = month.replace(day=int(day))
            except ValueError:
                date = None
    return match.group(1).strip(), date, month, after


def _title(lines: list[str], start: int) -> str:
    parts = [_MARKUP.sub("", lines[start]).strip()]
    for follow in lines[start + 1 : start + 8]:
        if not follow or _BODY_START.match(follow) or len(follow) > _TITLE_LINE_MAX:
            break
        if find_period(" ".join(parts)) and follow[:1].isupper() and not _is_upper(follow):
            break  # the title has named its period: a new sentence opens the body
        parts.append(_MARKUP.sub("", follow).strip())
        if follow.endswith((":", ".")):
            break
    return " ".join(parts)


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
