#!/usr/bin/env python3
"""What a Linux screen reader finds of a pathway: walk the AT-SPI tree of the designer.

Run with the *system* python (it needs ``pyatspi``: apt install at-spi2-core xvfb
python3-pyatspi python3-yaml):

    python3 tools/atspi_check.py [pathway_library/eras-plus-colorectal.yaml]

It starts a virtual X server and a D-Bus session (xvfb-run, dbus-run-session) unless
asked not to (``--inner``, when both are there already), opens the designer on the
file with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` and a throw-away home folder,
walks every accessible object of its window through AT-SPI (parent to child, as
Orca does) and counts how many of the file's steps, transitions and lanes appear
by name. The expected names are read from the YAML file itself, not from the
designer. Prints one line per kind and, with ``--json``, the counts as JSON.
Exit status 0 when everything was found, 1 when something is missing, 2 when the
accessibility stack could not be reached.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"


def expected_names(path: Path) -> dict[str, list[str]]:
    """Names a screen reader should read, from the file (lanes as 'Lane <name>',
    transitions as '<from name> to <to name>', as the canvas names them)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = {s["id"]: s["name"] for s in data.get("steps", [])}
    return {
        "steps": [s["name"] for s in data.get("steps", [])],
        "transitions": [f"{steps.get(t['from'], t['from'])} to {steps.get(t['to'], t['to'])}"
                        for t in data.get("transitions", [])],
        "lanes": [f"Lane {s['name']}" for s in data.get("settings", [])],
    }


#: the role each kind of canvas element should have (Qt's ListItem, Link, Grouping)
ROLES = {"steps": "list item", "transitions": "link", "lanes": "panel"}
CANVAS_NAME = "Pathway canvas"


def pyatspi_state_names(node) -> list[str]:
    names = []
    for state in node.getState().getStates():
        text = getattr(state, "value_nick", None) or str(state)
        names.append(text.split("atspi_state_")[-1].split(" ")[0].lower())
    return names


def walk(node, seen: list, depth: int = 0, limit: int = 60, stats=None,
         in_canvas: bool = False) -> None:
    """Every object below ``node`` by child index: ``(name, role, in the canvas)``.

    Checks on the way what a screen reader relies on to move around: each child
    names ``node`` as its parent and knows its own index there.
    """
    if node is None or depth > limit:
        return
    try:
        name, role = node.name or "", node.getRoleName()
        count = node.childCount
    except Exception:  # noqa: BLE001 - a dead object: skip it
        return
    seen.append((name, role, in_canvas))
    if in_canvas and stats is not None and role in ROLES.values() \
            and len(stats["samples"]) < 3 and role not in {r for r, _ in stats["samples"]}:
        try:
            states = sorted(pyatspi_state_names(node))
        except Exception:  # noqa: BLE001
            states = []
        stats["samples"].append((role, f"'{name}': {node.description!r} {states}"))
    in_canvas = in_canvas or name == CANVAS_NAME
    for index in range(count):
        try:
            child = node.getChildAtIndex(index)
        except Exception:  # noqa: BLE001
            child = None
        if child is None:
            if stats is not None:
                stats["null_children"] += 1
            continue
        if stats is not None:
            try:
                where = f"{child.getRoleName()} '{child.name}' in {role} '{name}'"
                if child.getIndexInParent() != index:
                    stats["bad_index"] += 1
                    stats["problems"].append(f"index {child.getIndexInParent()} != {index}: "
                                             + where)
                parent = child.parent
                if parent is None or parent.name != name or parent.getRoleName() != role:
                    stats["bad_parent"] += 1
                    stats["problems"].append("wrong parent: " + where)
            except Exception as exc:  # noqa: BLE001
                stats["bad_parent"] += 1
                stats["problems"].append(f"error {exc}")
        walk(child, seen, depth + 1, limit, stats, in_canvas)


def find_named(node, name: str, depth: int = 0):
    if node is None or depth > 40:
        return None
    try:
        if node.name == name:
            return node
        for index in range(node.childCount):
            found = find_named(node.getChildAtIndex(index), name, depth + 1)
            if found is not None:
                return found
    except Exception:  # noqa: BLE001
        return None
    return None


def keyboard_focus_check(pyatspi, app) -> list[tuple[str, str]]:
    """Give the canvas the focus, press Alt+arrows as a keyboard user would and
    collect what gains the focus (what a screen reader then reads out)."""
    from gi.repository import GLib

    canvas = find_named(app, CANVAS_NAME)
    if canvas is None:
        return []
    heard: list[tuple[str, str]] = []

    def on_event(event) -> None:
        try:
            if event.detail1 and event.source is not None:
                heard.append((event.source.getRoleName(), event.source.name or ""))
        except Exception:  # noqa: BLE001
            pass

    pyatspi.Registry.registerEventListener(on_event, "object:state-changed:focused")
    try:
        canvas.queryComponent().grabFocus()
        alt = 64          # keycode of the left Alt key under X
        codes = {"Right": 114, "Down": 116}

        def press(key: str) -> None:
            pyatspi.Registry.generateKeyboardEvent(alt, None, pyatspi.KEY_PRESS)
            pyatspi.Registry.generateKeyboardEvent(codes[key], None, pyatspi.KEY_PRESSRELEASE)
            pyatspi.Registry.generateKeyboardEvent(alt, None, pyatspi.KEY_RELEASE)

        loop = GLib.MainLoop()
        keys = ["Right", "Right", "Down"]

        def next_key() -> bool:
            if keys:
                press(keys.pop(0))
                return True
            loop.quit()
            return False

        GLib.timeout_add(800, next_key)
        GLib.timeout_add(6000, lambda: loop.quit() or False)
        loop.run()
    finally:
        pyatspi.Registry.deregisterEventListener(on_event, "object:state-changed:focused")
    return heard


