"""One identity and one place for the user folders (designer.paths)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from designer import paths

FOLDERS = (paths.data_dir, paths.library_dir, paths.recovery_dir, paths.log_file,
           paths.config_dir, paths.settings_file)


def test_tests_never_touch_the_real_user_folders(_isolate_user_dirs):
    home = _isolate_user_dirs
    for where in FOLDERS:
        assert where().is_relative_to(home), where


def test_overrides_decide_each_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("PERIOP_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("PERIOP_USER_LIBRARY", str(tmp_path / "lib"))
    monkeypatch.setenv("PERIOP_CONFIG_DIR", str(tmp_path / "c"))
    assert paths.recovery_dir() == tmp_path / "d" / "recovery"
    assert paths.log_file() == tmp_path / "d" / "designer.log"
    assert paths.library_dir() == tmp_path / "lib"
    assert paths.settings_file() == tmp_path / "c" / "settings.ini"


def test_without_overrides_every_folder_carries_the_one_identity(monkeypatch):
    for var in ("PERIOP_DATA_DIR", "PERIOP_USER_LIBRARY", "PERIOP_CONFIG_DIR"):
        monkeypatch.delenv(var, raising=False)
    for where in FOLDERS:
        assert paths.APP_ID in where().parts, where
    assert paths.library_dir().parent == paths.recovery_dir().parent == paths.data_dir()


def test_the_library_recovery_and_log_agree_with_paths(monkeypatch):
    from designer.library import user_folder
    from designer.ui.editing.recovery import recovery_dir

    for var in ("PERIOP_USER_LIBRARY",):
        monkeypatch.delenv(var, raising=False)
    assert user_folder() == paths.library_dir()
    assert recovery_dir() == paths.recovery_dir()
    assert user_folder().parent == recovery_dir().parent


def test_the_window_keeps_its_settings_in_the_settings_file(qtbot):
    from designer.ui.window.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert Path(window.settings.fileName()) == paths.settings_file()
    window.document.close()


def test_paths_load_no_qt():
    code = ("import sys, designer.paths as p\n"
            "p.data_dir(); p.settings_file()\n"
            "print(any(m.startswith('PySide6') for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ}, check=True)
    assert out.stdout.strip() == "False"
