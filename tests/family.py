"""A second family of Đề án 06 reports with known truth, in every input form: PDF, DOCX,
tab-separated text, and the layout and collapsed converter texts of the PDF.

Each seed draws a report the way real localities vary them: header wording and depth
(one to three levels, merged cells), column order, extra columns (agency, direct, results
split into direct/online), numbering styles, services in their own order and spelling,
group and total rows, inter-agency component rows, "Không thuộc thẩm quyền" merged across
the count columns, blank and zero rows, tables over page breaks with or without a repeated
header, borderless tables and landscape pages. The truth file follows the corpus format
(tests/data/corpus/TRUTH.md).

    python -m tests.family OUT_DIR [--count N]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dean06.catalog import load_catalogue
from dean06.normalize.numbers import format_vn_decimal, format_vn_int

from .converters import write_converter_texts

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# (name, level, parents, after the 2025 reorganisation): every level, both gazetteers.
LOCALITIES = [
    ("Kim Bình", "xã", ["huyện Chiêm Hóa", "tỉnh Tuyên Quang"], False),
    ("Đông Thịnh", "phường", ["thành phố Thanh Hóa", "tỉnh Thanh Hóa"], False),
    ("Sơn Lư", "thị trấn", ["huyện Quan Sơn", "tỉnh Thanh Hóa"], False),
    ("Chư Păh", "huyện", ["tỉnh Gia Lai"], False),
    ("Yên Thế", "huyện", ["tỉnh Bắc Giang"], False),
    ("Ea Kar", "huyện", ["tỉnh Đắk Lắk"], False),
    ("Sơn Tây", "thị xã", ["thành phố Hà Nội"], False),
    ("Cẩm Phả", "thành phố", ["tỉnh Quảng Ninh"], False),
    ("Lâm Đồng", "tỉnh", [], False),
    ("Hòa Bình", "tỉnh", [], False),
    ("Đà Nẵng", "thành phố", [], False),
    ("Minh Ngọc", "xã", ["tỉnh Tuyên Quang"], True),
    ("Hà Giang 1", "phường", ["tỉnh Tuyên Quang"], True),
    ("Chư Păh", "xã", ["tỉnh Gia Lai"], True),
    ("Lâm Đồng", "tỉnh", [], True),
    ("Huế", "thành phố", [], True),
]
PERIOD_KINDS = ("month", "quarter", "half_year", "nine_months", "year", "cumulative", "until",
                "other")  # fmt: skip
NAME_VARIANTS = {
    "QD06-1": ["Xác nhận số CMND khi đã được cấp thẻ CCCD"],
    "QD06-2": ["Cấp đổi, cấp lại thẻ Căn cước công dân", "Cấp lại, đổi thẻ CCCD"],
    "QD06-7": ["Đăng ký, cấp biển số mô tô, xe máy"],
    "QD06-8": [
        "Thu tiền nộp phạt vi phạm hành chính lĩnh vực giao thông đường bộ qua thiết bị ghi hình (phạt nguội)"
    ],
    "QD06-21": ["Đăng ký dự thi tốt nghiệp THPT quốc gia và xét tuyển đại học, cao đẳng"],
    "QD06-24": [
        "Cấp điện mới từ lưới điện hạ áp (220/380V) (Thí điểm cơ chế kết nối, chia sẻ dữ liệu)"
    ],
    "QD06-25": ["Thay đổi chủ thẻ hợp đồng mua bán điện"],
    "QD422-13.3": ["Thu, nộp tạm ứng án phí, lệ phí Tòa án"],
    "QD422-14.1": ["Giải quyết hưởng BHXH một lần"],
}
WORDING = {
    "item": ["STT", "TT", "Stt"],
    "name": [
        "Dịch vụ công trực tuyến",
        "Tên dịch vụ công",
        "Thủ tục hành chính",
        "Tên thủ tục hành chính",
    ],
    "agency": ["Cơ quan thực hiện", "Đơn vị thực hiện", "Cơ quan chủ trì"],
    "conn_text": [
        "Kết nối với Cổng DVC quốc gia (đã kết nối, chưa kết nối)",
        "Tình trạng kết nối Cổng DVCQG",
    ],
    "conn_parent": ["Kết nối với cổng DVC quốc gia", "Kết nối Cổng dịch vụ công quốc gia"],
    "total": ["Tổng hồ sơ", "Tổng số hồ sơ", "Số hồ sơ tiếp nhận", "Tổng số"],
    "direct": ["Trực tiếp", "Hồ sơ trực tiếp"],
    "online": ["Trực tuyến", "Hồ sơ trực tuyến", "Số hồ sơ trực tuyến"],
    "rate": ["Tỷ lệ", "Tỷ lệ (%)", "Tỉ lệ", "Tỷ lệ trực tuyến (%)"],
    "on_time": ["Đúng hạn", "Giải quyết đúng hạn", "Đúng hạn, trước hạn"],
    "overdue": ["Quá hạn", "Trễ hạn"],
    "note": ["Khó khăn, vướng mắc", "Ghi chú", "Khó khăn vướng mắc, đề xuất"],
    "count_parent": [
        "Tổng số hồ sơ (bao gồm trực tuyến và trực tiếp)",
        "Số hồ sơ tiếp nhận",
        "Kết quả tiếp nhận",
    ],
    "result_parent": ["Tình hình xử lý", "Kết quả giải quyết", "Tình hình xử lý hồ sơ trực tuyến"],
}
CONNECTED_WORDS = ["Đã kết nối", "x", "✓", "Đã thực hiện"]
NOT_CONNECTED_WORDS = ["Chưa kết nối", "Chưa", "Đang kết nối"]
MARKS = ["x", "X", "✓"]
AGENCY_GROUPS = ["Sở Tư pháp", "Sở Y tế (bổ sung theo Công văn số 1523/SYT-NVY)", "Công an tỉnh",
                 "Bảo hiểm xã hội tỉnh"]  # fmt: skip
SUBROW_NAMES = ["- Đối với công dân trong tỉnh", "- Đối với công dân ngoài tỉnh"]
NOT_APPLICABLE = ["Không thuộc thẩm quyền", "Không thuộc thẩm quyền của cấp huyện"]
ROLE_KEYS = (
    "total",
    "direct",
    "online",
    "rate",
    "on_time",
    "overdue",
    "on_time_direct",
    "overdue_direct",
)


@dataclass
class Column:
    key: str
    path: list[str]


@dataclass
class Layout:
    columns: list[Column]
    numbering: str
    repeat_header: bool
    borderless: bool
    landscape: bool
    group_rows: bool
    total_row: bool
    shuffle: bool
    rate_style: str
    connected_as_marks: bool
    agency_groups: bool = False  # "Sở Tư pháp" rows heading the services of that agency
    subrows: bool = False  # one service printed as "…, cụ thể:" with "- …" sub-rows
    yes_word: str = "Đã kết nối"
    no_word: str = "Chưa kết nối"
    mark: str = "x"


@dataclass
class Row:
    kind: str  # service, sub (a component), subrow, group, total
    cells: dict[str, str] = field(default_factory=dict)
    not_applicable: bool = False
    truth: dict[str, Any] | None = None


def draw_layout(rng: random.Random) -> Layout:
    pick = rng.choice
    style = rng.choice(["flat", "two_level", "three_level"])
    marks = style == "three_level" or rng.random() < 0.3
    columns = [Column("item", [pick(WORDING["item"])]), Column("name", [pick(WORDING["name"])])]
    if style == "three_level" or rng.random() < 0.4:
        columns.append(Column("agency", [pick(WORDING["agency"])]))
    parent = pick(WORDING["conn_parent"])
    if marks:
        columns += [
            Column("conn_yes", [parent, "Đã kết nối (x)"]),
            Column("conn_no", [parent, "Chưa kết nối (x)"]),
        ]
    else:
        columns.append(Column("conn_text", [pick(WORDING["conn_text"])]))
    counts = ["total", "online", "rate"]
    if style == "three_level" or rng.random() < 0.3:
        counts.insert(1, "direct")
    if style == "flat" and rng.random() < 0.5:
        rng.shuffle(counts)
    count_parent = pick(WORDING["count_parent"])
    for key in counts:
        leaf = pick(WORDING[key])
        columns.append(Column(key, [leaf] if style == "flat" else [count_parent, leaf]))
    result_parent = pick(WORDING["result_parent"])
    if style == "three_level":
        for group, suffix in (("Hồ sơ trực tiếp", "_direct"), ("Hồ sơ trực tuyến", "")):
            columns.append(Column("on_time" + suffix, [result_parent, group, "Đúng hạn"]))
            columns.append(Column("overdue" + suffix, [result_parent, group, "Quá hạn"]))
    else:
        for key in ("on_time", "overdue"):
            leaf = pick(WORDING[key])
            columns.append(Column(key, [leaf] if style == "flat" else [result_parent, leaf]))
    if rng.random() < 0.6:
        columns.append(Column("note", [pick(WORDING["note"])]))
    return Layout(
        columns=columns,
        numbering=pick(["1", "1.", "01"]),
        repeat_header=rng.random() < 0.5,
        borderless=rng.random() < 0.3,
        landscape=len(columns) > 9 or rng.random() < 0.3,
        group_rows=rng.random() < 0.4,
        total_row=rng.random() < 0.4,
        shuffle=rng.random() < 0.3,
        rate_style=pick(["pct2", "int", "dec1", "pct_int"]),
        connected_as_marks=marks,
        agency_groups=rng.random() < 0.4,
        subrows=rng.random() < 0.4,
        yes_word=pick(CONNECTED_WORDS),
        no_word=pick(NOT_CONNECTED_WORDS),
        mark=pick(MARKS),
    )


def draw_rows(rng: random.Random, layout: Layout, scheme: str) -> list[Row]:
    services = [s for s in load_catalogue().in_scheme(scheme)]
    if layout.shuffle:
        groups = [s for s in services if s.kind == "group" or "." in s.item]
        rest = [s for s in services if s not in groups]
        rng.shuffle(rest)
        services = rest + groups if scheme == "QD422" else rest
    has_agency_column = any(c.key == "agency" for c in layout.columns)
    agency_at = {
        1: AGENCY_GROUPS[2],
        9: AGENCY_GROUPS[0],
        17: AGENCY_GROUPS[3],
        22: AGENCY_GROUPS[1],
    }
    with_subrows = rng.randint(2, 12) if layout.subrows else None
    rows: list[Row] = []
    agency: str | None = None
    if layout.group_rows:
        rows.append(Row("group", {"item": "I", "name": "NHÓM DỊCH VỤ CÔNG THIẾT YẾU"}))
    number = 0
    sums = {"total": 0, "online": 0}
    for service in services:
        number += 1 if "." not in service.item else 0
        item = service.item if "." in service.item else _number(number, layout.numbering)
        if "." in service.item and layout.shuffle:
            item = service.item
        name = service.name
        if service.service_id in NAME_VARIANTS and rng.random() < 0.6:
            name = rng.choice(NAME_VARIANTS[service.service_id])
        values = _values(rng, layout)
        not_applicable = rng.random() < 0.08 and service.kind != "group"
        if service.kind == "group":
            values = {}  # a catalogue group (QĐ 422 items 13, 14): its sub-items carry the counts
        if layout.group_rows and number == 13 and "." not in service.item:
            rows.append(Row("group", {"item": "II", "name": "Sở Tư pháp"}))
            agency = "Sở Tư pháp"
        elif (
            layout.agency_groups
            and not layout.group_rows
            and "." not in service.item
            and number in agency_at
            and not any(r.cells.get("name") == agency_at[number] for r in rows)
        ):
            rows.append(Row("group", {"item": "", "name": agency_at[number]}))
            agency = agency_at[number].split(" (")[0]
        if number == with_subrows and service.kind == "service" and "." not in service.item:
            rows += _rows_with_subrows(rng, item, name, layout, scheme, service.item, sums)
            _set_agency(rows, agency, has_agency_column)
            continue
        row = _service_row(item, name, values, not_applicable, layout, scheme, service.item)
        if service.kind == "group":
            row.truth["row_kind"] = "group"  # a catalogue group: its sub-items carry the counts
        rows.append(row)
        if not not_applicable:
            sums["total"] += values.get("total") or 0
            sums["online"] += values.get("online") or 0
        if service.kind == "lien_thong" and service.components and rng.random() < 0.5:
            rows[-1].cells["name"] = "Thủ tục liên thông: " + service.components[0]
            rows[-1].truth["name_in_doc"] = rows[-1].cells["name"]
            for component in service.components[1:3]:
                sub = _service_row("", component, values, False, layout, scheme, service.item)
                sub.kind = "sub"
                sub.truth["row_kind"] = "component"
                rows.append(sub)
        _set_agency(rows, agency, has_agency_column)
    if layout.total_row:
        cells = {"item": "", "name": "Tổng cộng", "total": format_vn_int(sums["total"]),
                 "online": format_vn_int(sums["online"])}  # fmt: skip
        rows.append(Row("total", cells))
    return rows


def _rows_with_subrows(rng: random.Random, item: str, name: str, layout: Layout, scheme: str,
                       catalogue_item: str, sums: dict[str, int]) -> list[Row]:  # fmt: skip
    """A service printed as a parent with no counts ("…, cụ thể:") and two "- …" sub-rows."""
    parent = _service_row(item, f"{name}, cụ thể:", {}, False, layout, scheme, catalogue_item)
    rows = [parent]
    for sub_name in SUBROW_NAMES:
        values = _values(rng, layout)
        while "total" not in values:
            values = _values(rng, layout)
        row = _service_row("", sub_name, values, False, layout, scheme, catalogue_item)
        row.kind = "subrow"
        row.truth["row_kind"] = "subrow"
        sums["total"] += values["total"]
        sums["online"] += values["online"]
        rows.append(row)
    return rows


def _set_agency(rows: list[Row], agency: str | None, has_agency_column: bool) -> None:
    """Rows under an agency heading have its agency (when no agency column says it)."""
    if has_agency_column or agency is None:
        return
    for row in reversed(rows):
        if row.kind == "group":
            break
        if row.truth is not None and row.truth["agency"] is None:
            row.truth["agency"] = agency


def _number(number: int, style: str) -> str:
    return {"1": str(number), "1.": f"{number}.", "01": f"{number:02d}"}[style]


def _values(rng: random.Random, layout: Layout) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.15:
        return {"connected": rng.choice([True, False, None])}
    total = 0 if roll < 0.25 else rng.choice([rng.randint(1, 60), rng.randint(100, 40000)])
    online = rng.randint(0, total)
    overdue = rng.randint(0, min(online, 3)) if rng.random() < 0.3 else 0
    values: dict[str, Any] = {
        "connected": rng.random() < 0.85, "total": total, "online": online,
        "direct": total - online, "on_time": online - overdue, "overdue": overdue,
        "on_time_direct": total - online, "overdue_direct": 0,
    }  # fmt: skip
    if total:
        values["rate"] = 100 * online / total
    if rng.random() < 0.2:
        values["note"] = "Người dân chưa quen thực hiện trên môi trường mạng"
    return values


def _format_rate(rate: float, style: str) -> tuple[str, float]:
    if style == "int":
        printed = str(round(rate))
        return printed, float(round(rate))
    if style == "pct_int":
        return f"{round(rate)}%", float(round(rate))
    if style == "dec1":
        return format_vn_decimal(rate, 1), round(rate, 1)
    return format_vn_decimal(rate, 2) + "%", round(rate, 2)


def _service_row(item: str, name: str, values: dict[str, Any], not_applicable: bool,
                 layout: Layout, scheme: str, catalogue_item: str) -> Row:  # fmt: skip
    keys = {c.key for c in layout.columns}
    cells = {"item": item, "name": name}
    truth: dict[str, Any] = {
        "table": scheme, "catalogue_item": catalogue_item, "name_in_doc": name, "row_kind": "service",
        "connected": None,
        "agency": None, "total": None, "online": None, "rate_pct": None, "on_time": None,
        "overdue": None, "note": None, "not_applicable": not_applicable,
    }  # fmt: skip
    if "agency" in keys:
        cells["agency"] = truth["agency"] = "UBND cấp xã" if scheme == "QD06" else "Sở Tư pháp"
    if not_applicable:
        return Row("service", cells, True, truth)
    connected = values.get("connected")
    if connected is not None:
        truth["connected"] = connected
        if layout.connected_as_marks:
            cells["conn_yes" if connected else "conn_no"] = layout.mark
        else:
            cells["conn_text"] = layout.yes_word if connected else layout.no_word
    for key in (
        "total",
        "direct",
        "online",
        "on_time",
        "overdue",
        "on_time_direct",
        "overdue_direct",
    ):
        if key in values and key in keys:
            cells[key] = format_vn_int(values[key])
            if key in truth:
                truth[key] = values[key]
    if "rate" in values and "rate" in keys:
        cells["rate"], truth["rate_pct"] = _format_rate(values["rate"], layout.rate_style)
    if "note" in values and "note" in keys:
        cells["note"] = truth["note"] = values["note"]
    return Row("service", cells, False, truth)


NARRATIVE = [
    ("Tổng số hồ sơ tiếp nhận trên Cổng dịch vụ công là {a}/{b} hồ sơ (đạt tỷ lệ {p}%).", True),
    ("Kết quả kích hoạt tài khoản định danh điện tử: {a}/{b} trường hợp (đạt {p}%).", True),
    ("Đã số hóa {a}/{b} hồ sơ hộ tịch để phục vụ công tác tra cứu.", False),
    ("Số lượng thẻ bảo hiểm y tế đã đồng bộ với CCCD là {a}/{b} thẻ, đạt tỷ lệ {p}%.", True),
]
DISTRACTORS = [
    "Thực hiện Công văn số 1234/UBND-VP ngày 05/3/2024 của Ủy ban nhân dân tỉnh về triển khai Đề án 06.",
    "Triển khai cấp điện mới từ lưới điện hạ áp (220/380V) theo Quyết định số 06/QĐ-TTg.",
    "Các nhiệm vụ hoàn thành trước tháng 9/2024 theo Nghị định 59/2022/NĐ-CP.",
]


def draw_period(rng: random.Random, after_2025: bool) -> dict[str, Any]:
    """A period of one kind as a title prints it, with the data range the tables may print."""
    kind = rng.choice(PERIOD_KINDS)
    year = 2025 if after_2025 else rng.choice([2023, 2024])
    month = rng.randint(8, 11) if after_2025 else rng.randint(2, 12)
    last = calendar.monthrange(year, month)[1]
    end = dt.date(year, month, last)
    if kind == "month":
        label, start = rng.choice(["tháng", "Tháng"]) + f" {month} năm {year}", end.replace(day=1)
    elif kind == "quarter":
        quarter = 3 if after_2025 else rng.randint(1, 4)
        label = f"quý {['I', 'II', 'III', 'IV'][quarter - 1]} năm {year}"
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
    elif kind in ("half_year", "nine_months", "other"):
        months = {"half_year": 6, "nine_months": 9, "other": 8}[kind]
        kind = "cumulative" if kind == "other" else kind  # 8 months from the new year
        if after_2025 and months < 9:
            months, kind = 9, "nine_months"
        label, start = f"{months} tháng đầu năm {year}", dt.date(year, 1, 1)
        end = dt.date(year, months, calendar.monthrange(year, months)[1])
    elif kind == "year":
        label, start, end = f"năm {year}", dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif kind == "cumulative":
        label = f"lũy kế từ đầu năm đến hết tháng {month} năm {year}"
        start = dt.date(year, 1, 1)
    else:  # until: a running total since the start of the project
        day = rng.choice([15, last])
        end = dt.date(year, month, day)
        label, start, kind = f"tính đến ngày {day}/{month}/{year}", None, "cumulative"
    period = {"label": label, "start": start, "end": end, "kind": kind, "range": None}
    if kind in ("month", "quarter") and rng.random() < 0.6:  # figures from the 15th to the 14th
        first = (start - dt.timedelta(days=1)).replace(day=15)
        last_day = end.replace(day=14)
        period["range"] = rng.choice(
            ["(Số liệu từ ngày {} đến ngày {})", "Từ ngày {} đến ngày {}"]
        ).format(_vn_date(first), _vn_date(last_day))
        period["start"], period["end"] = first, last_day
    return period


def _vn_date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month}/{day.year}"


def draw_report(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    name, level, parents, after_2025 = rng.choice(LOCALITIES)
    period = draw_period(rng, after_2025)
    tables = [("QD06", draw_layout(rng))]
    if rng.random() < 0.6:
        tables.append(("QD422", draw_layout(rng)))
    if rng.random() < 0.3:
        tables.reverse()
    body = {scheme: draw_rows(rng, layout, scheme) for scheme, layout in tables}
    paragraphs, figures = [], []
    for template, with_percent in rng.sample(NARRATIVE, 3):
        b = rng.randint(50, 90000)
        a = rng.randint(0, b)
        percent = round(100 * a / b, 2)
        text = template.format(a=format_vn_int(a), b=format_vn_int(b), p=format_vn_decimal(percent))
        paragraphs.append(text)
        figures.append(
            {"numerator": a, "denominator": b, "percent": percent if with_percent else None}
        )
    paragraphs.insert(1, rng.choice(DISTRACTORS))
    paragraphs.insert(0, rng.choice(NARRATIVE_UNITS).format(level=level))
    dated = period["end"] + dt.timedelta(days=rng.randint(1, 20))
    return {
        "seed": seed, "name": name, "level": level, "parents": parents, "period": period,
        "number": rng.choice(["45/BC-UBND", "112/BC-TCT", None]), "tables": tables, "body": body,
        "paragraphs": paragraphs, "figures": figures,
        "date": dated if rng.random() < 0.6 else None, "dated_month": dated,
        "letterhead": rng.choice(LETTERHEADS), "title_style": rng.randint(0, 2),
        "motto_table": rng.random() < 0.5, "split_place_line": rng.random() < 0.3,
    }  # fmt: skip


# Narrative that names a unit level without the locality, or another unit (never the answer).
NARRATIVE_UNITS = [
    "Trên địa bàn {level} Đã triển khai đồng bộ các nhiệm vụ của Đề án 06.",
    "Tổ công tác đã học tập kinh nghiệm của huyện Krông Nô và thành phố Cần Thơ.",
    "Công an {level} Phối hợp với các ngành triển khai thực hiện Đề án.",
]
LETTERHEADS = ("one_line", "split", "parent", "police")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def letterhead_grid(report: dict[str, Any]) -> list[list[str]]:
    """The letterhead beside the national motto, as a two-column borderless table prints it."""
    left = letterhead_lines(report)
    depth = max(len(left), len(MOTTO))
    return [[left[i] if i < len(left) else "", MOTTO[i] if i < len(MOTTO) else ""]
            for i in range(depth)]  # fmt: skip


def truth_of(report: dict[str, Any]) -> dict[str, Any]:
    period = report["period"]
    rows = [row.truth for scheme, _ in report["tables"] for row in report["body"][scheme]
            if row.truth is not None]  # fmt: skip
    printed = sum(len(report["body"][scheme]) for scheme, _ in report["tables"])
    return {
        "source": f"family-{report['seed']}",
        "locality": {"name": report["name"], "level": report["level"], "parent": report["parents"]},
        "report": {
            "number": report["number"],
            "date": str(report["date"]) if report["date"] else None,
            "period_label": period["label"],
            "period_start": str(period["start"]) if period["start"] else None,
            "period_end": str(period["end"]),
            "period_kind": period["kind"],
        },
        "dvc_rows": rows,
        "printed_rows": printed,
        "figures": report["figures"],
    }


def letterhead_lines(report: dict[str, Any]) -> list[str]:
    """The issuing body as the report prints it, on one to three lines."""
    level, name = report["level"].upper(), report["name"].upper()
    parent = report["parents"][0].upper() if report["parents"] else None
    style = report["letterhead"]
    if style == "split":
        return [f"UBND {level}", name, "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06"]
    if style == "parent" and parent:
        return [f"UBND {parent}", f"UBND {level} {name}"]
    if style == "police":
        return [f"CÔNG AN {parent}" if parent else "BỘ CÔNG AN", f"CÔNG AN {level} {name}"]
    return [f"UBND {level} {name}"]


def _front_matter(report: dict[str, Any], letterhead: bool = True) -> list[tuple[str, str]]:
    """(style, text) paragraphs before the tables: letterhead (unless a table prints it
    beside the motto), title, narrative."""
    period = report["period"]
    place = f"{report['level']} {report['name']}"
    number = f"Số: {report['number']}" if report["number"] else "Số:      /BC-UBND"
    month = report["dated_month"]
    day = f"{report['date'].day}" if report["date"] else "     "
    date_line = [f"{report['name']}, ngày {day} tháng {month.month} năm {month.year}"]
    if report["split_place_line"]:
        date_line = [f"{report['name']}, ngày {day} tháng {month.month}", f"năm {month.year}"]
    motto = [("bold", line) for line in MOTTO] if letterhead else []
    title = {
        0: [f"Kết quả thực hiện Đề án 06 {period['label']}"],
        1: [f"Kết quả thực hiện Đề án 06 trên địa bàn {report['level']}", period["label"]],
        2: [f"Tình hình, kết quả triển khai Đề án 06 trên địa bàn {place} {period['label']}"],
    }[report["title_style"]]
    opening = f"Ủy ban nhân dân {place} báo cáo kết quả thực hiện Đề án 06 như sau:"
    if report["letterhead"] == "split":
        opening = "Tổ công tác báo cáo kết quả thực hiện Đề án 06 như sau:"
    return [
        *(("bold", line) for line in (letterhead_lines(report) if letterhead else [])),
        *motto,
        ("plain", number),
        *(("plain", line) for line in date_line),
        ("title", "BÁO CÁO"),
        *(("bold", line) for line in title),
        ("plain", opening),
        *(("plain", p) for p in report["paragraphs"]),
    ]


def _caption(scheme: str) -> str:
    if scheme == "QD06":
        return "PHỤ LỤC: KẾT QUẢ TRIỂN KHAI 25 DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 06/QĐ-TTg"
    return "PHỤ LỤC: KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO QUYẾT ĐỊNH SỐ 422/QĐ-TTg"


def header_grid(layout: Layout) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Header texts by grid position and the merged spans (c0, r0, c1, r1)."""
    depth = max(len(c.path) for c in layout.columns)
    grid = [["" for _ in layout.columns] for _ in range(depth)]
    spans: list[tuple[int, int, int, int]] = []
    for level in range(depth):
        c = 0
        while c < len(layout.columns):
            path = layout.columns[c].path
            if level >= len(path):
                c += 1
                continue
            if level == len(path) - 1:  # leaf: spans down to the last header row
                grid[level][c] = path[level]
                if level < depth - 1:
                    spans.append((c, level, c, depth - 1))
                c += 1
                continue
            end = c
            while (end + 1 < len(layout.columns) and len(layout.columns[end + 1].path) > level + 1
                   and layout.columns[end + 1].path[: level + 1] == path[: level + 1]):  # fmt: skip
                end += 1
            grid[level][c] = path[level]
            if end > c:
                spans.append((c, level, end, level))
            c = end + 1
    return grid, spans


