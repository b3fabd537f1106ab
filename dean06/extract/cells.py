"""Re-read the cells of a scanned table, each on its own, with a configuration suited to it.

Full-page OCR garbles small header text and drops lone digits (a ``0`` alone in a cell is
often taken for a speck). Here every cell is cropped from the page image with its rules
erased, and the crops are stacked into one tall strip with white gaps: one Tesseract run
reads the strip, and each word goes back to the cell whose band holds it. Count and rate
cells use a digits-only configuration; the rest the Vietnamese model. Each cell gets the
lowest word confidence Tesseract gave it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PIL import Image

from dean06.extract.geometry import Box

GAP = 30  # white pixels between crops in the strip
MAX_STRIP_PIXELS = 30_000  # Tesseract refuses an image 32,767 pixels high or more
INSET = 3  # pixels trimmed inside each cell border
NUMBER_CHARS = "0123456789.,%"
# Digits read better with the English model: the Vietnamese one takes a lone 7 for "Vị".
DIGITS_MODEL = "eng"
MIN_INK_PIXELS = 80  # one blob of a glyph at 300 dpi (a printed "1" about 200, a mark more)
INK_PERCENTILE = 1  # the darkest 1% of a cell's pixels: its ink, when it has any
# ink this much darker than the paper is ink (faded toner: 30 and more); the noise and
# JPEG blotches of blank paper stay under 25
MIN_INK_CONTRAST = 45
MIN_STRETCH_CONTRAST = 80  # crops stretched for a second reading: plainly inked ones
SPECK_CONFIDENCE = 50  # a digit-less word in a count cell read with less: a speck
GLYPH_SHARE = 0.3  # blobs this share of the largest one's size are glyphs, not specks
_NUMBER = re.compile(r"^[\d.,%\s-]*$")


@dataclass
class CellText:
    text: str
    confidence: float | None  # 0–100, None for a blank cell
    inked: bool = False  # read as nothing, though the cell holds a glyph's ink


def read_cells(
    image: Image.Image, boxes: list[Box | None], numeric: list[bool], scale: float, language: str
) -> list[CellText | None]:
    """OCR each box (PDF points; ``scale`` pixels per point) of ``image``."""
    results: list[CellText | None] = [None] * len(boxes)
    for digits in (True, False):
        chosen = [i for i, box in enumerate(boxes) if box is not None and numeric[i] is digits]
        if not chosen:
            continue
        crops = [_crop(image, boxes[i], scale) for i in chosen]  # type: ignore[arg-type]
        model = DIGITS_MODEL if digits else language
        for index, crop, text in zip(chosen, crops, _read_strip(crops, model, digits), strict=True):
            if digits and not any(char.isdigit() for char in text.text):
                text = CellText("", None)  # a separator alone: a speck, not a count
            if not text.text and _has_ink(crop):  # a lone mark or digit the strip dropped
                faded = _contrast(crop) < MIN_STRETCH_CONTRAST  # specks as dark as glyphs
                text = (_read_faded if faded else _read_alone)(crop, model, digits)
                text.inked = not text.text
            results[index] = text
    return results


def _config(digits: bool, psm: int) -> str:
    config = f"--psm {psm}"
    return config + f" -c tessedit_char_whitelist={NUMBER_CHARS}" if digits else config


def has_ink(image: Image.Image, box: Box, scale: float) -> bool:
    """Whether the cell ``box`` (PDF points) of ``image`` holds a glyph (``_has_ink``)."""
    return _has_ink(_crop(image, box, scale))


def _has_ink(crop: Image.Image) -> bool:
    """Whether the crop holds a glyph, however faded: its darkest pixels stand out from
    the paper (noise and JPEG blotches on blank paper stay within ``MIN_INK_CONTRAST``)
    and, cut halfway between paper and ink, make one blob as large as a digit's stroke
    (specks stay smaller)."""
    import cv2
    import numpy as np

    if _glyph_contrast(crop) < MIN_INK_CONTRAST:
        return False
    pixels, paper, ink = _paper_and_ink(crop)
    dark = (pixels < (paper + ink) / 2).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    return count > 1 and int(stats[1:count, cv2.CC_STAT_AREA].max()) >= MIN_INK_PIXELS


_NOTHING_READ: dict[str, list[Any]] = {
    "text": [],
    "conf": [],
    "top": [],
    "height": [],
    "left": [],
    "width": [],
}


def _tesseract_data(image: Image.Image, language: str, config: str) -> dict[str, list[Any]]:
    """Tesseract's words of ``image``; none where Tesseract crashes on it (seed 1902's
    hard scan: it died of a signal), so a cell is read as nothing, the row's checks then
    report it, and the report is not lost."""
    import pytesseract

    try:
        return pytesseract.image_to_data(
            _uncompressed(image), lang=language, config=config,
            output_type=pytesseract.Output.DICT,
        )  # fmt: skip
    except pytesseract.TesseractError:
        return _NOTHING_READ


def _read_alone(crop: Image.Image, language: str, digits: bool) -> CellText:
    """One cell on a white margin, read as a single line, then as a single character."""

    framed = Image.new("L", (crop.width + 2 * GAP, crop.height + 2 * GAP), 255)
    framed.paste(crop.convert("L"), (GAP, GAP))
    for psm in (7, 10):
        data = _tesseract_data(framed, language, _config(digits, psm))
        words = [
            (t.strip(), float(c))
            for t, c in zip(data["text"], data["conf"], strict=True)
            if t.strip()
        ]
        if words:
            return CellText(" ".join(t for t, _ in words), min(c for _, c in words))
    return CellText("", None)


def _paper_and_ink(crop: Image.Image) -> tuple[Any, float, float]:
    """The crop's grey levels, its paper's (the median) and its ink's (the darkest 1%);
    a crop of no pixels has no ink (both 255)."""
    import numpy as np

    pixels = np.asarray(crop.convert("L"), dtype=np.float32)
    if pixels.size == 0:
        return pixels, 255.0, 255.0
    return pixels, float(np.median(pixels)), float(np.percentile(pixels, INK_PERCENTILE))


def _glyph_contrast(crop: Image.Image) -> float:
    """How much darker than the paper the crop's darkest strokes are, specks left out: a
    median filter erases specks of a pixel or two, and the darkest 0.1% of what is left
    is a stroke's ink however small the glyph is against its cell (one faded "2" in a wide
    cell is under 1% of it)."""
    import numpy as np
    from PIL import ImageFilter

    gray = crop.convert("L")
    if gray.width < 3 or gray.height < 3:
        return 0.0
    paper = float(np.median(np.asarray(gray, dtype=np.float32)))
    smooth = np.asarray(gray.filter(ImageFilter.MedianFilter(3)), dtype=np.float32)
    return paper - float(np.percentile(smooth, 0.1))


def _contrast(crop: Image.Image) -> float:
    """How much darker than the paper the crop's ink is (0–255)."""
    _, paper, ink = _paper_and_ink(crop)
    return paper - ink


