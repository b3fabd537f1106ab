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

from PIL import Image

Box = tuple[float, float, float, float]

GAP = 30  # white pixels between crops in the strip
INSET = 3  # pixels trimmed inside each cell border
NUMBER_CHARS = "0123456789.,%"
# Digits read better with the English model: the Vietnamese one takes a lone 7 for "Vị".
DIGITS_MODEL = "eng"
MIN_INK_PIXELS = 40  # at 300 dpi a printed "1" has about 150
_NUMBER = re.compile(r"^[\d.,%\s-]*$")


@dataclass
class CellText:
    text: str
    confidence: float | None  # 0–100, None for a blank cell


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
            if not text.text and _has_ink(crop):
                text = _read_alone(crop, model, digits)  # a lone digit the strip dropped
            results[index] = text
    return results


def _config(digits: bool, psm: int) -> str:
    config = f"--psm {psm}"
    return config + f" -c tessedit_char_whitelist={NUMBER_CHARS}" if digits else config


def _has_ink(crop: Image.Image) -> bool:
    """More dark pixels than a speck of noise."""
    histogram = crop.convert("L").histogram()
    return sum(histogram[:128]) >= MIN_INK_PIXELS


def _read_alone(crop: Image.Image, language: str, digits: bool) -> CellText:
    """One cell on a white margin, read as a single line, then as a single character."""
    import pytesseract

    framed = Image.new("L", (crop.width + 2 * GAP, crop.height + 2 * GAP), 255)
    framed.paste(crop.convert("L"), (GAP, GAP))
    for psm in (7, 10):
        data = pytesseract.image_to_data(
            framed, lang=language, config=_config(digits, psm), output_type=pytesseract.Output.DICT
        )
        words = [
            (t.strip(), float(c))
            for t, c in zip(data["text"], data["conf"], strict=True)
            if t.strip()
        ]
        if words:
            return CellText(" ".join(t for t, _ in words), min(c for _, c in words))
    return CellText("", None)


def looks_numeric(text: str) -> bool:
    return bool(text.strip()) and bool(_NUMBER.match(text))


def _crop(image: Image.Image, box: Box, scale: float) -> Image.Image:
    x0, top, x1, bottom = (round(v * scale) for v in box)
    x0, top = x0 + INSET, top + INSET
    x1, bottom = max(x1 - INSET, x0 + 1), max(bottom - INSET, top + 1)
    return image.crop((x0, top, x1, bottom))


def _read_strip(crops: list[Image.Image], language: str, digits: bool) -> list[CellText]:
    import pytesseract

    width = max(c.width for c in crops) + 2 * GAP
    height = sum(c.height + GAP for c in crops) + GAP
    strip = Image.new("L", (width, height), 255)
    bands = []
    y = GAP
    for crop in crops:
        strip.paste(crop.convert("L"), (GAP, y))
        bands.append((y - GAP / 2, y + crop.height + GAP / 2))
        y += crop.height + GAP
    data = pytesseract.image_to_data(
        strip, lang=language, config=_config(digits, 6), output_type=pytesseract.Output.DICT
    )
    words: list[list[Word]] = [[] for _ in crops]
    band_index = 0
    order = sorted(range(len(data["text"])), key=lambda i: data["top"][i] + data["height"][i] / 2)
    for i in order:
        text = data["text"][i].strip()
        if not text:
            continue
        middle = data["top"][i] + data["height"][i] / 2
        while band_index < len(bands) - 1 and middle > bands[band_index][1]:
            band_index += 1
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        words[band_index].append(
            Word(line, data["top"][i], data["left"][i], text, float(data["conf"][i]))
        )
    return [_cell_text(found) for found in words]


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
