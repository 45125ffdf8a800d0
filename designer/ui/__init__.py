"""The designer window (PySide6), by job.

Layers, highest first (lint-imports checks them): ``window`` (main window, menus,
files, clipboard, find bar, export dialog) > ``library`` | ``workshop`` > ``panels``
(findings, timeline, palette, properties) > ``canvas`` (scene, items, interactions,
view, minimap) > ``commands`` (undoable edits) > ``editing`` (the document, recovery,
live checks, the editor context).
"""
