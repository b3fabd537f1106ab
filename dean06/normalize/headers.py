"""Column roles from header meaning, not position.

A header may have one to three levels with merged cells. Each column gets a *path*:
its header texts from top to bottom, where an empty cell above a subdivided column
inherits the text to its left (the merged parent). The role comes from the leaf text,
then from its parents; matching is accent-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from dean06.normalize.numbers import parse_vn_int
from dean06.normalize.text import ascii_key

MAX_HEADER_ROWS = 6  # three printed levels; a scan's staggered cells may split each in two


class Role(StrEnum):
    ITEM = "item"
    SERVICE = "service"
    AGENCY = "agency"
    CONNECTED = "connected"
    CONNECTED_YES = "connected_yes"
    CONNECTED_NO = "connected_no"
    TOTAL = "total"
    DIRECT = "direct"
    ONLINE = "online"
    RATE = "rate"
    ON_TIME = "on_time"
    OVERDUE = "overdue"
    ON_TIME_DIRECT = "on_time_direct"
    OVERDUE_DIRECT = "overdue_direct"
    NOTE = "note"


_HEADER_WORDS = re.compile(
    r"\b(stt|tt|ten|dich vu|thu tuc|ket noi|tong|truc tuyen|truc tiep|ty le|ti le|dung han|"
    r"qua han|tre han|kho khan|vuong mac|ghi chu|co quan|don vi|ho so|tinh hinh|ket qua|"
    r"tiep nhan|so luong|noi dung)\b"
)
_ITEM = re.compile(r"^(stt|tt|so tt|so thu tu|thu tu)$")
_TRAILING_SIGNS = re.compile(r"(?:\s+[^a-z0-9\s]+)+$")
_SERVICE_RUN_TOGETHER = re.compile(r"(ten)?(dichvu|thutuc)")  # OCR lost the spaces
_SERVICE = re.compile(
    r"^(ten )?(dich vu|thu tuc|tthc|dvc)\b|^danh muc|^ten (dich vu|thu tuc)|^noi dung dich vu"
)
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_CELL_VALUE = re.compile(r"^(da|chua) (ket noi|tich hop)$|^x$|^khong thuoc")
# a row naming this many columns is a header even if its first cell reads as a number (OCR
# took "STT" for "1"); a body row's name cell names one at most
HEADER_CELLS_OVER_A_NUMBER = 3
# a row's item number: "9.", "13.1"; "2:" as OCR reads "2.", "23..." with specks after it
ITEM_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*[.,:]{0,3}$")
# words of the longest header cell that is the only one of its row to name a column
# ("Kết nối với cổng DVC quốc gia", "Tình hình giải quyết hồ sơ"); a longer one is a
# body row's name
_LONGEST_LONE_HEADER_CELL = 8


def is_header_row(row: list[str]) -> bool:
    """A row of header words with no counts in it."""
    keys = [mend_ocr_key(ascii_key(cell)) for cell in row if cell.strip()]
    keys = [key for key in keys if not _CELL_VALUE.match(key)]
    if not keys:
        return False
    opening = next(i for i, cell in enumerate(row) if cell.strip())
    first = row[opening].strip()
    numbered = ITEM_NUMBER.match(first)
    counted = row[opening + 1 :] if numbered else row
    if any(parse_vn_int(cell) is not None for cell in counted if cell.strip()):
        return False
    named = [key for key in keys if _HEADER_WORDS.search(key)]
    if not named:
        return False
    if numbered and len(named) < HEADER_CELLS_OVER_A_NUMBER:
        return False  # "1." opens a body row
    if len(named) == 1 and len(named[0].split()) > _LONGEST_LONE_HEADER_CELL:
        return False  # a service's name, the one cell of header words on its row ("Thủ
        # tục làm con dấu mới và cấp …"), its number garbled and its counts lost
    words = next((cell for cell in row if sum(ch.isalpha() for ch in cell) > 1), first)
    if ascii_key(words).startswith("nhom "):
        return False  # a group's row ("NHÓM DỊCH VỤ CÔNG THIẾT YẾU"), its numeral lost or
        # read as one letter ("Ĩ", ".J")
    if len(named) >= HEADER_CELLS_OVER_A_NUMBER and len(named) * 2 >= len(keys):
        return True  # the lower lines of stacked header cells ("nối (x)", "Đúng hạn")
    # not a wrapped body row continuing across a page break, its words in lower case
    starts = [cell.strip().lstrip("(*-–")[:1] for cell in row if cell.strip()]
    return sum(ch.islower() for ch in starts) * 2 < len(starts)


def is_numbering_row(row: list[str]) -> bool:
    """The ``(1) (2) (3)`` row some reports print under the header."""
    cells = [c.strip() for c in row if c.strip()]
    return len(cells) >= 4 and all(_NUMBERING.match(c) for c in cells)


def header_depth(rows: list[list[str]]) -> int:
    """How many leading rows are header (including a numbering row). A row of no count
    and no item number between header rows is the header's: a scanned header's rows
    drawn from its white space may leave one blank, or holding only the garbled top of
    a stacked cell ("Sẽ TP)" over "nối (x)"), between the stacked cells' lines."""
    depth = 0
    for index, row in enumerate(rows[: MAX_HEADER_ROWS + 1]):
        if is_header_row(row) or (depth and is_numbering_row(row)):
            depth = index + 1
        elif not (depth and _between_header_rows(row)):
            break
    return depth


