"""A report's locality: a unit the gazetteer (``vietnamadminunits``) knows, never a word.

Candidates come from the issuing body of the header block ("UBND HUYỆN" / "CHƯ PĂH"),
then the title ("… trên địa bàn huyện Chư Păh …"), then the opening lines ("UBND huyện
Krông Nô báo cáo"); the place-and-date line confirms. A candidate is the unit level
printed and up to five words after it; the longest run of those words that the gazetteer
resolves at that level, with the parents the report names, is the locality. Units before
the 2025 reorganisation and after it (34 provinces, no districts) are both known; a
report dated after mid-2025 is looked up in the new units first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from dean06.normalize.text import ascii_key, vn_key
from dean06.schemas import LocalityUnits

LEVELS = (
    "xã",
    "phường",
    "thị trấn",
    "đặc khu",
    "huyện",
    "thị xã",
    "thành phố",
    "quận",
    "tỉnh",
)
LEVEL_RANK = {
    "xã": 0, "phường": 0, "thị trấn": 0, "đặc khu": 0,
    "huyện": 1, "quận": 1, "thị xã": 1, "thành phố": 1,
    "tỉnh": 2,
}  # fmt: skip
# Cities under the central government are provinces; any other "thành phố" is a district.
CENTRAL_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}
REORGANISED = dt.date(2025, 7, 1)
_LEVEL_ALT = "|".join(sorted((re.escape(level) for level in LEVELS), key=len, reverse=True))
_CANDIDATE = re.compile(rf"(?<!\w)({_LEVEL_ALT}|tp\.?)(?=\s+([^,.;:()“”\"\n]+))", re.I)
_NAME_STOP = {
    "tháng", "năm", "quý", "từ", "đến", "ngày", "về", "báo", "kính", "trong", "theo",
    "đề", "tổ", "ubnd", "công", "và", "như", "đã", "để", "là", "trên",
}  # fmt: skip
_MAX_WORDS = 5


@dataclass(frozen=True)
class Candidate:
    level: str  # lower case, as in LEVELS
    words: tuple[str, ...]
    source: str  # issuer, title, body


@dataclass
class Locality:
    level: str
    name: str
    province: str | None
    district: str | None
    units: LocalityUnits


def candidates(text: str, source: str, upper: bool = False) -> list[Candidate]:
    """Unit level + the words after it, in ``text``. ``upper``: a letterhead in capitals
    ("UBND HUYỆN CHƯ PĂH"), whose words are title-cased; otherwise the name is the run
    of capitalised words after a lower-case level ("huyện Chư Păh")."""
    found = []
    if upper:
        text = mend_misread_level(text)
    for match in _CANDIDATE.finditer(text):
        printed = match.group(1)
        if not upper and not printed[:1].islower():
            continue
        level = "thành phố" if printed.lower().startswith("tp") else printed.lower()
        words: list[str] = []
        for word in match.group(2).split():
            if upper:
                if word.lower() in LEVELS or len(words) == _MAX_WORDS or not word[0].isalnum():
                    break
                words.append(word.capitalize() if word.isupper() else word)
            else:
                if word.lower() in _NAME_STOP or not word[:1].isupper() or len(words) == 4:
                    break
                words.append(word)
        if words:
            found.append(Candidate(level, tuple(words), source))
    return found


# The one-word levels a letterhead prints after "UBND" / "ỦY BAN NHÂN DÂN", in capitals.
_LETTERHEAD_LEVELS = {
    ascii_key(level).upper(): level.upper() for level in ("tỉnh", "huyện", "quận", "phường")
}
_ISSUER_WORDS = frozenset({"UBND", "DÂN"})
_AFTER_THI = frozenset({"XÃ", "TRẤN"})  # the second word of "THỊ XÃ", "THỊ TRẤN"
_LETTERS_PER_EDIT = 4  # a name's letters (spaces counted) per letter OCR may misread


def mend_misread_level(text: str) -> str:
    """A letterhead in capitals with the level after "UBND" read one letter off by OCR
    ("UBND TNH HÒA BÌNH") set right ("UBND TỈNH HÒA BÌNH"), where one level is that near,
    and so the first word of a two-word level ("CÔNG AN TGHỊ XÃ": "THỊ XÃ"); text printed
    right is left as it is."""
    words = text.split(" ")
    for index in range(len(words) - 1):
        word, after = words[index], words[index + 1]
        unmarked = ascii_key(word).upper() == "THI"  # "THI XÃ": its mark lost
        if after in _AFTER_THI and word != "THỊ" and (unmarked or _one_letter_off(word, "THI")):
            words[index] = "THỊ"
    for index in range(1, len(words)):
        word = words[index]
        if words[index - 1] not in _ISSUER_WORDS or len(word) < 3 or word.lower() in LEVELS:
            continue
        near = [
            printed for key, printed in _LETTERHEAD_LEVELS.items() if _one_letter_off(word, key)
        ]
        if len(near) == 1:
            words[index] = near[0]
    return " ".join(words)


def _one_letter_off(word: str, key: str) -> bool:
    """Whether ``word`` is ``key`` (capitals, no marks) with one letter misread."""
    return (
        len(word) >= 3 and Levenshtein.distance(ascii_key(word).upper(), key, score_cutoff=1) == 1
    )


def find_locality(
    found: list[Candidate], place: str | None, after_2025: bool
) -> tuple[Locality | None, str]:
    """The report's unit from its candidates (in order of trust), or None and why."""
    if not found:
        return None, "no unit (xã, huyện, tỉnh …) is named in the header, title or opening"
    provinces = [c for c in found if LEVEL_RANK[c.level] == 2 or _central(c)]
    districts = [c for c in found if LEVEL_RANK[c.level] == 1 and not _central(c)]
    ordered = _header_first(_by_trust(found, place), place)
    if not ordered:
        return (
            None,
            "no unit is named in the header or title, and the opening's do not match "
            f"the place line ({place or 'none printed'})",
        )
    for candidate in ordered:
        located = _locate(candidate, provinces, districts, after_2025)
        if located is None and (respelt := _spelt_as_place(candidate, place)) is not None:
            located = _locate(respelt, provinces, districts, after_2025)
        if located:
            return located, ""
    tried = ", ".join(dict.fromkeys(f"{c.level} {' '.join(c.words)}" for c in ordered))
    return None, f"none of the units named ({tried}) is in the gazetteer"


