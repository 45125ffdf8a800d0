"""The domain layer never imports Qt (DESIGN.md section 1)."""

import subprocess
import sys


def test_graph_package_loads_no_qt():
    code = ("import sys, designer.graph.model, designer.graph.io, designer.graph.geometry\n"
            "import pkgutil, importlib, designer.graph as g\n"
            "for m in pkgutil.walk_packages(g.__path__, 'designer.graph.'):\n"
            "    importlib.import_module(m.name)\n"
            "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_export_package_never_imports_ui():
    from pathlib import Path

    import designer.export as export

    import re

    importing = re.compile(r"^\s*(from|import)\s+(\S+)", re.M)
    for path in Path(export.__file__).parent.rglob("*.py"):
        modules = [m.group(2) for m in importing.finditer(path.read_text(encoding="utf-8"))]
        for name in modules:
            assert not name.startswith(("designer.ui", "..ui")), (path, name)
            assert "QtWidgets" not in name, (path, name)
