"""Table rulings found in a page image, as pdfplumber edges (a scan has no vector lines).

The page is binarised, then opened with long thin kernels so that only horizontal and
vertical strokes longer than any glyph survive; each surviving stroke becomes one edge in
PDF points, ready for pdfplumber's ``explicit`` table strategy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image

from dean06.extract.geometry import Box

Edge = dict[str, Any]

# Shortest stroke kept, in points: longer than any letter stem of body text, shorter than the
# lowest row of a table header (one line of 10–13 pt text plus padding).
MIN_HORIZONTAL_PT = 24.0
MIN_VERTICAL_PT = 12.0
# Thickest stroke kept, in points: a rule, not a filled block or a stamp.
MAX_THICKNESS_PT = 4.0
RULE_RUN_SHARE = 0.8  # a rule's lines run this share of a stamped stroke's length at least
SAME_RULE_PT = 2.0  # pieces this close across are one rule
SMALL_GAP_PT = 6.0  # fragments this close are one rule (pdfplumber's join tolerance)
MAX_GAP_PT = 40.0  # and are joined over a gap this long (toner faded, a stamp)
STAMP_MARGIN_PT = 8.0  # a gap this far past a coloured stamp's ink is still under it
STAMP_REACH = 2.0  # a gap under a stamp is this many times its width at most
MIN_PIECE_PT = 40.0  # pieces shorter than this are not joined (a stamp's arcs are)
MEET_PT = 4.0  # a rule's end this close to a rule across it meets it
SAME_COLUMN_PT = 4.0  # uprights this close across are one column's rule (pdfplumber's snap)
LONE_SPLIT_SHARE = 0.35  # an upright alone at its position, shorter than this share of the
# tallest upright beside it, splits one cell: not a column
HEADER_SHARE = 0.5  # a table's header lies in the upper half of its height at most
GROUP_RULE_SHARE = 0.5  # a rule over a group of header columns spans less of the table
# Steepest skew looked for, in degrees: a photocopier's skew goes to about 2.5°, and
# OCRmyPDF's deskew leaves a sparse page (a header alone at its foot) as it came.
MAX_SKEW_DEGREES = 4.0
SKEW_INK_CONTRAST = 60  # ink is this much darker than the paper (faded toner too)


def find_rulings(image: Image.Image, points_per_pixel: float) -> list[Edge]:
    """Horizontal and vertical rule segments of a (deskewed) page image, as edges in points."""
    return on_grid(_edges(_stroke_masks(image, points_per_pixel), points_per_pixel))


def erase_rulings(image: Image.Image, points_per_pixel: float) -> Image.Image:
    """The image with its rules painted white, so OCR does not read them as ``|``, ``l``, ``1``."""
    return _erased(image, _stroke_masks(image, points_per_pixel))


def rulings_and_erased(
    image: Image.Image, points_per_pixel: float, stamps: Sequence[Box] = ()
) -> tuple[list[Edge], Image.Image]:
    """Both of the above from one pass over the image; ``stamps``: the boxes of the
    stamps whose coloured ink was dropped from it (``stamps.stamp_boxes``)."""
    masks = _stroke_masks(image, points_per_pixel)
    return on_grid(_edges(masks, points_per_pixel), stamps), _erased(image, masks)


def on_grid(edges: list[Edge], stamps: Sequence[Box] = ()) -> list[Edge]:
    """The edges of a grid. In a table every rule ends on another (a corner or a T); the
    straight bits of a stamp's ring or of a signature stroke end in the middle of a cell,
    and would cut it in two. Fragments of a rule are joined first (specks, faded toner),
    then short bits left hanging go, then pieces of one rule broken by a stamp are joined
    (across the whole of a coloured stamp, ``stamps``: its ink, painted white, took the
    rule's line under it), then every rule left hanging goes, and last a short upright
    that splits one cell alone."""
    kept = _joined(edges, "h", SMALL_GAP_PT, 0.0) + _joined(edges, "v", SMALL_GAP_PT, 0.0)
    kept = _meeting_rules(kept, among=[e for e in kept if _length(e) < MIN_PIECE_PT])
    kept = _joined(kept, "h", MAX_GAP_PT, MIN_PIECE_PT, stamps) + _joined(
        kept, "v", MAX_GAP_PT, MIN_PIECE_PT
    )
    return _without_lone_splits(_meeting_rules(kept, among=kept))


def _without_lone_splits(edges: list[Edge]) -> list[Edge]:
    """Without the uprights that no other upright continues or matches and that are short
    beside the table's height: a signature stroke crossing a row between two rules ends
    on both and looks like a rule, but it splits one cell, and the table then has a
    column more than on its other pages. A column's rule runs through the body, broken
    only by merged cells, so its pieces share their position; the rules that split a
    header cell into columns, each alone at its position, share their top and bottom in
    the table's upper part (a stroke looping twice across a body row does too, lower)."""
    uprights = [e for e in edges if e["orientation"] == "v"]

    def continued(edge: Edge) -> bool:  # the same column's rule in another row
        return any(
            abs(other["x0"] - edge["x0"]) <= SAME_COLUMN_PT
            and (other["top"] >= edge["bottom"] or other["bottom"] <= edge["top"])
            for other in uprights
        )

    alone = [e for e in uprights if not continued(e)]
    alone_ids = {id(e) for e in alone}

    def lone_split(edge: Edge) -> bool:
        if id(edge) not in alone_ids:  # a rule across, or a column's rule
            return False
        beside = [o for o in uprights if o["top"] < edge["bottom"] and o["bottom"] > edge["top"]]
        tallest = max(beside, key=_length)
        in_header = edge["bottom"] <= tallest["top"] + HEADER_SHARE * _length(tallest)
        # a header cell split into columns (a stroke's trace is one)
        if (in_header or _under_group_rule(edge, edges)) and any(
            abs(other["x0"] - edge["x0"]) > 2 * SAME_COLUMN_PT
            and abs(other["top"] - edge["top"]) <= MEET_PT
            and abs(other["bottom"] - edge["bottom"]) <= MEET_PT
            for other in alone
        ):
            return False
        return _length(edge) < LONE_SPLIT_SHARE * _length(tallest)

    return [e for e in edges if not lone_split(e)]


def _under_group_rule(upright: Edge, edges: list[Edge]) -> bool:
    """Whether the upright hangs from a rule that spans a group of columns only (the line
    under "Hồ sơ trực tuyến" over "Đúng hạn | Quá hạn"): a header's, wherever the header
    lies in its table (a header alone at a page's foot, its body on the next page). A body
    row's rules run the table's width."""
    x = upright["x0"]
    across = [e for e in edges if e["orientation"] == "h" and e["x0"] <= x <= e["x1"]]
    widest = max((_length(e) for e in across), default=0.0)
    return any(
        abs(rule["top"] - upright["top"]) <= MEET_PT and _length(rule) < GROUP_RULE_SHARE * widest
        for rule in across
    )


def _meeting_rules(edges: list[Edge], among: list[Edge]) -> list[Edge]:
    """``edges`` without those of ``among`` left hanging: a short one that does not end on
    rules at both ends, a long one that ends on none (a rule broken by a stamp still ends
    on the table's border at one end). Repeated: a bit dropped may leave another hanging."""
    suspects = {id(e) for e in among}
    kept = edges
    for _ in range(3):
        after = [e for e in kept if id(e) not in suspects or _anchored(e, kept)]
        if len(after) == len(kept):
            break
        kept = after
    return kept


def _anchored(edge: Edge, edges: list[Edge]) -> bool:
    meeting = _ends_meeting_rules(edge, edges)
    return meeting == 2 or (meeting == 1 and _length(edge) >= MIN_PIECE_PT)


def _length(edge: Edge) -> float:
    return edge["x1"] - edge["x0"] if edge["orientation"] == "h" else edge["bottom"] - edge["top"]


def _joined(
    edges: list[Edge],
    orientation: str,
    max_gap: float,
    min_piece: float,
    stamps: Sequence[Box] = (),
) -> list[Edge]:
    """Collinear pieces of one rule (same position, each ``min_piece`` long at least,
    apart by ``max_gap`` at most, the gap not closed by rules across it, or, for a
    horizontal rule, the gap under one of ``stamps``) as one."""
    across, along = ("top", "x0") if orientation == "h" else ("x0", "top")
    end = "x1" if orientation == "h" else "bottom"
    pieces = sorted(
        (e for e in edges if e["orientation"] == orientation), key=lambda e: (e[along], e[across])
    )
    out: list[Edge] = []
    for piece in pieces:
        last = next(
            (
                rule
                for rule in reversed(out)
                if abs(piece[across] - rule[across]) <= SAME_RULE_PT
                and rule[end] - rule[along] >= min_piece
                and piece[end] - piece[along] >= min_piece
            ),
            None,
        )
        if last is not None and (
            (
                piece[along] - last[end] <= max_gap
                and (max_gap <= SMALL_GAP_PT or not _gap_between_rules(last, piece, edges))
            )
            or (orientation == "h" and _gap_under_stamp(last, piece, stamps))
        ):
            last[end] = max(last[end], piece[end])
            last["width"], last["height"] = last["x1"] - last["x0"], last["bottom"] - last["top"]
        else:
            out.append(dict(piece))
    return out


def _gap_under_stamp(before: Edge, after: Edge, stamps: Sequence[Box]) -> bool:
    """Whether the gap between two pieces of a horizontal rule lies under a stamp: it
    crosses the stamp's box (grown by ``STAMP_MARGIN_PT``: the line's ends fade under the
    edge of its ink), and is no longer than twice the stamp is wide (the signature drawn
    across the stamp runs out beyond it, and hides the line there too)."""
    start, stop, at = before["x1"], after["x0"], before["top"]
    return any(
        top <= at <= bottom
        and start <= x1 + STAMP_MARGIN_PT
        and stop >= x0 - STAMP_MARGIN_PT
        and stop - start <= STAMP_REACH * (x1 - x0)
        for x0, top, x1, bottom in stamps
    )


def _gap_between_rules(before: Edge, after: Edge, edges: list[Edge]) -> bool:
    """Whether the gap between two pieces of a rule is bounded by rules across it at
    both ends: a merged cell the rule stops at, not a break in the rule."""
    if before["orientation"] == "h":
        gap = {**before, "x0": before["x1"], "x1": after["x0"]}
    else:
        gap = {**before, "top": before["bottom"], "bottom": after["top"]}
    return _ends_on_rules(gap, edges)


def _ends_on_rules(edge: Edge, edges: list[Edge]) -> bool:
    """Whether both ends of ``edge`` meet a rule across it (within ``MEET_PT``)."""
    return _ends_meeting_rules(edge, edges) == 2


def _ends_meeting_rules(edge: Edge, edges: list[Edge]) -> int:
    """How many ends of ``edge`` (0–2) meet a rule across it (within ``MEET_PT``)."""
    if edge["orientation"] == "h":
        ends, position = (edge["x0"], edge["x1"]), edge["top"]
        across = [(e["x0"], e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"]
    else:
        ends, position = (edge["top"], edge["bottom"]), edge["x0"]
        across = [(e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h"]
    return sum(
        any(
            abs(at - end) <= MEET_PT and start - MEET_PT <= position <= stop + MEET_PT
            for at, start, stop in across
        )
        for end in ends
    )


def _edges(masks: list[tuple[str, np.ndarray]], points_per_pixel: float) -> list[Edge]:
    import cv2

    edges: list[Edge] = []
    for orientation, strokes in masks:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
        for index, (x, y, w, h, _area) in enumerate(stats[1:count], start=1):
            thickness = h if orientation == "h" else w
            if thickness * points_per_pixel > MAX_THICKNESS_PT:
                inside = _rule_inside(labels[y : y + h, x : x + w] == index, orientation)
                if inside is None:
                    continue
                dx, dy, w, h = inside
                x, y = x + dx, y + dy
                if (h if orientation == "h" else w) * points_per_pixel > MAX_THICKNESS_PT:
                    continue
            edges.append(_edge(orientation, x, y, w, h, points_per_pixel))
    return edges


def _rule_inside(component: np.ndarray, orientation: str) -> tuple[int, int, int, int] | None:
    """The rule inside a stroke too thick for one (x, y, w, h within it): a rule that a
    stamp's ring or a signature crosses is one component with their ink. The rule is the
    band of lines along it that run the component's length; a stamp's arcs run short.
    None when no line does."""
    along = component if orientation == "v" else component.T
    runs = along.sum(axis=0)
    if runs.max() < RULE_RUN_SHARE * along.shape[0]:
        return None
    band = np.flatnonzero(runs >= RULE_RUN_SHARE * along.shape[0])
    first, last = int(band.min()), int(band.max())
    rows = np.flatnonzero(along[:, first : last + 1].any(axis=1))
    start, length, width = int(rows.min()), int(rows.max() - rows.min() + 1), last - first + 1
    return (first, start, width, length) if orientation == "v" else (start, first, length, width)


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


def estimate_skew(image: Image.Image, limit: float = MAX_SKEW_DEGREES) -> float:
    """The rotation (degrees, PIL's sense) that makes text lines and rules horizontal.

    Projection profile: the angle whose row sums of ink are sharpest, searched coarse then
    fine on a reduced copy of the page. Ink is told from paper at full resolution, by its
    contrast with the page's paper, and reduced keeping its mass: thresholded after the
    reduction, the thin strokes of faded toner went grey and the sparse page of one
    table row was measured on its noise.
    """
    gray = image.convert("L")
    pixels = np.asarray(gray)
    paper = float(np.median(pixels))
    ink = Image.fromarray(((pixels < paper - SKEW_INK_CONTRAST) * 255).astype(np.uint8))
    ink = ink.resize((1000, max(round(1000 * gray.height / gray.width), 1)), Image.BOX)

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
    return rule_edge(orientation, x0, top, x1, bottom)


def rule_edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> Edge:
    """A rule as pdfplumber's explicit strategy takes it (points)."""
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