def _spelt_as_place(candidate: Candidate, place: str | None) -> Candidate | None:
    """The candidate spelt as the place line spells the same name, where the two differ in
    their marks ("XÃ CHƯ PÄH", a scan's misread "Ă", and "Chư Păh, ngày …") or in a letter
    OCR misread ("FA KAR" and "Ea Kar, ngày …"; one in every ``_LETTERS_PER_EDIT``), or
    None. The candidate may run on into the next line's words ("FA KAR TỔ CÔNG TÁC")."""
    place_words = (place or "").split()[: len(candidate.words)]
    named = candidate.words[: len(place_words)]  # the words after it may be the next line's
    if not place_words:
        return None
    place_key, candidate_key = (ascii_key(" ".join(words)) for words in (place_words, named))
    edits = Levenshtein.distance(place_key, candidate_key)
    if edits > len(candidate_key) // _LETTERS_PER_EDIT:
        return None
    if not edits and vn_key(" ".join(place_words)) == vn_key(" ".join(named)):
        return None
    words = (*place_words, *candidate.words[len(place_words) :])
    return Candidate(candidate.level, words, candidate.source)


def _header_first(ordered: list[Candidate], place: str | None) -> list[Candidate]:
    """Units named by the header block (issuer, title) when there are any; else only the
    opening's units that the place line names: a unit merely mentioned in the narrative
    ("… trên địa bàn huyện X") is never the report's."""
    header = [c for c in ordered if c.source != "body"]
    if header:
        return header
    place_key = ascii_key(place or "")
    return [c for c in ordered if place_key and place_key.startswith(ascii_key(c.words[0]))]


