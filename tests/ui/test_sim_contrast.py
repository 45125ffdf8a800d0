"""View > High Contrast reaches the Simulation panel: charts, inputs, canvas overlay.

Before: with High Contrast on, the charts stayed white (a bright white page in a black
window), the colour legend over the canvas drew its text white on its own white box,
and a refused input's message and marked field could not be read. Now the charts are drawn white on black when the toggle is switched (and start so),
and light again when it is switched off, the same as before. Contrast is measured as
WCAG 2 defines it, from the pixels drawn (tests/ui/wcag.py, not the product's formula):
text 4.5:1, series and other marks 3:1 (WCAG 1.4.11).
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from test_sim_panel import _run, sim_window  # noqa: F401 (fixture)
from window_support import make_window, settings  # noqa: F401 (fixtures)
from wcag import contrast  # WCAG written out for the tests, not the product's formula

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
BLACK = QColor("#000000")


def _toggle(window, qtbot) -> None:
    """View > High Contrast by its keyboard shortcut, as a person would."""
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_ALT)


def _array(image: QImage):
    """The picture as rows of (red, green, blue)."""
    import numpy

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = rgb.width(), rgb.height()
    return numpy.frombuffer(rgb.constBits(), numpy.uint8).reshape(
        height, rgb.bytesPerLine())[:, :width * 3].reshape(height, width, 3).copy()


def _colours(picture, rect=None, mask=None) -> Counter:
    """How many pixels of each colour in ``picture`` (a QImage or rows of RGB), inside
    ``rect`` (x0, y0, x1, y1) or where ``mask`` is true. Only counted here: every
    contrast is worked out by tests/ui/wcag.py on the colours found."""
    import numpy

    array = picture if isinstance(picture, numpy.ndarray) else _array(picture)
    if rect is not None:
        x0, y0, x1, y1 = rect
        array = array[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    pixels = array[mask] if mask is not None else array.reshape(-1, 3)
    if not len(pixels):
        return Counter()
    wide = pixels.astype(numpy.uint32)
    found, counts = numpy.unique((wide[:, 0] << 16) | (wide[:, 1] << 8) | wide[:, 2],
                                 return_counts=True)
    return Counter({QColor(int(rgb)).name(): int(n) for rgb, n in zip(found, counts)})


def _ground(image: QImage) -> QColor:
    """The commonest colour of the picture: what everything is drawn on."""
    return QColor(_colours(image).most_common(1)[0][0])


def _shown(view, title: str) -> QImage:
    """The chart of tab ``title`` as drawn on screen."""
    index = next(i for i in range(view.tabs.count()) if view.tabs.tabText(i) == title)
    view.tabs.setCurrentIndex(index)
    canvas = view.canvases[title]
    return canvas.grab().toImage()


def _marks(image: QImage, least: int = 150) -> dict[str, int]:
    """The coloured marks of a chart: saturated colours covering ``least`` pixels or more
    (a shade at the edge of a mark covers far fewer). Near-black shades, whose hue is
    noise, are the ground's."""
    return {name: n for name, n in _colours(image).items()
            if n >= least and QColor(name).hsvSaturation() > 100 and QColor(name).value() > 40}


