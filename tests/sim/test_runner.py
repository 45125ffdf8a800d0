"""Where replications run must not change the numbers; the API's progress, cancel, trace."""

from __future__ import annotations

import threading

import pytest

from designer import sim
from designer.graph.io import load_pathway

from .helpers import single_queue

ERAS = "pathway_library/eras-plus-colorectal.yaml"


@pytest.fixture(scope="module")
def eras():
    return load_pathway(ERAS)


def _values(results):
    return [[rep for rep in s.replications] for s in results.scenarios]


def test_same_seed_same_numbers_with_one_two_and_four_workers(eras):
    kwargs = dict(replications=4, weeks=26, seed=42)
    serial = sim.run(eras, ["before", "after"], workers=1, **kwargs)
    for workers in (2, 4):
        parallel = sim.run(eras, ["before", "after"], workers=workers, **kwargs)
        assert _values(serial) == _values(parallel)
        assert serial.to_json() == parallel.to_json()
    other_seed = sim.run(eras, ["before"], workers=1, replications=4, weeks=26, seed=43)
    assert _values(other_seed)[0] != _values(serial)[0]


def test_same_numbers_through_a_dask_cluster(eras):
    distributed = pytest.importorskip("distributed")
    kwargs = dict(replications=3, weeks=13, seed=5)
    serial = sim.run(eras, ["before", "after"], **kwargs)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        on_dask = sim.run(eras, ["before", "after"], scheduler=cluster.scheduler_address,
                          **kwargs)
    assert serial.to_json() == on_dask.to_json()


def test_unreachable_scheduler_is_one_clear_error(eras, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("designer.sim.runner.DASK_CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(sim.SimulationSetupError, match="could not reach the Dask scheduler"):
        sim.run(eras, ["after"], replications=1, weeks=1,
                scheduler="tcp://127.0.0.1:9")


def test_progress_and_cancel():
    pathway = single_queue(mean_days=0.5, capacity=1, per_week=7, weeks=10)
    seen = []
    sim.run(pathway, replications=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    stop = threading.Event()

    def stop_after_first(done, total):
        stop.set()

    with pytest.raises(sim.SimulationCancelled):
        sim.run(pathway, replications=5, progress=stop_after_first, cancel=stop)


def test_trace_for_one_replication():
    pathway = single_queue(mean_days=0.5, capacity=1, per_week=7, weeks=2, warmup=0)
    results = sim.run(pathway, replications=2, trace=True, seed=8)
    trace = results.trace
    times = [t for t, _, _, _ in trace]
    assert trace and times == sorted(times)
    kinds = {event for _, _, _, event in trace}
    assert kinds == {"arrive", "start", "end", "leave"}
    # a patient's moves are in order: arrive at 'in', start and end 'serve', leave at 'out'
    first = [(step, event) for _, pid, step, event in trace if pid == 0]
    assert first[0] == ("in", "arrive") and first[-1] == ("out", "leave")


def test_check_returns_warnings_without_running():
    pathway = single_queue(mean_days=2, capacity=1, per_week=7)
    warnings = sim.check(pathway)
    assert len(warnings) == 1 and "grows without bound" in warnings[0]
    assert sim.check(single_queue(mean_days=0.5, capacity=1, per_week=7)) == []


def test_memory_is_flat_in_replications():
    """Results keep a few numbers per replication, never patients."""
    import pickle

    pathway = single_queue(mean_days=0.5, capacity=1, per_week=70, weeks=52)
    small = len(pickle.dumps(sim.run(pathway, replications=2, seed=1)))
    large = len(pickle.dumps(sim.run(pathway, replications=8, seed=1)))
    per_replication = (large - small) / 6
    # about 3,600 patients a replication; a log of them would be far more than this
    assert per_replication < 5_000


def test_sim_is_qt_free_and_dask_is_imported_only_when_used():
    import subprocess
    import sys

    code = ("import sys; from designer import sim; from designer.graph.io import load_pathway; "
            "sim.run(load_pathway('pathway_library/eras-plus-colorectal.yaml'), ['after'], "
            "replications=1, weeks=2); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'distributed', 'dask')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_short_warm_up_is_warned_about():
    from .helpers import flow_pathway

    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 7},
         {"id": "prehab", "duration_days": 42},
         {"id": "home", "kind": "exit"}],
        [("ref", "prehab", {"wait_days": 7}), ("prehab", "home")],
        flow={"arrivals": {"per_week": 5}, "warmup_weeks": 4})
    warnings = sim.check(pathway)
    assert len(warnings) == 1
    assert "warm-up (4 weeks) is shorter" in warnings[0] and "(8 weeks" in warnings[0]
    pathway.flow.warmup_weeks = 9
    assert sim.check(pathway) == []
