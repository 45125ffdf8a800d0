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
                                  "designer.library", "designer.export"))}
    # worker processes are the simulation's business, not a check's
    unwanted |= {m for m in modules if m.split(".")[0] == "multiprocessing"}
    # pydantic's plugin scan is off, so its loader's importlib.metadata (and the email,
    # zipfile and csv modules behind it) stay out (designer/cli/pydantic_setup.py);
    # a small file never asks the parsed-pathway cache for the designer's version
    unwanted |= {m for m in modules if m.split(".")[0] in ("email", "zipfile", "csv")}
    unwanted |= {m for m in modules if m.startswith("importlib.metadata")}
    # the user folders are not looked up (platformdirs) for a check
    unwanted |= {m for m in modules if m.split(".")[0] == "platformdirs"}
    assert unwanted == set()


def test_help_lists_every_command_without_loading_the_model():
    modules, done = _imported_by("--help")
    assert done.returncode == 0
    for command in ("validate", "open", "export", "simulate", "library"):
        assert command in done.stdout
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "yaml", "PySide6")}


def test_validate_output_and_exit_code_survive_the_quick_exit(tmp_path):
    """`periop validate` ends without the interpreter's shutdown (designer.cli.QUICK_EXIT):
    its whole report is still written and its exit code is still the verdict."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(EXEMPLAR.read_text(encoding="utf-8").replace("kind: exit", "kind: task"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "designer", "validate", "--json", str(EXEMPLAR),
                           str(broken)], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)
    assert done.returncode == 1, done.stderr[-2000:]
    import json
    report = json.loads(done.stdout)   # complete: the buffered output was flushed
    assert [Path(f["file"]).name for f in report["files"]] == [EXEMPLAR.name, "broken.yaml"]


def test_the_quick_exit_runs_atexit_handlers_and_flushes_first():
    code = ("import atexit; atexit.register(print, 'bye', end=''); "
            "from designer.cli import _exit_now; print('hi ', end=''); _exit_now(3)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert (done.returncode, done.stdout) == (3, "hi bye")
