"""What a command loads before it does its work (issue 16: start-up bound commands).

Each test starts the real command in a fresh Python with ``-X importtime``, which
lists every module the process imported on standard error, and checks the list:
a module that is not there cost nothing. Timing would be flaky on a shared
machine; the list of modules is not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXEMPLAR = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"


def _imported_by(*args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "designer", *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    modules = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":   # the header line
                modules.add(name)
    return modules, done


def test_validate_loads_the_model_and_rules_and_nothing_of_the_window():
    modules, done = _imported_by("validate", str(EXEMPLAR))
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "errors," in done.stdout   # it did check the file
    # it did load what checking needs (so the list below is not empty by accident)
    assert {"designer.graph.model", "designer.graph.validate", "yaml"} <= modules
    unwanted = {m for m in modules if m.split(".")[0] in ("PySide6", "shiboken6", "numpy",
                                                          "networkx", "docx", "reportlab")}
    unwanted |= {m for m in modules
                 if m.startswith(("designer.ui", "designer.render", "designer.sim",
                                  "designer.library", "designer.export.spec",
                                  "designer.export.school", "designer.export.interop"))}
    # worker processes are the simulation's business, not a check's
    unwanted |= {m for m in modules if m.split(".")[0] == "multiprocessing"}
    assert unwanted == set()


def test_help_lists_every_command_without_loading_the_model():
    modules, done = _imported_by("--help")
    assert done.returncode == 0
    for command in ("validate", "open", "export", "simulate", "library"):
        assert command in done.stdout
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "yaml", "PySide6")}
