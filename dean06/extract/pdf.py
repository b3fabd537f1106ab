"""PDF: pdfplumber for text and ruled tables; scanned pages OCR'd first.

Each page is cut at its tables: the prose above, between and below them becomes text
blocks, the tables become grids whose merged cells are empty strings. The prose just
above a table is kept as its caption. Pages without a usable text layer are OCR'd
(``extract/ocr.py``) unless OCR is off; their table rules come from the page image.
"""

from __future__ import annotations

import functools
import math
import tempfile
import traceback
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfminer
import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.page import Page
from pdfplumber.table import Row as PlumberRow
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException
from PIL import Image
from pypdfium2 import PdfPage

from dean06 import progress
from dean06.errors import EncryptedDocument, NeedsOcr, TooLarge, UnreadableDocument
from dean06.extract.borderless import Grid, GridLayout, find_borderless_tables
from dean06.extract.boxes import box_text
from dean06.extract.camelot_tables import LATTICE, STREAM, camelot_grids
from dean06.extract.cells import has_ink, looks_numeric, read_cells, reread_cells
from dean06.extract.geometry import Box
from dean06.extract.ocr import ocr_pdf, page_needs_ocr, text_needs_ocr
from dean06.extract.ocr_arithmetic import correct_rows
from dean06.extract.ocr_marks import mend_marks
from dean06.extract.pdfium_objects import PageText, attach_read, read_page_text
from dean06.extract.quality import grid_quality
from dean06.extract.rulings import Edge, estimate_skew, rulings_and_erased
from dean06.extract.stamps import split_coloured_ink, stamp_boxes
from dean06.extract.unruled import Columns, unruled_tables
from dean06.normalize.consistency import RowChecker
from dean06.normalize.headers import Role, column_roles, header_depth
from dean06.normalize.legacy import CHARACTERS, LegacyEncoding, detect_legacy
from dean06.normalize.rows import COUNT_ROLES
from dean06.normalize.text import ascii_key, clean_ocr_cell, clean_text
from dean06.schemas import Document, DocumentKind, Table, TextBlock
from dean06.settings import ExtractSettings, OcrMode

_CAPTION_LINES = 6
SCAN_DPI = 300
MAX_RENDER_PIXELS = 150_000_000  # an A0 page at 300 dpi; beyond is a decompression bomb
GARBLED_CONFIDENCE = 30  # a cell's words read alone, the lowest Tesseract confidence
MIN_SKEW_DEGREES = 0.04  # about 2 px over a 300 dpi A4 width
_WORD_LETTERS = 4  # letters of a word OCR read in a count cell for it to be read for words
_NUMBERING_HEADERS = {"stt", "tt", "so tt", "so thu tu"}
GOOD_QUALITY = 0.9  # a grid with fewer clean cells is compared with camelot's
_STREAM_MIN_COLUMNS = 4
_COUNTS_PER_ROW = 3
_TABULAR_LINES = 4
_WORD_ROLES = (
    Role.SERVICE, Role.AGENCY, Role.CONNECTED, Role.CONNECTED_YES, Role.CONNECTED_NO, Role.NOTE
)  # fmt: skip
_COUNT_HEADER_ROLES = (*COUNT_ROLES, Role.RATE)
_DRAWN_TABLE_ROLES = 2  # roles a borderless scanned table's header names in the OCR layer
_SAMPLE_CHARS = 100_000  # of the text layer, to tell a legacy font encoding
_KEPT_PAGES = 64  # pages whose glyphs wait for their reading (about 0.35 MB a page)