def find_app(pyatspi, pid: int, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            try:
                if app is not None and app.get_process_id() == pid and app.childCount:
                    return app
            except Exception:  # noqa: BLE001
                continue
        time.sleep(0.5)
    return None


def inner(args) -> int:
    try:
        import pyatspi
    except ImportError:
        print("pyatspi is missing: apt install python3-pyatspi", file=sys.stderr)
        return 2
    path = Path(args.file).resolve()
    want = expected_names(path)
    home = Path(tempfile.mkdtemp(prefix="atspi-home-"))
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_STATE_HOME=str(home / ".local/state"),
               PERIOP_USER_LIBRARY=str(home / "library"),
               PERIOP_DATA_DIR=str(home / "data"), PERIOP_CONFIG_DIR=str(home / "config"),
               QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1",
               QT_QPA_PLATFORM="xcb", PERIOP_NO_ERROR_DIALOG="1")
    python = args.python or str(ROOT / ".venv" / "bin" / "python")
    app_proc = subprocess.Popen([python, "-m", "designer", "open", str(path)], env=env,
                                cwd=str(ROOT), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    try:
        app = find_app(pyatspi, app_proc.pid, args.timeout)
        if app is None:
            err = app_proc.stderr.read().decode(errors="replace") if app_proc.poll() else ""
            print(f"the designer never appeared on the AT-SPI bus {err[-800:]}",
                  file=sys.stderr)
            return 2
        time.sleep(args.settle)        # the window fills in after it is shown
        seen: list = []
        stats = {"null_children": 0, "bad_index": 0, "bad_parent": 0, "problems": [],
                 "samples": []}
        walk(app, seen, stats=stats)
        # in the canvas, with the role of its kind (a step name in the timeline
        # table or the findings list does not count)
        canvas = [(n, r) for n, r, inside in seen if inside]
        counts: dict = {}
        for kind, wanted in want.items():
            there = {n for n, r in canvas if r == ROLES[kind]}
            anywhere = {n for n, _r, _i in seen}
            counts[kind] = {"found": sum(1 for w in wanted if w in there),
                            "anywhere": sum(1 for w in wanted if w in anywhere),
                            "of": len(wanted),
                            "missing": [w for w in wanted if w not in there][:5]}
        counts["objects"] = len(seen)
        counts["canvas_objects"] = len(canvas)
        counts.update(stats)
        for kind in ("steps", "transitions", "lanes"):
            c = counts[kind]
            print(f"{kind}: {c['found']} of {c['of']} in the canvas as {ROLES[kind]} by name "
                  f"({c['anywhere']} anywhere in the window)"
                  + (f"; missing e.g. {c['missing']}" if c["missing"] else ""))
        print(f"objects walked: {len(seen)} ({len(canvas)} in the canvas); null children: "
              f"{stats['null_children']}; wrong index in parent: {stats['bad_index']}; "
              f"wrong parent: {stats['bad_parent']}")
        for role, sample in stats["samples"]:
            print(f"  read as {role}: {sample}")
        for problem in stats["problems"][:20]:
            print("  " + problem)
        if args.dump:
            for name, role, inside in seen:
                print(f"  {'canvas ' if inside else ''}{role}: {name}")
        if not args.no_keys:
            counts["focus_events"] = announced = keyboard_focus_check(pyatspi, app)
            print("moving by keyboard (Alt+Right, Alt+Right, Alt+Down) announced: "
                  + (", ".join(f"{r} '{n}'" for r, n in announced) or "nothing"))
        if args.json:
            print(json.dumps(counts))
        complete = all(counts[k]["found"] == counts[k]["of"]
                       for k in ("steps", "transitions", "lanes"))
        return 0 if complete else 1
    finally:
        app_proc.terminate()
        try:
            app_proc.wait(10)
        except subprocess.TimeoutExpired:
            app_proc.kill()
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    parser.add_argument("--inner", action="store_true",
                        help="X display and D-Bus session are there already")
    parser.add_argument("--python", help="the designer's python (default .venv/bin/python)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds to wait after the window appears")
    parser.add_argument("--dump", action="store_true", help="list every object walked")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-keys", action="store_true",
                        help="skip pressing keys to check that focus follows the selection")
    args = parser.parse_args(argv)
    if args.inner:
        return inner(args)
    for tool in ("xvfb-run", "dbus-run-session"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: apt install xvfb dbus", file=sys.stderr)
            return 2
    command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "dbus-run-session", "--",
               sys.executable, str(Path(__file__).resolve()), "--inner"]
    command += [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--inner"]
    return subprocess.call(command)


if __name__ == "__main__":
    raise SystemExit(main())
