"""Small files that declare huge pages or images: each would take gigabytes to render."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
from reportlab.pdfgen import canvas

POINTS_PER_INCH = 72


def huge_page(target: Path, inches: float, lines: list[str] | None = None) -> Path:
    """A one-page PDF of ``inches`` × ``inches``, with ``lines`` of text at its top."""
    side = inches * POINTS_PER_INCH
    page = canvas.Canvas(str(target), pagesize=(side, side))
    page.setFont("Helvetica", 12)
    for number, line in enumerate(lines or []):
        page.drawString(POINTS_PER_INCH, side - POINTS_PER_INCH - 20 * number, line)
    page.showPage()
    page.save()
    return target


def huge_image(target: Path, pixels: int) -> Path:
    """An A4 page holding one white image of ``pixels`` × ``pixels`` (1 bit, deflated:
    about 100 KB for 30000 px)."""
    pdf = pikepdf.new()
    row = b"\xff" * (pixels // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(pixels)) + packer.flush()
    image = pikepdf.Stream(pdf, data)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = pixels, pixels, 1
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceGray, pikepdf.Name.FlateDecode
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
        Contents=pikepdf.Stream(pdf, b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(target)
    return target