def _solid_marks(image: QImage, least: int = 30) -> dict[str, int]:
    """The saturated colours that fill areas (bars, dots): pixels whose eight neighbours
    are the same colour, ``least`` of them or more. The blended edge where one mark
    meets another, a line or two wide, is no area."""
    import numpy

    array = _array(image)
    height, width = array.shape[:2]
    core = array[1:-1, 1:-1]
    same = numpy.ones(core.shape[:2], bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            same &= (array[1 + dy:height - 1 + dy, 1 + dx:width - 1 + dx] == core).all(axis=2)
    return {name: n for name, n in _colours(core, mask=same).items()
            if n >= least and QColor(name).hsvSaturation() > 100 and QColor(name).value() > 40}


def _texts(fig):
    """Every visible piece of writing of a figure (titles, labels, ticks, legends)."""
    renderer = fig.canvas.get_renderer()
    hidden = set()        # the labels of ticks outside the axes' range are not drawn
    for ax in fig.axes:
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = sorted(limits)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    hidden.update({id(tick.label1), id(tick.label2)})
    seen = []
    for text in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent")):
        if (id(text) in hidden or not text.get_visible()
                or not str(text.get_text()).strip()):
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        box = text.get_window_extent(renderer)
        if box.width > 1 and box.height > 1:
            seen.append((text.get_text(), box))
    return seen


def _text_contrast(image: QImage, box, ground: QColor) -> float:
    """The highest contrast against ``ground`` inside a text's box (its core pixels)."""
    height = image.height()
    rect = (int(box.x0), int(height - box.y1), int(box.x1) + 1, int(height - box.y0) + 1)
    return max((contrast(QColor(name), ground) for name in _colours(image, rect)),
               default=0.0)


def test_charts_follow_high_contrast_and_come_back_light(sim_window, qtbot):
    window, dock = sim_window()
    toggle = window.extension("contrast").action
    assert not toggle.isChecked()
    _run(qtbot, dock)
    view = dock.results_view
    light = {title: _shown(view, title) for title in ("Waiting list", "Utilisation")}
    assert _ground(light["Waiting list"]).name() == "#ffffff"

    _toggle(window, qtbot)                                       # on
    assert toggle.isChecked()
    qtbot.waitUntil(lambda: view.dark)
    for title in ("Waiting list", "Time to treatment", "Utilisation", "Cost", "Differences",
                  "By cohort"):
        image = _shown(view, title)
        assert _ground(image).name() == "#000000", title
        # every coloured mark 3:1 on black; the two scenarios in two colours at least
        if title == "Waiting list":
            # the lines; under them the bands, dim on purpose (see below)
            marks = {name: n for name, n in _marks(image).items()
                     if contrast(QColor(name), BLACK) >= 3.0}
        else:
            marks = _solid_marks(image)          # bars; the differences' dots
        if title != "Differences":       # one scenario against the first: one colour
            assert len(marks) >= 2, (title, marks)
        for name in marks:
            assert contrast(QColor(name), BLACK) >= 3.0, (title, name)
        # every piece of writing 4.5:1 on black
        texts = _texts(view.canvases[title].figure)
        assert len(texts) >= 5, title
        for words, box in texts:
            assert _text_contrast(image, box, BLACK) >= 4.5, (title, words)

    # drawn again at another size (the panel made taller), still white on black
    _shown(view, "Waiting list")
    canvas = view.canvases["Waiting list"]
    height, least = canvas.height(), canvas.minimumHeight()
    canvas.setMinimumHeight(height * 2)
    qtbot.waitUntil(lambda: canvas.height() >= height * 2)
    image = canvas.grab().toImage()
    for words, box in _texts(canvas.figure):
        assert _text_contrast(image, box, BLACK) >= 4.5, ("resized", words)
    canvas.setMinimumHeight(least)
    qtbot.waitUntil(lambda: canvas.height() == height)

    # the 95% bands under the waiting-list lines still show on black: dim colours,
    # neither black nor the lines' own, over much of the chart
    image = _shown(view, "Waiting list")
    bands = sum(n for name, n in _colours(image).items()
                if QColor(name).hsvSaturation() > 60
                and 1.2 <= contrast(QColor(name), BLACK) < 3.0)
    assert bands > 0.05 * image.width() * image.height()

    # the 18-week standard, a line and its words in one red, reads on black as text
    image = _shown(view, "Time to treatment")
    reds = Counter({name: n for name, n in _colours(image).items()
                    if QColor(name).hsvSaturation() > 100
                    and (QColor(name).hsvHue() < 15 or QColor(name).hsvHue() > 345)})
    assert reds
    assert contrast(QColor(reds.most_common(1)[0][0]), BLACK) >= 4.5

    _toggle(window, qtbot)                                       # off again
    assert not toggle.isChecked()
    qtbot.waitUntil(lambda: not view.dark)
    for title, before in light.items():
        after = _shown(view, title)
        assert after.size() == before.size()
        assert after == before, title                            # exactly as it was


def test_charts_start_in_high_contrast_when_it_was_left_on(make_window, settings,
                                                           tmp_path, qtbot):
    from designer.graph.io import save_pathway
    from test_sim_panel import _flow_pathway

    settings.setValue("view/high_contrast", True)
    path = tmp_path / "flow.yaml"
    save_pathway(_flow_pathway(), str(path))
    window = make_window(path=path)
    assert window.extension("contrast").action.isChecked()
    dock = window.simulation.dock
    dock.workers = 1
    dock.show()
    _run(qtbot, dock)
    image = _shown(dock.results_view, "Waiting list")
    assert _ground(image).name() == "#000000"


def test_canvas_legend_reads_in_high_contrast_and_back(sim_window, qtbot):
    window, dock = sim_window()
    _run(qtbot, dock)
    dock.overlay_mode.setCurrentIndex(dock.overlay_mode.findData("utilisation"))

    def legend_look() -> tuple[QColor, float]:
        legend = dock.overlay.legend
        assert legend is not None and legend.isVisible()
        image = legend.grab().toImage()
        ground = _ground(image)
        return ground, max(contrast(QColor(name), ground) for name in _colours(image)
                           if QColor(name).hsvSaturation() < 30)   # words, not swatches

    ground, words = legend_look()
    assert ground.lightness() > 200 and words >= 4.5
    _toggle(window, qtbot)
    qtbot.waitUntil(lambda: dock.overlay.legend is not None
                    and dock.overlay.legend.isVisible())
    ground, words = legend_look()
    assert ground.lightness() < 30 and words >= 4.5
    # each band's colour stands 3:1 against the black canvas around the halo
    from designer.ui.sim.overlay import UTILISATION_BANDS, WAIT_BANDS

    for _bound, colour, _words in UTILISATION_BANDS + WAIT_BANDS:
        assert contrast(QColor(colour), BLACK) >= 3.0, colour
    _toggle(window, qtbot)
    qtbot.waitUntil(lambda: dock.overlay.legend is not None
                    and dock.overlay.legend.isVisible())
    ground, words = legend_look()
    assert ground.lightness() > 200 and words >= 4.5


def test_animation_counts_read_on_a_black_canvas(sim_window, qtbot):
    from designer.ui.sim.animation import PatientAnimation

    window, _dock = sim_window()
    _toggle(window, qtbot)
    scene = window.scene
    assert scene.high_contrast
    # forty patients queueing for the operation and forty being seen in the clinic:
    # more than the dots drawn, so each place gets a "+N" (the operation's queue, not
    # the clinic's: the clinic's is under the pinned lane header in this small pathway)
    trace = [(0.0, p, "op", "arrive") for p in range(40)]
    trace += [(0.0, 100 + p, "clinic", "arrive") for p in range(40)]
    trace += [(0.1, 100 + p, "clinic", "start") for p in range(40)]
    animation = PatientAnimation(scene, trace, warmup_weeks=0, horizon_weeks=1)
    animation.seek(0.5)
    counts = [t for t in animation._more if t.isVisible()]
    assert len(counts) == 2
    for text in counts:
        rect = text.sceneBoundingRect()
        image = QImage(int(rect.width() * 4), int(rect.height() * 4), QImage.Format.Format_RGB32)
        image.fill(BLACK)
        painter = QPainter(image)
        scene.render(painter, QRectF(image.rect()), rect)
        painter.end()
        ground = _ground(image)
        assert ground.name() == "#000000"
        assert max(contrast(QColor(name), ground) for name in _colours(image)) >= 4.5, \
            text.text()
    animation.stop()


def test_a_board_pack_chart_stays_light_after_high_contrast_charts(sim_window, qtbot):
    from designer.export.board.blocks import Trace
    from designer.export.board.charts import tornado

    window, dock = sim_window()
    _run(qtbot, dock)
    _toggle(window, qtbot)
    view = dock.results_view
    qtbot.waitUntil(lambda: view.dark)
    assert _ground(_shown(view, "Utilisation")).name() == "#000000"
    chart = tornado([("Length of stay", -1000.0, 1500.0), ("Theatre cost", -300.0, 200.0)],
                    0.0, Trace("GBP"), "10%", "Change in cost a year (GBP)")
    image = QImage.fromData(chart.png)
    assert _ground(image).name() == "#ffffff"


def test_high_contrast_series_are_the_light_ones_each_3_to_1_on_black():
    """All seven series colours, drawn: each stands 3:1 on black, none is lost."""
    import numpy
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from designer.ui.sim import charts

    names = [f"Scenario {i}" for i in range(7)]

    def scenario(name: str):
        return SimpleNamespace(name=name, keys=lambda: ["resources.r.utilisation"],
                               summary=lambda _k: {"mean": 0.6, "ci95": [0.6, 0.6]})
    results = SimpleNamespace(scenarios=[scenario(n) for n in names], step_names={})
    fig = Figure(figsize=(6, 6), dpi=100)
    FigureCanvasAgg(fig)
    charts.paint(fig, charts.draw_utilisation, results, {}, charts.HIGH_CONTRAST)
    fig.canvas.draw()
    rgba = numpy.asarray(fig.canvas.buffer_rgba())
    counts = _colours(rgba[:, :, :3])
    assert counts.most_common(1)[0][0] == "#000000"             # black ground
    marks = [QColor(name) for name, n in counts.items()
             if n >= 300 and QColor(name).hsvSaturation() > 100]
    assert len(marks) == 7
    for colour in marks:
        assert contrast(colour, BLACK) >= 3.0, colour.name()
    light = {QColor(c).name() for c in charts.LIGHT.series}
    assert {c.name() for c in marks} == light                   # the same colours as ever


def _words_contrast(widget) -> tuple[QColor, float]:
    """A widget's ground (its commonest colour) and its words' contrast against it, as
    drawn in its place (a label draws no ground of its own in the usual palette)."""
    image = widget.parentWidget().grab(widget.geometry()).toImage()
    ground = _ground(image)
    return ground, max(contrast(QColor(name), ground) for name in _colours(image))


def test_a_refused_input_reads_in_high_contrast_and_back(sim_window, qtbot):
    """Before: a refused value's message stayed #c62828 (3.7:1 on black), and the
    marked field kept its light pink ground under the window's white text, so what
    had been typed could not be seen (about 1:1)."""
    from test_sim_panel import _type

    window, dock = sim_window()
    _toggle(window, qtbot)                                       # on
    editor = dock.inputs.resources.capacity_field
    _type(qtbot, editor.widget, "0")
    assert editor.error.isVisible()
    for widget in (editor.error, editor.widget):
        ground, words = _words_contrast(widget)
        assert ground.lightness() < 30 and words >= 4.5, widget

    # switched off and on again with the field still marked (Ctrl+Alt+H in the field)
    qtbot.keyClick(editor.widget, Qt.Key.Key_H, CTRL_ALT)       # off
    qtbot.waitUntil(lambda: _words_contrast(editor.widget)[0].lightness() > 200)
    assert editor.error.isVisible()
    for widget in (editor.error, editor.widget):
        ground, words = _words_contrast(widget)
        assert ground.lightness() > 200 and words >= 4.5, widget
    qtbot.keyClick(editor.widget, Qt.Key.Key_H, CTRL_ALT)       # on
    qtbot.waitUntil(lambda: _words_contrast(editor.widget)[0].lightness() < 30)
    for widget in (editor.error, editor.widget):
        assert _words_contrast(widget)[1] >= 4.5, widget

    # a list's own message (removing a resource a step uses is refused)
    resources = dock.inputs.resources
    qtbot.mouseClick(resources.remove_button, Qt.MouseButton.LeftButton)
    assert resources.problem.isVisible(), resources.problem.text()
    ground, words = _words_contrast(resources.problem)
    assert ground.lightness() < 30 and words >= 4.5
