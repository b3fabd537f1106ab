"""A page's characters and rules read by PDFium, in pdfplumber's object format.

pdfminer, which pdfplumber parses pages with, is pure Python and most of the cost of a
text PDF. PDFium reads the same page an order of magnitude faster. Handing its
characters, lines and rectangles to a pdfplumber ``Page`` (``page._objects``) keeps
pdfplumber's table finder, word grouping and cropping unchanged while skipping the
pdfminer parse. Pages PDFium cannot place the way pdfminer does (rotated, or with a
media box not at the origin) are left to pdfminer.
"""

from __future__ import annotations

import ctypes
import itertools
import unicodedata
from dataclasses import dataclass
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
from pdfplumber.page import Page

PdfObject = dict[str, Any]
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_AXIS_TOLERANCE = 0.01  # points: a segment this close to horizontal or vertical is a rule
_FONT_NAME_BYTES = 128
_BREAKS = {0x0A, 0x0D}
_LINE_END_HYPHENS = {0x02, 0xFFFE}  # PDFium's codes for a "-" that ends a line
_UPRIGHT_RADIANS = 0.01
_DESCENT = 0.2  # of the font size, below the baseline
_SAME_BASELINE = 0.5  # points
_WORD_GAP = 0.1  # of the font size: a wider gap between glyphs separates words
_BOLD_WEIGHT = 600


# x0, y0, x1, y1 (PDF space), text, font name, size, upright
Glyph = tuple[float, float, float, float, str, str, float, bool]


@dataclass(frozen=True)
class PageText:
    """One pass of PDFium over a page's text: each glyph's text as ``glyph_texts`` gives
    it (to judge the text layer) and, when pdfplumber's frame fits the page, the glyphs
    placed in PDF space (``None`` otherwise), to become its characters (``attach_read``)."""

    texts: list[str]
    glyphs: list[Glyph] | None


def attach_pdfium_objects(page: Page, pdfium_page: pypdfium2.PdfPage) -> bool:
    """Give ``page`` the objects PDFium reads from ``pdfium_page``; False (and nothing
    attached) when the page's geometry is one only pdfminer handles."""
    return attach_read(page, pdfium_page, read_page_text(page, pdfium_page))


def read_page_text(page: Page, pdfium_page: pypdfium2.PdfPage) -> PageText:
    """The page's glyphs, read once for both the text-layer check and the characters."""
    if not _fits_frame(page, pdfium_page):
        return PageText(glyph_texts(pdfium_page), None)
    textpage = pdfium_page.get_textpage()
    try:
        texts: list[str] = []
        glyphs = _glyphs(textpage, page.pdf.unicode_norm, texts)
    finally:
        textpage.close()
    return PageText(texts, glyphs)


def attach_read(page: Page, pdfium_page: pypdfium2.PdfPage, read: PageText) -> bool:
    """Give ``page`` the characters of ``read`` and the rules of ``pdfium_page``; False
    (nothing attached) when the page's geometry is one only pdfminer handles."""
    if read.glyphs is None:
        return False
    frame = _PageFrame(float(page.height), float(page.initial_doctop), page.page_number)
    chars = _char_objects(read.glyphs, frame)
    lines, rects = _rules(pdfium_page, frame)
    page._objects = {"char": chars, "line": lines, "rect": rects}
    return True


def _fits_frame(page: Page, pdfium_page: pypdfium2.PdfPage) -> bool:
    """Unrotated, its media box at the origin: PDFium places the page as pdfminer does."""
    if pdfium_page.get_rotation() % 360 or tuple(page.mediabox[:2]) != (0, 0):
        return False
    left, bottom, _, _ = pdfium_page.get_mediabox()
    return (left, bottom) == (0, 0)


def glyph_texts(pdfium_page: pypdfium2.PdfPage) -> list[str]:
    """The text of each glyph drawn on the page (no made-up spaces or line breaks), a
    glyph of a font that maps to no text as pdfminer writes it, ``(cid:N)``: enough to
    judge a text layer."""
    textpage = pdfium_page.get_textpage()
    raw = textpage.raw
    texts = []
    unmapped: dict[int, bool] = {}  # per text object: a font maps all or none
    try:
        for index, unit in enumerate(_text_units(raw, pdfium_c.FPDFText_CountChars(raw))):
            code = ord(unit)
            if code in _BREAKS or (code == 0x20 and pdfium_c.FPDFText_IsGenerated(raw, index)):
                continue
            key = _text_object(raw, index) or 0
            if key not in unmapped:
                unmapped[key] = bool(pdfium_c.FPDFText_HasUnicodeMapError(raw, index))
            texts.append(f"(cid:{code})" if unmapped[key] else unit)
    finally:
        textpage.close()
    return texts


