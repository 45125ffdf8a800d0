"""The one look of a pathway diagram, shared by the canvas and the exported pictures.

QtGui and QtSvg only, never QtWidgets: ``style`` (colours, fonts), ``text`` (fonts and
word wrapping), ``shapes`` (step outlines, the wait hourglass, arrows),
``diagram_layout`` (where boxes, lanes and curves go) and ``diagram_painter``.
"""
