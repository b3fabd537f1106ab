from __future__ import annotations

from dean06.normalize.headers import Role, column_roles, header_depth

THREE_LEVEL = [
    [
        "Stt",
        "Thủ tục hành chính",
        "Cơ quan thực hiện",
        "Kết nối với cổng DVC quốc gia",
        "",
        "Số hồ sơ tiếp nhận",
        "",
        "",
        "",
        "Kết quả giải quyết",
        "",
        "",
        "",
    ],
    [
        "",
        "",
        "",
        "Đã kết nối (x)",
        "Chưa kết nối (x)",
        "Tổng số",
        "Trực tiếp",
        "Trực tuyến",
        "Tỉ lệ",
        "Hồ sơ trực tiếp",
        "",
        "Hồ sơ trực tuyến",
        "",
    ],
    ["", "", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", "Đúng hạn", "Quá hạn"],
    [
        "1",
        "Xác nhận số CMND khi đã được cấp Thẻ CCCD",
        "Công an",
        "x",
        "",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
    ],
]


def test_three_level_header_roles() -> None:
    assert header_depth(THREE_LEVEL) == 3
    roles = column_roles(THREE_LEVEL[:3], 13)
    assert roles[Role.CONNECTED_YES] == [3] and roles[Role.CONNECTED_NO] == [4]
    assert roles[Role.TOTAL] == [5] and roles[Role.DIRECT] == [6] and roles[Role.ONLINE] == [7]
    assert roles[Role.ON_TIME_DIRECT] == [9] and roles[Role.ON_TIME] == [11]
    assert roles[Role.OVERDUE] == [12]


def test_service_column_named_online_is_not_the_online_count() -> None:
    header = [
        [
            "STT",
            "Dịch vụ công trực tuyến",
            "Kết nối với cổng DVC quốc gia (đã kết nối, chưa kết nối)",
            "Tổng số hồ sơ (bao gồm trực tuyến và trực tiếp)",
            "",
            "",
            "Tình hình xử lý",
            "",
            "Khó khăn vướng mắc",
        ],
        ["", "", "", "Tổng hồ sơ", "Trực tuyến", "Tỷ lệ", "Đúng hạn", "Quá hạn", ""],
    ]
    roles = column_roles(header, 9)
    assert roles[Role.SERVICE] == [1] and roles[Role.ONLINE] == [4] and roles[Role.CONNECTED] == [2]
    assert roles[Role.NOTE] == [8] and roles[Role.RATE] == [5]


def test_wrapped_row_after_a_repeated_header_is_not_header() -> None:
    rows = [["TT", "Dịch vụ công trực tuyến", "Kết nối"], ["", "chiếu phổ thông", "chưa kết nối)"]]
    assert header_depth(rows) == 1


def test_a_service_header_whose_spaces_ocr_lost_is_the_service_column() -> None:
    """Seed 1102's hard scan reads its repeated header's "Tên dịch vụ công" as
    "Tên dịchvucông" (the page's rows were dropped for want of a service column)."""
    header = [["TT", "Tên dịchvucông", "Cơ quan chủ trì", "Tổng hồ sơ", "Số hồ sơ trực tuyến"]]
    roles = column_roles(header, 5)
    assert roles[Role.SERVICE] == [1] and roles[Role.TOTAL] == [3]
    assert column_roles([["TT", "Nội dung", "Tổng số"]], 3).get(Role.SERVICE) != [1]


def test_a_group_row_whose_numeral_ocr_read_as_a_letter_is_no_header() -> None:
    """Seed 1901's hard scan opens its QĐ 06 body page with the group row "I" / "NHÓM
    DỊCH VỤ CÔNG THIẾT YẾU", the "I" read as "Ĩ": taken for the page's own header, it
    replaced the header carried from the page before, and the page's rows lost their
    columns. A header's first cell ("TT") is no numeral."""
    body = [
        ["Ĩ", "NHÓM DỊCH VỤ CÔNG THIẾT YẾU", "", "", "", "", "", "", ""],
        ["01", "Xác nhận số Chứng minh nhân dân", "UBND cấp xã", "Chưa kết nối", "38.988"],
    ]
    assert header_depth(body) == 0
    assert header_depth([["TT", "Nhóm dịch vụ", "Tổng số hồ sơ"]]) == 1


def test_a_header_whose_numbering_cell_ocr_read_as_a_number_is_a_header() -> None:
    """Seed 1720's hard scan reads its QĐ 06 header's "STT" as "1": the header was taken
    for a body row, the table had no header, and its first seven rows were dropped. A row
    naming three columns is a header; a numbered body row names one at most."""
    header = ["1", "Dịch vụ công trực tuyến", "Kết nối Cổng dịch vụ công quốc gia", ""]
    header += ["Số hồ sơ tiếp nhận", "", "", "", "Tình hình giải quyết", ""]
    assert header_depth([header]) == 1
    not_applicable = [
        "1",
        "Cấp phiếu lý lịch tư pháp",
        "Đơn vị thực hiện",
        "Không thuộc thẩm quyền",
    ]
    assert header_depth([not_applicable]) == 0


# 3502's QĐ 06 header on a hard scan's page 4 (seed 3502), as its cells were read: the
# rows drawn from its white space cut its stacked cells, leaving a row holding only the
# garbled top of "Đã kết nối (x)" and "Chưa", and a blank one, over the cells' last lines
STACKED_SCANNED_HEADER = [
    ["TT", "Thủ tục hành chính", "Cơ T", "Kết nối với cổng DVC quốc qia", "", "c-......",
     "Kết quả tiến nhân", "", "", "Tình hình xử lý", "", "", "", "Khó khăn vướng mắc."],
    ["", "", "", "", "", "", "Hồ sơ", "s.", "", "Hồ sơ trưc tiến", "", "Hồ sơ trực tuvến",
     "", ""],
    ["", "", "", "Sẽ TP)", "Chưa", "", "", "", "", "", "", "", "", ""],
    [""] * 14,
    ["", "", "cnu tri", "nối (x)", "kết nối (x)", "ưang số", "tiep", "tuyến", "Tỷ lệ",
     "Đúng hạn", "Quá hạn", "Đúng hạn", "Quá hạn", "để. xuất"],
    ["13", "Thủ tục làm con dấu mới và cấp Giấy chứng nhận", "UBND cấp xã", "x", "",
     "6.944", "5.712", "1.232", "18", "5.712", "0", "1.229", "3", "Người dân chưa quen"],
]  # fmt: skip


def test_a_scanned_header_cut_between_its_stacked_lines_is_read_whole() -> None:
    """Rows of no count between header rows are the header's, a row of header terms in
    lower case ("nối (x)", "tuyến") is a header row, and "Chưa" over "kết nối (x)" is
    the not-connected column: the header's depth was 2 and the page lost its counts."""
    assert header_depth(STACKED_SCANNED_HEADER) == 5
    roles = column_roles(STACKED_SCANNED_HEADER[:5], 14)
    assert roles[Role.CONNECTED_NO] == [4]
    assert roles[Role.RATE] == [8] and roles[Role.ON_TIME] == [11] and roles[Role.OVERDUE] == [12]
    assert header_depth([STACKED_SCANNED_HEADER[0], [""] * 14, STACKED_SCANNED_HEADER[5]]) == 1
