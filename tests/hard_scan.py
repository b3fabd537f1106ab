"""Turn a text PDF into a scan as a small office's photocopier makes it.

Each degradation can be applied on its own or all together (the default):

- ``low_dpi``: 150 dpi instead of 200;
- ``skew``: rotated by 1–2.5° either way;
- ``toner``: uneven toner, strokes fading in broad patches across the page;
- ``noise``: heavier grain and specks;
- ``jpeg``: JPEG at quality 35;
- ``stamp``: a round agency stamp in red or grey ink, with a signature stroke through it,
  over the last rows of a table (at most a third of them).

Every choice is drawn from the file's name and the page number, so a file degrades the
same way on every run and machine. The result has no text layer.

    python -m tests.hard_scan IN.pdf OUT.pdf [--only skew,stamp] [--seed N]
"""

from __future__ import annotations

import argparse
import io
import math
import random
import zlib
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter

DEGRADATIONS = ("low_dpi", "skew", "toner", "noise", "jpeg", "stamp")
STAMP_INK = {"red": (205, 35, 45), "grey": (120, 120, 120)}


def make_hard_scan(
    source: Path,
    target: Path,
    seed: int = 0,
    degradations: tuple[str, ...] = DEGRADATIONS,
    stamp_ink: str | None = None,
) -> Path:
    """``target``: an image-only PDF of ``source`` with the given degradations.
    ``stamp_ink`` forces the stamp: "red" (scanned in colour) or "grey" (in greyscale)."""
    unknown = set(degradations) - set(DEGRADATIONS)
    if unknown:
        raise ValueError(f"unknown degradations: {', '.join(sorted(unknown))}")
    if stamp_ink not in (None, *STAMP_INK):
        raise ValueError(f"unknown stamp ink: {stamp_ink}")
    dpi = 150 if "low_dpi" in degradations else 200
    file_key = zlib.crc32(source.name.encode()) ^ seed
    colour = random.Random(file_key).random() < 0.3  # a colour scanner keeps the red stamp
    if stamp_ink is not None:
        colour = stamp_ink == "red"
    tables = _table_boxes(source) if "stamp" in degradations else {}
    stamped = _stamped_pages(tables, random.Random(file_key))
    document = pypdfium2.PdfDocument(source)
    pages = []
    try:
        for index, page in enumerate(document):
            rng = random.Random(f"{file_key}:{index}")
            noise = np.random.default_rng(file_key * 1000 + index)
            scale = dpi / 72
            image = page.render(scale=scale).to_pil().convert("RGB")
            if index in stamped:
                _stamp(image, stamped[index], scale, rng, colour, stamp_ink)
            if not colour:
                image = image.convert("L")
            pages.append(_degrade(image, degradations, rng, noise))
    finally:
        document.close()
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return target


def _table_boxes(source: Path) -> dict[int, tuple[float, float, float, float]]:
    """The largest ruled table of each page, in PDF points."""
    boxes = {}
    with pdfplumber.open(source) as pdf:
        for index, page in enumerate(pdf.pages):
            found = [t.bbox for t in page.find_tables()]
            if found:
                boxes[index] = max(found, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    return boxes


def _stamped_pages(
    tables: dict[int, tuple[float, float, float, float]], rng: random.Random
) -> dict[int, tuple[float, float, float, float]]:
    """About half the pages with a table get a stamp; at least one does."""
    chosen = {i: box for i, box in tables.items() if rng.random() < 0.5}
    if tables and not chosen:
        last = max(tables)
        chosen[last] = tables[last]
    return chosen


def _stamp(
    image: Image.Image,
    box: tuple[float, float, float, float],
    scale: float,
    rng: random.Random,
    colour: bool,
    ink_name: str | None = None,
) -> None:
    """A round stamp over the lower part of the table (its diameter at most a third of the
    table's height) with a signature stroke, the ink multiplied into the page."""
    x0, top, x1, bottom = (v * scale for v in box)
    diameter = min(3.8 / 2.54 * 72 * scale, (bottom - top) / 3, (x1 - x0) / 2)
    radius = diameter / 2
    cx = rng.uniform(x0 + 0.4 * (x1 - x0), x1 - radius)
    cy = rng.uniform(bottom - (bottom - top) / 3 + radius, bottom - radius * 0.6)
    ink = STAMP_INK[ink_name or ("red" if colour or rng.random() < 0.5 else "grey")]
    overlay = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(overlay)
    width = max(2, round(radius / 18))
    for r in (radius, radius * 0.93, radius * 0.62):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=width)
    for k in range(36):  # the ring's lettering, as short strokes
        angle = 2 * math.pi * k / 36 + rng.uniform(-0.03, 0.03)
        inner, outer = radius * 0.68, radius * 0.88
        draw.line(
            (cx + inner * math.cos(angle), cy + inner * math.sin(angle),
             cx + outer * math.cos(angle), cy + outer * math.sin(angle)),
            fill=ink, width=width,
        )  # fmt: skip
    _star(draw, cx, cy, radius * 0.3, ink)
    signature = [
        (cx - radius * 1.4 + t * radius * 2.8,
         cy + radius * 0.4 * math.sin(t * rng.uniform(8, 14)) - t * radius * 0.5)
        for t in np.linspace(0, 1, 80)
    ]  # fmt: skip
    draw.line(signature, fill=(30, 30, 70), width=width + 1, joint="curve")
    blended = np.asarray(image, dtype=np.float32) * np.asarray(overlay, dtype=np.float32) / 255
    image.paste(Image.fromarray(blended.astype(np.uint8)))


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, ink: tuple) -> None:
    points = [
        (cx + (r if k % 2 == 0 else r * 0.45) * math.cos(math.pi / 2 + k * math.pi / 5),
         cy - (r if k % 2 == 0 else r * 0.45) * math.sin(math.pi / 2 + k * math.pi / 5))
        for k in range(10)
    ]  # fmt: skip
    draw.polygon(points, fill=ink)


def _degrade(
    image: Image.Image,
    degradations: tuple[str, ...],
    rng: random.Random,
    noise: np.random.Generator,
) -> Image.Image:
    if "skew" in degradations:
        angle = rng.uniform(1.0, 2.5) * rng.choice((-1, 1))
        white = 255 if image.mode == "L" else (255, 255, 255)
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=white)
    pixels = np.asarray(image, dtype=np.float32)
    if "toner" in degradations:  # ink faded by a smooth field of 0.45–1.0
        coarse = noise.uniform(0.45, 1.0, (6, 5)).astype(np.float32)
        field = np.asarray(
            Image.fromarray(coarse).resize((pixels.shape[1], pixels.shape[0]), Image.BICUBIC)
        )
        field = np.clip(field, 0.4, 1.0)
        if pixels.ndim == 3:
            field = field[..., None]
        pixels = 255 - (255 - pixels) * field
    sigma = 14.0 if "noise" in degradations else 8.0
    pixels = pixels + noise.normal(0, sigma, pixels.shape)
    if "noise" in degradations:  # specks: dust on the glass
        specks = noise.random(pixels.shape[:2]) < 0.0008
        pixels[specks] = 40
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 0.9)))
    buffer = io.BytesIO()
    quality = 35 if "jpeg" in degradations else rng.randint(70, 85)
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(buffer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=",".join(DEGRADATIONS),
                        help=f"comma-separated subset of {', '.join(DEGRADATIONS)}")  # fmt: skip
    args = parser.parse_args()
    make_hard_scan(args.source, args.target, args.seed, tuple(args.only.split(",")))


if __name__ == "__main__":
    main()
