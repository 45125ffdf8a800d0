"""Run replications of one or more scenarios, serially, in processes or on Dask.

:func:`run` is the one entry point (the CLI, the GUI panel and the board pack all
call it). Every replication ``r`` of every scenario draws from the same streams
``SeedSequence(seed, spawn_key=(r, purpose))``, so the numbers do not depend on
where or in what order replications run: results are put back in replication
order before anything is summed.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Callable, Iterable, Protocol, Sequence

from designer.graph.model import Pathway
# designer.sim.engine (numpy, SimPy) and the process pool are imported when a run
# starts: the designer window installs the simulation panel at start-up, and loading
# numpy then cost more than the rest of the panel.
from designer.sim.plan import (
    BASELINE, DEFAULT_REPLICATIONS, DEFAULT_SEED, FlowInputError, Plan,
    compile_plan,
)
from designer.sim.results import Results, build_results

Progress = Callable[[int, int], None]
#: how long to try to reach a Dask scheduler before giving up
DASK_CONNECT_TIMEOUT = "10s"


class Cancel(Protocol):
    def is_set(self) -> bool: ...


class SimulationCancelled(Exception):
    """The run was cancelled (``cancel.is_set()``) before it finished; nothing is returned."""


class SimulationSetupError(Exception):
    """The run cannot start: a bad option, Dask missing, the scheduler unreachable."""


def _run_chunk(plan: Plan, seed: int, replications: Sequence[int]) -> list[tuple[int, dict]]:
    """Worker task: the results of ``replications`` of ``plan`` (picklable, top-level)."""
    from designer.sim.engine import run_replication

    return [(r, run_replication(plan, seed, r)) for r in replications]


def plans_for(pathway: Pathway, scenarios: Iterable[str] | None = None,
              weeks: float | None = None) -> list[Plan]:
    """Pre-flight every requested scenario (all the file's scenarios when None)."""
    wanted = list(scenarios) if scenarios else [s.id for s in pathway.scenarios] or [BASELINE]
    seen: set[str] = set()
    plans = []
    for sid in wanted:
        if sid in seen:
            raise FlowInputError("--scenario", f"scenario '{sid}' is asked for twice")
        seen.add(sid)
        drawn = sid == BASELINE and all(s.id != BASELINE for s in pathway.scenarios)
        plans.append(compile_plan(pathway, None if drawn else sid, weeks=weeks))
    return plans


def run(pathway: Pathway, scenarios: Iterable[str] | None = None, *,
        replications: int | None = None, weeks: float | None = None, seed: int | None = None,
        workers: int = 1, scheduler: Any = None, progress: Progress | None = None,
        cancel: Cancel | None = None, trace: bool = False, file: str | None = None
        ) -> Results:
    """Simulate ``pathway`` and summarise over replications.

    Parameters
    ----------
    pathway
        A loaded pathway with flow inputs (DESIGN section 7).
    scenarios
        Scenario ids to run and compare (``"baseline"`` is the pathway as drawn);
        default: every scenario in the file, or the baseline when it has none.
    replications, weeks, seed
        Override the file's ``flow.replications``, ``flow.horizon_weeks``, ``flow.seed``.
    workers
        Local processes for the replications (1: in this process).
    scheduler
        A Dask distributed scheduler address (``"tcp://host:8786"``) or a
        ``distributed.Client``; replications then run on that cluster.
    progress
        Called as ``progress(done, total)`` (replications) as results come in.
    cancel
        Anything with ``is_set()`` (a ``threading.Event``); when set, the run stops
        between replications and raises :class:`SimulationCancelled`.
    trace
        Also record every patient's moves in replication 0 of the first scenario
        (``Results.trace``: ``(day, patient, step, "arrive"|"start"|"end"|"leave")``).

    Raises
    ------
    FlowInputError
        Missing or inconsistent flow inputs (one message naming the field).
    SimulationSetupError, SimulationCancelled
    """
    flow = pathway.flow
    n = replications if replications is not None else (
        flow.replications if flow and flow.replications else DEFAULT_REPLICATIONS)
    if not isinstance(n, int) or n < 1:
        raise FlowInputError("--replications", f"give at least 1 replication, not {n}")
    seed_value = seed if seed is not None else (
        flow.seed if flow and flow.seed is not None else DEFAULT_SEED)
    if not isinstance(seed_value, int) or seed_value < 0:
        raise FlowInputError("--seed", f"the seed must be a whole number from 0, not {seed_value}")
    if not isinstance(workers, int) or workers < 1:
        raise FlowInputError("--workers", f"give at least 1 worker, not {workers}")
    plans = plans_for(pathway, scenarios, weeks)

    total = n * len(plans)
    collected: list[dict[int, dict]] = [{} for _ in plans]
    done = 0

    def take(index: int, chunk: list[tuple[int, dict]]) -> None:
        nonlocal done
        for r, result in chunk:
            collected[index][r] = result
        done += len(chunk)
        if progress is not None:
            progress(done, total)

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    from designer.sim.engine import run_replication

    if scheduler is not None:
        _run_dask(plans, seed_value, n, scheduler, take, cancelled)
    elif workers > 1:
        _run_processes(plans, seed_value, n, workers, take, cancelled)
    else:
        for index, plan in enumerate(plans):
            for r in range(n):
                if cancelled():
                    raise SimulationCancelled("the simulation was cancelled")
                take(index, [(r, run_replication(plan, seed_value, r))])

    per_scenario = [[collected[i][r] for r in range(n)] for i in range(len(plans))]
    trace_log = None
    if trace:
        trace_log = run_replication(plans[0], seed_value, 0, trace=True)["trace"]
    return build_results(file=file, plans=plans, per_scenario=per_scenario, seed=seed_value,
                         trace=trace_log)


def _chunks(n: int, parts: int) -> list[list[int]]:
    size = max(1, math.ceil(n / parts))
    return [list(range(i, min(n, i + size))) for i in range(0, n, size)]


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # forkserver is safe in a process with threads (a GUI) and cheaper than spawn
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["designer.sim.engine"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_processes(plans: list[Plan], seed: int, n: int, workers: int, take, cancelled
                   ) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    chunks = _chunks(n, workers * 4)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        pending = {pool.submit(_run_chunk, plan, seed, chunk): index
                   for index, plan in enumerate(plans) for chunk in chunks}
        try:
            while pending:
                finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if cancelled():
                    raise SimulationCancelled("the simulation was cancelled")
                for future in finished:
                    take(pending.pop(future), future.result())
        except BrokenProcessPool:
            raise SimulationSetupError(
                "a worker process stopped unexpectedly (out of memory?); try fewer "
                "--workers") from None
        except BaseException:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _run_dask(plans: list[Plan], seed: int, n: int, scheduler: Any, take, cancelled) -> None:
    try:
        from distributed import Client, as_completed  # imported only when asked for
    except ImportError:
        raise SimulationSetupError(
            "--scheduler needs Dask distributed: install it with "
            "pip install 'periop-pathway-designer[cluster]'") from None
    own = not isinstance(scheduler, Client)
    if own:
        try:
            client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SimulationSetupError(
                f"--scheduler: could not reach the Dask scheduler at {scheduler} ({exc})"
            ) from None
    else:
        client = scheduler
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = _chunks(n, n_workers * 4)
        futures = []
        index_of = {}
        for index, plan in enumerate(plans):
            for chunk in chunks:
                future = client.submit(_run_chunk, plan, seed, chunk, pure=False)
                futures.append(future)
                index_of[future.key] = index
        try:
            for future in as_completed(futures, loop=client.loop):
                if cancelled():
                    raise SimulationCancelled("the simulation was cancelled")
                take(index_of[future.key], future.result())
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        if own:
            client.close()
