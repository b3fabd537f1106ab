"""Official administrative units for a report's locality (gazetteer: ``vietnamadminunits``).

The locality and its parents as printed are resolved to the official names and codes of the
units before the 2025 reorganisation, then mapped to the unit that replaced them (districts
were abolished in 2025, so a district maps to its new province only).
"""

from __future__ import annotations

from functools import lru_cache

from dean06.normalize.text import ascii_key
from dean06.schemas import Finding, LocalityUnits, ReportMeta, Severity

PROVINCE_LEVELS = {"tỉnh"}
DISTRICT_LEVELS = {"huyện", "quận", "thị xã"}
COMMUNE_LEVELS = {"xã", "phường", "thị trấn"}
# Cities under the central government are provinces; any other "thành phố" is a district.
CENTRAL_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}


def gazetteer_level(meta: ReportMeta) -> int | None:
    """1 province, 2 district, 3 commune; None when the level is unknown."""
    level = (meta.locality_level or "").casefold()
    if level in PROVINCE_LEVELS:
        return 1
    if level == "thành phố":
        central = ascii_key(meta.locality_name or "").removeprefix("tp ") in CENTRAL_CITIES
        return 1 if central or not meta.province else 2
    if level in DISTRICT_LEVELS:
        return 2
    if level in COMMUNE_LEVELS:
        return 3
    return None


def resolve_locality(meta: ReportMeta) -> LocalityUnits | None:
    """The official units of ``meta``'s locality, or None when the gazetteer cannot tell."""
    level = gazetteer_level(meta)
    if level is None or not meta.locality_name:
        return None
    parents = [meta.district if level == 3 else None, meta.province if level > 1 else None]
    address = ", ".join(p for p in (meta.locality_name, *parents) if p)
    return _resolve(address, level)


def locality_finding(meta: ReportMeta) -> Finding:
    return Finding(
        severity=Severity.INFO,
        code="locality_unresolved",
        message=f"locality {meta.locality_level} {meta.locality_name} not found in the gazetteer",
    )


@lru_cache(maxsize=4096)
def _resolve(address: str, level: int) -> LocalityUnits | None:
    from vietnamadminunits import convert_address, parse_address

    try:
        old = parse_address(address, mode="LEGACY", level=level)
    except (ValueError, KeyError):
        return None
    name = ascii_key(address.split(",")[0])
    found = {1: old.short_province, 2: old.short_district, 3: old.short_ward}[level]
    if not found or ascii_key(found) != name:
        return None
    units = LocalityUnits(
        locality_code={1: old.province_code, 2: old.district_code, 3: old.ward_code}[level],
        province=old.short_province,
        province_code=old.province_code,
        district=old.short_district,
        district_code=old.district_code,
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
