"""A table's pages joined into one: a page whose grid differs from the table above."""

from __future__ import annotations

from pathlib import Path

from dean06.catalog import Matcher
from dean06.evaluate import score
from dean06.pipeline import process_file

from .family import draw_report, truth_of, write_forms


def test_a_last_page_of_one_not_applicable_row_is_read(tmp_path: Path, matcher: Matcher) -> None:
    """Seed 2004's text PDF ends its QĐ 422 table with item 24 alone on a page, "Không
    thuộc thẩm quyền của cấp huyện" across the counts: that page's ruled grid has five
    columns for the table's fourteen, and the row was dropped without a word."""
    (pdf,) = write_forms(draw_report(2004), tmp_path / "family_2004", ("pdf",))
    result = process_file(pdf, matcher)
    row = next(r for r in result.services if r.service_id == "QD422-24")
    assert (row.item_in_doc, row.agency, row.not_applicable) == ("24", "Sở Tư pháp", True)
    found = score(result, truth_of(draw_report(2004)))
    assert found.printed_found == found.printed_rows == 58
    assert found.cells_ok == found.cells
