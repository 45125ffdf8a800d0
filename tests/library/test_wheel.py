"""The built wheel carries the exemplar library, and an installed designer finds it.

Builds the wheel from a copy of the sources (no network: the build tools are in the
test extra), then runs the designer from the unpacked wheel in a fresh process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import designer

ROOT = Path(designer.__file__).resolve().parents[1]
EXEMPLARS = sorted(p.name for p in (ROOT / "pathway_library").glob("*.yaml"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    for name in ("designer", "pathway_library"):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                          "--no-build-isolation", "--no-index", "-q", "-w", str(work / "dist"),
                          str(source)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    [built] = (work / "dist").glob("*.whl")
    return built


def test_the_wheel_lists_every_exemplar(wheel):
    assert len(EXEMPLARS) >= 10
    names = set(zipfile.ZipFile(wheel).namelist())
    for exemplar in EXEMPLARS:
        assert f"designer/pathway_library/{exemplar}" in names
    assert "designer/export/templates/spec.html.j2" in names


def test_an_installed_designer_lists_the_exemplars(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = ("import designer, sys\n"
            "from designer.library import builtin_folder, load_library\n"
            f"assert designer.__file__.startswith({str(site)!r}), designer.__file__\n"
            "print(builtin_folder())\n"
            "print(','.join(sorted(e.path.name for e in load_library().entries)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    folder, listed = out.stdout.strip().splitlines()
    assert Path(folder).is_relative_to(site)
    assert listed.split(",") == EXEMPLARS

    cli = subprocess.run([sys.executable, "-m", "designer", "library", "list"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert "empty" not in cli.stdout.lower()
    assert "eras-plus-colorectal" in cli.stdout
