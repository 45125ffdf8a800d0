"""Panels and extensions do not depend on the main window (issue 9, item 3).

Outside the window package no module imports ``MainWindow``, names it in an
annotation, or sets an attribute on a window it was given: panels get an
EditorContext, extensions a WindowHost and return what they install.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "designer"
WINDOW_PACKAGE = PACKAGE / "ui" / "window"


def _modules_outside_the_window_package():
    for path in sorted(PACKAGE.rglob("*.py")):
        if WINDOW_PACKAGE not in path.parents:
            yield path.relative_to(PACKAGE), ast.parse(path.read_text(encoding="utf-8"))


def main_window_uses(tree: ast.AST) -> list[int]:
    """Lines that import MainWindow or name it (also in a string annotation)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
                (node.module or "").endswith("main_window")
                or any(alias.name == "MainWindow" for alias in node.names)):
            lines.append(node.lineno)
        elif isinstance(node, ast.Import) and any(
                alias.name.endswith("main_window") for alias in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.Name) and node.id == "MainWindow":
            lines.append(node.lineno)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and node.value.strip("'\" ") == "MainWindow"):
            lines.append(node.lineno)
    return lines


def window_attribute_sets(tree: ast.AST) -> list[str]:
    """``window.x = ...`` (or ``win.x``) assignments: extensions setting things on a window."""
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id in ("window", "win", "main_window")):
                found.append(f"{node.lineno}: {target.value.id}.{target.attr}")
    return found


def test_no_module_outside_the_window_package_imports_or_names_main_window():
    offenders = {str(path): lines for path, tree in _modules_outside_the_window_package()
                 if (lines := main_window_uses(tree))}
    assert offenders == {}


def test_nothing_outside_the_window_package_sets_attributes_on_a_window():
    offenders = {str(path): sets for path, tree in _modules_outside_the_window_package()
                 if (sets := window_attribute_sets(tree))}
    assert offenders == {}


def test_the_checks_flag_what_they_look_for():
    sample = ast.parse(
        "from designer.ui.window.main_window import MainWindow\n"
        "def install(window: 'MainWindow') -> None:\n"
        "    window.extra = 1\n"
        "def other(win: MainWindow):\n"
        "    win.more: int = 2\n")
    assert main_window_uses(sample) == [1, 2, 4]
    assert window_attribute_sets(sample) == ["3: window.extra", "5: win.more"]
