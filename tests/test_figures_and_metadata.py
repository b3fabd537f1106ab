from __future__ import annotations

import datetime as dt

import pytest

from dean06.normalize.figures import blocks_to_figures, text_to_figures
from dean06.normalize.metadata import parse_period
from dean06.schemas import TextBlock


def pairs(text: str) -> list[tuple[int, int, float | None]]:
    return [(f.numerator, f.denominator, f.percent) for f in text_to_figures(text)]


def test_percent_after_the_ratio() -> None:
    text = "Công an huyện đã tiếp nhận hồ sơ là 8.504/9.385 hồ sơ (đạt 90,61%)."
    assert pairs(text) == [(8504, 9385, 90.61)]
    assert text_to_figures(text)[0].unit == "hồ sơ"


def test_percent_right_before_the_ratio() -> None:
    assert pairs("kết quả đạt tỷ lệ 99,91% (16.074/16.089)") == [(16074, 16089, 99.91)]


def test_one_percent_for_a_whole_list_stays_null() -> None:
    text = (
        "đạt tỷ lệ 100% như: Thông báo lưu trú 41.251/41.251; Cấp hộ chiếu phổ thông 34.879/34.879"
    )
    assert pairs(text) == [(41251, 41251, None), (34879, 34879, None)]
    assert [f.label for f in text_to_figures(text)] == [
        "Thông báo lưu trú",
        "Cấp hộ chiếu phổ thông",
    ]


def test_percent_in_the_next_sentence_is_not_taken() -> None:
    assert pairs("Hiện đã sao chụp 57.374/71.643 hồ sơ hộ tịch. Đạt 80,08% kế hoạch.") == [
        (57374, 71643, None)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Công văn số 2857/UBND-CA, ngày 07/6/2023",
        "Nghị định 42/2022/NĐ-CP",
        "trong tháng 5/2024",
        "Cấp điện mới từ lưới điện hạ áp (220/380V)",
        "từ ngày 15/12/2023 đến ngày 14/6/2024",
        "ngày 01/6 và 01/12/2022",
    ],
)
def test_dates_document_numbers_and_voltages_are_not_figures(text: str) -> None:
    assert pairs(text) == []


def test_latex_and_units_between_numbers() -> None:
    assert pairs("phụ huynh: 191/199 = 96%") == [(191, 199, 96.0)]
    assert pairs("đã có 177 lượt/624 lượt truy cập") == [(177, 624, None)]


def test_colon_label() -> None:
    figure = text_to_figures("Đăng ký thường trú: 2.200/2.204 hồ sơ (đạt 99,82%)")[0]
    assert figure.label == "Đăng ký thường trú"


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("Kết quả Tháng 9 năm 2023", "Tháng 9 năm 2023", dt.date(2023, 9, 1), dt.date(2023, 9, 30)),
        (
            "trong 8 tháng đầu năm 2024",
            "8 tháng đầu năm 2024",
            dt.date(2024, 1, 1),
            dt.date(2024, 8, 31),
        ),
        (
            "Đề án giai đoạn 2022 - 2025, tầm nhìn đến năm 2030” năm 2022, nhiệm vụ năm 2023",
            "năm 2022",
            dt.date(2022, 1, 1),
            dt.date(2022, 12, 31),
        ),
        (
            "Từ ngày 10/5/2024 đến 04/6/2024",
            "Từ ngày 10/5/2024 đến 04/6/2024",
            dt.date(2024, 5, 10),
            dt.date(2024, 6, 4),
        ),
        ("báo cáo quý II năm 2024", "quý II năm 2024", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("tháng 02/2024", "tháng 02/2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_periods(text: str, label: str, start: dt.date, end: dt.date) -> None:
    assert parse_period(text) == (label, start, end)


def test_a_thousands_dot_ocr_read_as_a_colon_is_a_dot_on_scanned_pages() -> None:
    """Fresh seed 3405's hard scan read "26.089/87.957 thẻ" as "26.089/87:957": the figure
    was stored as 26.089/87. On a scanned page a colon before three digits is the dot."""
    text = "Số lượng thẻ bảo hiểm y tế đã đồng bộ với CCCD là 26.089/87:957 thẻ, đạt tỷ lệ 29,66%."
    [read] = blocks_to_figures([TextBlock(page=1, text=text)], ocr_pages=[1])
    assert (read.numerator, read.denominator, read.percent) == (26089, 87957, 29.66)
    [printed] = blocks_to_figures([TextBlock(page=1, text=text)])
    assert printed.denominator == 87