class _PageFrame:
    """Turns PDF user space (y up) into pdfplumber's top-down coordinates."""

    def __init__(self, height: float, doctop: float, page_number: int) -> None:
        self.height = height
        self.doctop = doctop
        self.page_number = page_number

    def box(self, x0: float, y0: float, x1: float, y1: float) -> PdfObject:
        top = self.height - y1
        return {
            "x0": x0,
            "y0": y0,
            "x1": x1,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "top": top,
            "bottom": self.height - y0,
            "doctop": self.doctop + top,
            "page_number": self.page_number,
        }


def _glyphs(textpage: pypdfium2.PdfTextPage, norm: str | None, texts: list[str]) -> list[Glyph]:
    """The page's glyphs in content order, placed in PDF space; each glyph's text as
    ``glyph_texts`` gives it is added to ``texts``. A glyph's box spans its advance and,
    like pdfminer's, the font size from just below the baseline, the same for every
    font so that a fallback font's glyph stays on its line. (The loop runs once per
    glyph: its PDFium calls go through bare function pointers.)"""
    raw = textpage.raw
    address = ctypes.cast(raw, ctypes.c_void_p).value
    count = pdfium_c.FPDFText_CountChars(raw)
    units = _text_units(raw, count)
    x, y = ctypes.c_double(), ctypes.c_double()
    x_at, y_at = ctypes.addressof(x), ctypes.addressof(y)
    origins = []
    for index in range(count):
        _char_origin(address, index, x_at, y_at)
        origins.append((x.value, y.value))
    origins.append((float("nan"), float("nan")))  # no glyph follows the last
    box = pdfium_c.FS_RECTF()
    box_at = ctypes.addressof(box)
    styles: dict[int, tuple[str, float, bool, bool]] = {}
    normalized: dict[str, str] = {}
    glyphs: list[Glyph] = []
    for index, unit in enumerate(units):
        code = ord(unit)
        if code in _BREAKS:
            continue  # line breaks PDFium made up
        if code == 0x20 and pdfium_c.FPDFText_IsGenerated(raw, index):
            continue  # a space PDFium made up; word gaps are filled in later
        key = _text_object(address, index) or 0
        style = styles.get(key)
        if style is None:
            style = styles[key] = _style(raw, index)
        fontname, size, upright, unmapped = style
        texts.append(f"(cid:{code})" if unmapped else unit)
        if 0xDC00 <= code < 0xE000:
            continue  # the second half of a surrogate pair
        if code in _LINE_END_HYPHENS:
            text = "-"
        elif unmapped:
            text = f"(cid:{code})"
        else:
            if 0xD800 <= code < 0xDC00 and index + 1 < count:
                unit = (unit + units[index + 1]).encode("utf-16-le", "surrogatepass")
                unit = unit.decode("utf-16-le", "replace")
            text = unit
            if norm and code >= 0x80:
                text = normalized.get(unit) or normalized.setdefault(
                    unit, unicodedata.normalize(norm, unit)
                )
        _loose_box(address, index, box_at)
        if upright:
            x0, baseline = origins[index]
            x1 = max(box.right, x0)  # the advance ends where the ink does, unless the
            next_x, next_y = origins[index + 1]  # next glyph of the line starts inside
            if abs(next_y - baseline) < _SAME_BASELINE and x0 < next_x < box.right:
                x1 = next_x  # overhanging ink (an italic '/', a fallback-font 'ơ')
            y0 = baseline - _DESCENT * size
            glyphs.append((x0, y0, x1, y0 + size, text, fontname, size, True))
        else:
            glyphs.append((box.left, box.bottom, box.right, box.top, text, fontname, size, False))
    return glyphs


def _char_objects(glyphs: list[Glyph], frame: _PageFrame) -> list[PdfObject]:
    """The glyphs as pdfplumber's characters, and spaces where words part."""
    height, doctop, page_number = frame.height, frame.doctop, frame.page_number
    chars: list[PdfObject] = []
    for x0, y0, x1, y1, text, fontname, size, upright in [
        *glyphs,
        *_missing_spaces(glyphs, height),
    ]:
        top = height - y1
        chars.append({
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "top": top, "bottom": height - y0, "doctop": doctop + top,
            "page_number": page_number, "text": text, "fontname": fontname, "size": size,
            "upright": upright, "object_type": "char",
        })  # fmt: skip
    return chars