class PdfReader:
    kind = DocumentKind.PDF

    def __init__(self, settings: ExtractSettings | None = None) -> None:
        self.settings = settings or ExtractSettings()

    def read(self, path: Path) -> Document:
        with open_pdf(path) as pdf, PdfiumPages(path) as fast:
            page_count = len(pdf.pages)
            if page_count == 0:
                raise UnreadableDocument(f"{path.name}: PDF has no pages")
            if page_count > self.settings.max_pages:
                raise TooLarge(
                    f"{path.name}: {page_count} pages, over the cap of "
                    f"{self.settings.max_pages} (--max-pages)"
                )
            for page in pdf.pages:
                _check_page_size(path, page)
            if self.settings.ocr is OcrMode.ALWAYS:
                scanned = list(range(1, page_count + 1))
            else:
                scanned = [n for n, page in enumerate(pdf.pages, 1) if fast.needs_ocr(page)]
            if self.settings.ocr is not OcrMode.NEVER:
                for number in scanned:
                    _check_image_pixels(path, pdf.pages[number - 1])
            legacy = detect_legacy(" ".join(fast.sample))
            progress.opened(page_count, 0 if self.settings.ocr is OcrMode.NEVER else len(scanned))
            if not scanned or self.settings.ocr is OcrMode.NEVER:
                return self._document(path, pdf, fast, scanned, [], legacy=legacy)
        with tempfile.TemporaryDirectory(prefix="dean06-ocr-") as folder:
            ocred = Path(folder) / "ocr.pdf"
            ocr_pdf(path, ocred, scanned, self.settings)
            with open_pdf(ocred, name=path.name) as pdf, PdfiumPages(ocred) as fast:
                return self._document(path, pdf, fast, [], scanned, ocred, legacy)

    def _document(
        self,
        path: Path,
        pdf: pdfplumber.PDF,
        fast: PdfiumPages,
        skipped: list[int],
        scanned: list[int],
        images: Path | None = None,
        legacy: LegacyEncoding | None = None,
    ) -> Document:
        """Read every page; ``images`` is the OCR'd file whose scanned pages give rulings.
        Pages with a text layer of their own are parsed by PDFium (``fast``); set in a
        legacy font encoding, their characters are read in Unicode first."""
        import pypdfium2

        items: list[TextBlock | Table] = []
        layout: GridLayout | None = None
        rendered = pypdfium2.PdfDocument(images) if images else None
        header: tuple[tuple[str, ...], ...] = ()  # of the last scanned DVC table
        columns: Columns | None = None  # of a scanned borderless table going on
        try:
            for number, page in enumerate(pdf.pages, start=1):
                if number in skipped:
                    continue
                scan = None
                if number not in scanned:
                    fast.attach(page)
                    if legacy is not None:
                        retype_characters(page, legacy)
                if rendered is not None and number in scanned:
                    scan = ScannedPage.render(
                        rendered[number - 1], self.settings.ocr_language, header, columns
                    )
                source = path if number not in scanned else None
                page_items, layout = page_to_items(page, number, layout, scan, source)
                if scan is not None:
                    header, columns = scan.carried_header, scan.carried_columns
                items.extend(page_items)
                page.close()  # drop the page's objects: memory stays one page deep
                progress.page_read(scanned=number in scanned)
        finally:
            if rendered is not None:
                rendered.close()
        if len(skipped) == len(pdf.pages):
            raise NeedsOcr(
                f"{path.name}: image-only PDF ({len(pdf.pages)} pages, no text layer); "
                "it needs OCR (run without --ocr never)"
            )
        return Document(
            path=str(path),
            kind=self.kind,
            page_count=len(pdf.pages),
            items=items,
            pages_without_text=skipped,
            ocr_pages=scanned,
            converted_from=legacy.value if legacy else None,
        )


