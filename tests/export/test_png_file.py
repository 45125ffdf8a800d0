"""The PNG file: opaque RGB, capped in pixels and per side, the same picture as before."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtGui")

from designer.export import diagram  # noqa: E402
from designer.graph.io import load_pathway  # noqa: E402
from designer.library import builtin_folder  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import make_pathway  # noqa: E402


def _header(png: bytes) -> tuple[int, int, int, int]:
    """Width, height, bit depth and colour type from the PNG's IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    return width, height, depth, colour


def test_an_exemplar_keeps_its_full_scale_as_8_bit_rgb():
    pathway = load_pathway(builtin_folder() / "eras-plus-colorectal.yaml")
    width, height = diagram.diagram_size(pathway, legend=True)
    w, h, depth, colour = _header(diagram.render_png(pathway, scale=2.0, legend=True))
    assert (w, h) == (pytest.approx(2 * width, abs=2), pytest.approx(2 * height, abs=2))
    assert (depth, colour) == (8, 2)          # colour type 2: RGB, no alpha channel


def test_a_large_pathway_is_scaled_down_to_the_caps():
    pathway = make_pathway(200)
    width, height = diagram.diagram_size(pathway, legend=True)
    assert width * height * 4 > 10 * diagram.MAX_PNG_FILE_PIXELS   # far over at scale 2
    w, h, _depth, _colour = _header(diagram.render_png(pathway, scale=2.0, legend=True))
    assert w * h <= diagram.MAX_PNG_FILE_PIXELS
    assert max(w, h) <= diagram.MAX_PNG_SIDE
    assert w / h == pytest.approx(width / height, rel=0.01)        # not distorted


def test_a_very_wide_pathway_is_held_to_the_longest_side():
    pathway = make_pathway(600)      # wide enough that the side, not the area, binds
    w, h, _depth, _colour = _header(diagram.render_png(pathway, scale=2.0))
    assert w == diagram.MAX_PNG_SIDE and h > 1


def test_the_rgb_file_shows_the_same_pixels_as_the_argb_image():
    from PySide6.QtGui import QImage

    pathway = load_pathway(builtin_folder() / "eras-plus-colorectal.yaml")
    argb = diagram.render_image(pathway, scale=0.5).convertToFormat(QImage.Format_RGB888)
    rgb = QImage.fromData(diagram.render_png(pathway, scale=0.5)).convertToFormat(
        QImage.Format_RGB888)
    assert (rgb.width(), rgb.height()) == (argb.width(), argb.height())
    def pixels(image) -> bytes:      # rows without their padding to 4 bytes
        data, line, used = bytes(image.constBits()), image.bytesPerLine(), 3 * image.width()
        return b"".join(data[y * line: y * line + used] for y in range(image.height()))

    a, b = pixels(argb), pixels(rgb)
    assert max(abs(x - y) for x, y in zip(a, b)) <= 2       # rounding of blends only
    assert sum(x != y for x, y in zip(a, b)) < len(a) // 100
