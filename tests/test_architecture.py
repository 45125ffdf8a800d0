"""The layering of the package (issue 9; DESIGN.md section 1).

``lint-imports`` (in ``make test``) checks the contracts in ``pyproject.toml``:
cli > ui > export > render > library | sim > graph > paths, the layers inside
``ui``, Qt-free graph / library / interop, and no import circles. Import-linter
cannot forbid one sub-package of PySide6, so the "never QtWidgets" rule for
``export`` and ``render`` is checked here by importing them in a fresh process.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import designer

ROOT = Path(designer.__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _loaded_after_importing(packages: list[str], extra: str = "") -> set[str]:
    code = ("import importlib, pkgutil, sys\n"
            f"for name in {packages!r}:\n"
            "    package = importlib.import_module(name)\n"
            "    for m in pkgutil.walk_packages(getattr(package, '__path__', []), name + '.'):\n"
            "        importlib.import_module(m.name)\n"
            f"{extra}"
            "print(','.join(m for m in sys.modules if m.startswith('PySide6')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    return set(filter(None, out.stdout.strip().split(",")))


def test_graph_library_sim_and_interop_load_no_qt():
    assert _loaded_after_importing(["designer.graph", "designer.library", "designer.sim",
                                    "designer.export.interop"]) == set()


def test_export_and_render_never_load_qt_widgets():
    # Import every export and render module, and draw a picture, in a fresh process.
    draw = ("from designer.graph.blank import blank_pathway\n"
            "from designer.export.diagram import render_png, render_svg\n"
            "render_svg(blank_pathway()); render_png(blank_pathway())\n")
    loaded = _loaded_after_importing(["designer.export", "designer.render"], draw)
    assert "PySide6.QtGui" in loaded          # the check can see Qt at all
    assert "PySide6.QtWidgets" not in loaded


def test_command_line_without_open_loads_no_qt():
    loaded = _loaded_after_importing(["designer.cli.validate", "designer.cli.export"],
                                     "import designer.cli; designer.cli.build_parser()\n")
    assert loaded == set()


def test_export_package_never_imports_ui():
    importing = re.compile(r"^\s*(from|import)\s+(\S+)", re.M)
    for path in (ROOT / "designer" / "export").rglob("*.py"):
        modules = [m.group(2) for m in importing.finditer(path.read_text(encoding="utf-8"))]
        for name in modules:
            assert not name.startswith(("designer.ui", "..ui")), (path, name)
            assert "QtWidgets" not in name, (path, name)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


needs_lint_imports = pytest.mark.skipif(not LINT_IMPORTS.exists(),
                                        reason="import-linter is in the test extra")


@needs_lint_imports
def test_the_contracts_hold():
    out = _lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


@needs_lint_imports
@pytest.mark.parametrize("module, line, broken", [
    ("export/action_log.py", "import designer.ui", "Layers"),
    ("graph/model.py", "import PySide6.QtCore", "never import Qt"),
    ("render/style.py", "import designer.export.diagram", "Layers"),
])
def test_the_contracts_catch_a_wrong_import(tmp_path, module, line, broken):
    """A copy of the package with one wrong import fails lint-imports."""
    shutil.copytree(ROOT / "designer", tmp_path / "designer",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "designer" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                      encoding="utf-8")
    out = _lint_imports(tmp_path)
    assert out.returncode != 0
    report = out.stdout.split("Broken contracts", 1)[-1]
    assert broken in report, out.stdout


def test_no_import_circle_among_the_modules():
    """No module depends on itself through others, counting imports inside functions.

    import-linter's acyclic_siblings contract looks at siblings; this also catches a
    package and its own sub-module importing each other.
    """
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("designer", exclude_type_checking_imports=True)
    edges = {m: {i for i in graph.find_modules_directly_imported_by(m)
                 if i.startswith("designer")} for m in graph.modules}
    circles = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> None:           # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert circles == []
