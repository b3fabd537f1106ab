"""Count columns a scan's header lost, told by the report's own arithmetic
(``normalize.column_arithmetic``), on tables as OCR read fresh seeds' hard scans."""

from __future__ import annotations

from dean06.normalize.column_arithmetic import counts_by_arithmetic
from dean06.normalize.headers import Role, column_roles
from dean06.normalize.rows import logical_to_rows, tables_to_logical
from dean06.schemas import Table

# fresh seed 3400's hard scan, page 2: "Hồ sơ trực tuyến" read "ồ NÓ trƯC" under "Tổng số
# hồ sơ (bao gồm …)", so the online column took the total's role; "Đơn vị" read "Đơm vị"
HEADER_3400 = [
    ["STT", "Thủ tục hành chính", "Đơm vị thực hiện", "Kết nối Cổng dịch vụ công quốc gia", "",
     "Tổng số hổ sơ (bao gồm trực tuyến và trực tiếp)", "", "", "",
     "Tình hình xử lý hổ sơ trực tuyến", "", "", ""],
    ["", "", "", "Đã kết nối (x)", "Chưa kết nối (x)", "Tổng hổ sơ", "Trực tiếp", "ồ NÓ trƯC",
     "Tỷ lệ trực tuyến (%)", "Hồ sơ trực tiếp", "", "Hồ sơ trực tuyến", ""],
    ["", "", "", "", "", "", "", "", "", "Đúng hạn", "Quá hạn", "Đúng hạn", "Quá hạn"],
]  # fmt: skip
BODY_3400 = [
    ["3", "Đăng ký thưởng trú", "UBND cấp xã", "⁄", "", "55", "8", "47", "85,5", "8", "0", "45",
     "2"],
    ["4", "Đăng ký tạm trú", "UBND cấp xã", "⁄", "", "0", "0", "0", "", "0", "0", "", "0"],
    ["16", "Thủ tục liên thông: Đăng ký khai tử", "UBND cấp xã", "", "⁄", "10.380", "210",
     "10.170", "98,0", "210", "0", "10.170", "0"],
    ["24", "Cấp điện mới từ lưới điện hạ áp (220/380V)", "UBND cấp xã", "", "⁄", "46", "46", "0",
     "0,0", "46", "0", "0", "0"],
    ["25", "Thay đổi chủ thẻ hợp đồng mua bán điện", "UBND cấp xã", "⁄", "", "30.412", "23.236",
     "7.176", "23,6", "23.236", "0", "7.176", "0"],
]  # fmt: skip
# fresh seed 3403's: the same column read "Hồ sơ Nà ng tuyen", of no role
HEADER_3403 = [
    ["Stt", "Tên thủ tục hành chính", "Cơ quan thực hiện", "Kết nối Cổng dịch vụ công quốc gia",
     "", "Số hồ sơ tiếp nhận", "", "", "", "Tình hình xử lý hổ sơ trực tuyến", "", "", ""],
    ["", "", "", "Đã kết nối (x)", "Chưa kết nối (x)", "Tổng hồ sơ", "Trực tiếp",
     "Hồ sơ Nà ng tuyen", "Tỷ lệ", "Hồ sơ trực tiếp", "", "Hồ sơ trực tuyến", ""],
    HEADER_3400[2],
]  # fmt: skip


def test_an_online_column_whose_header_ocr_garbled_is_told_by_its_counts() -> None:
    """Total = direct + online and rate = online / total on row after row: the column is
    the online count, whether its garbled header gave it the total's role or none."""
    assert column_roles(HEADER_3400, 13)[Role.TOTAL] == [5, 7]
    [table] = tables_to_logical([Table(page=2, rows=[*HEADER_3400, *BODY_3400])])
    assert (table.roles[Role.TOTAL], table.roles[Role.ONLINE]) == ([5], [7])
    assert table.roles[Role.AGENCY] == [2]  # "Đơm vị": one letter off "Đơn vị"
    rows, _, _ = logical_to_rows(table)
    assert [(r.total, r.direct, r.online) for r in rows] == [
        (55, 8, 47), (0, 0, 0), (10380, 210, 10170), (46, 46, 0), (30412, 23236, 7176)]  # fmt: skip
    assert {r.agency for r in rows} == {"UBND cấp xã"}

    read = column_roles(HEADER_3403, 13)
    assert 7 not in {column for columns in read.values() for column in columns}
    [table] = tables_to_logical([Table(page=2, rows=[*HEADER_3403, *BODY_3400])])
    assert table.roles[Role.ONLINE] == [7]