def _between_header_rows(row: list[str]) -> bool:
    """No count and no item number: what may stand between two rows of a header."""
    numbered = bool(row) and ITEM_NUMBER.match(row[0].strip()) is not None
    return not numbered and not any(parse_vn_int(cell) is not None for cell in row)


def column_paths(header: list[list[str]], width: int) -> list[list[str]]:
    """Header texts of each column, top to bottom, merged parents filled in."""
    grid = [row + [""] * (width - len(row)) for row in header if not is_numbering_row(row)]
    paths: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(grid):
        for c in range(width):
            text = row[c].strip()
            if not text and _subdivided(grid, r, c):
                parent = next((k for k in range(c - 1, -1, -1) if row[k].strip()), None)
                # a parent spans columns subdivided under it, its own first one too (a
                # leaf to the left, "Tỷ lệ", is no parent: a scan's header rows may be
                # staggered, a lower cell read a row below its neighbours)
                if parent is not None and _subdivided(grid, r, parent):
                    text = row[parent].strip()
            if text and (not paths[c] or paths[c][-1] != text):
                paths[c].append(text)
    return paths


def _subdivided(grid: list[list[str]], row: int, column: int) -> bool:
    """Whether header text lies under ``row`` in ``column``."""
    return any(lower[column].strip() for lower in grid[row + 1 :])


def classify(path: list[str]) -> Role | None:
    """The role of a column from its header path (leaf first, then parents)."""
    printed = _rejoin_connection(ascii_key(text) for text in path)
    keys = [mend_ocr_key(key) for key in printed]
    joined = " / ".join(keys)
    for depth, (key, as_read) in enumerate(zip(reversed(keys), reversed(printed), strict=True)):
        role = _classify_key(key, joined, is_leaf=depth == 0, printed=as_read)
        if role is not None:
            return role
    return None


# Two-word header terms OCR often misreads by one letter ("trưc tiến", "trưc tuvến"):
# a word pair one edit from one of them, and from no other, is read as it.
_TERMS = (
    "truc tiep", "truc tuyen", "dung han", "qua han", "tre han", "ket noi", "tiep nhan", "ho so",
    "don vi", "co quan",
)  # fmt: skip


_RUN_TOGETHER = {term.replace(" ", ""): term for term in _TERMS}  # "kếtnối": OCR lost the space


def mend_ocr_key(key: str) -> str:
    """``key`` (``ascii_key``) with each header term whose words OCR ran together put
    apart ("ketnoi"), each word pair one edit away from a single header term replaced by
    it, and a lone letter before its words dropped; text printed right (a text PDF's) is
    left as it is."""
    from rapidfuzz.distance import Levenshtein

    words = [part for word in key.split() for part in _RUN_TOGETHER.get(word, word).split()]
    while len(words) > 2 and _is_speck_word(words[0]):
        words = words[1:]  # specks read before the cell's words ("ï Dịch vụ", "“s3: Tên")
    index = 0
    while index < len(words) - 1:
        pair = f"{words[index]} {words[index + 1]}"
        near = [t for t in _TERMS if Levenshtein.distance(pair, t, score_cutoff=1) == 1]
        if pair not in _TERMS and len(near) == 1:
            words[index : index + 2] = near[0].split()
            index += 1
        index += 1
    return " ".join(words)


def _is_speck_word(word: str) -> bool:
    """A lone letter, letters and digits run together ("s3", "1i"), or signs alone ("_"):
    no header word."""
    has_digit = any(char.isdigit() for char in word)
    signs_only = not any(char.isalnum() for char in word)
    return (len(word) == 1 and word.isalpha()) or (has_digit and not word.isdigit()) or signs_only