def body_grid(
    layout: Layout, rows: list[Row]
) -> tuple[list[list[str]], list[tuple[int, int, int]]]:
    """Body texts and the not-applicable spans (row, c0, c1)."""
    keys = [c.key for c in layout.columns]
    counted = [i for i, k in enumerate(keys) if k in ROLE_KEYS or k.startswith("conn")]
    grid, spans = [], []
    for index, row in enumerate(rows):
        cells = [row.cells.get(key, "") for key in keys]
        if row.kind == "group":
            cells = [row.cells["item"], row.cells["name"]] + [""] * (len(keys) - 2)
        if row.not_applicable:
            cells[counted[0]] = NOT_APPLICABLE[index % 2]
            spans.append((index, counted[0], counted[-1]))
        grid.append(cells)
    return grid, spans


def write_pdf(report: dict[str, Any], path: Path) -> None:
    register_fonts()
    plain = ParagraphStyle("plain", fontName="DejaVuSerif", fontSize=11, leading=14, spaceAfter=6)
    bold = ParagraphStyle("bold", parent=plain, fontName="DejaVuSerif-Bold")
    title = ParagraphStyle("title", parent=bold, fontSize=13, alignment=1)
    cell = ParagraphStyle("cell", fontName="DejaVuSerif", fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=cell, fontName="DejaVuSerif-Bold", alignment=1)
    wide = any(layout.landscape for _, layout in report["tables"])
    document = SimpleDocTemplate(str(path), pagesize=landscape(A4) if wide else A4,
                                 leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm,
                                 bottomMargin=1.5 * cm)  # fmt: skip
    styles = {"plain": plain, "bold": bold, "title": title}
    story: list[Any] = []
    if report["motto_table"]:
        grid = [[Paragraph(text, head) for text in row] for row in letterhead_grid(report)]
        story.append(Table(grid, colWidths=[document.width / 2] * 2))
    story += [Paragraph(text, styles[style])
              for style, text in _front_matter(report, not report["motto_table"])]  # fmt: skip
    rng = random.Random(report["seed"])
    for scheme, layout in report["tables"]:
        story.append(Spacer(1, rng.choice([6, 200, 380])))  # some tables start low on a page
        story.append(Paragraph(_caption(scheme), bold))
        if report["period"]["range"]:
            story.append(Paragraph(report["period"]["range"], plain))
        header, header_spans = header_grid(layout)
        body, na_spans = body_grid(layout, report["body"][scheme])
        depth = len(header)
        data = [[Paragraph(t, head) for t in row] for row in header]
        data += [[Paragraph(_glyphs(t), bold if report["body"][scheme][i].kind == "group" else cell) for t in row]
                 for i, row in enumerate(body)]  # fmt: skip
        width = document.width
        name_share = 0.3 if len(layout.columns) < 10 else 0.22
        others = (1 - name_share) / (len(layout.columns) - 1)
        widths = [width * (name_share if c.key == "name" else others) for c in layout.columns]
        commands: list[Any] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        if not layout.borderless:
            commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        commands += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in header_spans]
        commands += [("SPAN", (c0, depth + r), (c1, depth + r)) for r, c0, c1 in na_spans]
        table = Table(data, colWidths=widths, repeatRows=depth if layout.repeat_header else 0)
        table.setStyle(TableStyle(commands))
        story.append(table)
    document.build(story)


