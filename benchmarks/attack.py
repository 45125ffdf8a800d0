"""Rerun the attacks of issue 10 and print counts (not part of `make bench` or the tests).

    .venv/bin/python benchmarks/attack.py [--count 3000] [--only loader,io,...]

Sections:
  loader     mutated pathway files (tests/graph/fuzz_corpus.py over the library and the
             test seeds): loaded / refused / escaped exceptions by type / over the time
             bound / messages over 1,000 characters
  roundtrip  every mutant that loads: load -> save -> load gives an equal model, equal
             findings, and a second save is byte-identical
  bombs      the named hostile files (alias bomb, 10 MB id, deep nesting, format: [1],
             !!timestamp x), each in a child process with a time and memory limit
  io         hostile saves: read-only file, symlink, read-only folder, stale temp files
  cli        `periop validate --json` over a batch with one bad file
  exports    every export format over strange pathways (phase 2)
  undo       random undo storms over every command kind (phase 2)

Each section prints ``name: count`` lines; a failure count of 0 is the goal.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "graph"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TIME_LIMIT = 10          # seconds per file
MEMORY_LIMIT = 2 << 30   # bytes of address space for a worker


def _limit_worker() -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):
        pass


class _Timeout(Exception):
    pass


def _alarm(*_):
    raise _Timeout()


def probe(label: str, data: bytes) -> dict:
    """Load one mutant; when it loads, check the round trip. Runs in a worker."""
    from designer.graph.io import PathwayLoadError, dump_pathway, loads_pathway
    from designer.graph.validate import validate

    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    out: dict = {"label": label}
    start = time.perf_counter()
    try:
        pathway = loads_pathway(data, "attack.yaml")
        out["outcome"] = "loaded"
    except PathwayLoadError as exc:
        out["outcome"] = "refused"
        out["message_length"] = len(str(exc))
        pathway = None
    except _Timeout:
        out["outcome"] = "timeout"
        pathway = None
    except BaseException as exc:  # noqa: BLE001 - counting what escapes
        out["outcome"] = "escaped:" + type(exc).__name__
        pathway = None
    out["seconds"] = time.perf_counter() - start
    if pathway is not None:
        try:
            text = dump_pathway(pathway)
            again = loads_pathway(text, "again.yaml")
            out["model_equal"] = again.content_equal(pathway)
            out["findings_equal"] = validate(again).to_json() == validate(pathway).to_json()
            out["byte_stable"] = dump_pathway(again) == text
        except _Timeout:
            out["roundtrip_error"] = "timeout"
        except BaseException as exc:  # noqa: BLE001
            out["roundtrip_error"] = type(exc).__name__ + ": " + str(exc)[:200]
    signal.alarm(0)
    return out


def _run_probes(items: list[tuple[str, bytes]]) -> list[dict]:
    results: list[dict] = []
    pending = list(items)
    while pending:
        with cf.ProcessPoolExecutor(max_workers=1, initializer=_limit_worker) as pool:
            try:
                for label, data in list(pending):
                    future = pool.submit(probe, label, data)
                    try:
                        results.append(future.result(timeout=TIME_LIMIT + 20))
                    except cf.process.BrokenProcessPool:
                        results.append({"label": label, "outcome": "worker-died"})
                        pending.pop(0)
                        raise
                    except cf.TimeoutError:
                        results.append({"label": label, "outcome": "hung"})
                        pending.pop(0)
                        for proc in pool._processes.values():  # noqa: SLF001
                            proc.kill()
                        raise
                    pending.pop(0)
            except (cf.process.BrokenProcessPool, cf.TimeoutError):
                continue
    return results


def section_loader(count: int) -> list[dict]:
    from fuzz_corpus import mutants, seed_texts

    seeds = seed_texts() + [p.read_text(encoding="utf-8")
                            for p in sorted((ROOT / "pathway_library").glob("*.yaml"))]
    items = mutants(seeds, count, seed="attack-1")
    results = _run_probes(items)
    outcomes = collections.Counter(r["outcome"] for r in results)
    print(f"loader: {len(results)} mutated files")
    for key, value in sorted(outcomes.items()):
        print(f"  {key}: {value}")
    slow = sum(1 for r in results if r.get("seconds", 0) > 2)
    long_messages = sum(1 for r in results if r.get("message_length", 0) > 1000)
    print(f"  over 2 s: {slow}")
    print(f"  messages over 1,000 characters: {long_messages}")
    return results


def section_roundtrip(results: list[dict]) -> None:
    loaded = [r for r in results if r["outcome"] == "loaded"]
    print(f"roundtrip: {len(loaded)} mutants that load")
    print(f"  model differs after load-save-load: "
          f"{sum(1 for r in loaded if r.get('model_equal') is False)}")
    print(f"  findings differ after load-save-load: "
          f"{sum(1 for r in loaded if r.get('findings_equal') is False)}")
    print(f"  second save not byte-identical: "
          f"{sum(1 for r in loaded if r.get('byte_stable') is False)}")
    errors = [r for r in loaded if "roundtrip_error" in r]
    print(f"  saved text does not load again: {len(errors)}")
    for r in errors[:3]:
        print(f"    e.g. {r['label']}: {r['roundtrip_error'][:160]}")


BOMB = ("format: periop-pathway/1\nid: bomb\ntitle: t\n"
        'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n"
                  for i in range(8))
        + "status: *i\n")


def _bombs() -> dict[str, bytes]:
    return {
        "alias bomb (9 levels x 9)": BOMB.encode(),
        "10 MB id": b"format: periop-pathway/1\nid: '" + b"a b" * 3_500_000 + b"'\ntitle: t\n",
        "title nested 600 deep": b"format: periop-pathway/1\nid: x\ntitle: " + b"[" * 600
                                 + b"]" * 600 + b"\n",
        "title nested 5000 deep": b"format: periop-pathway/1\nid: x\ntitle: " + b"[" * 5000
                                  + b"]" * 5000 + b"\n",
        "format: [1]": b"format: [1]\nid: x\ntitle: t\n",
        "format: {a: 1}": b"format: {a: 1}\nid: x\ntitle: t\n",
        "!!timestamp x": b"format: periop-pathway/1\nid: x\ntitle: !!timestamp x\n",
        "recursive alias": b"format: periop-pathway/1\nid: x\ntitle: t\ntags: &t [*t]\n",
    }


_BOMB_CHILD = """
import sys, time, resource
resource.setrlimit(resource.RLIMIT_AS, ({mem}, {mem}))
from designer.graph.io import loads_pathway, PathwayLoadError
data = sys.stdin.buffer.read()
t = time.perf_counter()
try:
    loads_pathway(data, 'bomb.yaml'); outcome = 'loaded'; n = 0
