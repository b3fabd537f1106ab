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


def attach_pdfium_objects(page: Page, pdfium_page: pypdfium2.PdfPage) -> bool:
    """Give ``page`` the objects PDFium reads from ``pdfium_page``; False (and nothing
    attached) when the page's geometry is one only pdfminer handles."""
    if pdfium_page.get_rotation() % 360 or tuple(page.mediabox[:2]) != (0, 0):
        return False
    left, bottom, _, _ = pdfium_page.get_mediabox()
    if (left, bottom) != (0, 0):
        return False
    height = float(page.height)
    origin = _PageFrame(height, float(page.initial_doctop), page.page_number)
    textpage = pdfium_page.get_textpage()
    try:
        chars = _chars(textpage, origin, page.pdf.unicode_norm)
    finally:
        textpage.close()
    lines, rects = _rules(pdfium_page, origin)
    page._objects = {"char": chars, "line": lines, "rect": rects}
    return True


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


def _chars(textpage: pypdfium2.PdfTextPage, frame: _PageFrame, norm: str | None) -> list[PdfObject]:
    """The page's glyphs in content order. A glyph's box spans its advance and, like
    pdfminer's, the font size from just below the baseline, the same for every font so
    that a fallback font's glyph stays on its line."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    units = _text_units(raw, count)
    x = ctypes.c_double()
    y = ctypes.c_double()
    origins = []
    for index in range(count):
        pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
        origins.append((x.value, y.value))
    box = pdfium_c.FS_RECTF()
    styles: dict[int, tuple[str, float, bool, bool]] = {}
    chars: list[PdfObject] = []
    for index, unit in enumerate(units):
        code = ord(unit)
        if code in _BREAKS or 0xDC00 <= code < 0xE000:
            continue  # line breaks PDFium made up, second halves of surrogate pairs
        if code == 0x20 and pdfium_c.FPDFText_IsGenerated(raw, index):
            continue  # a space PDFium made up; word gaps are filled in below
        key = _text_object(raw, index) or 0
        style = styles.get(key)
        if style is None:
            style = styles[key] = _style(raw, index)
        fontname, size, upright, unmapped = style
        if code in _LINE_END_HYPHENS:
            text = "-"
        elif unmapped:
            text = f"(cid:{code})"
        else:
            if 0xD800 <= code < 0xDC00 and index + 1 < count:
                unit = (unit + units[index + 1]).encode("utf-16-le", "surrogatepass")
                unit = unit.decode("utf-16-le", "replace")
            text = unicodedata.normalize(norm, unit) if norm else unit
        pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
        if upright:
            left, baseline = origins[index]
            right = _advance_end(left, baseline, box.right, origins[index + 1 : index + 2])
            bottom = baseline - _DESCENT * size
            char = frame.box(left, bottom, right, bottom + size)
        else:
            char = frame.box(box.left, box.bottom, box.right, box.top)
        char.update(text=text, fontname=fontname, size=size, upright=upright)
        char["object_type"] = "char"
        chars.append(char)
    return chars + _missing_spaces(chars, frame)


def _text_units(raw: Any, count: int) -> str:
    """The page's text as UTF-16 code units, one per PDFium character index."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    return buffer.raw[: 2 * count].decode("utf-16-le", "surrogatepass")


# FPDFText_GetTextObject returning a plain address: a text object's identity, cheaply
_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
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


def _advance_end(
    left: float, baseline: float, ink_right: float, following: list[tuple[float, float]]
) -> float:
    """Where a glyph's advance ends. PDFium's loose box also covers ink that overhangs
    the advance (an italic '/', a fallback-font 'ơ'); the next character placed on the
    same line inside that overhang marks the true end."""
    if following:
        next_x, next_y = following[0]
        if abs(next_y - baseline) < _SAME_BASELINE and left < next_x < ink_right:
            return next_x
    return max(ink_right, left)


def _missing_spaces(chars: list[PdfObject], frame: _PageFrame) -> list[PdfObject]:
    """Spaces for the word gaps PDFium's text has none for. PDFium drops a space glyph
    that follows another space in content order, which happens when a fallback-font
    glyph between them is drawn later (common in Vietnamese PDFs). A gap of at least
    ``_WORD_GAP`` of the font size between neighbouring glyphs of a line gets one."""
    lines: dict[tuple[float, float], list[PdfObject]] = {}
    for char in chars:
        if char["upright"]:
            lines.setdefault((round(char["bottom"], 1), round(char["size"], 1)), []).append(char)
    added: list[PdfObject] = []
    for line in lines.values():
        line.sort(key=lambda c: c["x0"])
        for left, right in itertools.pairwise(line):
            if left["text"] == " " or right["text"] == " ":
                continue
            if right["x0"] - left["x1"] >= _WORD_GAP * left["size"]:
                space = frame.box(left["x1"], left["y0"], right["x0"], left["y1"])
                space.update(
                    text=" ",
                    fontname=left["fontname"],
                    size=left["size"],
                    upright=True,
                    object_type="char",
                )
                added.append(space)
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