def _glyphs(text: str) -> str:
    """Marks the serif font lacks (✓), drawn with DejaVu Sans."""
    return text.replace("✓", '<font name="DejaVuSans">✓</font>')


def write_docx(report: dict[str, Any], path: Path) -> None:
    document = docx.Document()
    if any(layout.landscape for _, layout in report["tables"]):
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if report["motto_table"]:
        grid = letterhead_grid(report)
        table = document.add_table(rows=len(grid), cols=2)
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                table.cell(r, c).paragraphs[0].add_run(text).bold = True
    for style, text in _front_matter(report, not report["motto_table"]):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = style != "plain"
    for scheme, layout in report["tables"]:
        document.add_paragraph().add_run(_caption(scheme)).bold = True
        if report["period"]["range"]:
            document.add_paragraph().add_run(report["period"]["range"])
        header, header_spans = header_grid(layout)
        body, na_spans = body_grid(layout, report["body"][scheme])
        table = document.add_table(rows=len(header) + len(body), cols=len(layout.columns))
        if not layout.borderless:
            table.style = "Table Grid"
        for r, row in enumerate(header + body):
            for c, text in enumerate(row):
                if text:
                    run = table.cell(r, c).paragraphs[0].add_run(text)
                    run.font.size = Pt(9)
                    run.bold = r < len(header)
        for c0, r0, c1, r1 in header_spans:
            table.cell(r0, c0).merge(table.cell(r1, c1))
        for r, c0, c1 in na_spans:
            table.cell(len(header) + r, c0).merge(table.cell(len(header) + r, c1))
    document.save(str(path))


