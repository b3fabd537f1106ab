"""Agency names as reports print them: the words that open one, and a heading that is one."""

from __future__ import annotations

import re

# The words an agency's name opens with, in print case ("Công an tỉnh", "Sở Tư pháp").
AGENCY_WORD = re.compile(
    r"^(?:Công an|UBND|Ủy ban|Sở|Phòng|BHXH|Bảo hiểm xã hội|Cục|Chi cục|Điện lực|Văn phòng|"
    r"Tòa án|Kho bạc|Trung tâm|Ngân hàng|Bưu điện|Bộ)\b"
)
_HEADING_WORDS = 5  # an agency's name, its aside in brackets aside


def names_an_agency(text: str) -> bool:
    """``text`` is an agency's name, an aside in brackets aside ("Sở Y tế (bổ sung …")."""
    bare = text.split("(")[0].strip()
    return bool(AGENCY_WORD.match(bare)) and len(bare.split()) <= _HEADING_WORDS
