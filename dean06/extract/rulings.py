"""Table rulings found in a page image, as pdfplumber edges (a scan has no vector lines).

The page is binarised, then opened with long thin kernels so that only horizontal and
vertical strokes longer than any glyph survive; each surviving stroke becomes one edge in
PDF points, ready for pdfplumber's ``explicit`` table strategy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image

Edge = dict[str, Any]

# Shortest stroke kept, in points: longer than any letter stem of body text, shorter than the
# lowest row of a table header (one line of 10–13 pt text plus padding).
MIN_HORIZONTAL_PT = 24.0
MIN_VERTICAL_PT = 12.0
# Thickest stroke kept, in points: a rule, not a filled block or a stamp.
MAX_THICKNESS_PT = 4.0


def find_rulings(image: Image.Image, points_per_pixel: float) -> list[Edge]:
    """Horizontal and vertical rule segments of a (deskewed) page image, as edges in points."""
    return _edges(_stroke_masks(image, points_per_pixel), points_per_pixel)


def erase_rulings(image: Image.Image, points_per_pixel: float) -> Image.Image:
    """The image with its rules painted white, so OCR does not read them as ``|``, ``l``, ``1``."""
    return _erased(image, _stroke_masks(image, points_per_pixel))


def rulings_and_erased(
    image: Image.Image, points_per_pixel: float
) -> tuple[list[Edge], Image.Image]:
    """Both of the above from one pass over the image."""
    masks = _stroke_masks(image, points_per_pixel)
    return _edges(masks, points_per_pixel), _erased(image, masks)


def _edges(masks: list[tuple[str, np.ndarray]], points_per_pixel: float) -> list[Edge]:
    import cv2

    edges: list[Edge] = []
    for orientation, strokes in masks:
        count, _, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
        for x, y, w, h, _area in stats[1:count]:
            thickness = h if orientation == "h" else w
            if thickness * points_per_pixel > MAX_THICKNESS_PT:
                continue
            edges.append(_edge(orientation, x, y, w, h, points_per_pixel))
    return edges


def _erased(image: Image.Image, masks: list[tuple[str, np.ndarray]]) -> Image.Image:
    import cv2

    gray = np.array(image.convert("L"))
    for _, strokes in masks:
        grown = cv2.dilate(strokes, np.ones((5, 5), np.uint8))
        gray[grown > 0] = 255
    return Image.fromarray(gray)


def _stroke_masks(image: Image.Image, points_per_pixel: float) -> list[tuple[str, np.ndarray]]:
    import cv2

    gray = np.asarray(image.convert("L"))
    ink = cv2.adaptiveThreshold(
        255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2
    )
    masks = []
    for orientation, length_pt in (("h", MIN_HORIZONTAL_PT), ("v", MIN_VERTICAL_PT)):
        length = max(int(length_pt / points_per_pixel), 3)
        shape = (length, 1) if orientation == "h" else (1, length)
        strokes = cv2.morphologyEx(
            ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape)
        )
        # Bridge breaks of a few pixels left by noise or JPEG blur along the stroke.
        bridge = (7, 1) if orientation == "h" else (1, 7)
        masks.append(
            (orientation, cv2.dilate(strokes, cv2.getStructuringElement(cv2.MORPH_RECT, bridge)))
        )
    return masks


def estimate_skew(image: Image.Image, limit: float = 2.0) -> float:
    """The rotation (degrees, PIL's sense) that makes text lines and rules horizontal.

    Projection profile: the angle whose row sums of ink are sharpest, searched coarse then
    fine on a reduced copy of the page.
    """
    small = image.convert("L")
    small = small.resize((1000, max(round(1000 * small.height / small.width), 1)))
    ink = small.point(lambda v: 255 if v < 160 else 0)

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-limit, limit + 1e-9, 0.1), key=sharpness)
    return float(max(np.arange(best - 0.1, best + 0.1 + 1e-9, 0.02), key=sharpness))


def _edge(orientation: str, x: int, y: int, w: int, h: int, scale: float) -> Edge:
    x0, top, x1, bottom = x * scale, y * scale, (x + w) * scale, (y + h) * scale
    if orientation == "h":
        middle = (top + bottom) / 2
        top = bottom = middle
    else:
        middle = (x0 + x1) / 2
        x0 = x1 = middle
    return {
        "object_type": "ruling_edge",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }
