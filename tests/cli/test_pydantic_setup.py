"""The stand-in for pydantic's plugin loader (designer/cli/pydantic_setup.py).

Each check runs in a fresh Python, because the stand-in lives in ``sys.modules``.
The truth is pydantic's own module: with plugins off the stand-in must answer as
it does (no plugins), and whenever anything else is asked it must hand over to it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, plugins: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if plugins is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = plugins
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_with_plugins_off_models_build_without_importlib_metadata():
    out = _run("import sys, designer.cli; from designer.graph.model import Pathway; "
               "import pydantic.plugin._loader as l; "
               "print(type(l).__name__, tuple(l.get_plugins()), "
               "'importlib.metadata' in sys.modules, Pathway.model_fields['id'].is_required())",
               plugins=None)      # designer.cli switches them off when the user did not say
    assert out == "_StandIn () False True"


def test_a_user_who_wants_plugins_gets_pydantics_own_loader():
    out = _run("import designer.cli, sys; from designer.graph.model import Pathway; "
               "print(type(sys.modules['pydantic.plugin._loader']).__name__)",
               plugins="some-other-plugin")
    assert out == "module"


def test_the_stand_in_hands_over_when_asked_anything_else():
    out = _run("import os, sys, designer.cli; "
               "l = sys.modules['pydantic.plugin._loader']; "
               "group = l.PYDANTIC_ENTRY_POINT_GROUP; "
               "print(group, type(sys.modules['pydantic.plugin._loader']).__name__)",
               plugins="__all__")
    assert out == "pydantic module"


def test_plugins_switched_on_later_are_looked_for_by_pydantic():
    out = _run("import os, sys, designer.cli; l = sys.modules['pydantic.plugin._loader']; "
               "os.environ['PYDANTIC_DISABLE_PLUGINS'] = ''; plugins = l.get_plugins(); "
               "print(type(sys.modules['pydantic.plugin._loader']).__name__, "
               "'importlib.metadata' in sys.modules)",
               plugins="__all__")
    assert out == "module True"
