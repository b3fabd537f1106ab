"""Coloured ink dropped from a scan: the red or blue of an agency's stamp, not the text.

Reports are printed in black; a round stamp and a signature in red, blue or violet ink
are laid over them. Where the scanner kept the colour, a pixel whose colour is strong
(its channels far apart) and that is not dark is stamp ink: it is painted white before
rules are looked for and text is read. Black text under the stamp stays black (the inks
multiply), so it is kept; a thin rule under it, blurred by the scan into the stamp's
colour, is not, and the stamp's box (``stamp_boxes``) lets the rule finder join the
rule's pieces across it.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops

from dean06.extract.geometry import Box

# Channel spread (max − min, 0–255) above which a pixel is coloured ink; scanner noise
# and JPEG colour bleeding on black or grey text stay well below.
MIN_CHROMA = 70
# Brightest channel of coloured ink over paper: stamp ink over text, or over the soft edge
# of a glyph, is darker and kept (the inks multiply).
MIN_INK_LIGHTNESS = 150
# Share of coloured pixels under which a page has no stamp to drop.
MIN_COLOURED_SHARE = 0.0005
STAMP_GAP_PT = 6.0  # coloured ink this close is one stamp's (a ring, its ticks, its letters)
MIN_STAMP_PT = 30.0  # a stamp is this wide and tall at least


def drop_coloured_ink(image: Image.Image) -> Image.Image:
    """The page in greyscale, with coloured ink (a stamp) painted white. A greyscale
    image comes back as it is."""
    return split_coloured_ink(image)[0]


def split_coloured_ink(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """The page in greyscale with coloured ink (a stamp) painted white, and the mask of
    that ink (255 where it was; None when the page has none). Done with PIL's channel
    operations (C loops over bytes): a page at 300 dpi costs some 0.05 s, against 0.7 s
    with numpy arrays of int16."""
    if image.mode not in ("RGB", "RGBA"):
        return image.convert("L"), None
    rgb = image.convert("RGB")
    red, green, blue = rgb.split()
    brightest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    spread = ImageChops.subtract(brightest, darkest)
    coloured = ImageChops.multiply(  # 255 where both hold, else 0
        spread.point(_above(MIN_CHROMA)), brightest.point(_above(MIN_INK_LIGHTNESS))
    )
    gray = rgb.convert("L")
    if coloured.histogram()[255] < MIN_COLOURED_SHARE * gray.width * gray.height:
        return gray, None
    gray.paste(255, mask=coloured)
    return gray, coloured


def stamp_boxes(mask: Image.Image | None, points_per_pixel: float) -> list[Box]:
    """The boxes (x0, top, x1, bottom, in points) of the stamps in a coloured-ink mask:
    its ink grown into blobs a stamp's size at least (a ring with its lettering is one;
    a coloured speck or a signature's thin stroke is not a stamp)."""
    if mask is None:
        return []
    import cv2

    ink = np.asarray(mask) > 0
    grow = max(int(STAMP_GAP_PT / points_per_pixel), 1)
    blobs = cv2.dilate(ink.astype(np.uint8), np.ones((grow, grow), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    least, half, pt = MIN_STAMP_PT / points_per_pixel, grow // 2, points_per_pixel
    return [
        (
            float(x + half) * pt,
            float(y + half) * pt,
            float(x + w - half) * pt,
            float(y + h - half) * pt,
        )
        for x, y, w, h, _ in stats[1:count]
        if w >= least and h >= least
    ]


def _above(threshold: int) -> list[int]:
    """A ``point`` table: 255 for a value over ``threshold``, else 0."""
    return [255 if value > threshold else 0 for value in range(256)]