def _by_trust(found: list[Candidate], place: str | None) -> list[Candidate]:
    """Issuer first (its lowest unit: "UBND HUYỆN X" over "UBND TỈNH Y" above it), then
    the title, then the opening; within each, a name the place line repeats first."""
    order = {"issuer": 0, "title": 1, "body": 2}
    place_key = ascii_key(place or "")
    counts = Counter((c.level, c.words) for c in found)

    def trust(item: tuple[int, Candidate]) -> tuple[int, int, int, int, int]:
        index, c = item
        on_place = bool(place_key) and place_key.startswith(ascii_key(c.words[0]))
        rank = LEVEL_RANK[c.level] if c.source == "issuer" else 0
        return (order[c.source], rank, 0 if on_place else 1, -counts[c.level, c.words], index)

    return [c for _, c in sorted(enumerate(found), key=trust)]


def _central(candidate: Candidate) -> bool:
    return candidate.level == "thành phố" and any(
        ascii_key(" ".join(candidate.words[:n])) in CENTRAL_CITIES
        for n in range(1, len(candidate.words) + 1)
    )


def _locate(
    candidate: Candidate, provinces: list[Candidate], districts: list[Candidate], after: bool
) -> Locality | None:
    """The unit a candidate names, its longest name first. A unit spelt as printed wins
    over one matched without diacritics ("Đông Thịnh" is not "Đồng Thịnh"), which is
    taken only when no unit has the printed spelling (a scan misread a tone mark)."""
    rank = 2 if _central(candidate) else LEVEL_RANK[candidate.level]
    province_names = _prefixes(p for p in provinces if p != candidate)
    district_names = _prefixes(d for d in districts if d != candidate) if rank == 0 else []
    loose: Locality | None = None
    for size in range(len(candidate.words), 0, -1):
        name = " ".join(candidate.words[:size])
        for province in [*province_names, None] if rank < 2 else [None]:
            for district in [*district_names, None] if rank == 0 else [None]:
                units = resolve(name, rank, district, province, after, candidate.level)
                if units is None:
                    continue
                located = Locality(
                    level=candidate.level,
                    name=units.name or name,
                    province=units.province or units.new_province,
                    district=units.district if rank == 0 else None,
                    units=units,
                )
                if units.name is None or vn_key(units.name) == vn_key(name):
                    return located
                loose = loose or located
        if loose is not None:
            return loose
    return None


def _prefixes(found: Iterable[Candidate]) -> list[str]:
    """Every leading run of each candidate's words, longest first (parents as hints)."""
    names = []
    for c in found:
        names += [" ".join(c.words[:n]) for n in range(len(c.words), 0, -1)]
    return list(dict.fromkeys(names))


def resolve(
    name: str,
    rank: int,
    district: str | None,
    province: str | None,
    after_2025: bool,
    level: str = "",
) -> LocalityUnits | None:
    """The official units of ``name`` at ``rank`` (2 province, 1 district, 0 commune).
    A commune named without its parents is found when its name is unique in the country."""
    if rank < 2 and district is None and province is None and level:
        return _resolve_unique(name, level, rank, after_2025)
    legacy = _resolve_legacy(", ".join(p for p in (name, district, province) if p), rank)
    if rank == 1:  # districts exist only before the reorganisation
        return legacy
    new = _resolve_new(", ".join(p for p in (name, province) if p), rank)
    if after_2025:
        return new or legacy
    return legacy or new


def _resolve_unique(name: str, level: str, rank: int, after_2025: bool) -> LocalityUnits | None:
    """A commune or district named without its parents, when no other unit of that name
    and level exists in the country ("thị xã Sơn Tây" but not "huyện Sơn Tây")."""
    tables = ("admin_units", "admin_units_legacy") if after_2025 else ("admin_units_legacy",
                                                                        "admin_units")  # fmt: skip
    for table in tables if rank == 0 else ("admin_units_legacy",):
        places = _units(table, rank).get((vn_key(name), level), [])
        if len(places) != 1:
            places = list(dict.fromkeys(_units(table, rank).get((vn_key(name), "*"), [])))
        if len(places) != 1:
            continue
        address = ", ".join((name, *places[0]))
        units = (
            _resolve_new(address, 0) if table == "admin_units" else _resolve_legacy(address, rank)
        )
        if units is not None:
            return units
    return None


