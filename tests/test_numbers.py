from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dean06.normalize.numbers import (
    format_vn_decimal,
    format_vn_int,
    parse_vn_int,
    parse_vn_percent,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("158.857", 158857),
        ("04", 4),
        ("0", 0),
        ("", None),
        ("-", None),
        ("2,467", 2467),
        ("1.874.879", 1874879),
        ("1 253", 1253),
        ("O4", 4),
        ("x", None),
        ("Đang giải quyết", None),
        ("148.82\n9", 148829),  # a narrow cell wrapped the count inside its last group
        ("1.318.2 7", None),  # the tail does not fill the group to three digits
        ("12.5 3", None),
        ("8,1 37", None),  # a decimal and a count side by side
    ],
)
def test_parse_vn_int(text: str, expected: int | None) -> None:
    assert parse_vn_int(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90,61%", 90.61),
        ("100%", 100.0),
        ("100,00%", 100.0),
        ("100", 100.0),
        ("0,08", 0.08),
        ("35", 35.0),
        ("64,29 %", 64.29),
        ("", None),
        ("-", None),
        ("1.234", None),
        # a full stop, or a speck OCR read as punctuation, after the rate (seed 2505's
        # hard scan: "68%.", "62%:", "50.0." stored as unknown)
        ("68%.", 68.0),
        ("62%:", 62.0),
        ("50.0.", 50.0),
        ("...", None),
        (".", None),
    ],
)
def test_parse_vn_percent(text: str, expected: float | None) -> None:
    assert parse_vn_percent(text) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_int_round_trip(value: int) -> None:
    assert parse_vn_int(format_vn_int(value)) == value


@given(st.integers(min_value=0, max_value=100_000))
def test_percent_round_trip(hundredths: int) -> None:
    value = hundredths / 100
    assert parse_vn_percent(format_vn_decimal(value) + "%") == pytest.approx(value)
