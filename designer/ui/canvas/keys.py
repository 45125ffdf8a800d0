"""The canvas's own keys (not menu shortcuts), listed once for Help > Keyboard Shortcuts
and the canvas's accessible description."""

from __future__ import annotations

CANVAS_KEYS: list[tuple[str, str]] = [
    ("Alt+Arrow keys", "Select the neighbouring step that way"),
    ("Arrow keys (Shift: further)", "Move the selected steps"),
    ("Ctrl+Shift+Up / Ctrl+Shift+Down", "Move the selected steps to the lane above / below"),
    ("Insert", "Add a step of a chosen kind into the current lane"),
    ("Ctrl+K", "Connect the selected step to another step (searchable list)"),
    ("Ctrl+Shift+H", "Edit the handoff of the selected transition"),
    ("Enter", "Edit the selected item in the Properties panel"),
    ("F2 or double-click", "Rename the selected step in place"),
    ("Delete", "Delete the selected steps and transitions"),
    ("Shift+F10 or Menu key", "Open the context menu of the selection"),
    ("Tab / Shift+Tab", "Leave the canvas for the next or previous panel"),
    ("Space + drag, middle button drag", "Pan"),
    ("Ctrl+wheel, Ctrl+plus, Ctrl+minus", "Zoom"),
    ("Ctrl+9 / Ctrl+Shift+9", "Fit readable / fit the whole pathway"),
]


def keys_description() -> str:
    """One sentence per key, for assistive technology."""
    return " ".join(f"{keys}: {what}." for keys, what in CANVAS_KEYS)
