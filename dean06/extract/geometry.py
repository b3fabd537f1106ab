"""The one box type of the readers: a rectangle on a page."""

from __future__ import annotations

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points (pixels on an image)