def write_tab_text(report: dict[str, Any], path: Path) -> None:
    """The report as converter text with tab-separated table rows (like the corpus .txt)."""
    lines = []
    if report["motto_table"]:
        lines += ["\t".join(row) for row in letterhead_grid(report)]
    lines += [text for _, text in _front_matter(report, not report["motto_table"])]
    for scheme, layout in report["tables"]:
        header, _ = header_grid(layout)
        body, _ = body_grid(layout, report["body"][scheme])
        lines += ["", _caption(scheme), report["period"]["range"] or "",
                  *("\t".join(row) for row in header + body), ""]  # fmt: skip
    path.write_text("\n\n".join(line for line in lines if line) + "\n", "utf-8")


def running_header(report: dict[str, Any]) -> str:
    """The line a report's pages repeat at their top."""
    return f"Báo cáo kết quả thực hiện Đề án 06 – {report['level']} {report['name']}"


FORMS = ("pdf", "docx", "tab", "layout", "collapsed")


def write_forms(report: dict[str, Any], stem: Path, forms: tuple[str, ...] = FORMS) -> list[Path]:
    """The report in each input form: ``stem.pdf``, ``.docx``, ``.txt`` (tab rows), and
    the converter texts of its PDF (``.layout.txt``, ``.collapsed.txt``)."""
    written = []
    pdf = stem.with_suffix(".pdf")
    if {"pdf", "layout", "collapsed"} & set(forms):
        write_pdf(report, pdf)
    if "pdf" in forms:
        written.append(pdf)
    if "docx" in forms:
        write_docx(report, stem.with_suffix(".docx"))
        written.append(stem.with_suffix(".docx"))
    if "tab" in forms:
        write_tab_text(report, stem.with_suffix(".txt"))
        written.append(stem.with_suffix(".txt"))
    if {"layout", "collapsed"} & set(forms):
        texts = write_converter_texts(pdf, stem, report["seed"], running_header(report))
        written += [t for t in texts if t.name.split(".")[-2] in forms]
    if "pdf" not in forms and pdf.exists():
        pdf.unlink()
    return written


