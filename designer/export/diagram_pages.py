"""The pathway diagram cut into pieces that stay legible on an A4 page.

A pathway runs left to right in time, so its picture is wide. Shrunk to the page
width its text becomes unreadable; instead we cut it into vertical strips at a
readable scale, through the gaps between steps, and repeat the lane headers at
the left of every strip. The PDF prints the strips on landscape pages. A
diagram too big for that (hundreds of steps) is printed whole as an overview,
with a note pointing to the SVG or PNG export.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from designer.graph.geometry import LANE_HEADER_WIDTH
from designer.graph.model import Pathway

#: Points per scene unit below which diagram text (9.5 pt at scale 1) gets too small to read.
MIN_SCALE = 0.55
#: Pixels per point in the embedded pictures (2 = 144 dpi: sharp on paper).
PIXELS_PER_POINT = 2.0
#: Scales tried for a wide diagram (points per scene unit); among those needing the
#: fewest pages the largest wins. At 0.65 a step name prints at about 8 pt.
STRIP_SCALES = (0.75, 0.7, 0.65, 0.6, MIN_SCALE)
#: Smaller scales, only when a tall diagram fits no other way.
FALLBACK_SCALES = (0.45, 0.36)
#: More strips than this and we print an overview instead.
MAX_STRIPS = 12
#: Height a caption and the gap after it take below each strip (points).
CAPTION_ROOM = 24.0
#: Clearance kept between a cut and any step, label or badge (scene units).
CUT_CLEARANCE = 6.0


@dataclass
class DiagramPiece:
    """One picture to place on the page."""

    png: bytes
    width_pt: float
    height_pt: float
    caption: str
    #: (header, left, right, scale): the lane headers' width and the slice of the
    #: picture (picture units) this piece shows, at ``scale`` points a unit; for
    #: drawing the piece as vector graphics (designer.export.diagram_vector)
    vector: tuple[float, float, float, float] | None = None


def strip_cuts(spans: list[tuple[float, float]], start: float, end: float,
               most: float, steps: list[tuple[float, float]] = ()
               ) -> list[tuple[float, float]]:
    """Where to cut the picture between ``start`` and ``end`` into strips.

    Each strip is at most ``most`` wide. A cut goes through a gap between the
    occupied ``spans`` (step boxes, labels, badges) when there is one in the
    last half of the strip; else through a gap between the ``steps`` (a label
    may be split, a step name never); else at the full width.
    """
    cuts: list[tuple[float, float]] = []
    left = start
    every = list(spans) + list(steps)

    def clear(x: float, of) -> bool:
        return not any(a - CUT_CLEARANCE < x < b + CUT_CLEARANCE for a, b in of)

    while end - left > 1.0:
        limit = left + most
        if limit >= end:
            cuts.append((left, end))
            break
        lowest = left + 0.5 * most
        candidates = [limit] + [a - CUT_CLEARANCE for a, _b in every
                                if lowest <= a - CUT_CLEARANCE <= limit]
        right = limit
        # a short strip rather than a cut through a step: any gap before the limit
        anywhere = [a - CUT_CLEARANCE for a, _b in steps if left < a - CUT_CLEARANCE <= limit]
        for avoid, places in ((every, candidates), (steps, candidates), (steps, anywhere)):
            free = [x for x in places if clear(x, avoid) and x - left > 1.0]
            if free:
                right = max(free)
                break
        cuts.append((left, right))
        left = right
    return cuts


def _pages(count: int, piece_height: float, frame_height: float, first_room: float) -> int:
    """Pages needed for ``count`` pieces of one height, the first page starting lower."""
    pages, room = 1, first_room
    for _ in range(count):
        if piece_height > room and room < frame_height:
            pages, room = pages + 1, frame_height
        room -= piece_height
    return pages


def plan_strips(width: float, height: float, header: float,
                spans: list[tuple[float, float]], frame_width: float, frame_height: float,
                first_room: float, steps: list[tuple[float, float]] = ()
                ) -> tuple[float, list[tuple[float, float]]] | None:
    """The scale and cuts that print the diagram in the fewest pages, largest first.

    Returns ``None`` when no scale gives at most :data:`MAX_STRIPS` legible strips.
    """
    best = None
    for group in (STRIP_SCALES, FALLBACK_SCALES):
        for scale in group:
            piece = height * scale + CAPTION_ROOM
            if piece > frame_height:
                continue
            cuts = strip_cuts(spans, header, width, frame_width / scale - header, steps)
            if len(cuts) > MAX_STRIPS:
                continue
            pages = _pages(len(cuts), piece, frame_height, first_room)
            if best is None or pages < best[0]:
                best = (pages, scale, cuts)
        if best is not None:
            return best[1], best[2]
    return None


def _may_fit(width: float, height: float, header: float, frame_width: float,
             frame_height: float) -> bool:
    """False when :func:`plan_strips` cannot find a plan whatever the gaps: at every
    scale whose strips fit the frame's height, even strips of the full width
    (:func:`strip_cuts` makes none wider) would be more than :data:`MAX_STRIPS`."""
    for scale in STRIP_SCALES + FALLBACK_SCALES:
        if height * scale + CAPTION_ROOM > frame_height:
            continue
        most = frame_width / scale - header
        if most <= 0 or (width - header - 1.0) / most <= MAX_STRIPS + 1:
            return True
    return False


def diagram_pieces(pathway: Pathway, report=None, frame_width: float = 481.0,
                   frame_height: float = 700.0, first_room: float | None = None,
                   raster: bool = True, drawing=None) -> list[DiagramPiece]:
    """Pictures of the diagram sized for a frame ``frame_width`` by ``frame_height``
    points; ``first_room`` is the height left on the first page under the heading.
    With ``raster`` False no PNG is made (``png`` is empty): the caller draws each
    piece from its ``vector`` slice. ``drawing``: the pathway's
    :class:`~designer.export.diagram_vector.DiagramDrawing` when the caller has one
    (its size and occupied spans are used instead of laying out and painting again).

    Raises ``ImportError`` when Qt is not installed (the caller prints a note).
    """
    from PIL import Image

    from designer.export import diagram

    if drawing is not None:
        width, height = drawing.width, drawing.height
    else:
        width, height = diagram.diagram_size(pathway)
    fit = min(frame_width / width, (frame_height - CAPTION_ROOM) / height)
    if frame_width / width >= MIN_SCALE or len(pathway.steps) == 0:
        # fit the height too: a new pathway is narrow but its six lanes are tall
        room = frame_height if first_room is None else first_room
        scale = min(frame_width / width, room / height, 1.0)
        png = (diagram.render_png(pathway, scale=scale * PIXELS_PER_POINT, report=report)
               if raster else b"")
        return [DiagramPiece(png, width * scale, height * scale, "", (0.0, 0.0, width, scale))]

    header = getattr(diagram, "MARGIN", 16.0) + LANE_HEADER_WIDTH
    if not _may_fit(width, height, header, frame_width, frame_height):
        plan = None            # too wide for any legible strips: no need to find the gaps
    else:
        spans_of = (drawing.occupied_spans() if drawing is not None
                    else diagram.occupied_spans(pathway, report))
        occupied = [span for span in spans_of if span[1] > header]
        spans = [(a, b) for a, b, is_step in occupied if not is_step]
        steps = [(a, b) for a, b, is_step in occupied if is_step]
        plan = plan_strips(width, height, header, spans, frame_width, frame_height,
                           frame_height if first_room is None else first_room, steps)
    if plan is None:
        png = (diagram.render_png(pathway, scale=max(fit * PIXELS_PER_POINT, 0.05),
                                  report=report) if raster else b"")
        return [DiagramPiece(png, width * fit, height * fit,
                             "Overview of the whole pathway. It is too large to print "
                             "legibly on A4: export the diagram as SVG or PNG to read it.",
                             (0.0, 0.0, width, fit))]
    scale, cuts = plan
    pieces: list[DiagramPiece] = []
    if not raster:
        return [DiagramPiece(b"", (header + right - left) * scale, height * scale,
                             _strip_caption(number, len(cuts)), (header, left, right, scale))
                for number, (left, right) in enumerate(cuts, 1)]
    # Small scales need more pixels per unit, or the text blurs when printed.
    with _rendered(diagram, pathway, max(scale * PIXELS_PER_POINT, 1.0), report) as image:
        k = image.width / width            # real pixels per scene unit (may be capped)
        head_px = round(header * k)
        for number, (left, right) in enumerate(cuts, 1):
            x0, x1 = round(left * k), min(image.width, round(right * k))
            strip = Image.new("RGB", (head_px + x1 - x0, image.height), "white")
            strip.paste(image.crop((0, 0, head_px, image.height)), (0, 0))
            strip.paste(image.crop((x0, 0, x1, image.height)), (head_px, 0))
            buffer = io.BytesIO()
            strip.save(buffer, format="PNG", compress_level=1)   # speed over size
            pieces.append(DiagramPiece(
                buffer.getvalue(), strip.width / k * scale, strip.height / k * scale,
                _strip_caption(number, len(cuts)), (header, left, right, scale)))
    return pieces


def _strip_caption(number: int, count: int) -> str:
    return (f"Diagram, part {number} of {count} (time runs left to right; "
            "the lane names repeat on every part)")


def _rendered(diagram, pathway: Pathway, scale: float, report):
    """The diagram as a Pillow image, straight from Qt's pixels when the renderer
    offers ``render_image`` (no PNG encode and decode in between)."""
    from PIL import Image

    render_image = getattr(diagram, "render_image", None)
    if render_image is None:
        return Image.open(io.BytesIO(diagram.render_png(pathway, scale=scale, report=report)))
    qimage = render_image(pathway, scale=scale, report=report)
    width, height = qimage.width(), qimage.height()
    # Premultiplied ARGB on a white, opaque background: the bytes are B, G, R, A.
    data = bytes(qimage.constBits())[: qimage.bytesPerLine() * height]
    return Image.frombuffer("RGBA", (width, height), data, "raw", "BGRA",
                            qimage.bytesPerLine(), 1).convert("RGB")
