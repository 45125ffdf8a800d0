"""Before the designer opens on a Linux desktop: are Qt's xcb system libraries there?

    python packaging/qt_system_libs.py        (run by `make run`; also `make qt-libs`)

PySide6's wheels carry Qt but not the X11/xcb, OpenGL and font libraries of the
system. When one is missing Qt stops with "Could not load the Qt platform plugin
xcb" and names at most one of them. This script asks the dynamic linker (``ldd``)
which libraries Qt's xcb platform plugin (and its OpenGL integrations) cannot find,
adds the few Qt opens only at run time (D-Bus), maps them to Debian/Ubuntu packages
and then:

- nothing is missing: says nothing, exit 0;
- running as root with apt-get: installs them (``apt-get install``), exit 0 when done;
- otherwise: prints the one command that installs them and exits 1, so `make run`
  stops with that command instead of Qt's error.

Only on a desktop: with neither DISPLAY nor WAYLAND_DISPLAY set, or with
QT_QPA_PLATFORM naming a platform that needs no display (offscreen, minimal),
it does nothing. `make test` never runs it (the tests are offscreen).
The decision itself is :func:`decide`, a pure function (tests/packaging).
"""

from __future__ import annotations

import ctypes
import glob
import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Debian/Ubuntu package of each shared library Qt's xcb plugin may need.
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libGLdispatch.so.0": "libglvnd0",
    "libpng16.so.16": "libpng16-16",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libexpat.so.1": "libexpat1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}

# opened by Qt with dlopen, so ldd cannot see them
DLOPENED = ("libdbus-1.so.3",)

# QT_QPA_PLATFORM values that need no display server
HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "linuxfb", "eglfs"}


@dataclass
class Decision:
    """What to do: ``action`` is "ok", "install" (run ``command``) or "tell" (print ``message``)."""

    action: str
    command: list[str] = field(default_factory=list)
    message: str = ""


def has_display(env: dict[str, str]) -> bool:
    """True on a desktop session whose Qt platform needs the system's display libraries."""
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if platform in HEADLESS_PLATFORMS:
        return False
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def missing_from_ldd(text: str) -> list[str]:
    """The libraries ``ldd`` output reports as "not found", in order, once each."""
    missing: list[str] = []
    for line in text.splitlines():
        if "=> not found" in line:
            name = line.split("=>")[0].strip()
            if name and name not in missing:
                missing.append(name)
    return missing


def decide(missing: list[str], *, is_root: bool, has_apt: bool, has_sudo: bool) -> Decision:
    """Map missing libraries (sonames) to what to do about them.

    Libraries with no known package are named in the message, for the user's own
    package manager; with apt-get the command installs every known package.
    """
    if not missing:
        return Decision("ok")
    packages = sorted({PACKAGES[m] for m in missing if m in PACKAGES})
    unknown = [m for m in missing if m not in PACKAGES]
    libs = ", ".join(missing)
    if not has_apt or not packages:
        return Decision("tell", message=(
            f"Qt needs these system libraries to open a window, and they are missing: {libs}. "
            "Install the packages that provide them with your system's package manager "
            "(on Debian or Ubuntu: libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1 and friends)."))
    install = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    extra = (f" ({', '.join(unknown)} have no known package: find them with your package "
             "manager)") if unknown else ""
    if is_root:
        return Decision("install", command=install,
                        message=f"Installing Qt's display libraries: {' '.join(packages)}{extra}")
    prefix = "sudo " if has_sudo else "as root: "
    return Decision("tell", command=install, message=(
        f"Qt cannot open a window: these system libraries are missing: {libs}.\n"
        f"Install them with this one command, then run `make run` again:\n\n"
        f"    {prefix}{' '.join(install)}\n{extra}"))


def qt_plugin_files() -> list[Path]:
    """Qt's xcb platform plugin and its OpenGL integrations in the installed PySide6."""
    spec = importlib.util.find_spec("PySide6")    # finds it without loading Qt
    if spec is None or not spec.submodule_search_locations:
        return []
    plugins = Path(list(spec.submodule_search_locations)[0]) / "Qt" / "plugins"
    files = [plugins / "platforms" / "libqxcb.so"]
    files += [Path(p) for p in sorted(glob.glob(str(plugins / "xcbglintegrations" / "*.so")))]
    return [f for f in files if f.is_file()]


def find_missing() -> list[str] | None:
    """Missing sonames, or None when they cannot be told (no ldd, no PySide6 plugin)."""
    ldd = shutil.which("ldd")
    files = qt_plugin_files()
    if ldd is None or not files:
        return None
    missing: list[str] = []
    for f in files:
        proc = subprocess.run([ldd, str(f)], capture_output=True, text=True)
        for name in missing_from_ldd(proc.stdout):
            if name not in missing:
                missing.append(name)
    for name in DLOPENED:
        try:
            ctypes.CDLL(name)
        except OSError:
            if name not in missing:
                missing.append(name)
    return missing


def main(env: dict[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    if not sys.platform.startswith("linux") or not has_display(env):
        return 0
    missing = find_missing()
    if missing is None:
        return 0          # cannot tell here; Qt will say what it needs
    geteuid = getattr(os, "geteuid", lambda: 1)
    decision = decide(missing, is_root=geteuid() == 0, has_apt=shutil.which("apt-get") is not None,
                      has_sudo=shutil.which("sudo") is not None)
    if decision.action == "ok":
        return 0
    print(decision.message, file=sys.stderr)
    if decision.action == "tell":
        return 1
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], env=apt_env, check=False)
    done = subprocess.run(decision.command, env=apt_env).returncode == 0
    still = find_missing() or []
    if not done or still:
        print("Qt's display libraries are still missing: " + ", ".join(still or missing),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
