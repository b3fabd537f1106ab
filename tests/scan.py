"""Turn a text PDF into an image-only scan, as the corpus scans were made.

Every page is rasterised at 200 dpi in grayscale, rotated by 0.3–1.2° either way, given mild
noise and blur, and stored as JPEG; the result has no text layer.

    python -m tests.scan IN.pdf OUT.pdf [--seed N]
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageFilter

DPI = 200


def make_scan(source: Path, target: Path, seed: int = 0) -> Path:
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    document = pypdfium2.PdfDocument(source)
    pages = []
    try:
        for page in document:
            image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            angle = rng.uniform(0.3, 1.2) * rng.choice((-1, 1))
            image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            pixels = np.asarray(image, dtype=np.float32)
            pixels += noise.normal(0, 8, pixels.shape)
            image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8)))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=rng.randint(70, 85))
            pages.append(Image.open(buffer))
    finally:
        document.close()
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    make_scan(args.source, args.target, args.seed)


if __name__ == "__main__":
    main()
