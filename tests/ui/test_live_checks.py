"""LiveChecks: one check per burst of edits, off the GUI thread, stale results dropped."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QElapsedTimer, QTimer

from canvas_support import sample_pathway
from designer.graph.model import Pathway, Setting, Step, Transition
from designer.graph.timeline import compute_timeline
from designer.graph.validate import validate
from designer.ui.editing import live_checks
from designer.ui.editing.live_checks import LiveChecks


def _checks(qtbot, pathway, **kw) -> tuple[LiveChecks, list]:
    checks = LiveChecks(delay_ms=kw.pop("delay_ms", 30), **kw)
    results = []
    checks.checked.connect(results.append)
    checks.bind(pathway)
    qtbot.waitUntil(lambda: len(results) == 1)   # the first check, on binding
    return checks, results


def _totals(pathway):
    return validate(pathway).summary, compute_timeline(pathway).total_days


def test_a_burst_of_edits_is_checked_once_with_the_final_state(qtbot):
    pathway = sample_pathway()
    checks, results = _checks(qtbot, pathway)
    started = checks.checks_started
    for days in (1, 2, 3, 4, 5):
        pathway.update_step("prehab", duration_days=days)
    pathway.update_transition("sdm->prehab", handoff=None)
    qtbot.waitUntil(lambda: len(results) == 2)
    qtbot.wait(150)  # nothing else comes
    assert len(results) == 2 and checks.checks_started == started + 1
    result = results[-1]
    # the same answer as checking the final pathway directly
    assert (result.report.summary, result.timeline.total_days) == _totals(pathway)
    assert result.timeline.total_days == 14 + 5
    # the timeline and the validation shared one index
    assert result.timeline_rows and result.names["prehab"] == "Prehabilitation programme"


def test_a_result_for_an_older_state_is_dropped_and_the_newest_is_checked(qtbot, monkeypatch):
    pathway = sample_pathway()
    checks, results = _checks(qtbot, pathway)
    gate = threading.Event()
    running = threading.Event()
    real = live_checks.compute

    def slow(snapshot, generation=0, preparers=None):
        running.set()
        gate.wait(10)
        return real(snapshot, generation, preparers)

    monkeypatch.setattr(live_checks, "compute", slow)
    pathway.update_step("prehab", duration_days=1)
    qtbot.waitUntil(running.is_set)   # the check of "1 day" is under way in the worker
    pathway.update_step("prehab", duration_days=9)   # ... and is out of date now
    qtbot.wait(100)                 # the debounce fires while the worker is busy
    gate.set()
    qtbot.waitUntil(lambda: len(results) == 2)
    qtbot.wait(150)
    assert len(results) == 2        # the "1 day" result never reached the panels
    assert results[-1].timeline.total_days == 14 + 9
    assert results[-1].generation == checks.generation
    checks.wait_done()


def test_check_now_answers_at_once_and_a_running_check_is_then_stale(qtbot, monkeypatch):
    pathway = sample_pathway()
    checks, results = _checks(qtbot, pathway, delay_ms=0)
    gate = threading.Event()
    running = threading.Event()
    real = live_checks.compute

    def slow(snapshot, generation=0, preparers=None):
        if threading.current_thread() is not threading.main_thread():
            running.set()
            gate.wait(10)
        return real(snapshot, generation, preparers)

    monkeypatch.setattr(live_checks, "compute", slow)
    pathway.update_step("prehab", duration_days=2)
    qtbot.waitUntil(running.is_set)
    now = checks.check_now()
    assert now.timeline.total_days == 16 and results[-1] is now
    gate.set()
    checks.wait_done()
    qtbot.wait(100)
    assert results[-1] is now       # the background result (same state, older) was dropped


def _big_pathway(n: int) -> Pathway:
    steps = [Step(id="s0", name="Referral", kind="entry", setting="lane")]
    steps += [Step(id=f"s{i}", name=f"Step {i}", setting="lane", duration_days=1)
              for i in range(1, n - 1)]
    steps.append(Step(id=f"s{n - 1}", name="Home", kind="exit", setting="lane"))
    transitions = [Transition(source=f"s{i}", target=f"s{i + 1}") for i in range(n - 1)]
    return Pathway(id="big", title="Big", settings=[Setting(id="lane", name="Lane",
                                                            kind="secondary")],
                   steps=steps, transitions=transitions)


def test_the_ui_thread_keeps_running_while_a_2000_step_edit_is_checked(qtbot):
    from designer.ui.panels.findings import FindingsModel, prepare_findings
    from designer.ui.panels.timeline import TimelineModel

    pathway = _big_pathway(2000)
    checks, results = _checks(qtbot, pathway, delay_ms=0)
    findings, timeline = FindingsModel(), TimelineModel()
    checks.add_preparer("findings", prepare_findings)
    checks.checked.connect(lambda r: (findings.set_tree(r.prepared["findings"]),
                                      timeline.set_timeline(r.timeline, r.timeline_rows)))
    clock = QElapsedTimer()
    ticks: list[int] = []
    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(lambda: ticks.append(clock.elapsed()))
    clock.start()
    probe.start()
    pathway.update_step("s5", duration_days=3)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=30_000)
    ticks.append(clock.elapsed())
    probe.stop()
    worker_ms = results[-1].seconds * 1000
    worst = max(b - a for a, b in zip(ticks, ticks[1:]))
    assert timeline.rowCount() == 2000 and results[-1].timeline.total_days == 2000 - 2 + 2
    # the check itself takes a while; the window kept answering all along
    assert worker_ms > 2 * worst, (worker_ms, worst)
    assert worst < 100, ticks
