"""Issue 10 attacks on exports, undo and the action log (called by benchmarks/attack.py).

  exports  every export format over strange pathways: counts of exceptions (by
           type), empty files reported as success, exports over the time bound,
           control characters left in Word/XML output
  undo     random undo storms over every command kind (workshop included): how many
           storms do not return to the start on undo-all, or to the end on redo-all
  markdown injection payloads in every workshop text field: raw HTML or javascript:
           links passed through by the action-log Markdown
"""

from __future__ import annotations

import collections
import os
import random
import re
import signal
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "ui"))
sys.path.insert(0, str(ROOT / "tests"))

EXPORT_SECONDS = 60


def strange_pathways():
    """(label, pathway) pairs an editor can make, or a file can hold, that stress exports."""
    from designer.graph.blank import blank_pathway
    from designer.graph.model import Pathway, Setting, Step, Transition

    def base(**header):
        p = blank_pathway()
        data = p.model_dump()
        data.update(header)
        return Pathway.model_validate(data)

    out = [("brand-new (File > New)", blank_pathway())]
    empty = base(steps=[], transitions=[])
    out.append(("no steps", empty))
    one = base(steps=[blank_pathway().steps[0].model_dump()], transitions=[])
    out.append(("one step", one))
    many = base(settings=[Setting(id=f"lane-{i}", name=f"Lane {i}", kind="community")
                          .model_dump() for i in range(40)],
                steps=[Step(id=f"s{i}", name=f"Step {i}", setting=f"lane-{i}",
                            position=(100.0 + 50 * i, 40.0)).model_dump() for i in range(40)],
                transitions=[Transition(source=f"s{i}", target=f"s{i + 1}").model_dump(
                    by_alias=True) for i in range(39)])
    out.append(("40 lanes", many))
    sentence = "The preassessment nurse checks the medicines list and the blood results. "
    for n in (15 * 2, 15 * 40):
        p = blank_pathway()
        p.steps[0] = p.steps[0].model_copy(update={
            "description": sentence * (n // 15 * 15 // 15), "patient_info": sentence * 3})
        out.append((f"step description of {len(p.steps[0].description):,} characters", p))
    long_word = blank_pathway()
    long_word.steps[0] = long_word.steps[0].model_copy(update={"name": "x" * 3000,
                                                               "description": "y" * 20000})
    out.append(("3,000-character name without spaces", long_word))
    for label, text in (("vertical tab", "Referral\x0bletter"), ("form feed", "Pre\x0cassess"),
                        ("NEL U+0085", "Pre\u0085assessment"), ("NUL-like U+0001", "A\x01B"),
                        ("surrogate-free emoji", "Clinic \U0001F3E5"),
                        ("U+FFFE", "Bad\ufffechar"), ("line separator", "A\u2028B")):
        p = blank_pathway()
        p.update_header(title=f"Pathway with {text}", summary=f"Summary {text}")
        p.steps[0] = p.steps[0].model_copy(update={"name": text, "description": text,
                                                   "patient_info": text})
        out.append((f"control character: {label}", p))
    for length in (222, 300, 2000):
        p = blank_pathway()
        p.update_header(title="T" + "itle words " * (length // 11))
        out.append((f"title of {len(p.title)} characters", p))
    for label, (x, y) in (("steps far apart", (4.0e6, 3.0e6)), ("positions near 1e9", (1e9, 1e9)),
                          ("negative far", (-5e8, -5e8))):
        p = blank_pathway()
        p.steps[1] = p.steps[1].model_copy(update={"position": (x, y)})
        out.append((label, p))
    return out


def _alarm(*_):
    raise TimeoutError("over the time bound")


def section_exports() -> None:
    from designer.export import FORMATS, export_one

    signal.signal(signal.SIGALRM, _alarm)
    counts = collections.Counter()
    examples: dict[str, str] = {}
    bad_chars = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    pathways = strange_pathways()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, pathway in pathways:
            for fmt in FORMATS:
                out = folder / f"out-{fmt}{FORMATS[fmt].suffix}"
                if out.exists():
                    out.unlink()
                signal.alarm(EXPORT_SECONDS)
                start = time.perf_counter()
                try:
                    export_one(pathway, fmt, out)
                    outcome = "ok"
                except TimeoutError:
                    outcome = "timeout"
                except Exception as exc:  # noqa: BLE001 - counting
                    outcome = "exception:" + type(exc).__name__
                    examples.setdefault(outcome + f" ({fmt})",
                                        f"{label}: {str(exc)[:150]!r}")
                finally:
                    signal.alarm(0)
                if outcome == "ok" and (not out.exists() or out.stat().st_size == 0):
                    outcome = "empty file reported as success"
                    examples.setdefault(outcome, f"{label} ({fmt})")
                if outcome == "ok" and fmt.endswith("docx"):
                    with zipfile.ZipFile(out) as z:
                        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                                      if n.endswith(".xml"))
                    if bad_chars.search(xml):
                        outcome = "control characters in Word XML"
                        examples.setdefault(outcome, f"{label} ({fmt})")
                if time.perf_counter() - start > EXPORT_SECONDS:
                    counts["over 60 s"] += 1
                counts[outcome] += 1
    total = len(pathways) * len(FORMATS)
    print(f"exports: {len(pathways)} strange pathways x {len(FORMATS)} formats = {total}")
    for key, value in sorted(counts.items()):
        print(f"  {key}: {value}")
    print(f"  failures: {total - counts['ok']}")
    for key, value in list(examples.items())[:12]:
        print(f"    e.g. {key}: {value}")


def section_undo(storms: int = 300) -> None:
    from hypothesis import strategies as st  # noqa: F401 - the test module needs it
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from designer.graph.io import dump_pathway
    from designer.graph.model import EditRefused
    import test_undo_storm as storm

    app = QApplication.instance() or QApplication([])  # noqa: F841
    bad_undo = bad_redo = edits = crashed = 0
    kinds = [k for k in storm._KINDS if k not in ("undo", "redo")]
    for seed in range(storms):
        rng = random.Random(f"storm-{seed}")

        def draw(strategy, rng=rng):
            return _draw(strategy, rng)

        pathway = storm.workshop_pathway()
        start = dump_pathway(pathway)
        stack = QUndoStack()
        try:
            for n in range(rng.randrange(1, 61)):
                kind = rng.choice(kinds + ["undo", "redo"])
                if kind == "undo":
                    stack.undo()
                    continue
                if kind == "redo":
                    stack.redo()
                    continue
                try:
                    stack.push(storm._command(pathway, kind, draw, n))
                    edits += 1
                except (EditRefused, _NoDraw):
                    pass
            while stack.canRedo():
                stack.redo()
            end = dump_pathway(pathway)
            while stack.canUndo():
                stack.undo()
            bad_undo += dump_pathway(pathway) != start
            while stack.canRedo():
                stack.redo()
            bad_redo += dump_pathway(pathway) != end
        except Exception:  # noqa: BLE001 - an undo or redo that raised
            crashed += 1
    print(f"undo: {storms} storms, {edits} edits")
    print(f"  an undo or redo raised an exception: {crashed}")
    print(f"  undo-all differs from the start: {bad_undo}")
    print(f"  redo-all differs from the end: {bad_redo}")


class _NoDraw(Exception):
    pass


def _draw(strategy, rng: random.Random):
    """A small stand-in for hypothesis draws: sample an example with our own seed."""
    from hypothesis.errors import NonInteractiveExampleWarning
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        state = random.getstate()
        random.seed(rng.random())
        try:
            return strategy.example()
        except Exception as exc:  # noqa: BLE001
            raise _NoDraw() from exc
        finally:
            random.setstate(state)


PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
            "<a href='javascript:alert(1)'>x</a>", "![i](javascript:alert(1))",
            "<iframe src=//evil>", "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<svg onload=alert(1)>", "[x]( javascript:alert(1))",
            "<details open ontoggle=alert(1)>", "`<b>`code", "**<u>bold</u>**",
            "[x](vbscript:msgbox)", "<style>body{}</style>", "&lt;script&gt;",
            "<!-- comment -->", "[ref]: javascript:alert(1)\n\n[ref]", "<https://ok.example>",
            "<javascript:alert(1)>"]


def section_markdown() -> None:
    from designer.export.action_log import export_action_log  # noqa: F401
    import designer.export.action_log as action_log
    from designer.graph.model import Note, Priority, Vote, Workshop
    from designer.graph.blank import blank_pathway

    raw_html = re.compile(r"<\s*(script|img|iframe|svg|a|details|style|u|b)\b", re.I)
    # a link is only a link when its brackets are not escaped (\\[x\\](...) is text)
    js_link = re.compile(r"(?<!\\)\]\(\s*(javascript|vbscript|data):|<\s*javascript:"
                         r"|(?<!\\)\]:\s*javascript:", re.I)
    html_count = js_count = 0
    writer = action_log.to_markdown
    for payload in PAYLOADS:
        p = blank_pathway()
        p.update_header(title=f"T {payload}", workshop=Workshop(participants=[payload]))
        p.notes = [Note(id="n1", text=payload, author=payload, target="referral")]
        p.priorities = [Priority(id="p1", title=payload, owner=payload, description=payload,
                                 steps=["referral"])]
        p.votes = [Vote(participant="Sam", target="p1")]
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "log.md"
            if writer is not None:
                text = writer(p)
            else:
                export_action_log(p, out)
                text = out.read_text(encoding="utf-8")
        html_count += bool(raw_html.search(text))
        js_count += bool(js_link.search(text))
    print(f"markdown: {len(PAYLOADS)} payload files through the action-log Markdown")
    print(f"  raw HTML passed through: {html_count}")
    print(f"  javascript:/data: links passed through: {js_count}")


def run(only: set[str]) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "exports" in only:
        section_exports()
    if "undo" in only:
        section_undo()
    if "markdown" in only:
        try:
            section_markdown()
        except ImportError as exc:
            print(f"markdown: not run ({exc})")