except PathwayLoadError as exc:
    outcome = 'refused'; n = len(str(exc))
except BaseException as exc:
    outcome = 'escaped:' + type(exc).__name__; n = 0
print(outcome, n, round(time.perf_counter() - t, 2))
"""


def section_bombs() -> None:
    print("bombs: named hostile files (limit 20 s, 1 GB)")
    bad = 0
    for name, data in _bombs().items():
        code = _BOMB_CHILD.format(mem=1 << 30)
        try:
            proc = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True,
                                  timeout=20, cwd=ROOT)
            line = proc.stdout.decode().strip() or f"crashed ({proc.stderr.decode()[-120:]!r})"
        except subprocess.TimeoutExpired:
            line = "hung (over 20 s)"
        ok = line.startswith("refused") and int(line.split()[1]) < 1000
        bad += not ok
        print(f"  {name}: {line}{'' if ok else '   <-- FAIL'}")
    print(f"  failures: {bad}")


def section_io() -> None:
    from designer.graph.io import PathwaySaveError, loads_pathway, save_pathway

    seed = (ROOT / "tests" / "data" / "fuzz_seed_workshop.yaml").read_text(encoding="utf-8")
    pathway = loads_pathway(seed)
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # 1. the API overwrites a read-only file
        ro = folder / "read-only.yaml"
        ro.write_text(seed)
        ro.chmod(0o444)
        try:
            save_pathway(pathway, ro)
            overwrote = True
        except PathwaySaveError:
            overwrote = False
        print(f"io: read-only file overwritten by the API: {int(overwrote)}")
        fails += overwrote
        # 2. a symlink replaced by a regular file
        real = folder / "real.yaml"
        real.write_text(seed)
        link = folder / "link.yaml"
        link.symlink_to(real)
        try:
            save_pathway(pathway, link)
        except PathwaySaveError:
            pass
        replaced = not link.is_symlink()
        print(f"  symlink replaced by a regular file: {int(replaced)}")
        fails += replaced
        # 3. a read-only folder blocks saving a writable file (not testable as root)
        sub = folder / "ro-folder"
        sub.mkdir()
        target = sub / "p.yaml"
        target.write_text(seed)
        sub.chmod(0o555)
        if os.geteuid() == 0:
            print("  read-only folder blocks saving: not measurable as root")
        else:
            try:
                save_pathway(pathway, target)
                blocked = False
            except PathwaySaveError:
                blocked = True
            print(f"  read-only folder blocks saving a writable file: {int(blocked)}")
            fails += blocked
        sub.chmod(0o755)
        # 4. stale temp files of an interrupted save: killed children mid-save
        victim = folder / "victim.yaml"
        victim.write_text(seed)
        big = seed + "# padding\n" * 2_000_000
        child = ("import sys, pathlib; sys.path.insert(0, %r)\n"
                 "from designer.graph.io import write_text_atomic\n"
                 "write_text_atomic(pathlib.Path(%r), sys.stdin.read())\n") % (str(ROOT), str(victim))
        for _ in range(5):
            known = set(folder.glob(".victim.yaml.*.tmp"))
            proc = subprocess.Popen([sys.executable, "-c", child], stdin=subprocess.PIPE)
            proc.stdin.write(big.encode())
            proc.stdin.close()
            deadline = time.time() + 10
            while time.time() < deadline and proc.poll() is None:
                if any(p not in known for p in folder.glob(".victim.yaml.*.tmp")):
                    break
                time.sleep(0.002)
            proc.kill()
            proc.wait()
        before = len(list(folder.glob(".victim.yaml.*.tmp")))
        # age them past the staleness threshold, then save once more
        for p in folder.glob(".victim.yaml.*.tmp"):
            os.utime(p, (time.time() - 3600, time.time() - 3600))
        save_pathway(pathway, victim)
        after = len(list(folder.glob(".victim.yaml.*.tmp")))
        print(f"  temp files left by 5 killed saves: {before}; after the next save: {after}")
        fails += after
        # 5. MB vs MiB in the size message
        from designer.graph import io as gio
        huge = folder / "huge.yaml"
        with open(huge, "wb") as fh:
            fh.truncate(gio.MAX_BYTES + 1)
        try:
            gio.load_pathway(huge)
        except gio.PathwayLoadError as exc:
            message = str(exc)
        mixed = "52 MB" in message and "50 MB" in message
        print(f"  size message mixes MB and MiB: {int(mixed)}   ({message[-70:]})")
        fails += mixed
    print(f"  failures: {fails}")


def section_cli() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        good = ROOT / "tests" / "data" / "fuzz_seed_workshop.yaml"
        files = [str(good)]
        for name, data in _bombs().items():
            if "bomb" in name or "10 MB" in name:
                continue
            path = folder / (name.replace(" ", "_").replace(":", "").replace("!", "") + ".yaml")
            path.write_bytes(data)
            files.append(str(path))
        files.append(str(good))
        proc = subprocess.run([sys.executable, "-m", "designer", "validate", "--json", *files],
                              capture_output=True, timeout=120, cwd=ROOT)
        try:
            reported = len(json.loads(proc.stdout)["files"])
        except ValueError:
            reported = 0
        traceback = b"Traceback" in proc.stderr
        print(f"cli: validate --json over {len(files)} files (2 good, {len(files) - 2} bad)")
        print(f"  exit code: {proc.returncode} (want 2)")
        print(f"  files reported in JSON: {reported} (want {len(files)})")
        print(f"  traceback shown: {int(traceback)}")
        print(f"  failures: {int(proc.returncode != 2) + int(reported != len(files)) + int(traceback)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--only", default="loader,roundtrip,bombs,io,cli,exports,undo,markdown")
    args = parser.parse_args()
    only = set(args.only.split(","))
    started = time.perf_counter()
    results: list[dict] = []
    if only & {"loader", "roundtrip"}:
        results = section_loader(args.count)
    if "roundtrip" in only:
        section_roundtrip(results)
    if "bombs" in only:
        section_bombs()
    if "io" in only:
        section_io()
    if "cli" in only:
        section_cli()
    extra = HERE / "attack_phase2.py"
    if only & {"exports", "undo", "markdown"} and extra.exists():
        import attack_phase2

        attack_phase2.run(only)
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