@lru_cache(maxsize=4)
def _units(table: str, rank: int) -> dict[tuple[str, str], list[tuple[str, ...]]]:
    """Communes (rank 0) or districts (rank 1) by (name key, level) and by (name key, "*")
    → their parents."""
    from vietnamadminunits.database import query

    if rank == 1:
        sql = f"SELECT DISTINCT districtShort, districtType, provinceShort FROM {table}"
    elif table.endswith("legacy"):
        sql = f"SELECT DISTINCT wardShort, wardType, districtShort, provinceShort FROM {table}"
    else:
        sql = f"SELECT DISTINCT wardShort, wardType, provinceShort FROM {table}"
    found: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for row in query(sql):
        name, kind, *parents = row.values()
        if name:
            for level in ((kind or "").casefold(), "*"):
                found.setdefault((vn_key(name), level), []).append(tuple(parents))
    return found


def resolve_locality(level: str, name: str, province: str | None = None) -> LocalityUnits | None:
    """The units of a locality named with its level (and province) as an analyst types it."""
    rank = LEVEL_RANK.get(level.casefold())
    if rank is None:
        return None
    if level.casefold() == "thành phố" and ascii_key(name) in CENTRAL_CITIES:
        rank = 2
    return resolve(name, rank, None, province, after_2025=False)


def _same_name(found: str, name: str) -> bool:
    """Equal names; without diacritics only for names of two words or more ("Thanh Hoa"),
    so that a single word never stands for another ("Chư" is not "Chũ")."""
    if vn_key(found) == vn_key(name):
        return True
    return len(name.split()) >= 2 and ascii_key(found) == ascii_key(name)


@lru_cache(maxsize=4096)
def _resolve_legacy(address: str, rank: int) -> LocalityUnits | None:
    from vietnamadminunits import convert_address, parse_address

    level = {2: 1, 1: 2, 0: 3}[rank]
    try:
        old = parse_address(address, mode="LEGACY", level=level)
    except (ValueError, KeyError):
        return None
    found = {1: old.short_province, 2: old.short_district, 3: old.short_ward}[level]
    if not found or not _same_name(found, address.split(",")[0]):
        return None
    units = LocalityUnits(
        name=found,
        locality_code={1: old.province_code, 2: old.district_code, 3: old.ward_code}[level],
        province=old.short_province,
        province_code=old.province_code,
        district=old.short_district or None,
        district_code=old.district_code or None,
    )
    try:
        new = convert_address(old.get_address())
    except (ValueError, KeyError):
        return units
    units.new_province, units.new_province_code = new.short_province, new.province_code
    if level == 1:
        units.new_locality, units.new_locality_code = new.short_province, new.province_code
    elif level == 3:
        units.new_locality, units.new_locality_code = new.short_ward, new.ward_code
    return units


@lru_cache(maxsize=4096)
def _resolve_new(address: str, rank: int) -> LocalityUnits | None:
    """A unit of the 34 provinces and their communes (from July 2025)."""
    from vietnamadminunits import parse_address

    level = 1 if rank == 2 else 2
    try:
        unit = parse_address(address, mode="FROM_2025", level=level)
    except (ValueError, KeyError):
        return None
    found = unit.short_province if level == 1 else unit.short_ward
    if not found or not _same_name(found, address.split(",")[0]):
        return None
    units = LocalityUnits(
        name=found, new_province=unit.short_province, new_province_code=unit.province_code
    )
    if level == 1:
        units.new_locality, units.new_locality_code = unit.short_province, unit.province_code
    else:
        units.new_locality, units.new_locality_code = unit.short_ward, unit.ward_code
    return units