def _read_faded(crop: Image.Image, language: str, digits: bool) -> CellText:
    """A cell in toner so faded that the specks of the paper are as dark as its glyphs:
    read again with only the glyphs' line kept (``_glyph_line``). A lone "0" that the
    digits list keeps Tesseract from reading is taken when read as a letter O."""
    line = _glyph_line(crop)
    if line is None:
        return CellText("", None)
    text = _read_alone(line, language, digits)
    if not text.text and digits:
        letters = _read_alone(line, language, False)
        if letters.text in {"0", "O", "o"}:
            return CellText("0", letters.confidence)
    return text


def _glyph_line(crop: Image.Image) -> Image.Image | None:
    """Black glyphs on white, cut halfway between paper and ink: the large blobs and what
    lies on their line (a separator, a comma), without the specks around them."""
    import cv2
    import numpy as np

    pixels, paper, ink = _paper_and_ink(crop)
    dark = (pixels < (paper + ink) / 2).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    if count <= 1:
        return None
    area = stats[1:, cv2.CC_STAT_AREA]
    glyphs = [i + 1 for i in np.flatnonzero(area >= GLYPH_SHARE * area.max())]
    left, top = stats[glyphs, 0].min(), stats[glyphs, 1].min()
    right = (stats[glyphs, 0] + stats[glyphs, 2]).max()
    bottom = (stats[glyphs, 1] + stats[glyphs, 3]).max()
    height = bottom - top
    centre_x = stats[:, 0] + stats[:, 2] / 2
    centre_y = stats[:, 1] + stats[:, 3] / 2
    on_line = (
        (centre_y >= top - 0.2 * height)
        & (centre_y <= bottom + 0.2 * height)
        & (centre_x >= left - height)
        & (centre_x <= right + height)
    )
    on_line[0] = False  # the paper
    line = np.where(on_line[labels], 0, 255).astype(np.uint8)
    return Image.fromarray(line[max(top - GAP // 2, 0) : bottom + GAP // 2, :])


def _uncompressed(image: Image.Image) -> Image.Image:
    """``image``, handed to Tesseract as BMP (pytesseract writes it in its ``format``): the
    same pixels, without PNG's compression, which cost a tenth of the cell pass."""
    image.format = "BMP"
    return image


def looks_numeric(text: str) -> bool:
    return bool(text.strip()) and bool(_NUMBER.match(text))


def _crop(image: Image.Image, box: Box, scale: float) -> Image.Image:
    x0, top, x1, bottom = (round(v * scale) for v in box)
    x0, top = x0 + INSET, top + INSET
    x1, bottom = max(x1 - INSET, x0 + 1), max(bottom - INSET, top + 1)
    return image.crop((x0, top, x1, bottom)).convert("L")


def _stretched(crop: Image.Image) -> Image.Image:
    """The crop with its darkest ink at black and its paper at white: toner faded in one
    part of the page reads like the rest (Tesseract thresholds a strip of cells at once).
    A crop of paper and noise alone is left as it is."""
    import numpy as np

    pixels, paper, ink = _paper_and_ink(crop)
    if paper - ink < MIN_STRETCH_CONTRAST:
        return crop
    stretched = np.clip((pixels - ink) * 255 / (paper - ink), 0, 255)
    return Image.fromarray(stretched.astype(np.uint8))


def _read_strip(crops: list[Image.Image], language: str, digits: bool) -> list[CellText]:
    """Each crop's text, read in strips of crops stacked no taller than Tesseract takes."""
    texts: list[CellText] = []
    chunk: list[Image.Image] = []
    height = GAP
    for crop in crops:
        if chunk and height + crop.height + GAP > MAX_STRIP_PIXELS:
            texts += _read_one_strip(chunk, language, digits)
            chunk, height = [], GAP
        chunk.append(crop)
        height += crop.height + GAP
    return texts + (_read_one_strip(chunk, language, digits) if chunk else [])


def _read_one_strip(crops: list[Image.Image], language: str, digits: bool) -> list[CellText]:

    width = max(c.width for c in crops) + 2 * GAP
    height = sum(c.height + GAP for c in crops) + GAP
    strip = Image.new("L", (width, height), 255)
    bands = []
    y = GAP
    for crop in crops:
        strip.paste(crop.convert("L"), (GAP, y))
        bands.append((y - GAP / 2, y + crop.height + GAP / 2))
        y += crop.height + GAP
    data = _tesseract_data(strip, language, _config(digits, 6))
    words: list[list[Word]] = [[] for _ in crops]
    band_index = 0
    order = sorted(range(len(data["text"])), key=lambda i: data["top"][i] + data["height"][i] / 2)
    for i in order:
        text = data["text"][i].strip()
        if not text or (digits and _speck(text, float(data["conf"][i]))):
            continue
        middle = data["top"][i] + data["height"][i] / 2
        while band_index < len(bands) - 1 and middle > bands[band_index][1]:
            band_index += 1
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        words[band_index].append(
            Word(line, data["top"][i], data["left"][i], text, float(data["conf"][i]))
        )
    return [_cell_text(found) for found in words]


def _speck(text: str, confidence: float) -> bool:
    """A doubtful reading with no digit in a count cell: a stamp's stroke or grain read as
    "%" or "." beside the count, not part of it."""
    return confidence < SPECK_CONFIDENCE and not any(char.isdigit() for char in text)


@dataclass
class Word:
    line: tuple[int, int, int]
    top: int
    left: int
    text: str
    confidence: float


def _cell_text(words: list[Word]) -> CellText:
    if not words:
        return CellText("", None)
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    ordered = sorted(lines.values(), key=lambda line: min(w.top for w in line))
    text = "\n".join(
        " ".join(w.text for w in sorted(line, key=lambda w: w.left)) for line in ordered
    )
    return CellText(text, min(w.confidence for w in words))


# Other ways of looking at a count cell, tried when the row's arithmetic fails: larger,
# binarised (Otsu), both. Each reads every doubtful cell of a table in one strip.
REREAD_VARIANTS: tuple[tuple[str, float, bool], ...] = (
    ("×2", 2.0, False),
    ("binarised", 1.0, True),
    ("×3 binarised", 3.0, True),
)


def reread_cells(
    image: Image.Image, boxes: list[Box], scale: float
) -> list[list[tuple[str, CellText]]]:
    """Each count cell read again in every ``REREAD_VARIANTS`` way and alone as one line:
    per box, the (variant, reading) pairs, blanks left out."""
    readings: list[list[tuple[str, CellText]]] = [[] for _ in boxes]
    crops = [_stretched(_crop(image, box, scale)) for box in boxes]
    for name, factor, binarise in REREAD_VARIANTS:
        prepared = [_prepared(crop, factor, binarise) for crop in crops]
        for index, text in enumerate(_read_strip(prepared, DIGITS_MODEL, True)):
            if text.text:
                readings[index].append((name, text))
    for index, crop in enumerate(crops):
        alone = _read_alone(crop, DIGITS_MODEL, True)
        if alone.text:
            readings[index].append(("alone", alone))
    return readings


def _prepared(crop: Image.Image, factor: float, binarise: bool) -> Image.Image:
    gray = crop.convert("L")
    if factor != 1:
        size = (max(round(gray.width * factor), 1), max(round(gray.height * factor), 1))
        gray = gray.resize(size, Image.LANCZOS)
    if binarise:
        import cv2
        import numpy as np

        _, ink = cv2.threshold(np.asarray(gray), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        gray = Image.fromarray(ink)
    return gray