def _rejoin_connection(keys: Iterable[str]) -> list[str]:
    """Header keys top to bottom, a "Chưa" or "Đã" put back before the "kết nối" of the
    row below (a stacked cell a scan's rows drawn from white space cut in two)."""
    joined: list[str] = []
    for key in keys:
        if joined and key.startswith("ket noi") and joined[-1].split()[-1:] in (["chua"], ["da"]):
            joined[-1] = f"{joined[-1]} {key}"
        else:
            joined.append(key)
    return joined


def _classify_key(key: str, joined: str, is_leaf: bool, printed: str) -> Role | None:
    if _ITEM.match(_TRAILING_SIGNS.sub("", key)):  # "TT. %": a speck read as a sign after it
        return Role.ITEM
    if _SERVICE.search(key) or _SERVICE_RUN_TOGETHER.match(key.replace(" ", "")):
        return Role.SERVICE
    if "ket noi" in key:
        if key.startswith("chua ket noi"):
            return Role.CONNECTED_NO
        if key.startswith("da ket noi"):
            return Role.CONNECTED_YES
        return Role.CONNECTED
    if re.search(r"dung han|truoc han|dung thoi han", key):
        return Role.ON_TIME_DIRECT if _direct_only(joined) else Role.ON_TIME
    if re.search(r"qua han|tre han|cham", key):
        return Role.OVERDUE_DIRECT if _direct_only(joined) else Role.OVERDUE
    if re.search(r"\bt[yi] le\b|%", key):
        return Role.RATE
    if "tong" in key:
        # "Tổng số hồ sơ trực tuyến" counts online as printed, not as mended: a total's
        # "(bao gồm trực tuyến …" read "(hao aổm trưc tuvến" is no online count
        online = "truc tuyen" in printed and "truc tiep" not in key and "bao gom" not in key
        return Role.ONLINE if online else Role.TOTAL
    if "truc tuyen" in key:
        return Role.ONLINE
    if "truc tiep" in key:
        return Role.DIRECT
    if is_leaf and re.search(r"tiep nhan|so ho so|so luong ho so", key):
        return Role.TOTAL
    if re.search(r"co quan|don vi", key):
        return Role.AGENCY
    if re.search(r"kho khan|vuong mac|ghi chu|de xuat|nguyen nhan|kien nghi", key):
        return Role.NOTE
    return None


def _direct_only(joined: str) -> bool:
    return "truc tiep" in joined and "truc tuyen" not in joined


def column_roles(header: list[list[str]], width: int) -> dict[Role, list[int]]:
    """Columns of each role, left to right."""
    roles: dict[Role, list[int]] = {}
    for index, path in enumerate(column_paths(header, width)):
        role = classify(path)
        if role is not None:
            roles.setdefault(role, []).append(index)
    return roles


# Leaf cells printed side by side under one parent; a lost rule between two of them
# makes one cell of both ("Đúng Quá hạn hạn": their two lines read across).
_SIBLING_TERMS = frozenset(
    {"dung han", "qua han", "tre han", "truc tiep", "truc tuyen", "tong so", "ty le", "ti le"}
)


def split_sibling_cells(header: list[list[str]], width: int) -> list[list[str]] | None:
    """``header`` made ``width`` wide by splitting each bottom cell that reads as two
    sibling terms, side by side ("Đúng hạn Quá hạn") or read across their wrapped lines
    ("Đúng Quá hạn hạn"); the rows above span both halves. None when that does not give
    ``width`` columns: the body under the header then says the header lost rules."""
    if not header:
        return None
    halves = {c: pair for c, text in enumerate(header[-1]) if (pair := _two_terms(text))}
    if not halves or len(header[-1]) + len(halves) != width:
        return None
    widened: list[list[str]] = []
    for depth, row in enumerate(header):
        cells: list[str] = []
        for column, text in enumerate(row):
            pair = halves.get(column)
            if pair is None:
                cells.append(text)
            else:
                cells.extend(pair if depth == len(header) - 1 else (text, ""))
        widened.append(cells)
    return widened


def _two_terms(text: str) -> tuple[str, str] | None:
    words = text.split()
    if len(words) != 4:
        return None
    for first, second in ((words[:2], words[2:]), (words[0::2], words[1::2])):
        if all(mend_ocr_key(ascii_key(" ".join(w))) in _SIBLING_TERMS for w in (first, second)):
            return " ".join(first), " ".join(second)
    return None


def is_service_table(roles: dict[Role, list[int]]) -> bool:
    """A DVC table names services and counts or connects them."""
    counted = {Role.TOTAL, Role.ONLINE, Role.CONNECTED, Role.CONNECTED_YES, Role.RATE}
    return Role.SERVICE in roles and any(role in roles for role in counted)
