"""Table engine choice: camelot reads the tables pdfplumber cannot see.

The documents are drawn here: a DVC table whose rules are a raster image (as some
converters and scanners-with-text-layer write them) and the same table with no rules
and a plain (not bold) header, which neither pdfplumber nor the borderless
reconstruction picks up.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from dean06.catalog import Matcher
from dean06.extract.pdf import PdfReader
from dean06.extract.quality import grid_quality
from dean06.pipeline import process_file
from dean06.schemas import Table

from .family import register_fonts

HEADER = ["STT", "Tên dịch vụ công", "Tổng số hồ sơ", "Hồ sơ trực tuyến", "Tỷ lệ (%)"]
ROWS = [
    ["1", "Đăng ký thường trú", "1.250", "980", "78,4"],
    ["2", "Đăng ký tạm trú", "3.410", "2.995", "87,8"],
    ["3", "Khai báo tạm vắng", "120", "96", "80,0"],
    ["4", "Đăng ký khai sinh", "2.046", "1.530", "74,8"],
    ["5", "Đăng ký khai tử", "410", "205", "50,0"],
    ["6", "Đăng ký kết hôn", "655", "312", "47,6"],
    ["7", "Cấp phiếu lý lịch tư pháp", "1.808", "1.402", "77,5"],
    ["8", "Cấp đổi, cấp lại giấy phép lái xe", "5.870", "4.410", "75,1"],
]
SERVICE_IDS = ["QD06-3", "QD06-4", "QD06-5", "QD06-9", "QD06-10", "QD06-11", "QD06-22", "QD06-20"]
WIDTHS = [40, 280, 110, 110, 90]
ROW_HEIGHT = 24
LEFT, TOP = 60, 120  # points from the page's top left


def draw(path: Path, rules: bool) -> None:
    """One landscape page: a title, then the table; ``rules`` drawn as an image."""
    register_fonts()  # the family's, so that the order tests run in does not matter
    width, height = landscape(A4)
    page = canvas.Canvas(str(path), pagesize=(width, height))
    page.setFont("DejaVuSerif", 11)
    page.drawString(LEFT, height - 70, "PHỤ LỤC I. KẾT QUẢ GIẢI QUYẾT DỊCH VỤ CÔNG THIẾT YẾU")
    page.drawString(
        LEFT, height - 86, "(Kèm theo Báo cáo của UBND huyện Yên Thế, tháng 6 năm 2024)"
    )
    rows = [HEADER, *ROWS]
    table_width, table_height = sum(WIDTHS), ROW_HEIGHT * len(rows)
    if rules:
        page.drawImage(_grid_image(len(rows)), LEFT, height - TOP - table_height,
                       table_width, table_height)  # fmt: skip
    page.setFont("DejaVuSerif", 9)
    for r, row in enumerate(rows):
        baseline = height - TOP - r * ROW_HEIGHT - 15
        x = LEFT
        for text, column_width in zip(row, WIDTHS, strict=True):
            page.drawString(x + 4, baseline, text)
            x += column_width
    page.showPage()
    page.save()


def _grid_image(row_count: int) -> ImageReader:
    scale = 3  # pixels per point
    size = (sum(WIDTHS) * scale, ROW_HEIGHT * row_count * scale)
    image = Image.new("L", size, 255)
    pen = ImageDraw.Draw(image)
    xs = [0]
    for column_width in WIDTHS:
        xs.append(xs[-1] + column_width * scale)
    xs[-1] -= 2
    for x in xs:
        pen.line([(x, 0), (x, size[1])], fill=0, width=2)
    for r in range(row_count + 1):
        y = min(r * ROW_HEIGHT * scale, size[1] - 2)
        pen.line([(0, y), (size[0], y)], fill=0, width=2)
    return ImageReader(image)


def _expected() -> list[list[str]]:
    return [HEADER, *ROWS]


@pytest.mark.parametrize(
    ("rules", "engine"), [(True, "camelot-lattice"), (False, "camelot-stream")]
)
def test_table_no_vector_rule_shows_is_read_by_camelot(
    tmp_path: Path, rules: bool, engine: str
) -> None:
    path = tmp_path / f"rules_{rules}.pdf"
    draw(path, rules)
    with pdfplumber.open(path) as pdf:
        assert pdf.pages[0].find_tables() == []  # no vector rule for pdfplumber
    tables = [item for item in PdfReader().read(path).items if isinstance(item, Table)]
    assert [t.engine for t in tables] == [engine]
    rows = [row for row in tables[0].rows if any(row)]
    assert rows[-len(ROWS) - 1 :] == _expected()  # stream may take the caption above too


@pytest.mark.parametrize("rules", [True, False], ids=["lattice", "stream"])
def test_services_come_out_of_a_camelot_table(
    tmp_path: Path, matcher: Matcher, rules: bool
) -> None:
    path = tmp_path / "table.pdf"
    draw(path, rules)
    result = process_file(path, matcher)
    assert [s.service_id for s in result.services] == SERVICE_IDS
    assert [(s.total, s.online, s.rate_pct) for s in result.services][:2] == [
        (1250, 980, 78.4),
        (3410, 2995, 87.8),
    ]


def test_quality_prefers_the_grid_that_reads_cleanly() -> None:
    clean = _expected()
    merged = [HEADER[:4], *[[r[0], r[1], f"{r[2]} {r[3]}", r[4]] for r in ROWS]]
    shredded = [HEADER, *[[r[0], " ".join(r[1]), *r[2:]] for r in ROWS]]
    assert grid_quality(clean) == 1.0
    assert grid_quality(merged) < 0.9
    assert grid_quality(shredded) < 0.9
    assert grid_quality([["Họ và tên", "Chức vụ", "Ghi chú"], ["A", "B", "C"]]) == 0.0
    assert grid_quality([["Tổng", "Trực tuyến"], ["281.36 8", "12"]]) == 0.0  # two columns
    assert grid_quality([["STT", "Tổng", "Trực tuyến"], ["1", "281.36 8", "12"]]) == 1.0