class PdfiumPages:
    """The same PDF opened in PDFium, to hand pdfplumber pages PDFium's objects
    (``pdfium_objects``). A file PDFium cannot open leaves every page to pdfminer.

    Judging a page's text layer reads its glyphs, which its characters are made of: the
    glyphs of the first ``_KEPT_PAGES`` pages judged are kept until the page is read
    (a later page's are read again), so each is read once and memory stays bounded."""

    def __init__(self, path: Path) -> None:
        import pypdfium2

        self.sample: list[str] = []  # text of the pages judged, to tell a legacy encoding
        self.kept: dict[int, PageText] = {}  # page number → its glyphs, until attached
        try:
            self.document: pypdfium2.PdfDocument | None = pypdfium2.PdfDocument(path)
        except pypdfium2.PdfiumError:
            self.document = None

    def __enter__(self) -> PdfiumPages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kept.clear()
        if self.document is not None:
            self.document.close()

    def attach(self, page: Page) -> None:
        """Give ``page`` PDFium's objects where PDFium can read it like pdfminer."""
        if self.document is None or page.page_number > len(self.document):
            return
        pdfium_page = self.document[page.page_number - 1]
        try:
            read = self.kept.pop(page.page_number, None) or read_page_text(page, pdfium_page)
            attach_read(page, pdfium_page, read)
        finally:
            pdfium_page.close()

    def needs_ocr(self, page: Page) -> bool:
        """Whether the page's text layer is missing or garbage (``ocr.text_needs_ocr``)."""
        if self.document is None or page.page_number > len(self.document):
            return page_needs_ocr(page)
        pdfium_page = self.document[page.page_number - 1]
        try:
            read = read_page_text(page, pdfium_page)
        finally:
            pdfium_page.close()
        if sum(map(len, self.sample)) < _SAMPLE_CHARS:
            self.sample.append("".join(read.texts))
        scanned = text_needs_ocr(read.texts)
        if not scanned and read.glyphs is not None and len(self.kept) < _KEPT_PAGES:
            self.kept[page.page_number] = read
        return scanned