def register_fonts() -> None:
    """DejaVu Serif and its bold, registered once for reportlab."""
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT_DIR / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold", str(FONT_DIR / "DejaVuSerif-Bold.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))


def generate(
    out: Path, count: int = 8, first_seed: int = 1, forms: tuple[str, ...] = FORMS
) -> list[Path]:
    """Write ``count`` reports in ``forms`` with their truth; returns the documents."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for seed in range(first_seed, first_seed + count):
        report = draw_report(seed)
        stem = f"family_{seed:03d}"
        (out / f"{stem}.json").write_text(
            json.dumps(truth_of(report), ensure_ascii=False, indent=1)
        )
        written += write_forms(report, out / stem, forms)
    return written


# One district's month: some of its communes and the district itself, for roll-ups.
DISTRICT = ("Chiêm Hóa", "huyện", ["tỉnh Tuyên Quang"])
COMMUNES = [("Kim Bình", "xã"), ("Vĩnh Lộc", "thị trấn"), ("Tân Mỹ", "xã"), ("Hà Lang", "xã")]


def district_month(
    out: Path,
    year: int,
    month: int,
    communes: list[tuple[str, str]],
    first_seed: int,
    kind: str = "month",
    truth: bool = True,
    forms: tuple[str, ...] = ("tab",),
    with_district: bool = True,
) -> list[Path]:
    """Reports (tab text, with truth) of ``communes`` of DISTRICT and of the district
    itself (unless not ``with_district``) for one month (``kind`` month, or cumulative from
    the new year to its end), in ``forms``: what a district's working group receives."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    units = [(name, level, ["huyện " + DISTRICT[0], *DISTRICT[2]]) for name, level in communes]
    for offset, (name, level, parents) in enumerate([*units, *[DISTRICT] * with_district]):
        report = draw_report(first_seed + offset)
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        report.update(name=name, level=level, parents=parents, number=None, letterhead="parent")
        report["period"] = {
            "label": f"tháng {month} năm {year}", "start": end.replace(day=1), "end": end,
            "kind": kind, "range": None,
        }  # fmt: skip
        if kind == "cumulative":
            report["period"]["label"] = f"lũy kế từ đầu năm đến hết tháng {month} năm {year}"
            report["period"]["start"] = dt.date(year, 1, 1)
        report["date"] = report["dated_month"] = end + dt.timedelta(days=3)
        stem = out / f"{ascii_slug(name)}_{year}_{month:02d}{'_cumulative' * (kind != 'month')}"
        if truth:
            stem.with_suffix(".json").write_text(
                json.dumps(truth_of(report), ensure_ascii=False, indent=1)
            )
        written += write_forms(report, stem, forms)
    return written


def ascii_slug(name: str) -> str:
    """A file-name stem from a unit name ("Kim Bình" → "kim_binh")."""
    decomposed = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "_".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--district", action="store_true",
                        help="write a district's April and May instead (README: the analyst's "
                        "month)")  # fmt: skip
    args = parser.parse_args()
    if args.district:
        april = [*COMMUNES[:3], ("Trung Hà", "xã")]
        documents = district_month(args.out, 2024, 5, COMMUNES, 500, truth=False)
        documents += district_month(args.out, 2024, 4, april, 600, truth=False)
    else:
        documents = generate(args.out, args.count)
    for document in documents:
        print(document)
