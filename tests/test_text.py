from __future__ import annotations

from dean06.normalize.text import ascii_key, clean_text, vn_key


def test_tone_styles_share_one_key() -> None:
    assert vn_key("Thanh Hoá") == vn_key("Thanh Hóa")
    assert vn_key("thuỷ lợi") == vn_key("thủy lợi")


def test_eth_lookalike_is_folded() -> None:
    assert vn_key("\u00d0ăng ký") == vn_key("Đăng ký")


def test_decomposed_input_is_composed() -> None:
    assert vn_key("Đa\u0306ng ky\u0301") == "đăng ký"


def test_ascii_key_drops_diacritics() -> None:
    assert ascii_key("Đăng ký thường trú") == "dang ky thuong tru"


def test_clean_text_strips_converter_markup() -> None:
    assert (
        clean_text("<b>Thủ tục liên thông:</b> Đăng ký khai tử")
        == "Thủ tục liên thông: Đăng ký khai tử"
    )
    assert clean_text("$191/199 = 96\\%$") == "191/199 = 96%"
    assert clean_text("**16.074/16.089**") == "16.074/16.089"


def test_footnote_markers_are_no_part_of_a_word() -> None:
    # a converter keeps the superscript: "Đúng² hạn" must still name the on-time column
    assert ascii_key("Đúng² hạn,") == "dung han"
    assert vn_key("trên cổng¹ Dịch vụ công") == "trên cổng dịch vụ công"


def test_a_lone_accent_read_from_a_speck_is_dropped() -> None:
    """Agency cells of seeds 1701 and 1703's hard scans as OCR read them."""
    from dean06.normalize.text import clean_ocr_cell

    assert clean_ocr_cell("UBND ˆ cấp xã") == "UBND cấp xã"
    assert clean_ocr_cell("UBND cấp xã ˆ") == "UBND cấp xã"
    assert clean_ocr_cell("Xác nhận ✓") == "Xác nhận ✓"  # a mark is no accent


def test_a_speck_read_before_a_count_is_dropped() -> None:
    """Count cells of seed 3505's hard scan as OCR read them (".11.607" was an unread
    on-time count); a decimal comma that lost its "0" (",5%") is no speck."""
    from dean06.normalize.numbers import parse_vn_int
    from dean06.normalize.text import clean_ocr_cell

    assert parse_vn_int(clean_ocr_cell(".11.607")) == 11607
    assert parse_vn_int(clean_ocr_cell("'5.712")) == 5712
    assert clean_ocr_cell(",5%") == ",5%"
    assert clean_ocr_cell("a.b") == "a.b"