@contextmanager
def open_pdf(path: Path, name: str | None = None) -> Iterator[pdfplumber.PDF]:
    """pdfplumber's PDF, with its exceptions translated into one-line input errors."""
    name = name or path.name
    try:
        with pdfplumber.open(path, unicode_norm="NFC") as pdf:
            yield pdf
    except PdfminerException as exc:
        raise _translate(name, exc.args[0] if exc.args else exc.__cause__) from exc
    except (PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _translate(name, exc) from exc
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        if not _raised_by_parser(exc):
            raise  # a fault of this package's reading, not of the file: not "damaged"
        raise UnreadableDocument(f"{name}: damaged PDF ({type(exc).__name__}: {exc})") from exc


# where the libraries that parse a PDF's bytes live: their errors speak of the file
_PARSERS = tuple(
    Path(module.__file__).resolve().parent for module in (pdfminer, pdfplumber, pypdfium2)
)


def _raised_by_parser(exc: BaseException) -> bool:
    """Whether ``exc`` was raised inside the PDF libraries (a damaged file) rather than by
    the code reading their output."""
    frames = [frame for frame, _ in traceback.walk_tb(exc.__traceback__)]
    if not frames:
        return True
    raised_in = Path(frames[-1].f_code.co_filename).resolve()
    return any(raised_in.is_relative_to(parser) for parser in _PARSERS)


@dataclass
class ScannedPage:
    """The image of an OCR'd page (rules erased), its table rules, and the OCR language."""

    image: Image.Image
    scale: float  # pixels per point
    rulings: list[Edge]
    language: str
    # the header of the last DVC table read, for a table continued without one
    carried_header: tuple[tuple[str, ...], ...] = ()
    # the columns of a borderless table the last page ended in
    carried_columns: Columns | None = None
    drawn: list[PlumberTable] = field(default_factory=list)  # tables drawn from white space
    angle: float = 0.0  # degrees the image was turned by, after OCRmyPDF's deskew

    @classmethod
    def render(
        cls,
        page: PdfPage,
        language: str,
        carried_header: tuple[tuple[str, ...], ...] = (),
        carried_columns: Columns | None = None,
    ) -> ScannedPage:
        scale = SCAN_DPI / 72  # the page's size was checked (``_check_page_size``)
        image, stamp = split_coloured_ink(page.render(scale=scale).to_pil())
        angle = estimate_skew(image)
        if abs(angle) >= MIN_SKEW_DEGREES:  # what OCRmyPDF's deskew left
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            stamp = stamp and stamp.rotate(angle, fillcolor=0)
        else:
            angle = 0.0
        stamps = stamp_boxes(stamp, 1 / scale)
        rulings, erased = rulings_and_erased(image, 1 / scale, stamps)
        return cls(erased, scale, rulings, language, carried_header, carried_columns, angle=angle)

    def find_tables(self, page: Page) -> list[PlumberTable]:
        """The page's tables: ruled ones from the rules seen in its image, borderless ones
        from rules drawn along their white space (``unruled``)."""
        if self.angle:
            _turn_characters(page, self.angle)
        ruled = _tables_on(page, self.rulings)
        drawn, self.carried_columns = unruled_tables(
            self.image, self.scale, page.extract_words(), [t.bbox for t in ruled],
            self.carried_columns,
        )  # fmt: skip
        unruled = [max(found, key=_area) for edges in drawn if (found := _tables_on(page, edges))]
        self.drawn = [t for t in unruled if self._names_services(t)]
        return sorted(ruled + self.drawn, key=lambda t: t.bbox[1])

    def _names_services(self, table: PlumberTable) -> bool:
        """Whether the header a table drawn from white space has (or continues) is a DVC
        table's: white space alone would make a table of any page set in columns."""
        texts = [[clean_ocr_cell(c) if c else "" for c in row] for row in cell_texts(table)]
        width = len(texts[0])
        depth = header_depth(texts)
        if not depth:  # the table of the page before, going on
            return any(len(row) == width for row in self.carried_header)
        roles = column_roles(texts[:depth], width)  # OCR'd words: a speck may hide one
        return len(roles.keys() - {Role.NOTE, Role.AGENCY}) >= _DRAWN_TABLE_ROLES

    def _header_roles(self, page_text: list[list[str]], depth: int) -> dict[Role, list[int]]:
        """The column roles of the table's header: its own (``depth`` rows), or the one it
        continues."""
        width = len(page_text[0])
        header = page_text[:depth] or [
            list(row) for row in self.carried_header if len(row) == width
        ]
        return column_roles(header, width) if header else {}

    def _count_columns(self, table: PlumberTable, page_text: list[list[str]]) -> set[int]:
        """The columns read as counts: where most of the page's OCR reads numbers, and
        those the header names for counts where it reads one at least or a cell holds
        ink it read no word in (toner faded at a page's edge garbles a column's zeros in
        the page's reading; a column of blank cells, read for digits, would read the
        paper's specks as some); not those it names for words or marks (a stray digit
        the page's OCR set there, a stamp's neighbour, a count slid across a skewed rule,
        makes no count column of the marks under it)."""
        depth = header_depth(page_text)
        roles = self._header_roles(page_text, depth)
        named = {
            column
            for role in _COUNT_HEADER_ROLES
            for column in roles.get(role, [])
            if any(looks_numeric(row[column]) for row in page_text[depth:] if column < len(row))
            or self._inked_without_words(table.rows[depth:], page_text[depth:], column)
        }
        words = {column for role in _WORD_ROLES for column in roles.get(role, [])}
        return (_numeric_columns(page_text) | named) - words

    def _inked_without_words(
        self, rows: list[PlumberRow], page_text: list[list[str]], column: int
    ) -> bool:
        """Whether a cell of ``column`` holds ink the page's OCR read no word in: on a
        sparse page of faded toner under heavy grain, Tesseract's layout analysis may
        drop every lone number as noise."""
        for row, texts in zip(rows, page_text, strict=True):
            box = row.cells[column] if column < len(row.cells) else None
            text = texts[column] if column < len(texts) else ""
            words = any(ch.isalpha() for ch in text)
            if box is not None and not words and has_ink(self.image, box, self.scale):
                return True
        return False

    def read_table(self, table: PlumberTable) -> dict[str, Any] | None:
        """The table's cells, each re-read on its own (``cells.read_cells``), the confidence
        Tesseract gave each, and the count cells corrected by the row's arithmetic
        (``ocr_arithmetic``). A table under a header of its own passes that header on to
        the next one (a table continued on the next page). None for a table drawn from
        white space whose cells, re-read, name no DVC table."""
        page_text = [[clean_ocr_cell(c) if c else "" for c in row] for row in cell_texts(table)]
        numeric_columns = self._count_columns(table, page_text)
        first_body_row = next(
            (
                i
                for i, texts in enumerate(page_text)
                if any(looks_numeric(texts[c]) for c in numeric_columns if c < len(texts))
            ),
            1,  # no count anywhere (a blank table): everything below the first row
        )
        boxes: list[Box | None] = []
        numeric: list[bool] = []
        for index, (row, texts) in enumerate(zip(table.rows, page_text, strict=True)):
            for column, (box, text) in enumerate(zip(row.cells, texts, strict=True)):
                boxes.append(box)
                body = index >= first_body_row
                numeric.append(body and column in numeric_columns and not _holds_words(text))
        read = iter(read_cells(self.image, boxes, numeric, self.scale, self.language))
        texts: list[list[str]] = []
        confidence: list[list[float | None]] = []
        unread: set[tuple[int, int]] = set()  # cells with ink read as nothing
        counts = iter(numeric)
        for index, row in enumerate(table.rows):
            cells = [next(read) for _ in row.cells]
            texts.append([clean_ocr_cell(c.text) if c else "" for c in cells])
            confidence.append([c.confidence if c else None for c in cells])
            unread.update(  # ink read as nothing, or as punctuation alone ("“")
                (index, column)
                for column, c in enumerate(cells)
                if c and (c.inked or (c.text and not texts[-1][column]))
            )
            for column, cell in enumerate(cells):
                # a body cell of words that, read alone, came out as garble (grain around
                # faded toner): the page's reading of it, words in context, is kept
                garbled = cell is not None and (cell.confidence or 0) < GARBLED_CONFIDENCE
                words = not next(counts) and index >= first_body_row
                if garbled and words and page_text[index][column]:
                    texts[-1][column] = page_text[index][column]
        corrections = []
        checker = RowChecker.for_table(texts, self.carried_header)
        if checker is None and table in self.drawn:
            return None
        if header_depth(texts):  # a header of its own: the next table may continue it
            self.carried_header = checker.header if checker else ()
        if checker is not None:
            grid = [list(row.cells) for row in table.rows]

            def reread(cells: list[tuple[int, int]]) -> dict[tuple[int, int], list]:
                found = [(r, c) for r, c in cells if grid[r][c] is not None]
                boxes = [grid[r][c] for r, c in found]
                return dict(zip(found, reread_cells(self.image, boxes, self.scale), strict=True))

            corrections = correct_rows(texts, confidence, checker, reread, frozenset(unread))
            corrections += mend_marks(texts, checker, frozenset(unread))
        return {"rows": texts, "confidence": confidence, "corrections": corrections}


def _holds_words(text: str) -> bool:
    """A count column's cell the page's OCR read words in ("Không thuộc thẩm quyền" across
    the counts, a note): a word of ``_WORD_LETTERS`` letters at least. Short garble ("Âjc",
    "tƑ lì.") is a stamp's or a signature's ink read as letters, and the cell is read for
    its digits."""
    return any(sum(ch.isalpha() for ch in word) >= _WORD_LETTERS for word in text.split())


def _tables_on(page: Page, rulings: list[Edge]) -> list[PlumberTable]:
    """The tables those rules draw on the page, none inside another."""
    vertical = [e for e in rulings if e["orientation"] == "v"]
    horizontal = [e for e in rulings if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    found = page.find_tables(
        {
            "vertical_strategy": "explicit",
            "horizontal_strategy": "explicit",
            "explicit_vertical_lines": vertical,
            "explicit_horizontal_lines": horizontal,
            "snap_tolerance": 4,
            "join_tolerance": 6,
            "intersection_tolerance": 4,
        }
    )
    tables = [t for t in found if t.rows and len(t.columns) > 1]
    return [t for t in tables if not any(_inside(t.bbox, o.bbox) for o in tables if o is not t)]


def _area(table: PlumberTable) -> float:
    x0, top, x1, bottom = table.bbox
    return (x1 - x0) * (bottom - top)


def retype_characters(page: Page, legacy: LegacyEncoding) -> None:
    """The page's characters in Unicode, each where it was drawn (a VNI mark becomes a
    combining mark, joined to its vowel when text is normalised)."""
    characters = CHARACTERS[legacy]
    for char in page.chars:
        char["text"] = characters.get(char["text"], char["text"])


def _check_page_size(path: Path, page: Page) -> None:
    """Refuse a page whose image at the scan resolution would pass the pixel cap: camelot,
    PDFium and OCRmyPDF all render pages, and a tiny file can declare a page of any size."""
    width, height = float(page.width), float(page.height)
    if width * height * (SCAN_DPI / 72) ** 2 > MAX_RENDER_PIXELS:
        raise TooLarge(
            f"{path.name}: page {page.page_number} is {width / 72:.0f}×{height / 72:.0f} in, "
            f"over the cap of {MAX_RENDER_PIXELS // 1_000_000} megapixels at {SCAN_DPI} dpi"
        )


def _check_image_pixels(path: Path, page: Page) -> None:
    """Refuse a page to OCR whose images hold more pixels than the cap (OCRmyPDF renders
    the page at its images' resolution)."""
    pixels = 0
    for image in page.images:
        width, height = image.get("srcsize") or (0, 0)
        pixels += int(width or 0) * int(height or 0)
    if pixels > MAX_RENDER_PIXELS:
        raise TooLarge(
            f"{path.name}: page {page.page_number} holds images of {pixels // 1_000_000} "
            f"megapixels, over the cap of {MAX_RENDER_PIXELS // 1_000_000} megapixels"
        )


def _numeric_columns(rows: list[list[str]]) -> set[int]:
    """Columns where most filled cells hold numbers, and the numbering column (``STT``)."""
    found = set()
    for column in range(max((len(r) for r in rows), default=0)):
        filled = [r[column] for r in rows if column < len(r) and r[column]]
        if not filled:
            continue
        counts = sum(looks_numeric(t) for t in filled) >= 0.5 * len(filled)
        if counts or ascii_key(filled[0]) in _NUMBERING_HEADERS:
            found.add(column)
    return found


def _translate(name: str, cause: object) -> Exception:
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return EncryptedDocument(f"{name}: PDF is password protected")
    reason = str(cause) or type(cause).__name__
    return UnreadableDocument(f"{name}: not a readable PDF ({reason})")


def page_to_items(
    page: Page,
    number: int,
    layout: GridLayout | None = None,
    scan: ScannedPage | None = None,
    source: Path | None = None,
) -> tuple[list[TextBlock | Table], GridLayout | None]:
    """Prose and tables of one page in reading order, and the borderless layout that
    ends the page (a table may continue on the next one). ``scan`` is set for an OCR'd
    page: its table rules come from the image and its cells are re-read one by one.
    ``source`` is the file, for camelot's second opinion (``_second_opinion``)."""
    band_text = functools.cache(functools.partial(_region_text, page))  # the page's, read once
    if scan is not None:
        found = scan.find_tables(page)
        read = [(t.bbox, scan.read_table(t)) for t in found]
        grids = [(bbox, Table(page=number, engine="ocr", **cells)) for bbox, cells in read if cells]
        borderless: list[Grid] = []
        layout = None  # a scanned borderless table's rules are drawn (``unruled``)
    else:
        found = [t for t in page.find_tables() if t.rows and len(t.columns) > 1]
        grids = [
            (t.bbox, Table(page=number, rows=_grid(cell_texts(t)), engine="pdfplumber"))
            for t in found
        ]
        borderless, layout = find_borderless_tables(page, layout, exclude=[g[0] for g in grids])
        if source is not None:
            grids = _second_opinion(
                source, page, grids, bool(borderless), lambda: band_text(0.0, page.height)
            )
    kept = [
        (grid.bbox, Table(page=number, rows=grid.rows, engine=grid.engine, doubts=grid.doubts))
        for grid in borderless
        if not any(_overlap(grid.bbox, ruled[0]) for ruled in grids)
    ]
    if grids and layout is not None and not layout.pending_header:
        last_ruled = max(ruled[0][3] for ruled in grids)
        if not kept or max(g[0][3] for g in kept) < last_ruled:
            layout = None  # the page ends on a ruled table: pdfplumber follows it
    grids += kept
    grids.sort(key=lambda g: g[0][1])
    items: list[TextBlock | Table] = []
    top = 0.0
    for bbox, table in grids:
        above = band_text(top, bbox[1])
        if above:
            items.append(TextBlock(page=number, text=above))
        table.caption = " ".join(above.splitlines()[-_CAPTION_LINES:]) if above else ""
        items.append(table)
        top = bbox[3]
    below = band_text(top, page.height)
    if below:
        items.append(TextBlock(page=number, text=below))
        if layout is not None and not layout.pending_header and len(below.splitlines()) > 3:
            layout = None  # prose after the table: it does not go on
    return items, layout


def _second_opinion(
    source: Path,
    page: Page,
    grids: list[tuple[Box, Table]],
    found_borderless: bool,
    page_text: Callable[[], str],
) -> list[tuple[Box, Table]]:
    """Each table from the engine that reads it most cleanly (``quality.grid_quality``).

    pdfplumber's grids stand when each one that holds counts reads cleanly. A weak one
    is compared with camelot lattice's table over the same place; a page where nothing
    was found but whose lines carry several counts each is given to camelot lattice,
    then stream. camelot runs on those pages only: it is an order of magnitude slower.
    """
    scores = [grid_quality(table.rows) for _, table in grids]
    weak = any(0 < score < GOOD_QUALITY for score in scores)
    if not weak and (grids or found_borderless or not _looks_tabular(page, page_text)):
        return grids
    number = page.page_number
    chosen = list(grids)
    lattice = [
        (bbox, rows, grid_quality(rows)) for bbox, rows in camelot_grids(source, page, LATTICE)
    ]
    for index, ((bbox, _), score) in enumerate(zip(grids, scores, strict=True)):
        rivals = [g for g in lattice if _overlap(g[0], bbox) and g[2] > score]
        if rivals:
            best = max(rivals, key=lambda g: g[2])
            chosen[index] = (best[0], Table(page=number, rows=best[1], engine="camelot-lattice"))
    for bbox, rows, score in lattice:
        if score >= GOOD_QUALITY and not any(_overlap(bbox, g[0]) for g in chosen):
            chosen.append((bbox, Table(page=number, rows=rows, engine="camelot-lattice")))
    if not chosen and not found_borderless:
        for bbox, rows in camelot_grids(source, page, STREAM):
            if grid_quality(rows) >= GOOD_QUALITY and len(rows[0]) >= _STREAM_MIN_COLUMNS:
                chosen.append((bbox, Table(page=number, rows=rows, engine="camelot-stream")))
    return chosen


def _looks_tabular(page: Page, page_text: Callable[[], str]) -> bool:
    """Several lines carrying three or more counts each: a table no engine has found.
    The page's text (``page_text``: its words set in lines, as ``_region_text`` gives
    them) tells first when that cannot be: a line of n counts there holds n // 3 such
    lines at most, since words on one of those lines lie on one of its."""
    if _on_the_page(page) and not _may_look_tabular(page_text()):
        return False
    lines: dict[int, int] = {}
    for word in page.extract_words():
        if looks_numeric(word["text"]):
            key = round(word["top"])
            lines[key] = lines.get(key, 0) + 1
    return sum(count >= _COUNTS_PER_ROW for count in lines.values()) >= _TABULAR_LINES


def _may_look_tabular(text: str) -> bool:
    counted = (sum(map(looks_numeric, line.split())) for line in text.splitlines())
    return sum(count // _COUNTS_PER_ROW for count in counted) >= _TABULAR_LINES


def _on_the_page(page: Page) -> bool:
    """Every character lies within the page (``_region_text`` leaves out any other)."""
    x0, top, x1, bottom = page.bbox
    return all(
        x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom
        for c in page.chars
    )


def _turn_characters(page: Page, angle: float) -> None:
    """Turn the page's characters (its OCR text layer) about the page's centre as its
    image was turned (``angle`` degrees, PIL's sense) where OCRmyPDF's deskew left a
    skew: the words then lie on the lines and in the cells the image shows. Each
    character moves with its middle; its box keeps its size."""
    turn = math.radians(angle)
    cos, sin = math.cos(turn), math.sin(turn)
    centre_x, centre_y = float(page.width) / 2, float(page.height) / 2
    turned = []
    for char in page.chars:
        x = (char["x0"] + char["x1"]) / 2 - centre_x
        y = (char["top"] + char["bottom"]) / 2 - centre_y
        dx = x * cos + y * sin - x
        dy = y * cos - x * sin - y
        turned.append(char | {
            "x0": char["x0"] + dx, "x1": char["x1"] + dx,
            "top": char["top"] + dy, "bottom": char["bottom"] + dy,
            "y0": char["y0"] - dy, "y1": char["y1"] - dy, "doctop": char["doctop"] + dy,
        })  # fmt: skip
    page.objects["char"] = turned


def cell_texts(table: PlumberTable) -> list[list[str | None]]:
    """``Table.extract()`` of pdfplumber, with each row's characters found by bisecting
    the page's characters on their vertical middles instead of testing every one of them
    for every row (the same characters, in the same order, so the same text)."""
    chars = table.page.chars
    middles = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
    keys = [middle for middle, _ in middles]
    grid: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        span = middles[bisect_left(keys, top) : bisect_left(keys, bottom)]
        row_chars = [chars[i] for i in sorted(i for _, i in span)]
        row_chars = [c for c in row_chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1]
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            texts.append(box_text(row_chars, cell))  # a merged cell may be taller
        grid.append(texts)
    return grid


def _inside(inner: Box, outer: Box) -> bool:
    """Whether ``inner`` lies within ``outer`` (rules of a stamp inside a table's cell
    make a table of their own there)."""
    return (
        outer[0] <= inner[0]
        and inner[2] <= outer[2]
        and outer[1] <= inner[1]
        and inner[3] <= outer[3]
        and inner != outer
    )


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grid(rows: list[list[str | None]]) -> list[list[str]]:
    return [[clean_text(cell) if cell else "" for cell in row] for row in rows]


def _region_text(page: Page, top: float, bottom: float) -> str:
    """The text of the page's full-width band from ``top`` to ``bottom``: what
    ``page.within_bbox(band).extract_text()`` gives, without cropping every object."""
    if bottom - top < 1:
        return ""
    top, bottom = max(top, 0), min(bottom, page.height)
    x0, _, x1, _ = page.bbox
    chars = [
        c
        for c in page.chars
        if top <= c["top"] and c["bottom"] <= bottom and x0 <= c["x0"] and c["x1"] <= x1
    ]
    text = extract_text(chars) if chars else ""
    lines = [clean_text(line) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
