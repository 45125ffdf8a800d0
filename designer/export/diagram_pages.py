"""The pathway diagram cut into pieces that stay legible on an A4 page.

A pathway runs left to right in time, so its picture is wide. Shrunk to the page
width its text becomes unreadable; instead we cut it into vertical strips at a
readable scale and repeat the lane headers at the left of every strip. A
diagram too big for that (hundreds of steps) is printed whole as an overview,
with a note pointing to the SVG or PNG export.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from ..graph.geometry import LANE_HEADER_WIDTH
from ..graph.model import Pathway

#: Points per scene unit below which diagram text (9.5 px) gets too small to read.
MIN_SCALE = 0.55
#: Pixels per point in the embedded pictures (2 = 144 dpi: sharp on paper).
PIXELS_PER_POINT = 2.0
#: Scales tried in turn for a wide diagram (points per scene unit), most legible first.
STRIP_SCALES = (MIN_SCALE, 0.45, 0.36)
#: More strips than this (about 4 pages) and we print an overview instead.
MAX_STRIPS = 12


@dataclass
class DiagramPiece:
    """One picture to place on the page."""

    png: bytes
    width_pt: float
    height_pt: float
    caption: str


def diagram_pieces(pathway: Pathway, report=None, frame_width: float = 481.0,
                   frame_height: float = 700.0) -> list[DiagramPiece]:
    """Pictures of the diagram sized for a frame ``frame_width`` points wide.

    Raises ``ImportError`` when Qt is not installed (the caller prints a note).
    """
    from PIL import Image

    from . import diagram

    width, height = diagram.diagram_size(pathway)
    fit = frame_width / width
    if fit >= MIN_SCALE or len(pathway.steps) == 0:
        scale = min(fit, 1.0)
        png = diagram.render_png(pathway, scale=scale * PIXELS_PER_POINT, report=report)
        return [DiagramPiece(png, width * scale, height * scale, "")]

    header = getattr(diagram, "MARGIN", 16.0) + LANE_HEADER_WIDTH
    chosen = None
    for scale in STRIP_SCALES:
        content_per_strip = frame_width / scale - header
        strips = -(-(width - header) // content_per_strip)
        if strips <= MAX_STRIPS and height * scale <= frame_height:
            chosen = scale, content_per_strip, int(strips)
            break
    if chosen is None:
        scale = min(fit, frame_height / height)
        png = diagram.render_png(pathway, scale=max(scale * PIXELS_PER_POINT, 0.05),
                                 report=report)
        return [DiagramPiece(png, width * scale, height * scale,
                             "Overview of the whole pathway. It is too large to print "
                             "legibly on A4: export the diagram as SVG or PNG to read it.")]
    scale, content_per_strip, total = chosen
    # Equal strips read better than full ones followed by a sliver.
    content_per_strip = (width - header) / total
    # Small scales need more pixels per unit, or the text blurs when printed.
    pieces: list[DiagramPiece] = []
    with _rendered(diagram, pathway, max(scale * PIXELS_PER_POINT, 1.0), report) as image:
        k = image.width / width            # real pixels per scene unit (may be capped)
        head_px = round(header * k)
        step_px = math.ceil(content_per_strip * k)
        left = head_px
        number = 0
        while left < image.width - 1:
            number += 1
            right = min(image.width, left + step_px)
            strip = Image.new("RGB", (head_px + right - left, image.height), "white")
            strip.paste(image.crop((0, 0, head_px, image.height)), (0, 0))
            strip.paste(image.crop((left, 0, right, image.height)), (head_px, 0))
            buffer = io.BytesIO()
            strip.save(buffer, format="PNG", compress_level=1)   # speed over size
            pieces.append(DiagramPiece(
                buffer.getvalue(), strip.width / k * scale, strip.height / k * scale,
                f"Diagram, part {number} of {total} (time runs left to right)"))
            left = right
    if len(pieces) != total:  # rounding: renumber so captions stay true
        for i, piece in enumerate(pieces, 1):
            piece.caption = f"Diagram, part {i} of {len(pieces)} (time runs left to right)"
    return pieces


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