def _text_units(raw: Any, count: int) -> str:
    """The page's text as UTF-16 code units, one per PDFium character index."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    return buffer.raw[: 2 * count].decode("utf-16-le", "surrogatepass")


# PDFium's per-glyph calls through bare function pointers (plain addresses in and out:
# no argument conversion); FPDFText_GetTextObject's result is a text object's identity
_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
)
_char_origin = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p
)(ctypes.cast(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_void_p).value)
_loose_box = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)(
    ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_void_p).value
)


def _style(raw: Any, index: int) -> tuple[str, float, bool, bool]:
    """Font name (``-Bold`` added for a heavy font not named so), size, uprightness and
    whether the font maps its glyphs to no text: the same for a whole text object."""
    name_buffer = ctypes.create_string_buffer(_FONT_NAME_BYTES)
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(raw, index, name_buffer, _FONT_NAME_BYTES, flags)
    fontname = name_buffer.value.decode("latin-1") if length else ""
    if pdfium_c.FPDFText_GetFontWeight(raw, index) >= _BOLD_WEIGHT:
        fontname += "" if "bold" in fontname.lower() else "-Bold"
    size = pdfium_c.FPDFText_GetFontSize(raw, index)
    upright = abs(pdfium_c.FPDFText_GetCharAngle(raw, index)) < _UPRIGHT_RADIANS
    unmapped = bool(pdfium_c.FPDFText_HasUnicodeMapError(raw, index))
    return fontname, size, upright, unmapped


def _missing_spaces(glyphs: list[Glyph], height: float) -> list[Glyph]:
    """Spaces for the word gaps PDFium's text has none for. PDFium drops a space glyph
    that follows another space in content order, which happens when a fallback-font
    glyph between them is drawn later (common in Vietnamese PDFs). A gap of at least
    ``_WORD_GAP`` of the font size between neighbouring glyphs of a line (the same
    bottom, on a page ``height`` high, and size) gets one."""
    by_place: dict[tuple[float, float], list[int]] = {}  # glyphs by exact bottom and size
    for index, glyph in enumerate(glyphs):
        if glyph[7]:
            by_place.setdefault((glyph[1], glyph[6]), []).append(index)
    lines: dict[tuple[float, float], list[int]] = {}
    for (y0, size), indexes in by_place.items():
        lines.setdefault((round(height - y0, 1), round(size, 1)), []).extend(indexes)
    lefts = [glyph[0] for glyph in glyphs]
    added: list[Glyph] = []
    for line in lines.values():
        line.sort()  # content order, then left to right (a stable sort keeps ties so)
        line.sort(key=lefts.__getitem__)
        for left, right in itertools.pairwise(glyphs[index] for index in line):
            if left[4] == " " or right[4] == " ":
                continue
            if right[0] - left[2] >= _WORD_GAP * left[6]:
                added.append((left[2], left[1], right[0], left[3], " ", left[5], left[6], True))
    return added


def _rules(page: pypdfium2.PdfPage, frame: _PageFrame) -> tuple[list[PdfObject], list[PdfObject]]:
    """Painted path pieces as pdfminer splits them: a two-point subpath is a line, an
    axis-aligned closed four-sided one a rectangle; other subpaths give their straight
    horizontal and vertical segments as lines (what pdfplumber's table finder keeps of
    a curve)."""
    lines: list[PdfObject] = []
    rects: list[PdfObject] = []
    for obj, matrix in _path_objects(page.raw):
        fill = ctypes.c_int()
        stroke = ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
        if not fill.value and not stroke.value:
            continue
        width = ctypes.c_float()
        pdfium_c.FPDFPageObj_GetStrokeWidth(obj, width)
        paint = {"stroke": bool(stroke.value), "fill": bool(fill.value), "linewidth": width.value}
        for subpath in _subpaths(obj, matrix):
            rect = _as_rect(subpath)
            if rect is not None:
                rects.append(frame.box(*rect) | paint | {"object_type": "rect"})
                continue
            for (ax, ay), (bx, by) in itertools.pairwise(subpath):
                if abs(ax - bx) > _AXIS_TOLERANCE and abs(ay - by) > _AXIS_TOLERANCE:
                    continue
                line = frame.box(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                lines.append(line | paint | {"object_type": "line"})
    return lines, rects


def _path_objects(page: Any) -> list[tuple[Any, Matrix]]:
    """Every path object of the page, form XObjects opened, with its full matrix."""
    found: list[tuple[Any, Matrix]] = []
    stack = [(pdfium_c.FPDFPage_GetObject(page, i), _IDENTITY)
             for i in range(pdfium_c.FPDFPage_CountObjects(page))]  # fmt: skip
    while stack:
        obj, outer = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            found.append((obj, _compose(_matrix(obj), outer)))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = _compose(_matrix(obj), outer)
            count = pdfium_c.FPDFFormObj_CountObjects(obj)
            stack.extend((pdfium_c.FPDFFormObj_GetObject(obj, i), inner) for i in range(count))
    return found


def _matrix(obj: Any) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _subpaths(obj: Any, matrix: Matrix) -> list[list[tuple[float, float]]]:
    a, b, c, d, e, f = matrix
    x = ctypes.c_float()
    y = ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and subpaths[-1][0] != point:
            subpaths[-1].append(subpaths[-1][0])
    return [s for s in subpaths if len(s) > 1]


def _as_rect(points: list[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) when the subpath is an axis-aligned rectangle."""
    if points[0] == points[-1]:
        points = points[:-1]
    if len(points) != 4:
        return None
    xs = {round(p[0], 2) for p in points}
    ys = {round(p[1], 2) for p in points}
    if len(xs) > 2 or len(ys) > 2:
        return None
    for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=True):
        if abs(ax - bx) > _AXIS_TOLERANCE and abs(ay - by) > _AXIS_TOLERANCE:
            return None
    return (min(xs), min(ys), max(xs), max(ys))
