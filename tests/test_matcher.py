from __future__ import annotations

import pytest

from dean06.catalog import Matcher, load_catalogue


def test_catalogue_has_both_schemes_in_official_order() -> None:
    catalogue = load_catalogue()
    qd06 = [s.item for s in catalogue.in_scheme("QD06")]
    qd422 = [s.item for s in catalogue.in_scheme("QD422")]
    assert qd06 == [str(n) for n in range(1, 26)]
    assert len([s for s in catalogue.in_scheme("QD422") if s.kind != "group"]) == 28
    assert qd422[12:20] == ["13", "13.1", "13.2", "13.3", "14", "14.1", "14.2", "14.3"]


@pytest.mark.parametrize(
    ("printed", "scheme", "expected"),
    [
        ("Xác nhận số CMND khi đã được cấp Thẻ CCCD", "QD06", "QD06-1"),
        ("Cấp đổi, cấp lại thẻ Căn cước công dân", "QD06", "QD06-2"),
        ("Đăng ký, cấp biển số mô tô, xe máy", "QD06", "QD06-7"),
        (
            "Liên thông đăng ký thường trú – cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi",
            "QD06",
            "QD06-15",
        ),
        ("Thủ tục liên thông: Đăng ký khai tử", "QD06", "QD06-16"),
        ("Thay đổi chủ thẻ hợp đồng mua bán điện (Thí điểm cơ chế kết nối)", "QD06", "QD06-25"),
        (
            "Thanh toán nghĩa vụ tài chính trong thực thủ tục hành chính về đất đai đối với doanh nghiệp",
            "QD422",
            "QD422-18",
        ),
        (
            "Thanh toán nghĩa vụ tài chính trong thực hiện thủ tục hành chính về đất đai đối với hộ gia đình, cá nhân",
            "QD422",
            "QD422-13.1",
        ),
        ("dang ky thuong tru", None, "QD06-3"),
        ("Đăng ký thường trú", None, "QD06-3"),
    ],
)
def test_printed_names_match(
    matcher: Matcher, printed: str, scheme: str | None, expected: str
) -> None:
    match = matcher.best(printed, scheme)
    assert match is not None and match.service_id == expected


def test_unrelated_text_is_unmatched(matcher: Matcher) -> None:
    assert matcher.best("Sở Nội vụ") is None
    assert matcher.best("Lorem ipsum dolor sit amet") is None


def test_whole_name_match_rejects_phrases_that_only_contain_a_name(matcher: Matcher) -> None:
    assert matcher.best_whole_name("Bảo hiểm y tế") is None
    assert matcher.best_whole_name("Thông báo lưu trú").service_id == "QD06-6"


def test_a_lien_thong_name_after_a_stray_token_is_the_lien_thong_service(
    matcher: Matcher,
) -> None:
    """Seed 2200's hard scan reads item "16." as "g:" in the name cell: "g: Thủ tục liên
    thông: Đăng ký khai tử" matched QĐ 06 item 10 (khai tử alone), and its components
    then matched item 3 (two wrong ids). An item number or a speck before "liên thông"
    leaves it the liên thông service."""
    for printed in ("g: Thủ tục liên thông: Đăng ký khai tử", "16 Liên thông đăng ký khai tử"):
        assert matcher.best(printed, "QD06").service_id == "QD06-16"
    assert matcher.best("Đăng ký khai tử", "QD06").service_id == "QD06-10"


def test_a_cut_name_matching_two_services_alike_takes_the_one_its_number_names(
    matcher: Matcher,
) -> None:
    """Fresh seed 3911's hard scan cut QĐ 422 item 18's name, "Thanh toán nghĩa vụ tài
    chính … về đất đai đối với doanh nghiệp", to "… đối với doai": it matches items 13.1
    (… hộ gia đình, cá nhân) and 18 alike, and was given 13.1, which the table's row
    13.1 already held. The printed number decides between names matched alike; without
    one, the service the table has not matched yet."""
    from dean06.catalog.assign import assign_services
    from dean06.schemas import ServiceRow

    cut = "Thanh toán nghĩa vụ 1 trong thực hiện thủ tụ về đất đai đối với doai"
    full = "Thanh toán nghĩa vụ tài chính trong thực hiện thủ tục hành chính về đất đai đối với hộ gia đình, cá nhân"
    scores = {m.service_id: m.score for m in matcher.candidates(cut, "QD422", 2)}
    assert scores == {"QD422-13.1": 87.5, "QD422-18": 87.5}
    for item in ("18", None):
        rows = [
            ServiceRow(item_in_doc="13.1", name_in_doc=full, table_index=0),
            ServiceRow(item_in_doc=item, name_in_doc=cut, table_index=0),
        ]
        assign_services(rows, matcher)
        assert [r.service_id for r in rows] == ["QD422-13.1", "QD422-18"], item
