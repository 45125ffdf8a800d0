"""`make run`'s check for Qt's display libraries (packaging/qt_system_libs.py).

The decision (missing libraries -> install, print a command, or nothing) is tested
without root, without apt and without a display; the ldd parsing against ldd's
own output format (glibc: "libfoo.so.1 => not found").
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "qt_system_libs.py"


@pytest.fixture(scope="module")
def qsl():
    spec = importlib.util.spec_from_file_location("qt_system_libs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["qt_system_libs"] = module      # dataclasses look the module up
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("qt_system_libs", None)


LDD = """\
\tlinux-vdso.so.1 (0x00007ffd5b7e5000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f2c1a000000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibEGL.so.1 => /lib/x86_64-linux-gnu/libEGL.so.1 (0x00007f2c19e00000)
\tlibxcb-cursor.so.0 => not found
\tlibxkbcommon-x11.so.0 => not found
"""


def test_ldd_not_found_lines_are_the_missing_libraries_once_each(qsl):
    assert qsl.missing_from_ldd(LDD) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4",
                                          "libxkbcommon-x11.so.0"]
    assert qsl.missing_from_ldd("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_nothing_missing_means_nothing_to_do(qsl):
    assert qsl.decide([], is_root=False, has_apt=True, has_sudo=True).action == "ok"


def test_root_with_apt_installs_exactly_the_missing_packages(qsl):
    d = qsl.decide(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libdbus-1.so.3"],
                   is_root=True, has_apt=True, has_sudo=False)
    assert d.action == "install"
    assert d.command[:2] == ["apt-get", "install"]
    assert set(d.command[2:]) - {"-y", "--no-install-recommends"} == {
        "libxcb-cursor0", "libxcb-icccm4", "libdbus-1-3"}


def test_not_root_prints_the_one_command_with_sudo(qsl):
    d = qsl.decide(["libxcb-keysyms.so.1", "libGL.so.1"], is_root=False, has_apt=True,
                   has_sudo=True)
    assert d.action == "tell"
    assert "sudo apt-get install -y --no-install-recommends libgl1 libxcb-keysyms1" in d.message
    assert d.message.count("apt-get") == 1


def test_without_sudo_the_command_is_for_root(qsl):
    d = qsl.decide(["libxcb-xkb.so.1"], is_root=False, has_apt=True, has_sudo=False)
    assert "sudo" not in d.message and "as root: apt-get install" in d.message


def test_without_apt_the_libraries_are_named(qsl):
    d = qsl.decide(["libxcb-cursor.so.0", "libweird.so.9"], is_root=True, has_apt=False,
                   has_sudo=True)
    assert d.action == "tell" and d.command == []
    assert "libxcb-cursor.so.0" in d.message and "libweird.so.9" in d.message


def test_an_unknown_library_is_named_beside_the_command(qsl):
    d = qsl.decide(["libweird.so.9", "libxcb-image.so.0"], is_root=False, has_apt=True,
                   has_sudo=True)
    assert "libxcb-image0" in d.command and "libweird.so.9" in d.message


@pytest.mark.parametrize("env, expected", [
    ({}, False),
    ({"DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, True),
])
def test_only_a_desktop_session_is_checked(qsl, env, expected):
    assert qsl.has_display(env) is expected


def test_without_a_display_main_does_nothing(qsl, monkeypatch):
    def boom():
        raise AssertionError("looked for libraries without a display")

    monkeypatch.setattr(qsl, "find_missing", boom)
    assert qsl.main({"QT_QPA_PLATFORM": "offscreen"}) == 0


def test_every_library_named_in_the_issue_has_its_package(qsl):
    # issue 15: the packages a fresh Debian desktop lacked
    wanted = {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
              "libxcb-render-util0", "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon-x11-0",
              "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3"}
    assert wanted <= set(qsl.PACKAGES.values())
