"""Coloured ink dropped from a scan: the red or blue of an agency's stamp, not the text.

Reports are printed in black; a round stamp and a signature in red, blue or violet ink
are laid over them. Where the scanner kept the colour, a pixel whose colour is strong
(its channels far apart) and that is not dark is stamp ink: it is painted white before
rules are looked for and text is read. Black text under the stamp stays black (the inks
multiply), so it is kept.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Channel spread (max − min, 0–255) above which a pixel is coloured ink; scanner noise
# and JPEG colour bleeding on black or grey text stay well below.
MIN_CHROMA = 70
# Brightest channel of coloured ink over paper: stamp ink over text, or over the soft edge
# of a glyph, is darker and kept (the inks multiply).
MIN_INK_LIGHTNESS = 150
# Share of coloured pixels under which a page has no stamp to drop.
MIN_COLOURED_SHARE = 0.0005


def drop_coloured_ink(image: Image.Image) -> Image.Image:
    """The page in greyscale, with coloured ink (a stamp) painted white. A greyscale
    image comes back as it is."""
    if image.mode not in ("RGB", "RGBA"):
        return image.convert("L")
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    spread = pixels.max(axis=2) - pixels.min(axis=2)
    coloured = (spread > MIN_CHROMA) & (pixels.max(axis=2) > MIN_INK_LIGHTNESS)
    gray = np.asarray(image.convert("L")).copy()
    if coloured.mean() >= MIN_COLOURED_SHARE:
        gray[coloured] = 255
    return Image.fromarray(gray)
