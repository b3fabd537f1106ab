"""What the readers produce: pages of text blocks and tables, with provenance."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class DocumentKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"


class TextBlock(BaseModel):
    """A paragraph (or a page's run of prose) outside any table."""

    page: int
    text: str


class OcrCorrection(BaseModel):
    """A count cell whose OCR reading broke its row's arithmetic, read again."""

    row: int
    column: int
    raw: str  # the first reading
    value: str  # the reading kept
    candidates: list[str]  # every reading of the cell, the first one included
    rule: str  # the checks that failed with the first reading and hold with this one


class Table(BaseModel):
    """A grid of cell texts as printed; merged cells repeat nothing (empty string).

    ``caption`` holds the prose printed just above the table (appendix title), used to
    tell which catalogue the table follows.
    """

    page: int
    rows: list[list[str]]
    caption: str = ""
    engine: str = ""
    row_pages: list[int] = Field(default_factory=list)
    # OCR confidence (0–100) of each cell; empty when the table came from a text layer.
    confidence: list[list[float | None]] = Field(default_factory=list)
    # what the reader could not settle about the table: finding code → message
    doubts: dict[str, str] = Field(default_factory=dict)
    # OCR readings replaced because the row's arithmetic held only with another reading
    corrections: list[OcrCorrection] = Field(default_factory=list)

    def page_of_row(self, index: int) -> int:
        return self.row_pages[index] if index < len(self.row_pages) else self.page

    def confidence_of_row(self, index: int) -> list[float | None] | None:
        return self.confidence[index] if index < len(self.confidence) else None


class Document(BaseModel):
    """A whole document in reading order: ``items`` interleaves text blocks and tables."""

    path: str
    kind: DocumentKind
    page_count: int
    items: list[TextBlock | Table]
    pages_without_text: list[int] = Field(default_factory=list)
    ocr_pages: list[int] = Field(default_factory=list)
    converted_from: str | None = None  # the text's encoding, when it was not UTF-8
    # another reading of the same text's tables (layout text also read as runs of rows);
    # the pipeline keeps whichever the rows' own arithmetic agrees with best
    alternative_items: list[TextBlock | Table] | None = Field(default=None, exclude=True)

    @property
    def text_blocks(self) -> list[TextBlock]:
        return [item for item in self.items if isinstance(item, TextBlock)]

    @property
    def tables(self) -> list[Table]:
        return [item for item in self.items if isinstance(item, Table)]
