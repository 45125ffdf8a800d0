"""`python -m designer open FILE --screenshot OUT.png`: a picture of the window, then exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = """\
format: periop-pathway/1
id: tiny
title: Tiny pathway
settings: [{id: gp, name: GP practice, kind: primary}, {id: hospital, name: Hospital, kind: secondary}]
roles: [{id: gp, name: GP}]
steps:
  - {id: start, name: Referral, kind: entry, setting: gp, owner: gp}
  - {id: op, name: Surgery, activity: surgery, setting: hospital, owner: gp}
  - {id: end, name: Home, kind: exit, setting: gp, owner: gp}
transitions:
  - {from: start, to: op}
  - {from: op, to: end}
"""


def _run(*args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), PERIOP_DATA_DIR=str(tmp_path / "data"),
               PERIOP_CONFIG_DIR=str(tmp_path / "config" / "periop-designer"))
    return subprocess.run([sys.executable, "-m", "designer", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_screenshot_of_a_file_is_1600_by_1000_and_exits_0(tmp_path):
    source = tmp_path / "tiny.yaml"
    source.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "shots" / "window.png"
    result = _run("open", str(source), "--screenshot", str(out), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)
    assert source.read_text(encoding="utf-8") == SAMPLE  # opening never rewrites the file
    # no settings written (Qt's native .conf, or the designer's settings.ini)
    assert not (tmp_path / "config").exists() or not any(
        p.suffix in (".conf", ".ini") for p in (tmp_path / "config").rglob("*"))


def test_screenshot_without_a_file_shows_a_new_pathway(tmp_path):
    out = tmp_path / "new.png"
    result = _run("open", "--screenshot", str(out), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 1600


def test_a_broken_file_gives_a_message_and_exit_2_not_a_traceback(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: periop-pathway/1\nid: x\ntitle: [unclosed\n", encoding="utf-8")
    result = _run("open", str(broken), "--screenshot", str(tmp_path / "x.png"),
                  tmp_path=tmp_path)
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr
    assert "Traceback" not in result.stderr