def test_no_column_is_told_where_the_counts_do_not_add_up() -> None:
    """A spare column whose counts make too few rows add up keeps no role: here the
    online counts shuffled down a row, and rows of zeros, which add up whatever their
    columns."""
    shuffled = [[*row[:7], BODY_3400[i - 1][7], *row[8:]] for i, row in enumerate(BODY_3400)]
    roles = column_roles(HEADER_3400, 13)
    assert Role.ONLINE not in counts_by_arithmetic(roles, shuffled)
    zeros = [row[:5] + ["0"] * 8 for row in BODY_3400]
    assert Role.ONLINE not in counts_by_arithmetic(roles, zeros)


def test_an_overdue_column_whose_header_ocr_misread_is_read() -> None:
    """Fresh seed 3401's QĐ 422 header read "Trễể hạn": one letter off "Trễ hạn", its
    column is the overdue count."""
    header = [
        ["Stt", "Tên thủ tục hành chính", "Kết nối với Cổng DVC quốc gia", "Tổng số hố sơ", "",
         "", "Tình hình xử lý", ""],
        ["", "", "", "", "", "", "Đúng hạn", "Trễể hạn"],
        ["", "", "", "Tổng hố sơ", "Số hố sơ trực tuyến", "Tỉ lệ", "", ""],
    ]  # fmt: skip
    assert column_roles(header, 8)[Role.OVERDUE] == [7]


# fresh seed 3404's hard scan, pages 4–6, as OCR read them: the QĐ 06 table goes on over
# page 6, whose first numbered row's "17" OCR read "1"
PAGES_3404 = [
    Table(page=4, rows=[
        ["TT", "Tên thủ tục hành chính", "Tình trạng kết nối Cổng DVCQ G",
         "Tổng số hồ sơ (bao gồm trực tuyến và trực tiếp)", "", "", "Kết quả giải quyết", "",
         "Ghi chú"],
        ["", "", "", "Tổng số hổ sơ", "Số hổ sơ tuyên", "Tỉ lệ", "Đúng hạn", "Trễ hạn", ""],
        ["1", "Xác nhận số CMND khi đã được cấp thẻ CCCD", "X", "36", "15", "41,67%", "14", "1",
         ""],
    ]),
    Table(page=5, rows=[
        ["12", "Cấp, cấp lại, sửa đổi, bổ sung hộ chiếu phổ thông", "x", "38.099", "31.961",
         "83,89%", "31.961", "0", ""],
        ["", "Sở Tư pháp", "", "", "", "", "", "", ""],
        ["13", "Thủ tục làm con dấu mới và cấp Giấy chứng nhận đã đăng ký mẫu dấu", "X",
         "11.130", "2.866", "25,75%", "2.866", "0", ""],
        ["16", "Thủ tục liên thông: Đăng kỷ khai tử", "X", "7.771", "5.539", "71,28%", "5.539",
         "0", ""],
        ["", "Xóa đăng ký thường trú", "X", "7.771", "5.539", "71,28%", "5.539", "0", ""],
    ]),
    Table(page=6, rows=[
        ["", "Trợ cấp mai táng phí", "x", "7.771", "5.539", "71,28%", ".539", "0", ""],
        ["1", "Tích hợp tính giảm trừ mức đóng trong gia hạn thẻ bảo hiểm y tế theo hộ gia đình",
         "Đang kết nối", "2", "2", "100,00 %", "2", "0", ""],
        ["18", "Đăng và thuế lần đầu, đăng ký thay đổi thông tin đăng ký thuế đối với người nộp "
         "thuế là hộ gia đình, cá nhân", "", "", "", "", "", "", ""],
        ["20", "Cấp đổi, cấp lại giấy phép lái xe", "x", "29", "12", "41,38%.", "12", "0", ""],
    ]),
]  # fmt: skip


def test_a_one_misread_from_the_next_number_goes_on_with_the_table() -> None:
    """Page 6's "1" before "18", under a table ending at "16", is "17" misread, not a new
    table: its rows keep the agency of the heading above ("Sở Tư pháp"). A table whose numbering goes on 1, 2 starts again."""
    [table] = tables_to_logical(PAGES_3404)
    rows, _, _ = logical_to_rows(table)
    by_name = {row.name_in_doc[:20]: row for row in rows}
    assert by_name["Tích hợp tính giảm t"].agency == "Sở Tư pháp"
    assert by_name["Cấp đổi, cấp lại giấ"].agency == "Sở Tư pháp"

    restarted = [*PAGES_3404[:2], Table(page=6, rows=[
        ["1", "Xác nhận thông tin về cư trú", "x", "3", "2", "66,67%", "2", "0", ""],
        ["2", "Đăng ký tạm trú", "x", "5", "5", "100%", "5", "0", ""],
    ])]  # fmt: skip
    assert len(tables_to_logical(restarted)) == 2
