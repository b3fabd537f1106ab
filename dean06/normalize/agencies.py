"""Agency names as reports print them: the words that open one, and a heading that is one."""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import process
from rapidfuzz.fuzz import ratio

from dean06.normalize.text import ascii_key, drop_footnote_marks
from dean06.schemas import ServiceRow

# The words an agency's name opens with, in print case ("Công an tỉnh", "Sở Tư pháp").
AGENCY_OPENINGS = (
    "Công an", "UBND", "Ủy ban", "Sở", "Phòng", "BHXH", "Bảo hiểm xã hội", "Cục", "Chi cục",
    "Điện lực", "Văn phòng", "Tòa án", "Kho bạc", "Trung tâm", "Ngân hàng", "Bưu điện", "Bộ",
    "Công ty", "Cơ quan", "Ban",
)  # fmt: skip
AGENCY_WORD = re.compile(rf"^(?:{'|'.join(AGENCY_OPENINGS)})\b")
# the same, matched on a name's ``ascii_key`` (as a heading row is told)
AGENCY_KEY = re.compile(rf"^(?:{'|'.join(ascii_key(word) for word in AGENCY_OPENINGS)})\b")
# Agencies that run the essential services in a province, spelt as printed: an OCR
# reading with the same letters but a space lost ("Sở Tưpháp") is one of them.
KNOWN_AGENCIES = (
    "Công an tỉnh", "Công an huyện", "Công an xã", "Sở Tư pháp", "Sở Y tế",
    "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Môi trường", "Sở Kế hoạch và Đầu tư", "Sở Tài chính",
    "Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ", "Sở Giáo dục và Đào tạo",
    "Sở Công Thương", "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông",
    "Sở Văn hóa, Thể thao và Du lịch", "Bảo hiểm xã hội tỉnh", "Bảo hiểm xã hội huyện",
    "Cục Thuế tỉnh", "Chi cục Thuế", "Công ty Điện lực", "Điện lực", "Tòa án nhân dân tỉnh",
    "Tòa án nhân dân huyện", "Văn phòng đăng ký đất đai", "Trung tâm Phục vụ hành chính công",
    "UBND tỉnh", "UBND cấp huyện", "UBND cấp xã", "Kho bạc Nhà nước",
)  # fmt: skip
_HEADING_WORDS = 5  # an agency's name, its aside in brackets aside
_SETTLED_READS = 3  # a spelling a table reads this often is the table's spelling
_MISREAD_SIMILARITY = 80  # letters this close (rapidfuzz ratio) to it: a misreading
_HEADING_SIMILARITY = 90  # a heading's letters this close to a known agency's: that agency
_HEADING_MIN_LETTERS = 8  # fewer, and one letter off is another agency


def names_an_agency(text: str) -> bool:
    """``text`` is an agency's name, an aside in brackets aside ("Sở Y tế (bổ sung …")."""
    bare = drop_footnote_marks(text.split("(")[0]).strip()
    return bool(AGENCY_WORD.match(bare)) and len(bare.split()) <= _HEADING_WORDS


def settle_read_agencies(rows: list[ServiceRow]) -> None:
    """Agency cells as OCR read them, in place: specks and stray marks dropped ("'Sở Tư
    pháp", "Sở Tư. pháp", "Sở Tư „ pháp"), and a spelling whose letters are those of a
    spelling read more often in the same table ("SởTư pháp", spaces lost) set to that
    one. Printed text is never touched: this is for scanned tables only."""
    spellings: dict[tuple[int, str], Counter[str]] = {}
    for row in rows:
        if row.agency:
            row.agency = _as_known(_without_specks(row.agency))
            spellings.setdefault((row.table_index, _letters(row.agency)), Counter())[
                row.agency
            ] += 1
    for row in rows:
        if row.agency:
            counted = spellings[(row.table_index, _letters(row.agency))]
            row.agency = max(counted, key=lambda s: (counted[s], s.count(" ")))
    _settle_misread(rows)


def _settle_misread(rows: list[ServiceRow]) -> None:
    """A spelling read once or twice whose letters are close to those of a spelling its
    table reads at least ``_SETTLED_READS`` times ("UBND cấp xã 3", "UBND cấ xà", "Sở Tư
    phắp" beside "UBND cấp xã", "Sở Tư pháp") set to that one; another agency's name
    (close in its first words only, "UBND cấp huyện") is further away."""
    from rapidfuzz import fuzz

    by_table: dict[int, Counter[str]] = {}
    for row in rows:
        if row.agency:
            by_table.setdefault(row.table_index, Counter())[row.agency] += 1
    for row in rows:
        counted = by_table.get(row.table_index)
        if not row.agency or not counted or counted[row.agency] >= _SETTLED_READS:
            continue
        letters = _letters(row.agency)
        near = [
            (fuzz.ratio(letters, _letters(spelling)), spelling)
            for spelling, reads in counted.items()
            if reads >= _SETTLED_READS and spelling != row.agency
        ]
        close = [spelling for ratio, spelling in near if ratio >= _MISREAD_SIMILARITY]
        if len(close) == 1:
            row.agency = close[0]


_SPECK = re.compile(r"(?<!\S)[^\w(&–-]+(?!\S)|^[^\w(]+|[.,;:'‘’\"“”„]+$|(?<=\w)[.,„'](?=\s)")


def _without_specks(text: str) -> str:
    """ "'Sở Tư pháp." → "Sở Tư pháp"; "Sở Tư „ pháp" → "Sở Tư pháp"; "Công an tỉnh i"
    (a rule or speck read as a letter after the name) → "Công an tỉnh"."""
    words = _SPECK.sub(" ", text).split()
    if len(words) > 2 and len(words[-1]) == 1 and words[-1].islower():
        words.pop()  # no agency's name ends in a lone small letter
    return " ".join(words)


def agency_read_as(text: str) -> str | None:
    """The known agency whose letters ``text`` has but for a letter or two that OCR lost
    or misread ("Bảo hiểm xã hộ ¡ tỉnh": a heading's words cut across two cells), else
    None."""
    letters = _letters(_without_specks(text))
    if len(letters) < _HEADING_MIN_LETTERS:
        return None
    found = process.extractOne(letters, list(_KNOWN_BY_LETTERS), scorer=ratio)
    return _KNOWN_BY_LETTERS[found[0]] if found and found[1] >= _HEADING_SIMILARITY else None


def is_known_agency(text: str) -> bool:
    """``text`` spells one of ``KNOWN_AGENCIES``, case and spaces aside."""
    return _letters(text) in _KNOWN_BY_LETTERS


def _as_known(agency: str) -> str:
    """A known agency's spelling when ``agency`` has its letters (an aside in brackets
    kept): OCR lost a space ("Sở Tưpháp", "SởY tế (bổ sung …)")."""
    name, bracket, aside = agency.partition("(")
    known = _KNOWN_BY_LETTERS.get(_letters(name))
    if known is None or known == name.strip():
        return agency
    return f"{known} {bracket}{aside}" if bracket else known


def _letters(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


_KNOWN_BY_LETTERS = {_letters(name): name for name in KNOWN_AGENCIES}
