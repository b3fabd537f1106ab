"""The consolidated Phụ lục I (QĐ 06) or II (QĐ 422) table, ready to attach to a report.

STT and the catalogue's service names, connection, total, online with its rate, on time
and overdue, under a merged two-level header, in Vietnamese number format (11.303,
99,58%). XLSX keeps numbers as numbers (the format shows them the Vietnamese way in any
locale); DOCX writes them as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dean06.errors import ExportError
from dean06.normalize.numbers import format_vn_decimal, format_vn_int
from dean06.rollup import Rollup

TITLES = {
    "QD06": (
        "PHỤ LỤC I",
        "KẾT QUẢ TRIỂN KHAI 25 DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 06/QĐ-TTg",
    ),
    "QD422": (
        "PHỤ LỤC II",
        "KẾT QUẢ TRIỂN KHAI 28 DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 422/QĐ-TTg",
    ),
}
# Two header rows: (text, first column, last column) of the top row; the bottom row's texts.
HEADER_TOP = [
    ("STT", 1, 1),
    ("Tên dịch vụ công", 2, 2),
    ("Kết nối với Cổng DVC quốc gia", 3, 3),
    ("Tổng số hồ sơ", 4, 4),
    ("Hồ sơ trực tuyến", 5, 6),
    ("Tình hình xử lý hồ sơ trực tuyến", 7, 8),
]
HEADER_BOTTOM = ["", "", "", "", "Số hồ sơ", "Tỷ lệ (%)", "Đúng hạn", "Quá hạn"]
VALUE_FIELDS = ("total", "online", "rate_pct", "on_time", "overdue")
# Dots for thousands and a comma for decimals whatever the reader's locale.
COUNT_FORMAT = r"[>=1000000]#\.###\.##0;[>=1000]#\.##0;0"
RATE_FORMAT = r'0\,00"%"'


def connection_mark(row: dict[str, Any]) -> str:
    """x when every locality counting the service is connected, else "connected/localities"."""
    if not row["localities"]:
        return ""
    if row["connected"] >= row["localities"]:
        return "x"
    return f"{row['connected']}/{row['localities']}"


def appendix_rows(rollup: Rollup, scheme: str) -> list[dict[str, Any]]:
    """The roll-up's rows of one scheme, in catalogue order."""
    return [row for row in rollup.rows if row["scheme"] == scheme]


def subtitle(rollup: Rollup) -> str:
    level = "các xã" if rollup.level.value == "commune" else "các huyện"
    return (
        f"(Tổng hợp số liệu {rollup.period.vietnamese} của {level}, "
        f"{rollup.province}: {len(rollup.reporting)} đơn vị báo cáo"
        + (f"/{rollup.expected}" if rollup.expected else "")
        + ")"
    )


def write_appendix(rollup: Rollup, scheme: str, target: Path) -> Path:
    """Write the appendix of ``scheme`` to ``target`` (.xlsx or .docx)."""
    if scheme not in TITLES:
        raise ExportError(f"--appendix {scheme}: write QD06 or QD422")
    suffix = target.suffix.lower()
    rows = appendix_rows(rollup, scheme)
    try:
        if suffix == ".xlsx":
            _write_xlsx(rollup, scheme, rows, target)
        elif suffix == ".docx":
            _write_docx(rollup, scheme, rows, target)
        else:
            raise ExportError(f"{target}: an appendix is written as .xlsx or .docx")
    except OSError as exc:
        raise ExportError(f"{target}: cannot write ({exc.strerror})") from exc
    return target


def _write_xlsx(rollup: Rollup, scheme: str, rows: list[dict[str, Any]], target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TITLES[scheme][0]
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for line, text in enumerate([*TITLES[scheme], subtitle(rollup)], start=1):
        sheet.cell(line, 1, text).font = Font(bold=line < 3)
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=8)
        sheet.cell(line, 1).alignment = centred
    top, bottom = 5, 6
    for text, first, last in HEADER_TOP:
        sheet.cell(top, first, text)
        if first == last:
            sheet.merge_cells(start_row=top, start_column=first, end_row=bottom, end_column=last)
        else:
            sheet.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
    for column, text in enumerate(HEADER_BOTTOM, start=1):
        if text:
            sheet.cell(bottom, column, text)
    for line in (top, bottom):
        for column in range(1, 9):
            cell = sheet.cell(line, column)
            cell.font, cell.alignment, cell.border = Font(bold=True), centred, box
    for offset, row in enumerate(rows, start=bottom + 1):
        group = row["kind"] == "group"
        values = [row["item"], row["service_name"], "" if group else connection_mark(row)]
        values += [None if group else row[field] for field in VALUE_FIELDS]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(offset, column, value)
            cell.border = box
            cell.font = Font(bold=group)
            if column >= 4:
                cell.number_format = RATE_FORMAT if column == 6 else COUNT_FORMAT
            cell.alignment = Alignment(
                horizontal="left" if column == 2 else "center", vertical="center", wrap_text=True
            )
    for column, width in zip("ABCDEFGH", (6, 60, 14, 12, 12, 10, 11, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(bottom + 1, 3)
    workbook.save(target)


def vn_cell(field: str, value: Any) -> str:
    """A value as the appendix prints it: 11.303, 99,58%; blank for none."""
    if value is None:
        return ""
    if field == "rate_pct":
        return f"{format_vn_decimal(float(value))}%"
    return format_vn_int(int(value))


def _write_docx(rollup: Rollup, scheme: str, rows: list[dict[str, Any]], target: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)
    for index, text in enumerate([*TITLES[scheme], subtitle(rollup)]):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = index < 2
    table = document.add_table(rows=2 + len(rows), cols=8)
    table.style = "Table Grid"
    for text, first, last in HEADER_TOP:
        cell = table.cell(0, first - 1)
        merged = cell.merge(table.cell(1 if first == last else 0, last - 1))
        merged.text = text
    for column, text in enumerate(HEADER_BOTTOM):
        if text:
            table.cell(1, column).text = text
    for line in (0, 1):
        for cell in table.rows[line].cells:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in paragraph.runs:
                    run.bold = True
    for line, row in enumerate(rows, start=2):
        group = row["kind"] == "group"
        values = [row["item"], row["service_name"], "" if group else connection_mark(row)]
        values += ["" if group else vn_cell(field, row[field]) for field in VALUE_FIELDS]
        for column, value in enumerate(values):
            cell = table.cell(line, column)
            cell.text = str(value)
            for run in cell.paragraphs[0].runs:
                run.bold = group
    for column, width in enumerate((1.2, 9.5, 2.6, 2.4, 2.4, 2.0, 2.2, 2.0)):
        for cell in table.columns[column].cells:
            cell.width = Cm(width)
    document.save(str(target))
